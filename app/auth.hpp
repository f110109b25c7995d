// `discotheque auth spotify|tidal`: the one-time OAuth authorization for
// headless setups. Prints the authorize URL (redirect to
// http://127.0.0.1:PORT/callback: Spotify no longer accepts `localhost`),
// waits for the browser to come back with the code, exchanges it for tokens
// (TIDAL: authorization code with PKCE) and stores them in provider_tokens
// (the database file is kept at mode 0600). Tokens are never printed.
#pragma once

#include "actors/gateway/oauth.hpp"
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

} // namespace discotheque
