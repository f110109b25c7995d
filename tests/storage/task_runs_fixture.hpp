// Shared by the task_runs and settings storage suites: a migrated database
// (migrated_db) and a way to record a finished run in it.
#pragma once

#include "storage/migrated_db.hpp"
#include "storage/writes/task_runs.hpp"

#include <string>

namespace discotheque::test {

struct task_runs_fixture : migrated_db {
  /// Records run `id` of `task`, started at `at` and finished 10 ms later.
  void run(int64_t id, const std::string& task, int64_t at, run_status status,
           skip_reason reason = skip_reason::none, std::string error = {}) {
    apply(storage::start_task_run(id, task, at, "schedule"));
    task_result r;
    r.status = status;
    r.reason = reason;
    r.error = std::move(error);
    r.stats_json = R"({"items":3})";
    r.finished_at = at + 10;
    apply(storage::finish_task_run(id, r, 10));
  }
};

} // namespace discotheque::test
