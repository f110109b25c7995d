#define CAF_SUITE actors.supervisor.settings
#include "actors/supervisor/supervisor_fixture.hpp"

#include "storage/database.hpp"
#include "storage/writes/settings.hpp"

using namespace discotheque;

namespace {

struct fixture : test::supervisor_fixture {
  fixture() {
    start();
  }

  std::optional<std::string> stored(const std::string& key) {
    auto db = storage::database::open(dir / "library.db",
                                      storage::database::mode::read_only);
    return db.query_text("SELECT value FROM settings WHERE key = '" + key
                         + "'");
  }

  static settings_change change_of(std::string task, bool enabled,
                                   int64_t interval_s) {
    settings_change c;
    task_settings_patch p;
    p.set_enabled = true;
    p.enabled = enabled;
    p.set_interval = true;
    p.interval_s = interval_s;
    c.tasks.push_back(task_settings_entry{std::move(task), p});
    return c;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(supervisor_settings_tests, fixture)

CAF_TEST(a change commits its task settings and statements and then applies) {
  auto c = change_of("b", true, 90);
  c.other.statements.push_back(
    storage::upsert_setting("library.auto_queue_downloads", "true"));
  auto r = ask<supervisor_status>(atom::put_atom_v, c);
  CAF_REQUIRE(std::holds_alternative<supervisor_status>(r));
  auto b = task("b");
  CAF_CHECK(b.enabled);
  CAF_CHECK_EQUAL(b.interval_s, 90);
  CAF_CHECK_EQUAL(stored("tasks.b.enabled").value_or(""), "true");
  CAF_CHECK_EQUAL(stored("tasks.b.interval_seconds").value_or(""), "90");
  CAF_CHECK_EQUAL(stored("library.auto_queue_downloads").value_or(""), "true");
}

CAF_TEST(an unknown task changes nothing at all) {
  auto c = change_of("a", false, 60);
  c.tasks.push_back(task_settings_entry{"nope", {}});
  c.other.statements.push_back(
    storage::upsert_setting("library.auto_queue_downloads", "true"));
  auto r = ask<supervisor_status>(atom::put_atom_v, c);
  CAF_REQUIRE(std::holds_alternative<std::string>(r));
  CAF_CHECK(std::get<std::string>(r).find("nope") != std::string::npos);
  CAF_CHECK(task("a").enabled);
  CAF_CHECK(!stored("tasks.a.enabled"));
  CAF_CHECK_EQUAL(stored("library.auto_queue_downloads").value_or(""), "false");
}

CAF_TEST(a statement that fails takes the task settings down with it) {
  auto c = change_of("a", false, 60);
  // Violates the playlists' CHECK? There is no playlist; a setting whose
  // value is not JSON violates the settings table's CHECK (json_valid).
  c.other.statements.push_back(
    storage::upsert_setting("library.auto_queue_downloads", "{not json"));
  auto r = ask<supervisor_status>(atom::put_atom_v, c);
  CAF_REQUIRE(std::holds_alternative<std::string>(r));
  // Neither stored nor applied.
  CAF_CHECK(task("a").enabled);
  CAF_CHECK_EQUAL(task("a").interval_s, 3600);
  CAF_CHECK(!stored("tasks.a.enabled"));
  CAF_CHECK(!stored("tasks.a.interval_seconds"));
}

CAF_TEST(the task endpoint patch is stored and applied too) {
  task_settings_patch p;
  p.set_interval = true;
  p.interval_s = 300;
  auto r = ask<task_status>(atom::put_atom_v, std::string{"a"}, p);
  CAF_REQUIRE(std::holds_alternative<task_status>(r));
  CAF_CHECK_EQUAL(std::get<task_status>(r).interval_s, 300);
  CAF_CHECK_EQUAL(stored("tasks.a.interval_seconds").value_or(""), "300");
  auto unknown = ask<task_status>(atom::put_atom_v, std::string{"zzz"}, p);
  CAF_CHECK(std::holds_alternative<std::string>(unknown));
}

CAF_TEST_FIXTURE_SCOPE_END()
