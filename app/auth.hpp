// `discotheque auth spotify`: the one-time OAuth authorization for headless
// setups. Prints the authorize URL (redirect to http://127.0.0.1:PORT/callback:
// Spotify no longer accepts `localhost`), waits for the browser to come back
// with the code, exchanges it for tokens and stores them in provider_tokens
// (the database file is kept at mode 0600). Tokens are never printed.
#pragma once

#include "app/config.hpp"

#include <cstdint>
#include <string>

namespace discotheque {

struct auth_options {
  std::string provider = "spotify";
  uint16_t port = 8888;
  int64_t timeout_s = 600;
};

/// Returns the process exit code.
int run_auth(const config& cfg, const auth_options& opts);

/// The authorize URL for `provider` (exposed for tests).
std::string authorize_url(const std::string& auth_base,
                          const std::string& client_id,
                          const std::string& redirect_uri,
                          const std::string& state);

} // namespace discotheque
