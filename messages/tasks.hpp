// What the supervisor, its task actors and the API say to each other about
// tasks: requests and results of one run, one task's status, a cycle's
// report. Plain typed values; JSON is rendered once, at the edge
// (http/api/tasks.hpp). Times are epoch milliseconds, 0 meaning "none".
#pragma once

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace discotheque {

/// How one run of a task ended.
enum class run_status : uint8_t { succeeded, failed, skipped };

/// Why a task did not run (or, for provider_unavailable, why it skipped
/// itself). The words are those of the API and of the task_runs table.
enum class skip_reason : uint8_t {
  none,
  not_due,
  disabled,
  dependencies_not_met,
  not_implemented,
  provider_unavailable,
};

std::string to_string(run_status x);
std::string to_string(skip_reason x);

/// Parses the word `to_string` gives; false (and `x` unchanged) otherwise.
bool from_string(std::string_view word, run_status& x);
bool from_string(std::string_view word, skip_reason& x);

/// What the supervisor asks a task actor to do.
struct task_request {
  std::string task;    ///< the task's name, e.g. "scan_local_library"
  std::string trigger; ///< "schedule", "manual" or "command"
  int64_t run_id = 0;  ///< task_runs.id of this run
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_request& x) {
  return f(caf::meta::type_name("task_request"), x.task, x.trigger, x.run_id);
}

/// What a task actor answers when its run is over.
struct task_result {
  std::string task;
  run_status status = run_status::failed;
  /// For skipped: why (a task itself only ever says provider_unavailable).
  skip_reason reason = skip_reason::none;
  /// For failed: one line saying what went wrong.
  std::string error;
  /// The run's counters as a JSON object (files_seen, tracks_added ...).
  std::string stats_json = "{}";
  int64_t started_at = 0;  ///< epoch ms
  int64_t finished_at = 0; ///< epoch ms

  static task_result skipped(std::string task, skip_reason reason) {
    task_result r;
    r.task = std::move(task);
    r.status = run_status::skipped;
    r.reason = reason;
    return r;
  }

  /// Succeeded, or skipped because its provider is unavailable: both leave
  /// the task's result fresh for its dependents (SPEC §2).
  bool satisfies_dependents() const {
    return status == run_status::succeeded
           || (status == run_status::skipped
               && reason == skip_reason::provider_unavailable);
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_result& x) {
  return f(caf::meta::type_name("task_result"), x.task, x.status, x.reason,
           x.error, x.stats_json, x.started_at, x.finished_at);
}

/// Everything the API shows of one task.
struct task_status {
  std::string name;
  std::string phase;
  std::vector<std::string> depends_on;
  bool implemented = false;
  bool enabled = false;
  int64_t interval_s = 0;
  /// What `enabled` and the interval are without a setting (the registry's).
  bool default_enabled = false;
  int64_t default_interval_s = 0;
  int64_t time_limit_s = 0;
  bool running = false;
  int64_t running_since = 0; ///< 0 unless running
  int64_t last_run = 0;
  int64_t last_success = 0;
  /// Meaningful only when last_run != 0 (the task ran at least once).
  run_status last_status = run_status::failed;
  skip_reason last_skip_reason = skip_reason::none;
  std::string last_error;
  int64_t last_duration_ms = 0;
  int64_t next_run = 0; ///< 0 when it will not run (disabled, not built)
  int32_t restarts = 0;
  std::string stats_json = "{}";
  /// Live counters, only asked for while the task runs; progress_json is
  /// empty when the handler did not answer in time.
  bool has_progress = false;
  std::string progress_json;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_status& x) {
  return f(caf::meta::type_name("task_status"), x.name, x.phase, x.depends_on,
           x.implemented, x.enabled, x.interval_s, x.default_enabled,
           x.default_interval_s, x.time_limit_s, x.running, x.running_since,
           x.last_run, x.last_success, x.last_status, x.last_skip_reason,
           x.last_error, x.last_duration_ms, x.next_run, x.restarts,
           x.stats_json, x.has_progress, x.progress_json);
}

/// A task that ran and succeeded in a cycle.
struct completed_task {
  std::string task;
  int64_t duration_ms = 0;
  std::string stats_json = "{}";
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, completed_task& x) {
  return f(caf::meta::type_name("completed_task"), x.task, x.duration_ms,
           x.stats_json);
}

struct skipped_task {
  std::string task;
  skip_reason reason = skip_reason::none;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, skipped_task& x) {
  return f(caf::meta::type_name("skipped_task"), x.task, x.reason);
}

struct failed_task {
  std::string task;
  std::string error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, failed_task& x) {
  return f(caf::meta::type_name("failed_task"), x.task, x.error);
}

/// What one cycle (scheduled, or `discotheque run`/`cycle`) did.
struct cycle_report {
  int64_t id = 0;
  std::string trigger;
  int64_t started_at = 0;
  int64_t finished_at = 0;
  std::vector<completed_task> completed;
  std::vector<skipped_task> skipped;
  std::vector<failed_task> failed;

  bool succeeded() const {
    return failed.empty();
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cycle_report& x) {
  return f(caf::meta::type_name("cycle_report"), x.id, x.trigger, x.started_at,
           x.finished_at, x.completed, x.skipped, x.failed);
}

/// The supervisor's whole state for the status endpoints.
struct supervisor_status {
  std::vector<task_status> tasks;
  bool cycle_running = false;
  int64_t check_interval_s = 0;
  bool has_last_cycle = false;
  cycle_report last_cycle;
  /// Bumped by the supervisor on every change: an equal version means an
  /// equal status, so the API may answer from its rendered copy.
  int64_t version = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, supervisor_status& x) {
  return f(caf::meta::type_name("supervisor_status"), x.tasks, x.cycle_running,
           x.check_interval_s, x.has_last_cycle, x.last_cycle, x.version);
}

/// The answer to Run Now: the run has started with this id.
struct run_started {
  std::string task;
  int64_t run_id = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, run_started& x) {
  return f(caf::meta::type_name("run_started"), x.task, x.run_id);
}

/// A change of a task's settings (PUT /api/library/tasks/{name}), already
/// validated at the edge.
struct task_settings_patch {
  bool set_enabled = false;
  bool enabled = false;
  bool set_interval = false;
  int64_t interval_s = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_settings_patch& x) {
  return f(caf::meta::type_name("task_settings_patch"), x.set_enabled,
           x.enabled, x.set_interval, x.interval_s);
}

} // namespace discotheque
