// The SUPERVISOR: holds the task DAG, runs the tasks' handler actors by
// message passing, restarts crashed handlers, records every run (task_runs)
// and answers status queries with typed values (messages/tasks.hpp). What
// runs when is decided by the cycle planner (cycle.hpp); this actor only
// carries the decisions out. Tasks whose dependencies are settled run
// concurrently.
#pragma once

#include "actors/registry.hpp"
#include "actors/supervisor/cycle.hpp"
#include "messages/interfaces.hpp"
#include "storage/queries/task_runs.hpp"

#include <caf/typed_response_promise.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace discotheque {

namespace storage {
class database;
}

using storage::task_settings;

struct supervisor_config {
  task_registry registry;
  store_actor store;
  std::chrono::seconds check_interval{60};
  /// Start the periodic timer (off for one-shot commands and some tests).
  bool start_timer = true;
  std::map<std::string, task_history> history;
  std::map<std::string, task_settings> settings;
  int64_t next_run_id = 1;
};

/// Loads task history, settings and the next run id from the database, and
/// returns the write that marks runs left "running" by a crash as failed.
write_request load_supervisor_state(storage::database& db,
                                    supervisor_config& cfg);

struct supervisor_state {
  static inline const char* name = "supervisor";

  struct task_runtime {
    const task_def* def = nullptr;
    bool running = false;
    int64_t running_since = 0;
    int64_t run_id = 0;
    std::string trigger;
    task_actor handler;
    int restarts = 0;
    bool stopping = false; ///< killed on purpose (time limit), not a crash
    std::string last_crash;
    std::vector<std::function<void(const task_result&)>> waiters;
  };

  /// One cycle (scheduled or by command) in progress.
  struct run_set {
    int64_t id = 0;
    std::string trigger;
    bool scheduled = false; ///< apply enabled/due rules
    int64_t started_at = 0;
    std::set<std::string> wanted;
    std::map<std::string, std::string> phase; ///< pending, running, done
    std::map<std::string, task_result> results;
    std::optional<caf::typed_response_promise<cycle_report>> promise;
  };

  supervisor_config cfg;
  /// The planner's view of each task, in registry (topological) order.
  std::vector<planned_task> plan;
  /// The actor side of each task, same order.
  std::vector<task_runtime> tasks;
  std::map<int64_t, std::shared_ptr<run_set>> runs;
  bool cycle_running = false;
  int64_t next_set_id = 1;
  bool has_last_cycle = false;
  cycle_report last_cycle;
  int64_t next_tick_at = 0;
  /// Bumped on every change that the status shows (see supervisor_status).
  int64_t version = 1;
  std::chrono::steady_clock::time_point steady_base;
  int64_t epoch_base = 0;
  std::shared_ptr<spdlog::logger> log;

  /// Index of `name`, or -1.
  int index_of(const std::string& name) const;
};

supervisor_actor::behavior_type
supervisor(supervisor_actor::stateful_pointer<supervisor_state> self,
           supervisor_config cfg);

} // namespace discotheque
