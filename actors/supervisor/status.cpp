// The supervisor's typed views of its tasks (messages/tasks.hpp): what the
// status endpoints, `discotheque status` and the settings API show, and
// its inspect summary.
#include "actors/supervisor/internal.hpp"

#include "actors/inspect.hpp"

#include "messages/error.hpp"

#include <algorithm>

namespace discotheque::supervisor_impl {

task_status status_of(supervisor_self self, size_t i) {
  auto& st = self->state;
  const auto& p = st.plan[i];
  const auto& rt = st.tasks[i];
  task_status t;
  t.name = p.name;
  t.phase = rt.def->phase;
  t.depends_on = p.depends_on;
  t.implemented = p.implemented;
  t.enabled = p.enabled;
  t.interval_s = p.interval_ms / 1000;
  t.default_enabled = rt.def->enabled_by_default;
  t.default_interval_s = rt.def->interval.count();
  t.time_limit_s = rt.def->time_limit.count();
  t.running = rt.running;
  t.running_since = rt.running ? rt.running_since : 0;
  t.last_run = p.hist.last_run_at;
  t.last_success = p.hist.last_success_at;
  t.last_status = p.hist.last_status;
  t.last_skip_reason = p.hist.last_reason;
  t.last_error = p.hist.last_error;
  t.last_duration_ms = p.hist.last_duration_ms;
  if (auto due = cycle::due_at(p); p.enabled && p.implemented && due >= 0)
    t.next_run = std::max(due,
                          st.next_tick_at > 0 ? st.next_tick_at : now(self));
  t.restarts = rt.restarts;
  t.stats_json = p.hist.last_stats;
  return t;
}

supervisor_status full_status(supervisor_self self) {
  auto& st = self->state;
  supervisor_status s;
  for (size_t i = 0; i < st.tasks.size(); ++i)
    s.tasks.push_back(status_of(self, i));
  s.cycle_running = st.cycle_running;
  s.check_interval_s = st.cfg.check_interval.count();
  s.has_last_cycle = st.has_last_cycle;
  s.last_cycle = st.last_cycle;
  s.version = st.version;
  return s;
}

/// The running set and each task's handler, for (inspect).
actor_summary summary_of(supervisor_self self) {
  const auto& st = self->state;
  auto running = nlohmann::json::array();
  auto tasks = nlohmann::json::object();
  std::string names;
  for (const auto& rt : st.tasks) {
    if (rt.running) {
      running.push_back({{"task", rt.def->name},
                         {"run_id", rt.run_id},
                         {"since", rt.running_since},
                         {"trigger", rt.trigger}});
      names += (names.empty() ? "" : ", ") + rt.def->name;
    }
    tasks[rt.def->name] = {{"running", rt.running},
                           {"handler", static_cast<bool>(rt.handler)},
                           {"restarts", rt.restarts},
                           {"last_crash", rt.last_crash}};
  }
  nlohmann::json details{
    {"running", running},         {"cycle_running", st.cycle_running},
    {"run_sets", st.runs.size()}, {"next_tick_at", st.next_tick_at},
    {"version", st.version},      {"tasks", tasks}};
  auto line = std::to_string(running.size()) + " running"
              + (names.empty() ? "" : " (" + names + ")")
              + (st.cycle_running ? ", a cycle runs" : "");
  return inspection::summarize(self, "supervisor", line, details);
}

caf::error unknown_task(const std::string& name) {
  return make_error(ec::unknown_task, "no task named '" + name + "'");
}

} // namespace discotheque::supervisor_impl
