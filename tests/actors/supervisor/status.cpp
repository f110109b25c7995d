#define CAF_SUITE actors.supervisor.status
#include "actors/supervisor/supervisor_fixture.hpp"

using namespace discotheque;

namespace {

struct fixture : test::supervisor_fixture {
  fixture() {
    start();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(supervisor_status_tests, fixture)

CAF_TEST(a task shows its settings next to the registry defaults) {
  auto b = task("b");
  CAF_CHECK(!b.enabled);
  CAF_CHECK(!b.default_enabled);
  CAF_CHECK_EQUAL(b.interval_s, 7200);
  CAF_CHECK_EQUAL(b.default_interval_s, 7200);
  // disabled: no next run
  CAF_CHECK_EQUAL(b.next_run, 0);
  task_settings_patch p;
  p.set_enabled = true;
  p.enabled = true;
  p.set_interval = true;
  p.interval_s = 60;
  ask<task_status>(atom::put_atom_v, std::string{"b"}, p);
  b = task("b");
  CAF_CHECK(b.enabled);
  CAF_CHECK_EQUAL(b.interval_s, 60);
  CAF_CHECK_EQUAL(b.default_interval_s, 7200);
  CAF_CHECK(!b.default_enabled);
  CAF_CHECK(b.next_run > 0);
}

CAF_TEST(a task without a handler is shown as not built and never next) {
  auto c = task("c");
  CAF_CHECK(!c.implemented);
  CAF_CHECK_EQUAL(c.next_run, 0);
  auto a = task("a");
  CAF_CHECK(a.implemented);
  CAF_CHECK(a.next_run > 0);
}

CAF_TEST(the full status lists every task in DAG order) {
  auto r = ask<supervisor_status>(atom::status_v);
  CAF_REQUIRE(std::holds_alternative<supervisor_status>(r));
  auto s = std::get<supervisor_status>(r);
  CAF_REQUIRE_EQUAL(s.tasks.size(), 3u);
  CAF_CHECK_EQUAL(s.tasks[0].name, "a");
  CAF_CHECK_EQUAL(s.tasks[2].name, "c");
  CAF_CHECK(!s.cycle_running);
  CAF_CHECK(s.version > 0);
}

CAF_TEST_FIXTURE_SCOPE_END()
