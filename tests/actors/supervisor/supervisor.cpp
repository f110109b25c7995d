#define CAF_SUITE actors.supervisor.supervisor
#include "actors/supervisor/supervisor_fixture.hpp"

#include "actors/tasks/task_env.hpp"
#include "http/api/tasks.hpp"
#include "messages/error.hpp"
#include "storage/database.hpp"

#include <caf/event_based_actor.hpp>

#include <nlohmann/json.hpp>

using namespace discotheque;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

/// How a test task behaves when asked to run.
struct behaviour {
  std::string outcome = "succeeded"; // succeeded, failed, unavailable, crash
  caf::timespan delay{0};
};

/// Shared bookkeeping of all test task actors.
struct probe {
  std::map<std::string, behaviour> plan;
  std::vector<std::string> started;
  /// When each run started (test clock, ms since its epoch).
  std::vector<std::pair<std::string, int64_t>> starts;
  int running = 0;
  int max_running = 0;
  std::map<std::string, int> spawned;
};

CAF_ADD_ATOM(discotheque_test, test_atoms, finish, "tfinish")

caf::behavior test_task(caf::event_based_actor* self, std::string name,
                        std::shared_ptr<probe> p) {
  return {
    [=](atom::run, const task_request& req) -> caf::result<task_result> {
      auto b = p->plan[name];
      p->started.push_back(name);
      p->starts.emplace_back(
        name, std::chrono::duration_cast<std::chrono::milliseconds>(
                self->clock().now().time_since_epoch())
                .count());
      if (b.outcome == "crash")
        throw std::runtime_error("boom in " + name);
      ++p->running;
      p->max_running = std::max(p->max_running, p->running);
      auto rp = self->make_response_promise<task_result>();
      auto done = [=]() mutable {
        --p->running;
        task_result r;
        r.task = req.task;
        if (b.outcome == "unavailable") {
          r.status = run_status::skipped;
          r.reason = skip_reason::provider_unavailable;
        } else {
          from_string(b.outcome, r.status);
          if (b.outcome == "failed")
            r.error = name + " could not reach MusicBrainz";
        }
        r.stats_json = R"({"items": 3})";
        rp.deliver(r);
      };
      if (b.delay.count() == 0) {
        done();
      } else {
        // Finish later, on a message to ourselves, like a real long task.
        self->delayed_send(self, b.delay, test_atoms::finish_v);
        self->become(
          caf::keep_behavior,
          [=](test_atoms::finish) mutable {
            done();
            self->unbecome();
          },
          [](atom::progress) { return std::string{R"({"files_seen": 7})"}; });
      }
      return rp;
    },
    [](atom::progress) { return std::string{R"({"files_seen": 7})"}; },
  };
}

/// A store whose every write fails, as on an immutable or broken database.
store_actor::behavior_type failing_store(store_actor::pointer, int) {
  return {
    [](atom::write, write_request&) -> caf::result<write_ack> {
      return make_error(ec::database_error, "attempt to write a readonly "
                                            "database");
    },
    [](atom::stats) { return store_stats{}; },
    [](atom::flush_atom) {},
    [](atom::inspect_atom) { return actor_summary{}; },
  };
}

struct fixture : test::supervisor_fixture {
  std::shared_ptr<probe> p = std::make_shared<probe>();

  /// The SPEC §2 tasks, every one backed by a test task actor.
  std::vector<task_def> spec_tasks() {
    task_env env;
    env.detached = false;
    auto defs = default_tasks(env);
    for (auto& d : defs) {
      auto name = d.name;
      auto pp = p;
      d.spawn = [name, pp](caf::actor_system& s) {
        ++pp->spawned[name];
        return caf::actor_cast<task_actor>(s.spawn(test_task, name, pp));
      };
    }
    return defs;
  }

  void start(std::vector<task_def> defs, supervisor_config extra = {},
             bool timer = false) {
    auto reg = task_registry::make(std::move(defs));
    CAF_REQUIRE(reg);
    extra.registry = std::move(*reg);
    extra.store = st;
    extra.start_timer = timer;
    sup = sys.spawn(supervisor, std::move(extra));
    sched.run();
  }

