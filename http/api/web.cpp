#include "http/api/web.hpp"

#include "http/api/route.hpp"
#include "http/api/router.hpp"

namespace discotheque::http {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size()
         && s.substr(s.size() - suffix.size()) == suffix;
}

/// Does If-None-Match (a list, or *) name this ETag?
bool etag_matches(const std::string& if_none_match, std::string_view etag) {
  if (if_none_match.empty())
    return false;
  if (if_none_match == "*")
    return true;
  std::string_view list{if_none_match};
  while (!list.empty()) {
    auto comma = list.find(',');
    auto item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    if (item.substr(0, 2) == "W/")
      item.remove_prefix(2);
    if (item == etag)
      return true;
    if (comma == std::string_view::npos)
      break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

} // namespace

std::string content_type_for(std::string_view path) {
  struct kind {
    std::string_view ext;
    std::string_view type;
  };
  static constexpr kind kinds[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& k : kinds)
    if (ends_with(path, k.ext))
      return std::string{k.type};
  return "application/octet-stream";
}

response serve_web(const request& req, const std::vector<web_asset>& assets) {
  if (req.method != "GET" && req.method != "HEAD")
    return method_not_allowed({"GET"});
  std::string_view path = req.path;
  if (path == "/")
    path = "/index.html";
  for (const auto& a : assets) {
    if (a.path != path)
      continue;
    response r;
    r.content_type = content_type_for(a.path);
    r.headers.emplace_back("ETag", std::string{a.etag});
    r.headers.emplace_back("Cache-Control", "no-cache");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    if (etag_matches(req.header("if-none-match"), a.etag)) {
      r.status = 304;
      return r;
    }
    r.body = std::string{a.body};
    return r;
  }
  return json_error(404, "not_found", "no such page: " + req.path);
}

} // namespace discotheque::http
