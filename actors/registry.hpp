// The task registry: every task of SPEC §2 with its phase, dependencies,
// default interval and the factory that spawns its handler actor. A task
// without a factory is listed but not implemented yet.
#pragma once

#include "messages/interfaces.hpp"

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/timespan.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace discotheque {

struct task_env;

/// Spawns a task's handler actor. Called again when the actor crashed.
using task_factory = std::function<task_actor(caf::actor_system&)>;

struct task_def {
  std::string name;
  std::string
    phase; ///< discover, identify, enrich, expand, imagery, cleanup, system
  std::vector<std::string> depends_on;
  std::chrono::seconds interval{3600};
  bool enabled_by_default = true;
  /// A run that takes longer is stopped and recorded as failed.
  std::chrono::seconds time_limit{6 * 3600};
  /// Empty: the handler is not built yet ("implemented": false).
  task_factory spawn;
};

/// A validated DAG of tasks in topological order (Kahn's algorithm).
class task_registry {
public:
  /// Validates: unique names, known dependencies, no cycles. The error
  /// message names the offending tasks.
  static caf::expected<task_registry> make(std::vector<task_def> defs);

  /// The tasks in a topological order (dependencies first; ties in the
  /// order the definitions were given, so the order is deterministic).
  const std::vector<task_def>& tasks() const {
    return tasks_;
  }
  /// Index of `name` in tasks(), or -1.
  int index_of(const std::string& name) const;
  const task_def* find(const std::string& name) const;

private:
  std::vector<task_def> tasks_;
  std::map<std::string, int> index_;
};

/// The tasks of SPEC §2 with their dependencies and default intervals. Task
/// actors that exist are wired to their factories with `env`.
std::vector<task_def> default_tasks(const task_env& env);

} // namespace discotheque