  // The supervisor's typed answers as the API renders them.
  static std::string text_of(const cycle_report& x) {
    return http::cycle_json(x).dump();
  }
  static std::string text_of(const task_status& x) {
    return http::task_json(x).dump();
  }
  static std::string text_of(const run_started& x) {
    return http::run_started_json(x).dump();
  }
  static std::string text_of(const supervisor_status& x) {
    return http::supervisor_json(x).dump();
  }

  /// Starts a request answered with an `R` and lets the caller advance time
  /// before reading it (as rendered JSON, or "error: ...").
  template <class R, class... Ts>
  std::shared_ptr<std::string> ask_later(Ts... xs) {
    auto out = std::make_shared<std::string>("<no answer>");
    sys.spawn([=, s = sup](caf::event_based_actor* self) {
      self->request(s, caf::infinite, xs...)
        .then([=](const R& x) { *out = text_of(x); },
              [=](const caf::error& err) { *out = "error: " + render(err); });
    });
    sched.run();
    return out;
  }

  /// Sends a request to the supervisor and returns the answer (or error).
  template <class R, class... Ts>
  std::string ask(Ts... xs) {
    return *ask_later<R>(xs...);
  }

  /// PUT of a settings body, parsed at the edge as the API does.
  std::string put(const std::string& name, const std::string& body) {
    auto patch = http::parse_settings(body);
    if (!patch)
      return "error: " + render(patch.error());
    return ask<task_status>(atom::put_atom_v, name, *patch);
  }

  static std::map<std::string, std::string> outcomes(const json& report) {
    std::map<std::string, std::string> result;
    for (const auto& c : report["completed"])
      result[c["task"]] = "completed";
    for (const auto& s : report["skipped"])
      result[s["task"]] = "skipped:" + s["reason"].get<std::string>();
    for (const auto& f : report["failed"])
      result[f["task"]] = "failed";
    return result;
  }

  json task(const std::string& name) {
    return json::parse(ask<task_status>(atom::status_v, name));
  }

