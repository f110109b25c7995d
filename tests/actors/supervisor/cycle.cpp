#define CAF_SUITE actors.supervisor.cycle
#include "fixture.hpp"

#include "actors/supervisor/cycle.hpp"

using namespace discotheque;
using namespace discotheque::cycle;

namespace {

constexpr int64_t minute = 60 * 1000;
constexpr int64_t hour = 60 * minute;

planned_task task(std::string name, int64_t interval,
                  std::vector<std::string> deps = {}) {
  planned_task t;
  t.name = std::move(name);
  t.interval_ms = interval;
  t.depends_on = std::move(deps);
  return t;
}

task_result result(run_status status, skip_reason reason = skip_reason::none) {
  task_result r;
  r.status = status;
  r.reason = reason;
  if (status == run_status::failed)
    r.error = "boom";
  return r;
}

/// `t` ran at `at` with `r`.
void ran(planned_task& t, int64_t at, const task_result& r) {
  t.hist.record(r, at, 10);
}

std::string words(const decision& d) {
  switch (d.what) {
    case step::wait:
      return "wait";
    case step::start:
      return "start";
    default:
      return "skip:" + to_string(d.reason);
  }
}

} // namespace

CAF_TEST(a task is due when its interval has passed or it never ran) {
  auto t = task("scan", hour);
  CAF_CHECK(is_due(t, 0));
  CAF_CHECK_EQUAL(due_at(t), 0);
  ran(t, 10 * hour, result(run_status::succeeded));
  CAF_CHECK(!is_due(t, 10 * hour + 59 * minute));
  CAF_CHECK(is_due(t, 11 * hour));
  CAF_CHECK_EQUAL(due_at(t), 11 * hour);
}

CAF_TEST(history keeps the last run and the last success apart) {
  auto t = task("sync", 30 * minute);
  ran(t, 1000, result(run_status::succeeded));
  ran(t, 2000, result(run_status::failed));
  CAF_CHECK_EQUAL(t.hist.last_run_at, 2000);
  CAF_CHECK_EQUAL(t.hist.last_success_at, 1000);
  CAF_CHECK_EQUAL(t.hist.last_completed_at, 1000);
  CAF_CHECK_EQUAL(t.hist.last_error, "boom");
  CAF_CHECK_EQUAL(t.hist.consecutive_failures, 1);
  ran(t, 3000, result(run_status::failed));
  CAF_CHECK_EQUAL(t.hist.consecutive_failures, 2);
  ran(t, 4000, result(run_status::skipped, skip_reason::provider_unavailable));
  CAF_CHECK_EQUAL(t.hist.consecutive_failures, 0);
  CAF_CHECK_EQUAL(t.hist.last_completed_at, 4000);
  CAF_CHECK_EQUAL(t.hist.last_success_at, 1000);
}

CAF_TEST(provider_unavailable satisfies dependents and a failure does not ) {
  auto dep = task("sync", 30 * minute);
  CAF_CHECK(satisfies(dep, result(run_status::succeeded)));
  CAF_CHECK(satisfies(dep, result(run_status::skipped,
                                  skip_reason::provider_unavailable)));
  CAF_CHECK(!satisfies(dep, result(run_status::failed)));
  CAF_CHECK(
    !satisfies(dep, result(run_status::skipped, skip_reason::disabled)));
}

CAF_TEST(a pending task waits starts or is skipped with a reason) {
  auto t = task("identify", 2 * hour, {"scan"});
  dependency open{false, false}, ok{true, true}, bad{true, false};
  CAF_CHECK_EQUAL(words(decide(t, true, true, {open})), "wait");
  CAF_CHECK_EQUAL(words(decide(t, true, true, {ok})), "start");
  CAF_CHECK_EQUAL(words(decide(t, true, false, {ok})), "skip:not_due");
  CAF_CHECK_EQUAL(words(decide(t, true, true, {ok, bad})),
                  "skip:dependencies_not_met");
  t.enabled = false;
  CAF_CHECK_EQUAL(words(decide(t, true, true, {ok})), "skip:disabled");
  // `discotheque run` ignores enabled and due.
  CAF_CHECK_EQUAL(words(decide(t, false, false, {ok})), "start");
  CAF_CHECK_EQUAL(words(decide(t, false, false, {bad})),
                  "skip:dependencies_not_met");
  t.implemented = false;
  CAF_CHECK_EQUAL(words(decide(t, false, false, {ok})), "skip:not_implemented");
}

