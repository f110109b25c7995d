#include "actors/supervisor/supervisor.hpp"

#include "actors/supervisor/internal.hpp"

#include "actors/events.hpp"
#include "messages/error.hpp"
#include "storage/writes/task_runs.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/sec.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

namespace discotheque {

using self_ptr = supervisor_actor::stateful_pointer<supervisor_state>;
using task_runtime = supervisor_state::task_runtime;
using run_set = supervisor_state::run_set;

int supervisor_state::index_of(const std::string& n) const {
  return cfg.registry.index_of(n);
}

// -- loading ---------------------------------------------------------------

write_request load_supervisor_state(storage::database& db,
                                    supervisor_config& cfg) {
  cfg.next_run_id = storage::max_task_run_id(db) + 1;
  cfg.history = cycle::histories(storage::finished_task_runs(db));
  cfg.settings = storage::task_settings_of(db);
  return storage::fail_interrupted_task_runs();
}

namespace supervisor_impl {

int64_t now(self_ptr self) {
  auto& st = self->state;
  auto elapsed = self->clock().now() - st.steady_base;
  return st.epoch_base
         + std::chrono::duration_cast<std::chrono::milliseconds>(elapsed)
             .count();
}

void changed(self_ptr self) {
  ++self->state.version;
}

} // namespace supervisor_impl

namespace {

using namespace supervisor_impl;

void persist(self_ptr self, write_request req) {
  self
    ->request(self->state.cfg.store, caf::infinite, atom::write_v,
              std::move(req))
    .then([](const write_ack&) {},
          [self](const caf::error& err) {
            self->state.log->error("cannot record task run: {}", render(err));
          });
}

void spawn_handler(self_ptr self, task_runtime& rt) {
  rt.handler = rt.def->spawn(self->system());
  self->monitor(rt.handler);
}

void log_outcome(self_ptr self, const task_def& def, const task_result& r,
                 int64_t duration) {
  auto& log = self->state.log;
  auto phase = "[" + def.phase + "] ";
  if (r.status == run_status::succeeded)
    log->info("{}{} succeeded in {} ms: {}", phase, def.name, duration,
              r.stats_json);
  else if (r.status == run_status::skipped)
    log->info("{}{} skipped: {}", phase, def.name, to_string(r.reason));
  else
    log->error("{}{} failed after {} ms: {}", phase, def.name, duration,
               r.error);
}

/// Records the outcome of one run of task `i` and wakes whoever waits.
void complete(self_ptr self, size_t i, task_result r) {
  auto& st = self->state;
  auto& rt = st.tasks[i];
  if (!rt.running)
    return;
  changed(self);
  cycle::settle(r, rt.def->name, rt.running_since, now(self));
  auto duration = r.finished_at - rt.running_since;
  rt.running = false;
  st.plan[i].hist.record(r, rt.running_since, duration);
  persist(self, storage::finish_task_run(rt.run_id, r, duration));
  log_outcome(self, *rt.def, r, duration);
  // The live event stream (GET /api/system/events) and the task metrics.
  auto stats = nlohmann::json::parse(r.stats_json, nullptr, false);
  events::publish(
    "task_finished",
    {{"task", rt.def->name},
     {"run_id", rt.run_id},
     {"trigger", rt.trigger},
     {"status", to_string(r.status)},
     {"reason", to_string(r.reason)},
     {"error", r.error},
     {"duration_ms", duration},
     {"stats", stats.is_object() ? stats : nlohmann::json::object()}});
  auto waiters = std::move(rt.waiters);
  rt.waiters.clear();
  for (auto& w : waiters)
    w(r);
}

/// What a failed request to a task handler means for its run.
task_result failure_of(self_ptr self, size_t i, const caf::error& err) {
  auto& rt = self->state.tasks[i];
  task_result r;
  r.status = run_status::failed;
  if (err == caf::sec::request_timeout) {
    r.error = "exceeded its time limit of "
              + std::to_string(rt.def->time_limit.count()) + " s";
    if (rt.handler) {
      // Stop the runaway handler; the down handler starts a new one.
      rt.stopping = true;
      self->send_exit(rt.handler, caf::exit_reason::kill);
    }
  } else if (err.category() == caf::atom("system")) {
    // The handler died: CAF answers pending requests with its exit
    // reason (or request_receiver_down if it was gone already).
    r.error = "task actor crashed: " + render(err);
  } else {
    r.error = render(err);
  }
  return r;
}

/// Starts task `i` unless it runs already; `on_done` gets the result.
void launch(self_ptr self, size_t i, const std::string& trigger,
            std::function<void(const task_result&)> on_done) {
  auto& st = self->state;
  auto& rt = st.tasks[i];
  if (on_done)
    rt.waiters.push_back(std::move(on_done));
  if (rt.running)
    return;
  changed(self);
  rt.running = true;
  rt.running_since = now(self);
  rt.run_id = st.cfg.next_run_id++;
  rt.trigger = trigger;
  const auto& name = rt.def->name;
  persist(self,
          storage::start_task_run(rt.run_id, name, rt.running_since, trigger));
  st.log->info("[{}] starting {} ({})", rt.def->phase, name, trigger);
  events::publish("task_started", {{"task", name},
                                   {"run_id", rt.run_id},
                                   {"trigger", trigger},
                                   {"phase", rt.def->phase}});
  if (!rt.handler)
    spawn_handler(self, rt);
  self
    ->request(rt.handler, rt.def->time_limit, atom::run_v,
              task_request{name, trigger, rt.run_id})
    .then([self, i](task_result& r) { complete(self, i, std::move(r)); },
          [self, i](const caf::error& err) {
            complete(self, i, failure_of(self, i, err));
          });
}

void skip(const std::shared_ptr<run_set>& rs, const std::string& name,
          skip_reason reason) {
  rs->phase[name] = "done";
  rs->results[name] = task_result::skipped(name, reason);
}

void finish(self_ptr self, const std::shared_ptr<run_set>& rs) {
  auto& st = self->state;
  changed(self);
  auto report = cycle::report_of(rs->id, rs->trigger, rs->started_at, now(self),
                                 rs->results);
  st.log->info("cycle {} ({}) done: {} completed, {} skipped, {} failed",
               rs->id, rs->trigger, report.completed.size(),
               report.skipped.size(), report.failed.size());
  if (rs->scheduled)
    st.cycle_running = false;
  if (rs->scheduled || rs->phase.size() > 1 || rs->trigger == "command") {
    st.has_last_cycle = true;
    st.last_cycle = report;
  }
  for (const auto& s : report.skipped)
    if (auto i = st.index_of(s.task); i >= 0 && !st.tasks[i].running)
      st.plan[i].hist.last_reason = s.reason;
  if (rs->promise)
    rs->promise->deliver(std::move(report));
  st.runs.erase(rs->id);
}

/// The dependencies of task `i` as the set `rs` knows them.
std::vector<cycle::dependency> dependencies_of(self_ptr self, size_t i,
                                               run_set& rs) {
  auto& st = self->state;
  std::vector<cycle::dependency> deps;
  for (const auto& dep : st.plan[i].depends_on) {
    auto dp = rs.phase.find(dep);
    if (dp == rs.phase.end())
      continue; // not part of this set (command runs)
    if (dp->second != "done") {
      deps.push_back({false, false});
      continue;
    }
    auto j = static_cast<size_t>(st.index_of(dep));
    deps.push_back({true, cycle::satisfies(st.plan[j], rs.results[dep])});
  }
  return deps;
}

void advance(self_ptr self, const std::shared_ptr<run_set>& rs) {
  auto& st = self->state;
  bool busy = false;
  for (size_t i = 0; i < st.tasks.size(); ++i) {
    const auto& name = st.plan[i].name;
    auto ph = rs->phase.find(name);
    if (ph == rs->phase.end() || ph->second == "done")
      continue;
    if (ph->second == "running") {
      busy = true;
      continue;
    }
    auto d = cycle::decide(st.plan[i], rs->scheduled,
                           rs->wanted.count(name) > 0,
                           dependencies_of(self, i, *rs));
    if (d.what == cycle::step::wait) {
      busy = true;
    } else if (d.what == cycle::step::skip) {
      skip(rs, name, d.reason);
    } else {
      ph->second = "running";
      busy = true;
      launch(self, i, rs->trigger, [self, rs, name](const task_result& r) {
        rs->phase[name] = "done";
        rs->results[name] = r;
        advance(self, rs);
      });
    }
  }
  if (!busy && self->state.runs.count(rs->id) > 0)
    finish(self, rs);
}

/// A new set over `names` (all tasks for a scheduled cycle).
std::shared_ptr<run_set> make_set(self_ptr self, std::string trigger,
                                  bool scheduled,
                                  const std::vector<std::string>& names) {
  auto& st = self->state;
  auto rs = std::make_shared<run_set>();
  rs->id = st.next_set_id++;
  rs->trigger = std::move(trigger);
  rs->scheduled = scheduled;
  rs->started_at = now(self);
  std::set<std::string> selected(names.begin(), names.end());
  for (const auto& p : st.plan)
    if (scheduled || selected.count(p.name) > 0)
      rs->phase[p.name] = "pending";
  if (scheduled) {
    auto wanted = cycle::wanted(st.plan, rs->started_at);
    for (size_t i = 0; i < wanted.size(); ++i)
      if (wanted[i])
        rs->wanted.insert(st.plan[i].name);
  }
  st.runs[rs->id] = rs;
  return rs;
}

void start_cycle(self_ptr self, const std::string& trigger,
                 std::optional<caf::typed_response_promise<cycle_report>> rp) {
  auto& st = self->state;
  st.cycle_running = true;
  changed(self);
  auto rs = make_set(self, trigger, true, {});
  rs->promise = std::move(rp);
  st.log->info("cycle {} ({}) starting", rs->id, trigger);
  advance(self, rs);
}

// -- message handlers ------------------------------------------------------

caf::result<cycle_report> on_cycle(self_ptr self, const std::string& trigger) {
  if (self->state.cycle_running)
    return make_error(ec::already_running, "a cycle is running");
  auto rp = self->make_response_promise<cycle_report>();
  start_cycle(self, trigger, rp);
  return rp;
}

caf::result<atom::ok_atom> on_cycle_now(self_ptr self) {
  if (self->state.cycle_running)
    return make_error(ec::already_running, "a cycle is running");
  start_cycle(self, "manual", std::nullopt);
  return atom::ok_atom_v;
}

caf::result<cycle_report> on_run_set(self_ptr self,
                                     const std::vector<std::string>& names,
                                     const std::string& trigger) {
  for (const auto& n : names)
    if (self->state.index_of(n) < 0)
      return unknown_task(n);
  auto rp = self->make_response_promise<cycle_report>();
  auto rs = make_set(self, trigger, false, names);
  rs->promise = rp;
  advance(self, rs);
  return rp;
}

caf::result<run_started> on_run_now(self_ptr self, const std::string& name) {
  auto i = self->state.index_of(name);
  if (i < 0)
    return unknown_task(name);
  auto& rt = self->state.tasks[i];
  if (rt.running)
    return make_error(ec::already_running,
                      "task '" + name + "' is running already");
  if (!rt.def->spawn)
    return make_error(ec::not_implemented,
                      "task '" + name + "' is not implemented yet");
  launch(self, static_cast<size_t>(i), "manual", nullptr);
  return run_started{name, rt.run_id};
}

caf::result<task_status> on_task_status(self_ptr self,
                                        const std::string& name) {
  auto i = self->state.index_of(name);
  if (i < 0)
    return unknown_task(name);
  auto t = status_of(self, static_cast<size_t>(i));
  const auto& rt = self->state.tasks[i];
  if (!rt.running || !rt.handler)
    return t;
  // Live progress: ask the handler, but never wait long for it.
  t.has_progress = true;
  auto rp = self->make_response_promise<task_status>();
  self->request(rt.handler, std::chrono::seconds(2), atom::progress_v)
    .then(
      [rp, t](const std::string& progress) mutable {
        t.progress_json = progress;
        rp.deliver(std::move(t));
      },
      [rp, t](const caf::error&) mutable { rp.deliver(std::move(t)); });
  return rp;
}

void on_tick(self_ptr self) {
  auto& st = self->state;
  if (!st.cycle_running)
    start_cycle(self, "schedule", std::nullopt);
  st.next_tick_at = now(self) + st.cfg.check_interval.count() * 1000;
  changed(self);
  self->delayed_send(self, st.cfg.check_interval, atom::tick_atom_v);
}

void on_down(self_ptr self, const caf::down_msg& msg) {
  for (auto& rt : self->state.tasks) {
    if (!rt.handler || rt.handler.address() != msg.source)
      continue;
    ++rt.restarts;
    changed(self);
    if (rt.stopping) {
      rt.stopping = false;
      self->state.log->warn("[{}] {} stopped after its time limit; restarted",
                            rt.def->phase, rt.def->name);
    } else {
      rt.last_crash = render(msg.reason);
      self->state.log->error("[{}] {} actor crashed ({}); restarted",
                             rt.def->phase, rt.def->name, rt.last_crash);
    }
    spawn_handler(self, rt);
  }
}

void on_exit(self_ptr self, const caf::exit_msg& msg) {
  // An ordered shutdown (Ctrl-C during `run`, SIGTERM): the runs it cuts
  // short are recorded now, before the store (stopped after us) commits.
  for (auto& rt : self->state.tasks)
    if (rt.running) {
      task_result r;
      r.status = run_status::failed;
      r.error = "cancelled: the service stopped during the run";
      cycle::settle(r, rt.def->name, rt.running_since, now(self));
      rt.running = false;
      persist(self, storage::finish_task_run(rt.run_id, r,
                                             r.finished_at - rt.running_since));
      self->state.log->warn("[{}] {} cancelled", rt.def->phase, rt.def->name);
    }
  for (auto& rt : self->state.tasks)
    if (rt.handler) {
      self->demonitor(rt.handler.address());
      self->send_exit(rt.handler, msg.reason);
    }
  self->quit(msg.reason);
}

/// The planner's and the actor's view of every task, with the stored
/// history and settings applied.
void init_tasks(self_ptr self) {
  auto& st = self->state;
  for (const auto& def : st.cfg.registry.tasks()) {
    auto h = st.cfg.history.find(def.name);
    auto s = st.cfg.settings.find(def.name);
    st.plan.push_back(
      cycle::plan_of(def, h == st.cfg.history.end() ? nullptr : &h->second,
                     s == st.cfg.settings.end() ? nullptr : &s->second));
    task_runtime rt;
    rt.def = &def;
    st.tasks.push_back(std::move(rt));
  }
  // Handlers are started up front so that a broken factory shows at once.
  for (auto& rt : st.tasks)
    if (rt.def->spawn)
      spawn_handler(self, rt);
}

} // namespace

supervisor_actor::behavior_type
supervisor(supervisor_actor::stateful_pointer<supervisor_state> self,
           supervisor_config cfg) {
  auto& st = self->state;
  st.log = log::get("supervisor");
  st.cfg = std::move(cfg);
  st.steady_base = self->clock().now();
  st.epoch_base = now_ms();
  init_tasks(self);
  self->set_down_handler(
    [self](const caf::down_msg& msg) { on_down(self, msg); });
  self->set_exit_handler(
    [self](const caf::exit_msg& msg) { on_exit(self, msg); });
  if (st.cfg.start_timer) {
    st.next_tick_at = now(self);
    self->send(self, atom::tick_atom_v);
  }
  return {
    [self](atom::cycle, const std::string& trigger) {
      return on_cycle(self, trigger);
    },
    [self](atom::cycle) { return on_cycle_now(self); },
    [self](atom::run, const std::vector<std::string>& names,
           const std::string& trigger) {
      return on_run_set(self, names, trigger);
    },
    [self](atom::run, const std::string& name) {
      return on_run_now(self, name);
    },
    [self](atom::status) { return full_status(self); },
    [self](atom::status, const std::string& name) {
      return on_task_status(self, name);
    },
    [self](atom::put_atom, const std::string& name,
           const task_settings_patch& patch) {
      return on_settings(self, name, patch);
    },
    [self](atom::put_atom, const settings_change& change) {
      return on_settings_change(self, change);
    },
    [self](atom::tick_atom) { on_tick(self); },
    [self](atom::inspect_atom) { return summary_of(self); },
  };
}

} // namespace discotheque
