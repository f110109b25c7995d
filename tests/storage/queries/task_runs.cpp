#define CAF_SUITE storage.queries.task_runs
#include "storage/task_runs_fixture.hpp"

#include "storage/queries/task_runs.hpp"
#include "storage/writes/task_runs.hpp"

using namespace discotheque;
using namespace discotheque::storage;

namespace {

using fixture = test::task_runs_fixture;

} // namespace

CAF_TEST_FIXTURE_SCOPE(task_runs_tests, fixture)

CAF_TEST(finished runs come back in order with their words) {
  run(1, "scan", 1000, run_status::succeeded);
  run(2, "sync", 2000, run_status::skipped, skip_reason::provider_unavailable);
  run(3, "scan", 3000, run_status::failed, skip_reason::none, "disk gone");
  apply(start_task_run(4, "scan", 4000, "manual"));
  CAF_CHECK_EQUAL(max_task_run_id(db), 4);
  auto rows = finished_task_runs(db);
  CAF_REQUIRE_EQUAL(rows.size(), 3u);
  CAF_CHECK_EQUAL(rows[0].task, "scan");
  CAF_CHECK_EQUAL(to_string(rows[0].status), "succeeded");
  CAF_CHECK_EQUAL(rows[0].stats_json, R"({"items":3})");
  CAF_CHECK_EQUAL(rows[0].duration_ms, 10);
  CAF_CHECK_EQUAL(to_string(rows[1].reason), "provider_unavailable");
  CAF_CHECK_EQUAL(to_string(rows[2].status), "failed");
  CAF_CHECK_EQUAL(rows[2].error, "disk gone");
  // The words in the table are the API's.
  CAF_CHECK_EQUAL(
    db.query_text("SELECT reason FROM task_runs WHERE id = 2").value_or(""),
    "provider_unavailable");
  CAF_CHECK_EQUAL(
    db.query_int("SELECT success FROM task_runs WHERE id = 1").value_or(-1), 1);
}

CAF_TEST_FIXTURE_SCOPE_END()