CAF_TEST(a scheduled cycle wants the enabled due tasks) {
  std::vector<planned_task> tasks{
    task("scan", hour), task("health", 5 * minute), task("off", hour)};
  tasks[2].enabled = false;
  ran(tasks[0], hour, result(run_status::succeeded));
  ran(tasks[1], hour, result(run_status::succeeded));
  auto w = wanted(tasks, hour + 5 * minute);
  CAF_CHECK(!w[0]);
  CAF_CHECK(w[1]);
  CAF_CHECK(!w[2]);
}

CAF_TEST(the stored runs rebuild the history of each task) {
  auto row = [](int64_t id, std::string task, run_status status) {
    storage::task_run_row r;
    r.id = id;
    r.task = std::move(task);
    r.started_at = id * hour;
    r.status = status;
    if (status == run_status::failed)
      r.error = "run " + std::to_string(id) + " failed";
    return r;
  };
  auto h = histories({row(1, "scan", run_status::succeeded),
                      row(2, "scan", run_status::failed),
                      row(3, "sync", run_status::succeeded),
                      row(4, "scan", run_status::failed)});
  CAF_CHECK_EQUAL(h["scan"].last_run_at, 4 * hour);
  CAF_CHECK_EQUAL(h["scan"].last_success_at, hour);
  CAF_CHECK_EQUAL(h["scan"].consecutive_failures, 2);
  CAF_CHECK_EQUAL(h["scan"].last_error, "run 4 failed");
  CAF_CHECK_EQUAL(h["sync"].consecutive_failures, 0);
}

CAF_TEST(settings override the definition) {
  task_def def{"scan", "discover",
               {},     std::chrono::hours(1),
               true,   std::chrono::hours(6),
               {}};
  storage::task_settings s;
  s.enabled = false;
  s.interval_s = 120;
  auto p = plan_of(def, nullptr, &s);
  CAF_CHECK_EQUAL(p.enabled, false);
  CAF_CHECK_EQUAL(p.implemented, false);
  CAF_CHECK_EQUAL(p.interval_ms, 120 * 1000);
  CAF_CHECK_EQUAL(plan_of(def, nullptr, nullptr).interval_ms, hour);
}

CAF_TEST(a settled result always has a name times and object stats) {
  task_result r;
  r.status = run_status::failed;
  r.stats_json = "not json";
  settle(r, "scan", 1000, 5000);
  CAF_CHECK_EQUAL(r.task, "scan");
  CAF_CHECK_EQUAL(r.started_at, 1000);
  CAF_CHECK_EQUAL(r.finished_at, 5000);
  CAF_CHECK_EQUAL(r.error, "failed without an error message");
  CAF_CHECK_EQUAL(r.stats_json, R"({"raw":"not json"})");
}

CAF_TEST(a report sorts the results into completed skipped and failed) {
  std::map<std::string, task_result> results;
  results["a"] = result(run_status::succeeded);
  results["a"].started_at = 1000;
  results["a"].finished_at = 1500;
  results["b"] = task_result::skipped("b", skip_reason::not_due);
  results["c"] = result(run_status::failed);
  auto rep = report_of(7, "schedule", 1000, 2000, results);
  CAF_REQUIRE_EQUAL(rep.completed.size(), 1u);
  CAF_CHECK_EQUAL(rep.completed[0].duration_ms, 500);
  CAF_REQUIRE_EQUAL(rep.skipped.size(), 1u);
  CAF_CHECK_EQUAL(to_string(rep.skipped[0].reason), "not_due");
  CAF_REQUIRE_EQUAL(rep.failed.size(), 1u);
  CAF_CHECK_EQUAL(rep.failed[0].error, "boom");
  CAF_CHECK(!rep.succeeded());
}

// -- the dependency rule of SPEC §2 ----------------------------------------

