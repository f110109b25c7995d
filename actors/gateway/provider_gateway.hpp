// The PROVIDER GATEWAY actor: the one door between a source actor and its
// provider. For every call: blocked-until check -> circuit breaker -> token
// -> rate limiter -> HTTP client; then the answer is classified and either
// delivered, or retried with backoff (1 s, 2 s, 4 s ... max 30 s, 3
// retries) honouring Retry-After. A Retry-After beyond the backoff ceiling
// blocks the provider until then (persisted) instead of waiting in an actor.
#pragma once

#include "messages/interfaces.hpp"
#include "support/histogram.hpp"

#include <caf/typed_response_promise.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <map>

namespace discotheque {

/// What a provider's answer means for the gateway.
enum class reply_class {
  ok,           ///< deliver
  final_error,  ///< a definite answer (404, 400 ...): deliver, do not retry
  auth,         ///< the token was rejected: renew once, then give up
  rate_limited, ///< 429 (or a provider's quota error): retry after Retry-After
  transient,    ///< timeout, connection error, 5xx: retry, counts for breaker
};

/// The default: 2xx ok, 401 auth, 429 rate_limited, 5xx / no answer
/// transient, anything else final_error.
reply_class classify_http(const http_reply& r);

/// Where the credential goes on each call (the provider descriptors choose).
enum class auth_mode {
  none,        ///< public endpoints
  bearer,      ///< Authorization: Bearer <token>
  query_token, ///< ?<auth_param>=<token>
  header_key,  ///< <auth_param>: <token> (API-key headers)
};

struct provider_gateway_config {
  std::string provider;
  rate_limiter_actor limiter;
  circuit_breaker_actor breaker;
  /// Calls go round-robin over these (detached, one curl handle each).
  std::vector<http_client_actor> clients;
  auth_mode auth = auth_mode::none;
  /// The query parameter (query_token) or header (header_key) name.
  std::string auth_param = "access_token";
  /// Where bearer/query tokens come from (null: none -> unauthenticated).
  token_refresher_actor tokens;
  std::function<reply_class(const http_reply&)> classify = classify_http;
  int max_retries = 3;
  std::chrono::milliseconds backoff_base{1000};
  std::chrono::milliseconds backoff_max{30'000};
  /// How long to wait for an HTTP client beyond the call's own timeout.
  std::chrono::milliseconds client_timeout{60'000};
  /// Persisted blocked-until (epoch ms) from a previous run.
  int64_t blocked_until = 0;
  /// Where blocked_until is persisted; may be null (tests).
  store_actor store;
  std::function<int64_t()> now;
  bool enabled = true;
};

struct provider_gateway_state {
  static inline const char* name = "provider-gateway";

  struct pending_call {
    http_call call;
    caf::typed_response_promise<http_reply> promise;
    int retries = 0;
    bool renewed = false;
    std::string token;
  };

  provider_gateway_config config;
  std::map<uint64_t, pending_call> calls;
  uint64_t next_id = 1;
  /// Which clients have a call running; a call takes a permit only once a
  /// client is free, so the spacing of permits is the spacing on the wire.
  std::vector<bool> busy;
  std::deque<uint64_t> waiting_for_client;
  int64_t blocked_until = 0;
  /// After a 429 with a short Retry-After, no call starts before this (the
  /// limit is the app's, not one request's).
  caf::actor_clock::time_point paused_until{};
  int64_t requests = 0;
  std::string last_error;
  /// For the metrics (GET /metrics): answers by kind, retries, time spent
  /// waiting for the rate limiter, and the time each request took (ms).
  int64_t rate_limited = 0;
  int64_t transient_errors = 0;
  int64_t retries = 0;
  int64_t failed_calls = 0;
  int64_t limiter_wait_ms = 0;
  histogram latency_ms{{10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000}};

  int64_t now() const;
};

provider_gateway_actor::behavior_type provider_gateway(
  provider_gateway_actor::stateful_pointer<provider_gateway_state> self,
  provider_gateway_config config);

/// The backoff before retry number `retry` (0-based): base * 2^retry, capped.
std::chrono::milliseconds backoff_delay(int retry,
                                        std::chrono::milliseconds base,
                                        std::chrono::milliseconds max);

/// Appends `name=value` (value URL-encoded) to a URL's query.
std::string add_query_param(const std::string& url, const std::string& name,
                            const std::string& value);

} // namespace discotheque
