#define CAF_SUITE storage.writes.settings
#include "storage/task_runs_fixture.hpp"

#include "storage/queries/task_runs.hpp"
#include "storage/writes/settings.hpp"
#include "storage/writes/task_runs.hpp"

using namespace discotheque;
using namespace discotheque::storage;

namespace {

using fixture = test::task_runs_fixture;

} // namespace

CAF_TEST_FIXTURE_SCOPE(settings_write_tests, fixture)

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
