// The supervisor's writes to task_runs: a run starts, a run ends, and at
// start the runs a crash left "running" are closed as failed.
#pragma once

#include "messages/tasks.hpp"
#include "messages/types.hpp"

#include <cstdint>
#include <string>

namespace discotheque::storage {

/// Inserts run `id` of `task` as running. A trigger other than schedule,
/// manual or command is stored as schedule (the column's CHECK).
write_request start_task_run(int64_t id, const std::string& task,
                             int64_t started_at, const std::string& trigger);

/// Records how run `id` ended.
write_request finish_task_run(int64_t id, const task_result& r,
                              int64_t duration_ms);

/// Marks every run still "running" as failed: the service stopped during it.
write_request fail_interrupted_task_runs();

} // namespace discotheque::storage