CAF_TEST(a failed task is retried after 5 min then 15 min then every hour) {
  auto t = task("identify", 2 * hour);
  auto at = 10 * hour;
  ran(t, at, result(run_status::failed));
  CAF_CHECK(!is_due(t, at + 4 * minute));
  CAF_CHECK(is_due(t, at + 5 * minute));
  at += 5 * minute;
  ran(t, at, result(run_status::failed));
  CAF_CHECK(!is_due(t, at + 14 * minute));
  CAF_CHECK_EQUAL(due_at(t), at + 15 * minute);
  at += 15 * minute;
  ran(t, at, result(run_status::failed));
  CAF_CHECK_EQUAL(due_at(t), at + hour);
  at += hour;
  ran(t, at, result(run_status::failed));
  CAF_CHECK_EQUAL(due_at(t), at + hour);
  // A success ends the backoff: the interval counts again.
  at += hour;
  ran(t, at, result(run_status::succeeded));
  CAF_CHECK_EQUAL(due_at(t), at + 2 * hour);
}

CAF_TEST(the backoff is at most the interval) {
  auto t = task("health", 5 * minute);
  ran(t, hour, result(run_status::failed));
  ran(t, hour + 5 * minute, result(run_status::failed));
  CAF_CHECK_EQUAL(retry_delay_ms(t), 5 * minute);
  auto sync = task("sync", 30 * minute);
  for (int i = 0; i < 3; ++i)
    ran(sync, hour + i * minute, result(run_status::failed));
  CAF_CHECK_EQUAL(retry_delay_ms(sync), 30 * minute);
}

CAF_TEST(a task that is not built is never due and pulls nothing in) {
  std::vector<planned_task> tasks{task("scan", hour),
                                  task("identify", 2 * hour, {"scan"})};
  tasks[1].implemented = false;
  ran(tasks[0], hour, result(run_status::succeeded));
  CAF_CHECK(!is_due(tasks[1], 100 * hour));
  CAF_CHECK_EQUAL(due_at(tasks[1]), -1);
  auto w = wanted(tasks, hour + minute);
  CAF_CHECK(!w[0]);
  CAF_CHECK(!w[1]);
  CAF_CHECK_EQUAL(words(decide(tasks[1], true, false, {{true, true}})),
                  "skip:not_implemented");
}

CAF_TEST(a due task does not re run a fresh dependency) {
  std::vector<planned_task> tasks{task("scan", hour),
                                  task("enrich", 3 * hour, {"scan"})};
  ran(tasks[0], hour, result(run_status::succeeded));
  auto w = wanted(tasks, hour + minute);
  CAF_CHECK(!w[0]);
  CAF_CHECK(w[1]); // never ran
  auto not_due = task_result::skipped("scan", skip_reason::not_due);
  CAF_CHECK(satisfies(tasks[0], not_due));
  CAF_CHECK_EQUAL(
    words(decide(tasks[1], true, true, {{true, satisfies(tasks[0], not_due)}})),
    "start");
}

CAF_TEST(a dependency in its backoff makes the dependent skip) {
  auto dep = task("scan", hour);
  ran(dep, hour, result(run_status::succeeded));
  ran(dep, 2 * hour, result(run_status::failed));
  auto not_due = task_result::skipped("scan", skip_reason::not_due);
  CAF_CHECK(!is_due(dep, 2 * hour + minute));
  CAF_CHECK(!satisfies(dep, not_due));
  auto t = task("enrich", 3 * hour, {"scan"});
  CAF_CHECK_EQUAL(
    words(decide(t, true, true, {{true, satisfies(dep, not_due)}})),
    "skip:dependencies_not_met");
  // provider_unavailable is fresh too.
  auto sync = task("sync", 30 * minute);
  ran(sync, hour,
      result(run_status::skipped, skip_reason::provider_unavailable));
  CAF_CHECK(satisfies(sync, not_due));
  // A dependency that never ran is due, so it is never skipped as not_due;
  // one that is disabled does not satisfy.
  CAF_CHECK(!satisfies(task("x", hour),
                       task_result::skipped("x", skip_reason::disabled)));
}
