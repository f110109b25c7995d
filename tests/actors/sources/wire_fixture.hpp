// The source suites' shared helpers: fixture files (tests/fixtures/) and
// a parse that must succeed.
#pragma once

#include "fixture.hpp"

#include "actors/sources/deezer.hpp"
#include "actors/sources/source.hpp"
#include "actors/sources/spotify.hpp"
#include "actors/sources/tidal.hpp"
#include "messages/error.hpp"

#include <fstream>
#include <sstream>

namespace wire_test {

using namespace discotheque;

inline std::string fixture(const std::string& rel) {
  auto path
    = std::filesystem::path{__FILE__}.parent_path().parent_path().parent_path()
      / "fixtures" / rel;
  std::ifstream in{path, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  if (ss.str().empty())
    CAF_FAIL("missing fixture " << path);
  return ss.str();
}

inline source_page parse_ok(const source_wire& w, const std::string& base,
                            page_request req, const std::string& body) {
  auto res = parse_body(w, base, req, body);
  if (!res)
    CAF_FAIL("parse failed: " << render(res.error()));
  return *res;
}

inline const std::string sp = "https://api.spotify.com/v1";
inline const std::string dz = "https://api.deezer.com";
inline const std::string td = "https://openapi.tidal.com/v2";

} // namespace wire_test
