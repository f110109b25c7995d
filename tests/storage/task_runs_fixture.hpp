// Shared by the task_runs and settings storage suites: a migrated database in
// a temporary folder, and a way to record a finished run in it.
#pragma once

#include "fixture.hpp"

#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "storage/writes/task_runs.hpp"

#include <string>

namespace discotheque::test {

struct task_runs_fixture {
  temp_dir dir;
  storage::database db = storage::database::open(dir / "library.db");

  task_runs_fixture() {
    storage::migrate(db);
  }

  void apply(const write_request& req) {
    for (const auto& stmt : req.statements)
      db.run(stmt);
  }

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
