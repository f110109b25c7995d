// The one-time OAuth authorization of a provider (`discotheque auth NAME`):
// the flow a provider's descriptor declares, the browser URL, PKCE. The
// command itself (callback server, code exchange) is app/auth.cpp.
#pragma once

#include "config/config.hpp"

#include <optional>
#include <string>

namespace discotheque {

/// How a provider's one-time authorization works.
struct oauth_flow {
  std::string provider;
  std::string display;       ///< "Spotify", "TIDAL"
  std::string authorize_url; ///< the browser page, without query
  std::string token_url;     ///< where the code is exchanged
  std::string scopes;        ///< space-separated
  bool pkce = false;         ///< RFC 7636, S256
  bool needs_secret = false; ///< a confidential client
};

/// The flow for `provider` from its descriptor and config entry; nullopt for
/// providers without a browser authorization (static tokens, public APIs,
/// unknown names).
std::optional<oauth_flow> flow_for(const std::string& provider,
                                   const provider_config& pc);

/// The URL the user opens in a browser.
std::string authorize_url(const oauth_flow& flow, const std::string& client_id,
                          const std::string& redirect_uri,
                          const std::string& state,
                          const std::string& code_verifier);

/// BASE64URL(SHA256(verifier)) without padding (RFC 7636 §4.2).
std::string pkce_challenge(const std::string& verifier);

} // namespace discotheque
