// Outbound HTTP: a libcurl easy handle wrapped for one thread (keep-alive,
// TLS verification on, redirects, proxies from the usual environment
// variables, compression, timeouts), and the detached client actor on top.
#pragma once

#include "messages/interfaces.hpp"

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace discotheque::http {

/// Spaces the starts of transfers of all clients sharing it by `interval`,
/// right before libcurl sends: the rate limiter actor grants permits, this
/// keeps thread wake-up jitter from bunching two requests on the wire.
struct request_pacer {
  explicit request_pacer(std::chrono::nanoseconds i) : interval(i) {
  }
  std::chrono::nanoseconds interval;
  std::mutex mtx;
  std::chrono::steady_clock::time_point next{};
  /// Blocks (in a detached client) until the next start is allowed.
  void wait();
};

struct client_options {
  /// Shared by the clients of one provider; may be null.
  std::shared_ptr<request_pacer> pacer;
  std::chrono::milliseconds connect_timeout{10'000};
  /// Whole transfer, unless an http_call sets its own.
  std::chrono::milliseconds timeout{30'000};
  /// A larger body is cut off and answered as an error (hostile servers).
  size_t max_body_bytes = 64u << 20;
  long max_redirects = 5;
};

/// `Discotheque/<version> ( https://github.com/discotheque/discotheque )`.
const std::string& user_agent();

/// Parses a Retry-After value: delay-seconds ("120") or an HTTP-date
/// ("Wed, 21 Oct 2015 07:28:00 GMT"). Answers the delay in milliseconds
/// from `now_ms` (never negative), or nullopt if it cannot be read.
std::optional<int64_t> parse_retry_after(std::string_view value,
                                         int64_t now_ms);

/// One libcurl easy handle. Not thread-safe: one per actor/thread. Reusing
/// the handle reuses its connections (keep-alive).
class curl_client {
public:
  explicit curl_client(client_options opts = {});
  ~curl_client();
  curl_client(const curl_client&) = delete;
  curl_client& operator=(const curl_client&) = delete;

  /// Blocks until the call is done; never throws for network problems.
  http_reply perform(const http_call& call);

private:
  client_options opts_;
  CURL* handle_;
};

struct http_client_state {
  static inline const char* name = "http-client";
  std::unique_ptr<curl_client> client;
};

/// Spawn detached: every call blocks the actor's thread.
http_client_actor::behavior_type
http_client(http_client_actor::stateful_pointer<http_client_state> self,
            client_options opts);

} // namespace discotheque::http
