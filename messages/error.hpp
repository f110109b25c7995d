// The project's error codes, usable as caf::error via make_error(ec::...).
#pragma once

#include <caf/atom.hpp>
#include <caf/error.hpp>

#include <cstdint>
#include <string>

namespace discotheque {

enum class ec : uint8_t {
  /// Not an error; CAF reserves 0.
  none = 0,
  /// A database statement or transaction failed.
  database_error,
  /// A write violated a schema constraint (CHECK, UNIQUE, FOREIGN KEY, NOT
  /// NULL).
  constraint_violation,
  /// The configuration is invalid.
  invalid_config,
  /// A task or other named thing does not exist.
  unknown_task,
  /// The task is running already (Run Now refused).
  already_running,
  /// A provider could not be used (not configured, breaker open, blocked).
  provider_unavailable,
  /// A remote answered with something we cannot use.
  bad_response,
  /// A timeout elapsed.
  timeout,
  /// The task actor died while running a task.
  task_crashed,
  /// The thing exists but is not built yet (e.g. a task without handler).
  not_implemented,
};

const char* to_string(ec x);

/// The atom under which CAF knows our error category.
inline caf::atom_value error_category() {
  return caf::atom("disco");
}

caf::error make_error(ec code, std::string context);

/// Renders any caf::error of our category (or CAF's own) as one readable line.
std::string render(const caf::error& err);

/// What a user reads about `err`: the context of Discotheque's own errors
/// without repeating the code ("task 'x' is running already"), plain words
/// instead of the actor framework's (never "request_receiver_down").
std::string user_message(const caf::error& err);

} // namespace discotheque
