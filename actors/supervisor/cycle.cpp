#include "actors/supervisor/cycle.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace discotheque {

void task_history::record(const task_result& r, int64_t started_at,
                          int64_t duration_ms) {
  last_run_at = started_at;
  last_status = r.status;
  last_reason = r.reason;
  last_stats = r.stats_json;
  last_duration_ms = duration_ms;
  if (r.satisfies_dependents())
    last_completed_at = started_at;
  if (r.status == run_status::succeeded)
    last_success_at = started_at;
  if (r.status == run_status::failed) {
    last_error = r.error;
    ++consecutive_failures;
  } else {
    consecutive_failures = 0;
  }
}

namespace cycle {

std::map<std::string, task_history>
histories(const std::vector<storage::task_run_row>& rows) {
  std::map<std::string, task_history> result;
  for (const auto& row : rows) {
    task_result r;
    r.status = row.status;
    r.reason = row.reason;
    r.error = row.error;
    r.stats_json = row.stats_json;
    result[row.task].record(r, row.started_at, row.duration_ms);
  }
  return result;
}

planned_task plan_of(const task_def& def, const task_history* hist,
                     const storage::task_settings* settings) {
  planned_task p;
  p.name = def.name;
  p.depends_on = def.depends_on;
  p.enabled = def.enabled_by_default;
  p.implemented = static_cast<bool>(def.spawn);
  p.interval_ms = def.interval.count() * 1000;
  if (hist)
    p.hist = *hist;
  if (settings && settings->enabled)
    p.enabled = *settings->enabled;
  if (settings && settings->interval_s)
    p.interval_ms = *settings->interval_s * 1000;
  return p;
}

void settle(task_result& r, const std::string& task, int64_t started_at,
            int64_t now) {
  r.task = task;
  if (r.started_at == 0)
    r.started_at = started_at;
  if (r.finished_at == 0)
    r.finished_at = now;
  if (r.status == run_status::failed && r.error.empty())
    r.error = "failed without an error message";
  auto j = nlohmann::json::parse(r.stats_json, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    j = nlohmann::json{{"raw", r.stats_json}};
  r.stats_json = j.dump();
}

cycle_report report_of(int64_t id, const std::string& trigger,
                       int64_t started_at, int64_t finished_at,
                       const std::map<std::string, task_result>& results) {
  cycle_report rep;
  rep.id = id;
  rep.trigger = trigger;
  rep.started_at = started_at;
  rep.finished_at = finished_at;
  for (const auto& [name, r] : results) {
    if (r.status == run_status::succeeded)
      rep.completed.push_back(
        {name, r.finished_at - r.started_at, r.stats_json});
    else if (r.status == run_status::skipped)
      rep.skipped.push_back({name, r.reason});
    else
      rep.failed.push_back({name, r.error});
  }
  return rep;
}

int64_t retry_delay_ms(const planned_task& t) {
  const auto& h = t.hist;
  if (h.last_run_at == 0 || h.last_status != run_status::failed
      || h.consecutive_failures <= 0)
    return t.interval_ms;
  // Retry soon after a first failure, then less and less often, but never
  // later than the interval would have run it anyway.
  constexpr int64_t minute = 60 * 1000;
  auto n = h.consecutive_failures;
  int64_t backoff = n == 1 ? 5 * minute : n == 2 ? 15 * minute : 60 * minute;
  return std::min(backoff, t.interval_ms);
}

int64_t due_at(const planned_task& t) {
  if (!t.implemented)
    return -1;
  if (t.hist.last_run_at == 0)
    return 0;
  return t.hist.last_run_at + retry_delay_ms(t);
}

bool is_due(const planned_task& t, int64_t now) {
  auto at = due_at(t);
  return at >= 0 && now >= at;
}

std::vector<bool> wanted(const std::vector<planned_task>& tasks, int64_t now) {
  // Only due tasks: a dependency that is not due is not re-run for its
  // dependents, its last result stands in for it (see satisfies).
  std::vector<bool> result(tasks.size(), false);
  for (size_t i = 0; i < tasks.size(); ++i)
    result[i] = tasks[i].enabled && is_due(tasks[i], now);
  return result;
}

bool satisfies(const planned_task& dep, const task_result& r) {
  if (r.satisfies_dependents())
    return true;
  // Not due: fresh when its last run counted as done (succeeded or
  // provider_unavailable); a failed one still in its backoff is not.
  const auto& h = dep.hist;
  return r.status == run_status::skipped && r.reason == skip_reason::not_due
         && h.last_run_at != 0 && h.last_completed_at == h.last_run_at;
}

decision decide(const planned_task& t, bool scheduled, bool wanted,
                const std::vector<dependency>& deps) {
  bool deps_ok = true;
  for (const auto& d : deps) {
    if (!d.settled)
      return {step::wait, skip_reason::none};
    deps_ok = deps_ok && d.satisfied;
  }
  if (scheduled && !t.enabled)
    return {step::skip, skip_reason::disabled};
  // Never due, but said as what it is rather than "not_due".
  if (scheduled && !t.implemented)
    return {step::skip, skip_reason::not_implemented};
  if (scheduled && !wanted)
    return {step::skip, skip_reason::not_due};
  if (!deps_ok)
    return {step::skip, skip_reason::dependencies_not_met};
  if (!t.implemented)
    return {step::skip, skip_reason::not_implemented};
  return {step::start, skip_reason::none};
}

} // namespace cycle

} // namespace discotheque