  /// One field of a task's status, by value (CAF_CHECK_* keep references,
  /// so they must not see a member of a temporary json).
  json field(const std::string& name, const std::string& key) {
    return task(name)[key];
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(supervisor_tests, fixture)

CAF_TEST(a failed identify skips enrich and expand but not unrelated tasks) {
  p->plan["identify_tracks"].outcome = "failed";
  start(spec_tasks());
  auto report
    = json::parse(ask<cycle_report>(atom::cycle_v, std::string{"schedule"}));
  auto o = outcomes(report);
  CAF_CHECK_EQUAL(o["scan_local_library"], "completed");
  CAF_CHECK_EQUAL(o["sync_spotify_likes"], "completed");
  CAF_CHECK_EQUAL(o["sync_playlists"], "completed");
  CAF_CHECK_EQUAL(o["identify_artists"], "completed");
  CAF_CHECK_EQUAL(o["identify_albums"], "completed");
  CAF_CHECK_EQUAL(o["identify_tracks"], "failed");
  CAF_CHECK_EQUAL(o["enrich_metadata"], "skipped:dependencies_not_met");
  CAF_CHECK_EQUAL(o["expand_discography"], "skipped:dependencies_not_met");
  CAF_CHECK_EQUAL(o["cleanup_library"], "skipped:dependencies_not_met");
  // enrich_images needs only identify_artists and identify_albums.
  CAF_CHECK_EQUAL(o["enrich_images"], "completed");
  CAF_CHECK_EQUAL(o["health_check"], "completed");
  CAF_CHECK_EQUAL(o["sync_new_releases"], "skipped:disabled");
  CAF_CHECK_EQUAL(report["succeeded"], false);
  CAF_CHECK_EQUAL(report["failed"][0]["error"],
                  "identify_tracks could not reach MusicBrainz");
  auto t = task("identify_tracks");
  CAF_CHECK_EQUAL(t["last_status"], "failed");
  CAF_CHECK_EQUAL(t["last_error"],
                  "identify_tracks could not reach MusicBrainz");
  // Right after the failure identify_tracks is in its backoff: not due, and
  // its dependents cannot run on its failed result.
  auto soon = outcomes(
    json::parse(ask<cycle_report>(atom::cycle_v, std::string{"schedule"})));
  CAF_CHECK_EQUAL(soon["identify_tracks"], "skipped:not_due");
  CAF_CHECK_EQUAL(soon["enrich_metadata"], "skipped:dependencies_not_met");
  // Five minutes later it is retried, and its dependents run, but not the
  // tasks that succeeded and are not due: their result is still fresh.
  p->plan["identify_tracks"].outcome = "succeeded";
  p->started.clear();
  sched.advance_time(5min);
  sched.run();
  auto again = outcomes(
    json::parse(ask<cycle_report>(atom::cycle_v, std::string{"schedule"})));
  CAF_CHECK_EQUAL(again["identify_tracks"], "completed");
  CAF_CHECK_EQUAL(again["enrich_metadata"], "completed");
  CAF_CHECK_EQUAL(again["expand_discography"], "completed");
  CAF_CHECK_EQUAL(again["cleanup_library"], "completed");
  CAF_CHECK_EQUAL(again["identify_albums"], "skipped:not_due");
  CAF_CHECK_EQUAL(again["scan_local_library"], "skipped:not_due");
  CAF_CHECK_EQUAL(
    std::count(p->started.begin(), p->started.end(), "identify_albums"), 0);
}

CAF_TEST(a task that is not due is skipped with not_due) {
  start(spec_tasks());
  ask<cycle_report>(atom::cycle_v, std::string{"schedule"});
  auto o = outcomes(
    json::parse(ask<cycle_report>(atom::cycle_v, std::string{"schedule"})));
  CAF_CHECK_EQUAL(o["health_check"], "skipped:not_due");
  CAF_CHECK_EQUAL(o["scan_local_library"], "skipped:not_due");
  CAF_CHECK_EQUAL(o["identify_artists"], "skipped:not_due");
  // Five minutes later the health check is due again; the rest is not.
  sched.advance_time(5min);
  sched.run();
  o = outcomes(
    json::parse(ask<cycle_report>(atom::cycle_v, std::string{"schedule"})));
  CAF_CHECK_EQUAL(o["health_check"], "completed");
  CAF_CHECK_EQUAL(o["scan_local_library"], "skipped:not_due");
  // After 30 minutes the syncs are due, and sync_playlists (not due) is
  // skipped as not_due rather than run.
  sched.advance_time(25min);
  sched.run();
  o = outcomes(
    json::parse(ask<cycle_report>(atom::cycle_v, std::string{"schedule"})));
  CAF_CHECK_EQUAL(o["sync_spotify_likes"], "completed");
  CAF_CHECK_EQUAL(o["sync_playlists"], "skipped:not_due");
}

CAF_TEST(independent tasks run concurrently) {
  for (auto n : {"scan_local_library", "sync_spotify_likes",
                 "sync_deezer_favorites", "sync_tidal_favorites"})
    p->plan[n].delay = 10s;
  start(spec_tasks());
  auto report = ask_later<cycle_report>(atom::cycle_v, std::string{"schedule"});
  CAF_CHECK_EQUAL(*report, "<no answer>");
  // All four phase-1 tasks (and the health check) started before any ended.
  CAF_CHECK_GREATER_OR_EQUAL(p->max_running, 4);
  CAF_CHECK_EQUAL(p->running, 4);
  sched.advance_time(10s);
  sched.run();
  auto o = outcomes(json::parse(*report));
  CAF_CHECK_EQUAL(o["scan_local_library"], "completed");
  CAF_CHECK_EQUAL(o["cleanup_library"], "completed");
  // Ten seconds of simulated time for four ten-second tasks: concurrent.
  auto duration = json::parse(*report)["duration_ms"].get<int64_t>();
  CAF_CHECK_EQUAL(duration, 10000);
}

CAF_TEST(run now of a running task is refused) {
  p->plan["scan_local_library"].delay = 30s;
  start(spec_tasks());
  auto first = json::parse(
    ask<run_started>(atom::run_v, std::string{"scan_local_library"}));
  CAF_CHECK_EQUAL(first["started"], true);
  auto second = ask<run_started>(atom::run_v,
                                 std::string{"scan_local_library"});
  CHECK_MSG(second.find("already_running") != std::string::npos, second);
  CAF_CHECK_EQUAL(field("scan_local_library", "running"), true);
  // Live progress comes from the handler while it runs.
  CAF_CHECK_EQUAL(json(field("scan_local_library", "progress")["files_seen"]),
                  7);
  CAF_CHECK_EQUAL(p->started.size(), 1u);
  sched.advance_time(30s);
  sched.run();
  auto t = task("scan_local_library");
  CAF_CHECK_EQUAL(t["running"], false);
  CAF_CHECK_EQUAL(t["last_status"], "succeeded");
  CAF_CHECK_EQUAL(t["stats"]["items"], 3);
  // Unknown tasks are refused with a clear error.
  auto unknown = ask<run_started>(atom::run_v, std::string{"defragment"});
  CHECK_MSG(unknown.find("unknown_task") != std::string::npos, unknown);
}

CAF_TEST(a cycle waits for a task started by run now) {
  p->plan["scan_local_library"].delay = 20s;
  start(spec_tasks());
  ask<run_started>(atom::run_v, std::string{"scan_local_library"});
  auto report = ask_later<cycle_report>(atom::cycle_v, std::string{"schedule"});
  sched.advance_time(20s);
  sched.run();
  auto o = outcomes(json::parse(*report));
  CAF_CHECK_EQUAL(o["scan_local_library"], "completed");
  CAF_CHECK_EQUAL(o["identify_artists"], "completed");
  // Not started twice.
  CAF_CHECK_EQUAL(
    std::count(p->started.begin(), p->started.end(), "scan_local_library"), 1);
}

CAF_TEST(a crashing task actor is recorded and restarted) {
  p->plan["identify_artists"].outcome = "crash";
  start(spec_tasks());
  CAF_CHECK_EQUAL(p->spawned["identify_artists"], 1);
  auto report
    = json::parse(ask<cycle_report>(atom::cycle_v, std::string{"schedule"}));
  auto o = outcomes(report);
  CAF_CHECK_EQUAL(o["identify_artists"], "failed");
  CAF_CHECK_EQUAL(o["identify_albums"], "skipped:dependencies_not_met");
  CAF_CHECK_EQUAL(o["health_check"], "completed");
  std::string error;
  for (const auto& f : report["failed"])
    if (f["task"] == "identify_artists")
      error = f["error"];
  CHECK_MSG(error.find("crashed") != std::string::npos, error);
  CAF_CHECK_EQUAL(p->spawned["identify_artists"], 2);
  CAF_CHECK_EQUAL(field("identify_artists", "restarts"), 1);
  // The restarted actor works.
  p->plan["identify_artists"].outcome = "succeeded";
  ask<run_started>(atom::run_v, std::string{"identify_artists"});
  CAF_CHECK_EQUAL(field("identify_artists", "last_status"), "succeeded");
}

CAF_TEST(a task over its time limit fails and is restarted) {
  auto defs = spec_tasks();
  for (auto& d : defs)
    if (d.name == "health_check")
      d.time_limit = 60s;
  p->plan["health_check"].delay = 1h;
  start(std::move(defs));
  auto report = ask_later<cycle_report>(
    atom::run_v, std::vector<std::string>{"health_check"},
    std::string{"command"});
  sched.advance_time(61s);
  sched.run();
  auto r = json::parse(*report);
  CAF_REQUIRE_EQUAL(r["failed"].size(), 1u);
  CHECK_MSG(r["failed"][0]["error"].get<std::string>().find("time limit")
              != std::string::npos,
            r.dump());
  CAF_CHECK_EQUAL(field("health_check", "restarts"), 1);
  CAF_CHECK_EQUAL(p->spawned["health_check"], 2);
}

CAF_TEST(provider_unavailable satisfies dependents) {
  p->plan["sync_deezer_favorites"].outcome = "unavailable";
  p->plan["sync_tidal_favorites"].outcome = "unavailable";
  start(spec_tasks());
  auto o = outcomes(
    json::parse(ask<cycle_report>(atom::cycle_v, std::string{"schedule"})));
  CAF_CHECK_EQUAL(o["sync_deezer_favorites"], "skipped:provider_unavailable");
  CAF_CHECK_EQUAL(o["sync_playlists"], "completed");
  CAF_CHECK_EQUAL(o["identify_artists"], "completed");
}

CAF_TEST(disabled tasks and changed intervals) {
  start(spec_tasks());
  auto t = json::parse(put("health_check", R"({"enabled": false})"));
  CAF_CHECK_EQUAL(t["enabled"], false);
  auto bad = put("health_check", R"({"interval_seconds": "often"})");
  CHECK_MSG(bad.find("error") == 0, bad);
  auto o = outcomes(
    json::parse(ask<cycle_report>(atom::cycle_v, std::string{"schedule"})));
  CAF_CHECK_EQUAL(o["health_check"], "skipped:disabled");
  put("health_check", R"({"enabled": true, "interval_seconds": 60})");
  sched.advance_time(60s);
  sched.run();
  o = outcomes(
    json::parse(ask<cycle_report>(atom::cycle_v, std::string{"schedule"})));
  CAF_CHECK_EQUAL(o["health_check"], "completed");
  // The settings were persisted for the next start.
  auto db = storage::database::open(dir / "library.db",
                                    storage::database::mode::read_only);
  CAF_CHECK_EQUAL(db.query_text("SELECT value FROM settings WHERE key = "
                                "'tasks.health_check.interval_seconds'")
                    .value_or(""),
                  "60");
}

CAF_TEST(a settings change is answered only after the store committed it) {
  anon_send_exit(st, caf::exit_reason::user_shutdown);
  st = caf::actor_cast<store_actor>(sys.spawn(failing_store, 0));
  start(spec_tasks());
  auto answer = put("health_check", R"({"enabled": false})");
  CHECK_MSG(answer.rfind("error: ", 0) == 0, answer);
  CAF_CHECK(answer.find("readonly") != std::string::npos);
  // nothing changed: the old value does not come back later either
  CAF_CHECK_EQUAL(field("health_check", "enabled"), true);
}

CAF_TEST(history survives a restart so a recent task is not rerun) {
  start(spec_tasks());
  ask<cycle_report>(atom::cycle_v, std::string{"schedule"});
  anon_send_exit(sup, caf::exit_reason::user_shutdown);
  sched.run();
  // A new supervisor loads the history from task_runs.
  supervisor_config cfg;
  auto db = storage::database::open(dir / "library.db",
                                    storage::database::mode::read_only);
  load_supervisor_state(db, cfg);
  CAF_CHECK_EQUAL(to_string(cfg.history["cleanup_library"].last_status),
                  "succeeded");
  CAF_CHECK_GREATER(cfg.next_run_id, 10);
  start(spec_tasks(), cfg);
  auto o = outcomes(
    json::parse(ask<cycle_report>(atom::cycle_v, std::string{"schedule"})));
  CAF_CHECK_EQUAL(o["cleanup_library"], "skipped:not_due");
  CAF_CHECK_EQUAL(o["health_check"], "skipped:not_due");
  auto last_success = field("cleanup_library", "last_success");
  CAF_CHECK(last_success.is_string());
}

CAF_TEST(one - shot runs follow the DAG among the named tasks) {
  p->plan["identify_artists"].outcome = "failed";
  start(spec_tasks());
  auto r = json::parse(
    ask<cycle_report>(atom::run_v,
                      std::vector<std::string>{
                        "identify_albums", "identify_artists", "health_check"},
                      std::string{"command"}));
  auto o = outcomes(r);
  CAF_CHECK_EQUAL(o["identify_artists"], "failed");
  CAF_CHECK_EQUAL(o["identify_albums"], "skipped:dependencies_not_met");
  CAF_CHECK_EQUAL(o["health_check"], "completed");
  CAF_CHECK_EQUAL(o.count("scan_local_library"), 0u);
}

CAF_TEST(over simulated hours each task runs as often as its interval says) {
  // As with the default configuration: only these tasks are built, so
  // identify_artists (which depends on the scan and the syncs) never runs.
  std::set<std::string> built{"scan_local_library",    "sync_spotify_likes",
                              "sync_deezer_favorites", "sync_tidal_favorites",
                              "sync_playlists",        "health_check"};
  auto defs = spec_tasks();
  for (auto& d : defs)
    if (built.count(d.name) == 0)
      d.spawn = {};
  p->plan["sync_playlists"].outcome = "failed";
  supervisor_config cfg;
  cfg.check_interval = 60s;
  start(std::move(defs), cfg, true); // the first cycle runs at once
  for (int minute = 1; minute <= 180; ++minute) {
    sched.advance_time(1min);
    sched.run();
  }
  // Start minutes of each task's runs over 3 h of 60 s cycles.
  std::map<std::string, std::vector<int64_t>> at;
  auto t0 = p->starts.at(0).second;
  for (const auto& [name, ms] : p->starts)
    at[name].push_back((ms - t0) / 60000);
  using minutes_list = std::vector<int64_t>;
  CAF_CHECK_EQUAL(at["scan_local_library"], (minutes_list{0, 60, 120, 180}));
  for (auto n :
       {"sync_spotify_likes", "sync_deezer_favorites", "sync_tidal_favorites"})
    CAF_CHECK_EQUAL(at[n], (minutes_list{0, 30, 60, 90, 120, 150, 180}));
  CAF_CHECK_EQUAL(at["health_check"].size(), 37u);
  // The failing task is retried after 5 min, 15 min, then every hour.
  CAF_CHECK_EQUAL(at["sync_playlists"], (minutes_list{0, 5, 20, 80, 140}));
  CAF_CHECK_EQUAL(at.count("identify_artists"), 0u);
  CAF_CHECK_EQUAL(field("sync_playlists", "last_status"), "failed");
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST(cycles and unknown dependencies are refused at start) {
  std::vector<task_def> cyclic{
    {"a", "x", {"c"}, 1h, true, 1h, {}},
    {"b", "x", {"a"}, 1h, true, 1h, {}},
    {"c", "x", {"b"}, 1h, true, 1h, {}},
    {"d", "x", {}, 1h, true, 1h, {}},
  };
  auto reg = task_registry::make(cyclic);
  CAF_REQUIRE(!reg);
  auto msg = render(reg.error());
  CHECK_MSG(msg.find("cycle among: a, b, c") != std::string::npos, msg);
  std::vector<task_def> unknown{{"a", "x", {"zzz"}, 1h, true, 1h, {}}};
  auto reg2 = task_registry::make(unknown);
  CAF_REQUIRE(!reg2);
  CAF_CHECK(render(reg2.error()).find("unknown task 'zzz'")
            != std::string::npos);
  // The real table is a valid DAG with dependencies first.
  task_env env;
  auto real = task_registry::make(default_tasks(env));
  CAF_REQUIRE(real);
  CAF_CHECK_LESS(real->index_of("identify_artists"),
                 real->index_of("enrich_metadata"));
  CAF_CHECK_LESS(real->index_of("sync_tidal_favorites"),
                 real->index_of("sync_playlists"));
}
