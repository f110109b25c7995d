// What an HTTP request and its answer are inside the service, without Beast:
// the server (http/server) produces them, the api actor and the endpoint
// modules (http/api) consume them. Nothing here depends on Boost.
#pragma once

#include <caf/allowed_unsafe_message_type.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace discotheque::http {

/// A parsed request, decoupled from Beast so actors never see Beast types.
struct request {
  std::string method; ///< "GET", "POST" ...
  std::string target; ///< as sent: "/api/x?y=1"
  std::string path;   ///< decoded path without the query: "/api/x"
  std::map<std::string, std::string> query;   ///< decoded query parameters
  std::map<std::string, std::string> headers; ///< lower-case names
  std::string body;

  /// The header's value or "" (name in lower case).
  std::string header(const std::string& name) const;
};

struct response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

/// Called exactly once with the response, from any thread. If it is dropped
/// without being called (say, the actor holding it died), the client gets a
/// 503 instead of a hanging connection.
class responder {
public:
  responder() = default;
  explicit responder(std::function<void(response)> fn);
  void operator()(response r) const;

private:
  struct once;
  std::shared_ptr<once> impl_;
};

} // namespace discotheque::http

namespace discotheque {

/// One HTTP request and the way to answer it. Lives only inside this process
/// (the responder is a callback into the server's io thread).
struct http_exchange {
  http::request request;
  http::responder reply;
};

} // namespace discotheque

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(discotheque::http_exchange)
