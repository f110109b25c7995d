// The identify suites' helpers: MusicBrainz bodies from tests/fixtures/
// (found through DISCOTHEQUE_SOURCE_DIR) and generated ones.
#pragma once

#include "fixture.hpp"

#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace mb_test {

inline nlohmann::json fixture(const std::string& name) {
  std::string path = DISCOTHEQUE_SOURCE_DIR;
  path += "/tests/fixtures/musicbrainz/" + name;
  std::ifstream in{path, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  if (ss.str().empty())
    CAF_FAIL("missing fixture " << path);
  return nlohmann::json::parse(ss.str());
}

/// The message of the std::invalid_argument `f` throws, or "" when it
/// throws nothing (or something else).
inline std::string invalid_argument_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  } catch (...) {
    return "";
  }
  return "";
}

} // namespace mb_test
