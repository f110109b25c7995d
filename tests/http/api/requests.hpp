// Requests and response headers for the endpoint suites under tests/http/api.
#pragma once

#include "http/exchange.hpp"

#include <string>

namespace discotheque::http_test {

/// A request as the server hands it over (no query, no headers).
inline http::request make_request(std::string method, std::string path) {
  http::request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.target = r.path;
  return r;
}

/// The value of a response header, or "".
inline std::string header_of(const http::response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name)
      return v;
  return "";
}

} // namespace discotheque::http_test
