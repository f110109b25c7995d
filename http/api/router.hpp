// The route table of the HTTP API: method + path pattern -> handler. A
// pattern is a path whose segments are literal or `{name}` (one segment,
// captured). Matching answers the handler and the captured parameters, or
// 404 (no pattern matches the path) or 405 with the methods the path allows
// (HEAD is always allowed where GET is, and answered like it without body).
#pragma once

#include "http/exchange.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace discotheque::http {

/// The captured `{name}` segments of a matched path.
using path_params = std::map<std::string, std::string>;

/// Splits "/api/x/1/" into {"api", "x", "1"}.
std::vector<std::string> split_path(std::string_view path);

/// Does `pattern` (split) match `path` (split)? Fills `params`.
bool match_pattern(const std::vector<std::string>& pattern,
                   const std::vector<std::string>& path, path_params& params);

/// 405 with `Allow` listing `methods`.
response method_not_allowed(const std::vector<std::string>& methods);

template <class Handler>
class router {
public:
  struct route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };

  /// What a request matched: exactly one of `handler` (with `params`) or an
  /// error response (404 or 405).
  struct result {
    const Handler* handler = nullptr;
    path_params params;
    std::optional<response> error;
  };

  router& add(std::string method, std::string pattern, Handler h) {
    auto segments = split_path(pattern);
    routes_.push_back({std::move(method), std::move(pattern),
                       std::move(segments), std::move(h)});
    return *this;
  }

  /// Appends every route of `other`.
  router& add_all(const router& other) {
    for (const auto& r : other.routes_)
      routes_.push_back(r);
    return *this;
  }

  result match(const request& req) const {
    auto path = split_path(req.path);
    auto method = req.method == "HEAD" ? std::string{"GET"} : req.method;
    result res;
    std::vector<std::string> allowed;
    for (const auto& r : routes_) {
      path_params params;
      if (!match_pattern(r.segments, path, params))
        continue;
      if (r.method == method) {
        res.handler = &r.handler;
        res.params = std::move(params);
        return res;
      }
      allowed.push_back(r.method);
    }
    if (allowed.empty())
      res.error = not_found(req.path);
    else
      res.error = method_not_allowed(allowed);
    return res;
  }

  /// Does any route match the path (in any method)?
  bool owns(std::string_view path) const {
    auto p = split_path(path);
    path_params ignored;
    for (const auto& r : routes_)
      if (match_pattern(r.segments, p, ignored))
        return true;
    return false;
  }

  const std::vector<route>& routes() const {
    return routes_;
  }

private:
  static response not_found(const std::string& path);
  std::vector<route> routes_;
};

/// 404 for a path no route matches.
response no_such_endpoint(const std::string& path);

template <class Handler>
response router<Handler>::not_found(const std::string& path) {
  return no_such_endpoint(path);
}

} // namespace discotheque::http
