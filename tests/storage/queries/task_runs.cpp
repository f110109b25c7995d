#define CAF_SUITE storage.queries.task_runs
#include "fixture.hpp"

#include "storage/migrations.hpp"
#include "storage/queries/task_runs.hpp"
#include "storage/writes/settings.hpp"
#include "storage/writes/task_runs.hpp"

using namespace discotheque;
using namespace discotheque::storage;

namespace {

struct fixture {
  test::temp_dir dir;
  database db = database::open(dir / "library.db");

  fixture() {
    migrate(db);
  }

  void apply(const write_request& req) {
    for (const auto& stmt : req.statements)
      db.run(stmt);
  }

  void run(int64_t id, const std::string& task, int64_t at, run_status status,
           skip_reason reason = skip_reason::none, std::string error = {}) {
    apply(start_task_run(id, task, at, "schedule"));
    task_result r;
    r.status = status;
    r.reason = reason;
    r.error = std::move(error);
    r.stats_json = R"({"items":3})";
    r.finished_at = at + 10;
    apply(finish_task_run(id, r, 10));
  }
};

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

CAF_TEST(task settings round trip) {
  task_settings_patch patch;
  patch.set_enabled = true;
  patch.enabled = false;
  apply(set_task_settings("health_check", patch));
  patch.set_enabled = false;
  patch.set_interval = true;
  patch.interval_s = 60;
  apply(set_task_settings("health_check", patch));
  CAF_CHECK_EQUAL(
    set_task_settings("scan", task_settings_patch{}).statements.size(), 0u);
  apply(write_request{{upsert_setting("tasks.scan.enabled", R"("yes")")}});
  auto s = task_settings_of(db);
  CAF_REQUIRE_EQUAL(s.count("health_check"), 1u);
  CAF_CHECK_EQUAL(s["health_check"].enabled.value_or(true), false);
  CAF_CHECK_EQUAL(s["health_check"].interval_s.value_or(0), 60);
  // A value of the wrong type is ignored.
  CAF_CHECK(!s["scan"].enabled.has_value());
  CAF_CHECK_EQUAL(db.query_text("SELECT value FROM settings WHERE key = "
                                "'tasks.health_check.interval_seconds'")
                    .value_or(""),
                  "60");
}

CAF_TEST_FIXTURE_SCOPE_END()
