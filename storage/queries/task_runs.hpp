// Reads of the supervisor's tables at start: the finished runs of every task
// (task_runs) and the per-task settings (settings, keys tasks.NAME.FIELD).
#pragma once

#include "messages/tasks.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace discotheque::storage {

class database;

/// One finished (not "running") row of task_runs.
struct task_run_row {
  int64_t id = 0;
  std::string task;
  int64_t started_at = 0;
  run_status status = run_status::failed;
  skip_reason reason = skip_reason::none;
  std::string error;
  std::string stats_json = "{}";
  int64_t duration_ms = 0;
};

/// The highest task_runs id so far (0 for none).
int64_t max_task_run_id(database& db);

/// Every finished run, oldest first (by id). A status word the enum does not
/// know is read as failed.
std::vector<task_run_row> finished_task_runs(database& db);

/// A task's overrides from the settings table.
struct task_settings {
  std::optional<bool> enabled;
  std::optional<int64_t> interval_s;
};

/// tasks.NAME.enabled and tasks.NAME.interval_seconds, by task name; values
/// of the wrong JSON type are ignored.
std::map<std::string, task_settings> task_settings_of(database& db);

} // namespace discotheque::storage
