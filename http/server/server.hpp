// The HTTP server: Boost.Beast on its own io threads. It parses requests,
// hands each to a handler (which forwards it to the api actor) and writes the
// answer back on the session's executor. It never blocks an io thread on CAF.
#pragma once

#include "http/exchange.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace discotheque::http {

using handler = std::function<void(request, responder)>;

struct server_options {
  std::string host = "127.0.0.1";
  uint16_t port = 8686; ///< 0 picks a free port
  int threads = 1;
  uint64_t max_body_bytes = 1 << 20;
  int64_t idle_timeout_s = 30;
};

class server {
public:
  server(server_options opts, handler h);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds and listens, without serving yet. Throws std::runtime_error with a
  /// clear message when the address cannot be bound (e.g. port in use), so a
  /// service can fail before it starts anything else.
  void bind();
  /// Binds (unless bound) and starts the io threads.
  void start();
  /// Stops accepting, closes sessions and joins the io threads.
  void stop();
  /// The bound port (useful when opts.port was 0).
  uint16_t port() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Percent-decoding for paths and query strings ('+' becomes ' ' in queries).
std::string url_decode(std::string_view in, bool plus_is_space);

} // namespace discotheque::http
