#include "http/api/router.hpp"

#include "http/api/route.hpp"

#include <set>

namespace discotheque::http {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    auto j = path.find('/', i);
    if (j == std::string_view::npos)
      j = path.size();
    if (j > i)
      parts.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

bool match_pattern(const std::vector<std::string>& pattern,
                   const std::vector<std::string>& path, path_params& params) {
  if (pattern.size() != path.size())
    return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const auto& seg = pattern[i];
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}')
      params[seg.substr(1, seg.size() - 2)] = path[i];
    else if (seg != path[i])
      return false;
  }
  return true;
}

response method_not_allowed(const std::vector<std::string>& methods) {
  // A stable order, GET first, HEAD next to it.
  std::set<std::string> unique(methods.begin(), methods.end());
  std::string allow;
  auto append = [&](const std::string& m) {
    allow += (allow.empty() ? "" : ", ") + m;
  };
  if (unique.count("GET")) {
    append("GET");
    append("HEAD");
  }
  for (const auto& m : unique)
    if (m != "GET")
      append(m);
  auto r = json_error(405, "method_not_allowed", "allowed: " + allow);
  r.headers.emplace_back("Allow", allow);
  return r;
}

response no_such_endpoint(const std::string& path) {
  return json_error(404, "not_found", "no such endpoint: " + path);
}

} // namespace discotheque::http
