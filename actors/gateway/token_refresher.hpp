// The TOKEN REFRESHER actor: one per provider with OAuth tokens, separate
// from the library tasks. Hands out a valid access token, refreshes it
// ahead of expiry (and when the provider rejects it), keeps the old refresh
// token when a refresh answer has none, and persists tokens in
// provider_tokens. Tokens never appear in logs or error messages.
//
// The token endpoint is a call to the provider like any other: timeouts,
// connection errors and 5xx are retried with the gateway's backoff (and
// Retry-After), counted by the provider's circuit breaker, and after the
// last retry answered with `bad_response` (a failed run, retried later).
// Only "not authorized" (no refresh token, 400/401 from the endpoint) is
// `provider_unavailable` (a skipped run).
#pragma once

#include "messages/interfaces.hpp"

#include <caf/typed_response_promise.hpp>

#include <chrono>
#include <functional>
#include <vector>

namespace discotheque {

struct token_refresher_config {
  std::string provider;
  /// The OAuth token endpoint (e.g. https://accounts.spotify.com/api/token).
  /// Empty: the access token is static (from the config) and cannot be
  /// refreshed.
  std::string token_url;
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;
  std::string access_token;
  int64_t expires_at = 0; ///< epoch ms; 0 with a static token = never
  /// Refresh this long before expiry.
  std::chrono::milliseconds margin{5 * 60 * 1000};
  http_client_actor http;
  store_actor store; ///< may be null (tests)
  /// Counts the token endpoint's failures with the provider's other calls;
  /// may be null (tests).
  circuit_breaker_actor breaker;
  int max_retries = 3;
  std::chrono::milliseconds backoff_base{1000};
  std::chrono::milliseconds backoff_max{30'000};
  std::function<int64_t()> now;
};

struct token_refresher_state {
  static inline const char* name = "token-refresher";
  token_refresher_config config;
  bool refreshing = false;
  /// Retries of the refresh in progress.
  int retries = 0;
  bool tick_pending = false;
  std::vector<caf::typed_response_promise<std::string>> waiting;
  int64_t refreshes = 0;
  std::string last_error;

  int64_t now() const;
  bool valid() const;
};

token_refresher_actor::behavior_type token_refresher(
  token_refresher_actor::stateful_pointer<token_refresher_state> self,
  token_refresher_config config);

std::string base64(std::string_view in);
std::string form_encode(std::string_view in);

} // namespace discotheque
