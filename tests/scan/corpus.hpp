// The generated test corpus (tests/corpus/generate.py), built once per test
// process into a temp folder and copied into each test's own folder.
#pragma once

#include "fixture.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace discotheque::test {

inline std::filesystem::path source_dir() {
  if (auto* s = std::getenv("DISCOTHEQUE_SOURCE"))
    return s;
  return DISCOTHEQUE_SOURCE_DIR;
}

/// The corpus folder (with library/ and manifest.json), generated once.
inline const std::filesystem::path& corpus_dir() {
  static temp_dir dir;
  static bool made = [] {
    auto cmd = "python3 '"
               + (source_dir() / "tests/corpus/generate.py").string() + "' '"
               + dir.path.string() + "'";
    if (std::system(cmd.c_str()) != 0)
      throw std::runtime_error("corpus generation failed: " + cmd);
    return true;
  }();
  (void) made;
  return dir.path;
}

inline nlohmann::json manifest() {
  std::ifstream in(corpus_dir() / "manifest.json");
  return nlohmann::json::parse(in);
}

/// Copies the corpus library into `to` (symlinks copied as symlinks).
inline void copy_library(const std::filesystem::path& to) {
  std::filesystem::copy(corpus_dir() / "library", to,
                        std::filesystem::copy_options::recursive
                          | std::filesystem::copy_options::copy_symlinks);
}

} // namespace discotheque::test
