#define CAF_SUITE storage.writes.task_runs
#include "storage/task_runs_fixture.hpp"

#include "storage/queries/task_runs.hpp"
#include "storage/writes/task_runs.hpp"

using namespace discotheque;
using namespace discotheque::storage;

namespace {

using fixture = test::task_runs_fixture;

} // namespace

CAF_TEST_FIXTURE_SCOPE(task_run_write_tests, fixture)

CAF_TEST(runs left running by a crash are closed as failed) {
  apply(start_task_run(1, "scan", 1000, "startup-ish"));
  CAF_CHECK_EQUAL(
    db.query_text("SELECT trigger FROM task_runs WHERE id = 1").value_or(""),
    "schedule");
  CAF_CHECK_EQUAL(finished_task_runs(db).size(), 0u);
  apply(fail_interrupted_task_runs());
  auto rows = finished_task_runs(db);
  CAF_REQUIRE_EQUAL(rows.size(), 1u);
  CAF_CHECK_EQUAL(to_string(rows[0].status), "failed");
  CAF_CHECK_EQUAL(rows[0].error,
                  "interrupted: the service stopped during the run");
}

CAF_TEST_FIXTURE_SCOPE_END()
