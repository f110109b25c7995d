// Shared test scaffolding: the deterministic CAF fixture with our message
// types registered, and a temporary directory that cleans up after itself.
#pragma once

#define FAIL CAF_FAIL
#include <caf/test/dsl.hpp>

#include "app/service.hpp"
#include "support/log.hpp"

#include <filesystem>
#include <random>
#include <string>

namespace discotheque::test {

struct test_config : caf::actor_system_config {
  test_config() {
    configure_actor_system(*this);
  }
};

/// Deterministic scheduler and clock (caf::test_coordinator_fixture).
using fixture_base = test_coordinator_fixture<test_config>;

/// A fresh directory under the system temp folder, removed on destruction.
struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    std::random_device rd;
    path
      = std::filesystem::temp_directory_path()
        / ("discotheque-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::filesystem::path operator/(const std::string& name) const {
    return path / name;
  }
};

} // namespace discotheque::test

/// CAF_CHECK that also prints `msg` (a stream expression) when it fails.
#define CHECK_MSG(cond, msg)                                                   \
  do {                                                                         \
    if (!(cond))                                                               \
      CAF_MESSAGE("check failed: " << msg);                                    \
    CAF_CHECK(cond);                                                           \
  } while (false)
