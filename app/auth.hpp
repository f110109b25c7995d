// `discotheque auth spotify|tidal`: the one-time OAuth authorization for
// headless setups. Prints the authorize URL (redirect to
// http://127.0.0.1:PORT/callback: Spotify no longer accepts `localhost`),
// waits for the browser to come back with the code, exchanges it for tokens
// (TIDAL: authorization code with PKCE) and stores them in provider_tokens
// (the database file is kept at mode 0600). Tokens are never printed.
#pragma once

#include "config/config.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace discotheque {

struct auth_options {
  std::string provider = "spotify";
  uint16_t port = 8888;
  int64_t timeout_s = 600;
};

/// Returns the process exit code.
int run_auth(const config& cfg, const auth_options& opts);

/// How a provider's one-time authorization works.
struct oauth_flow {
  std::string provider;
  std::string display;       ///< "Spotify", "TIDAL"
  std::string authorize_url; ///< the browser page, without query
  std::string token_url;     ///< where the code is exchanged
  std::string scopes;        ///< space-separated
  bool pkce = false;         ///< RFC 7636, S256
  bool needs_secret = false; ///< a confidential client (Spotify)
};

/// The flow for `provider` (spotify, tidal); nullopt for providers without
/// OAuth (deezer, musicbrainz, ...).
std::optional<oauth_flow> flow_for(const std::string& provider,
                                   const provider_config& pc);

/// The URL the user opens in a browser (exposed for tests).
std::string authorize_url(const oauth_flow& flow, const std::string& client_id,
                          const std::string& redirect_uri,
                          const std::string& state,
                          const std::string& code_verifier);

/// BASE64URL(SHA256(verifier)) without padding (RFC 7636 §4.2).
std::string pkce_challenge(const std::string& verifier);

} // namespace discotheque
