// The SUPERVISOR: holds the task DAG, decides what runs in a cycle, runs the
// tasks' handler actors by message passing, restarts crashed handlers,
// records every run (task_runs) and answers status queries.
//
// Cycle rules (SPEC §2): tasks are visited in topological order. A task runs
// when it is enabled, due, and every dependency succeeded (or reported
// provider_unavailable) in the same cycle; otherwise it is skipped with a
// reason: disabled, not_due, dependencies_not_met, not_implemented. A due
// task pulls its (enabled) dependencies into the cycle even if they are not
// due themselves, so that "succeeded in the same cycle" can hold. Tasks whose
// dependencies are settled run concurrently.
#pragma once

#include "actors/registry.hpp"
#include "messages/interfaces.hpp"

#include <caf/typed_response_promise.hpp>
#include <nlohmann/json.hpp>
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

/// What is remembered of a task across runs (and restarts, via task_runs).
struct task_history {
  int64_t last_run_at = 0; ///< start of the last run (epoch ms), 0 = never
  int64_t last_completed_at = 0; ///< start of the last run that counts as done
  int64_t last_success_at = 0;
  std::string last_status; ///< succeeded, failed, skipped
  std::string last_reason; ///< for skipped
  std::string last_error;  ///< of the most recent failed run
  std::string last_stats = "{}";
  int64_t last_duration_ms = 0;
};

/// Per-task overrides from the settings table.
struct task_settings {
  std::optional<bool> enabled;
  std::optional<int64_t> interval_s;
};

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
/// returns the statement that marks runs left "running" by a crash as failed.
write_request load_supervisor_state(storage::database& db,
                                    supervisor_config& cfg);

struct supervisor_state {
  static inline const char* name = "supervisor";

  struct task_runtime {
    const task_def* def = nullptr;
    bool enabled = true;
    std::chrono::seconds interval{3600};
    task_history hist;
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
    std::set<std::string> selected;
    std::set<std::string> wanted;
    std::map<std::string, std::string> phase; ///< pending, running, done
    std::map<std::string, task_result> results;
    std::optional<caf::typed_response_promise<std::string>> promise;
  };

  supervisor_config cfg;
  std::vector<task_runtime> tasks;
  std::map<int64_t, std::shared_ptr<run_set>> runs;
  bool cycle_running = false;
  int64_t next_set_id = 1;
  nlohmann::json last_cycle; ///< report of the last finished cycle
  int64_t next_tick_at = 0;
  /// The rendered answer to (status), rebuilt only after something changed:
  /// the status endpoint asks for it on every request.
  std::string status_cache;
  std::chrono::steady_clock::time_point steady_base;
  int64_t epoch_base = 0;
  std::shared_ptr<spdlog::logger> log;

  task_runtime* find(const std::string& name);
};

supervisor_actor::behavior_type
supervisor(supervisor_actor::stateful_pointer<supervisor_state> self,
           supervisor_config cfg);

} // namespace discotheque
