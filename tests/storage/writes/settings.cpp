#define CAF_SUITE storage.writes.settings
#include "storage/task_runs_fixture.hpp"

#include "storage/queries/providers.hpp"
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

CAF_TEST(a refresh token from the settings API replaces the stored tokens) {
  db.exec("INSERT INTO provider_tokens(provider, access_token, refresh_token,"
          " expires_at) VALUES ('spotify', 'old-access', 'old-refresh', 99)");
  apply(write_request{{replace_refresh_token("spotify", "new-refresh")}});
  auto r = read_provider(db, "spotify", 0);
  CAF_CHECK(r.has_tokens);
  CAF_CHECK_EQUAL(r.refresh_token, "new-refresh");
  CAF_CHECK_EQUAL(r.access_token, "");
  CAF_CHECK_EQUAL(r.expires_at, 0);
  // a provider without a row gets one
  apply(write_request{{replace_refresh_token("tidal", "t-refresh")}});
  auto t = read_provider(db, "tidal", 0);
  CAF_CHECK_EQUAL(t.refresh_token, "t-refresh");
  // empty: the stored tokens are gone
  apply(write_request{{replace_refresh_token("spotify", "")}});
  auto gone = read_provider(db, "spotify", 0);
  CAF_CHECK(!gone.has_tokens);
}

CAF_TEST(a provider record carries its settings rows) {
  apply(
    write_request{{upsert_setting("providers.deezer.access_token", R"("tok")"),
                   upsert_setting("providers.deezer.enabled", "true"),
                   upsert_setting("providers.deezerx.enabled", "true")}});
  auto r = read_provider(db, "deezer", 0);
  CAF_REQUIRE_EQUAL(r.settings.size(), 2u);
  CAF_CHECK_EQUAL(r.settings["access_token"], R"("tok")");
  CAF_CHECK_EQUAL(r.settings["enabled"], "true");
  apply(write_request{{delete_setting("providers.deezer.access_token")}});
  auto after = read_provider(db, "deezer", 0);
  CAF_CHECK_EQUAL(after.settings.count("access_token"), 0u);
}

CAF_TEST_FIXTURE_SCOPE_END()
