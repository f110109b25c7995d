#define CAF_SUITE actors.tasks.health_check
#include "fixture.hpp"

#include "actors/store.hpp"
#include "actors/tasks/health_check.hpp"
#include "messages/error.hpp"
#include "storage/database.hpp"

#include <caf/event_based_actor.hpp>

#include <nlohmann/json.hpp>

using namespace discotheque;
using nlohmann::json;

namespace {

struct fixture : test::fixture_base {
  test::temp_dir dir;
  store_actor st;
  task_env env;

  fixture() {
    store_config cfg;
    cfg.db_path = dir / "library.db";
    cfg.retry_delay = std::chrono::milliseconds(5);
    st = sys.spawn(store, cfg);
    sched.run();
    std::filesystem::create_directories(dir / "music");
    env.cfg.data_dir = dir.path;
    env.cfg.music_dirs = {dir / "music"};
    env.db_path = cfg.db_path;
    env.store = st;
    env.detached = false;
  }

  ~fixture() {
    anon_send_exit(st, caf::exit_reason::user_shutdown);
    sched.run();
  }

  /// Runs the task once; the stats come back parsed.
  json run_check(task_result& out) {
    auto task = sys.spawn(health_check, env);
    auto result = std::make_shared<task_result>();
    auto error = std::make_shared<std::string>();
    sys.spawn([=](caf::event_based_actor* self) {
      self
        ->request(task, caf::infinite, atom::run_v,
                  task_request{"health_check", "manual", 7})
        .then([=](const task_result& r) { *result = r; },
              [=](const caf::error& err) { *error = render(err); });
    });
    sched.run();
    CHECK_MSG(error->empty(), *error);
    anon_send_exit(task, caf::exit_reason::user_shutdown);
    sched.run();
    out = *result;
    return json::parse(result->stats_json);
  }

  /// What free space the disks of this machine allow: the test's folders are
  /// all on the temp file system.
  std::string expected_disk_state() {
    auto free_bytes = std::filesystem::space(dir.path).available;
    auto min_free = static_cast<uintmax_t>(env.cfg.health_min_free_mb) << 20;
    return free_bytes < min_free ? "degraded" : "healthy";
  }

  void exec(const std::string& sql) {
    auto db = storage::database::open(dir / "library.db");
    db.exec(sql);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(health_check_tests, fixture)

CAF_TEST(a writable consistent database on roomy disks is healthy) {
  task_result r;
  auto stats = run_check(r);
  CAF_CHECK_EQUAL(r.task, "health_check");
  CAF_CHECK(r.status == run_status::succeeded);
  CHECK_MSG(stats["state"] == expected_disk_state(), stats.dump());
  if (expected_disk_state() == "healthy")
    CHECK_MSG(stats["problems"].empty(), stats.dump());
  CAF_CHECK_EQUAL(stats["database"]["writable"], true);
  CAF_CHECK_EQUAL(stats["database"]["consistent"], true);
  CAF_CHECK_EQUAL(stats["database"]["failed_writes"], 0);
  // the probe write is a transaction of its own
  CAF_CHECK_GREATER_OR_EQUAL(stats["database"]["transactions"].get<int64_t>(),
                             1);
  CAF_REQUIRE_EQUAL(stats["disks"].size(), 2u);
  CAF_CHECK_EQUAL(stats["disks"][0]["role"], "data");
  CAF_CHECK_EQUAL(stats["disks"][0]["path"], dir.path.string());
  CAF_CHECK_EQUAL(stats["disks"][1]["role"], "music");
  CAF_CHECK_EQUAL(stats["disks"][1]["path"], (dir / "music").string());
  for (const auto& d : stats["disks"]) {
    CAF_CHECK(d.contains("free_bytes"));
    CAF_CHECK(d.contains("total_bytes"));
    CAF_CHECK(!d.contains("error"));
  }
  CAF_CHECK(stats["providers"].is_array());
  CAF_CHECK(stats.contains("checked_at"));
  // the probe really wrote: health.last_check holds a JSON string
  auto db = storage::database::open(dir / "library.db",
                                    storage::database::mode::read_only);
  auto last = db.query_text(
    "SELECT value FROM settings WHERE key = 'health.last_check'");
  CAF_REQUIRE(last.has_value());
  CAF_CHECK(json::parse(*last).is_string());
}

CAF_TEST(an open circuit breaker degrades the state and names the provider) {
  exec("DELETE FROM provider_state");
  exec("INSERT INTO provider_state(provider, breaker_state) VALUES "
       "('spotify', 'open'), ('deezer', 'closed')");
  task_result r;
  auto stats = run_check(r);
  CAF_CHECK(r.status == run_status::succeeded);
  CHECK_MSG(stats["state"] == "degraded", stats.dump());
  CAF_REQUIRE_EQUAL(stats["providers"].size(), 2u);
  auto problems = stats["problems"].dump();
  CHECK_MSG(problems.find("provider spotify circuit breaker is open")
              != std::string::npos,
            problems);
  CAF_CHECK(problems.find("deezer") == std::string::npos);
  for (const auto& p : stats["providers"])
    CAF_CHECK_EQUAL(p["circuit_breaker"],
                    p["name"] == "spotify" ? "open" : "closed");
}

CAF_TEST(a missing music folder degrades and a missing data folder errs) {
  env.cfg.music_dirs = {dir / "gone"};
  task_result r;
  auto stats = run_check(r);
  CHECK_MSG(stats["state"] == "degraded", stats.dump());
  CAF_REQUIRE_EQUAL(stats["disks"].size(), 2u);
  CAF_CHECK(stats["disks"][1].contains("error"));
  CAF_CHECK(stats["problems"].dump().find("music folder") != std::string::npos);
  env.cfg.data_dir = dir / "no-data";
  stats = run_check(r);
  CHECK_MSG(stats["state"] == "error", stats.dump());
  CAF_CHECK(stats["disks"][0].contains("error"));
}

CAF_TEST(a failed probe write is counted as a failed write) {
  // The probe writes the settings table; without it the write fails.
  exec("DROP TABLE settings");
  task_result r;
  auto stats = run_check(r);
  CHECK_MSG(stats["state"] == "error", stats.dump());
  CAF_CHECK_EQUAL(stats["database"]["writable"], false);
  CHECK_MSG(stats["database"]["failed_writes"] == 1, stats.dump());
  CHECK_MSG(stats["problems"].dump().find("database is not writable")
              != std::string::npos,
            stats.dump());
}

CAF_TEST(free space below the configured threshold degrades and says so) {
  // 1 PiB: more than any disk of this machine has free.
  env.cfg.health_min_free_mb = int64_t{1} << 30;
  task_result r;
  auto stats = run_check(r);
  auto free_bytes = std::filesystem::space(dir.path).available;
  CHECK_MSG(stats["state"]
              == (free_bytes < disk_error_bytes ? "error" : "degraded"),
            stats.dump());
  auto problems = stats["problems"].dump();
  CHECK_MSG(problems.find("data folder " + dir.path.string() + " has only")
              != std::string::npos,
            problems);
  CHECK_MSG(problems.find("health.min_free_mb is 1073741824")
              != std::string::npos,
            problems);
  CHECK_MSG(problems.find("music folder") != std::string::npos, problems);
  // 1 MiB: met by any disk this test runs on.
  env.cfg.health_min_free_mb = 1;
  stats = run_check(r);
  CHECK_MSG(stats["state"] == "healthy", stats.dump());
  CHECK_MSG(stats["problems"].empty(), stats.dump());
}

CAF_TEST_FIXTURE_SCOPE_END()
