#include "actors/supervisor.hpp"

#include "messages/error.hpp"
#include "storage/database.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/sec.hpp>
#include <caf/typed_event_based_actor.hpp>

namespace discotheque {

using nlohmann::json;
using self_ptr = supervisor_actor::stateful_pointer<supervisor_state>;
using task_runtime = supervisor_state::task_runtime;
using run_set = supervisor_state::run_set;

supervisor_state::task_runtime* supervisor_state::find(const std::string& n) {
  auto i = cfg.registry.index_of(n);
  return i < 0 ? nullptr : &tasks[static_cast<size_t>(i)];
}

// -- loading ---------------------------------------------------------------

write_request load_supervisor_state(storage::database& db,
                                    supervisor_config& cfg) {
  cfg.next_run_id = db.query_int("SELECT max(id) FROM task_runs").value_or(0)
                    + 1;
  auto st = db.prepare(
    "SELECT id, task, started_at, status, reason, error, stats, duration_ms "
    "FROM task_runs WHERE status != 'running' ORDER BY id");
  while (st.step()) {
    auto& h = cfg.history[st.text(1)];
    auto started = st.int64(2);
    auto status = st.text(3);
    auto reason = st.opt_text(4).value_or("");
    h.last_run_at = started;
    h.last_status = status;
    h.last_reason = reason;
    h.last_stats = st.opt_text(6).value_or("{}");
    h.last_duration_ms = st.opt_int64(7).value_or(0);
    if (status == "succeeded" || status == "skipped")
      h.last_completed_at = started;
    if (status == "succeeded")
      h.last_success_at = started;
    if (status == "failed")
      h.last_error = st.opt_text(5).value_or("");
  }
  auto s
    = db.prepare("SELECT key, value FROM settings WHERE key LIKE 'tasks.%'");
  while (s.step()) {
    auto key = s.text(0);
    auto value = json::parse(s.text(1), nullptr, false);
    auto dot = key.rfind('.');
    if (dot == std::string::npos || dot <= 6 || value.is_discarded())
      continue;
    auto task = key.substr(6, dot - 6);
    auto field = key.substr(dot + 1);
    if (field == "enabled" && value.is_boolean())
      cfg.settings[task].enabled = value.get<bool>();
    else if (field == "interval_seconds" && value.is_number_integer())
      cfg.settings[task].interval_s = value.get<int64_t>();
  }
  return write_request{{sql_stmt{
    "UPDATE task_runs SET status = 'failed', success = 0, "
    "error = 'interrupted: the service stopped during the run', "
    "finished_at = coalesce(finished_at, started_at) WHERE status = 'running'",
    {}}}};
}

namespace {

int64_t now(self_ptr self) {
  auto& st = self->state;
  auto elapsed = self->clock().now() - st.steady_base;
  return st.epoch_base
         + std::chrono::duration_cast<std::chrono::milliseconds>(elapsed)
             .count();
}

void persist(self_ptr self, write_request req) {
  self
    ->request(self->state.cfg.store, caf::infinite, atom::write_v,
              std::move(req))
    .then([](const write_ack&) {},
          [self](const caf::error& err) {
            self->state.log->error("cannot record task run: {}", render(err));
          });
}

bool counts_as_done(const task_result& r) {
  return r.status == "succeeded"
         || (r.status == "skipped" && r.reason == "provider_unavailable");
}

json parse_stats(const std::string& s) {
  auto j = json::parse(s, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return json{{"raw", s}};
  return j;
}

json iso_or_null(int64_t ms) {
  return ms > 0 ? json(iso8601(ms)) : json(nullptr);
}

bool is_due(self_ptr self, const task_runtime& rt) {
  if (rt.hist.last_completed_at == 0)
    return true;
  auto interval_ms = rt.interval.count() * 1000;
  return now(self) - rt.hist.last_completed_at >= interval_ms;
}

json task_json(self_ptr self, const task_runtime& rt) {
  auto& st = self->state;
  json deps = rt.def->depends_on;
  json next = nullptr;
  if (rt.enabled && rt.def->spawn) {
    auto due_at = rt.hist.last_completed_at == 0
                    ? int64_t{0}
                    : rt.hist.last_completed_at + rt.interval.count() * 1000;
    next = iso8601(
      std::max(due_at, st.next_tick_at > 0 ? st.next_tick_at : now(self)));
  }
  return json{
    {"name", rt.def->name},
    {"phase", rt.def->phase},
    {"depends_on", deps},
    {"implemented", static_cast<bool>(rt.def->spawn)},
    {"enabled", rt.enabled},
    {"interval_seconds", rt.interval.count()},
    {"time_limit_seconds", rt.def->time_limit.count()},
    {"running", rt.running},
    {"running_since",
     rt.running ? iso_or_null(rt.running_since) : json(nullptr)},
    {"last_run", iso_or_null(rt.hist.last_run_at)},
    {"last_success", iso_or_null(rt.hist.last_success_at)},
    {"last_status",
     rt.hist.last_status.empty() ? json(nullptr) : json(rt.hist.last_status)},
    {"last_skip_reason",
     rt.hist.last_reason.empty() ? json(nullptr) : json(rt.hist.last_reason)},
    {"last_error",
     rt.hist.last_error.empty() ? json(nullptr) : json(rt.hist.last_error)},
    {"last_duration_ms", rt.hist.last_duration_ms},
    {"next_run", next},
    {"restarts", rt.restarts},
    {"stats", parse_stats(rt.hist.last_stats)},
  };
}

void spawn_handler(self_ptr self, task_runtime& rt) {
  rt.handler = rt.def->spawn(self->system());
  self->monitor(rt.handler);
}

void advance(self_ptr self, const std::shared_ptr<run_set>& rs);

/// Records the outcome of one run of `rt` and wakes whoever waits for it.
void complete(self_ptr self, const std::string& name, task_result r) {
  auto* rt = self->state.find(name);
  if (!rt || !rt->running)
    return;
  auto& st = self->state;
  st.status_cache.clear();
  r.task = name;
  if (r.started_at == 0)
    r.started_at = rt->running_since;
  if (r.finished_at == 0)
    r.finished_at = now(self);
  if (r.status != "succeeded" && r.status != "failed"
      && r.status != "skipped") {
    r.error = "task answered an unknown status '" + r.status + "'";
    r.status = "failed";
  }
  if (r.status == "failed" && r.error.empty())
    r.error = "failed without an error message";
  auto stats = parse_stats(r.stats_json);
  r.stats_json = stats.dump();
  auto duration = r.finished_at - rt->running_since;
  rt->running = false;
  auto& h = rt->hist;
  h.last_run_at = rt->running_since;
  h.last_status = r.status;
  h.last_reason = r.reason;
  h.last_stats = r.stats_json;
  h.last_duration_ms = duration;
  if (counts_as_done(r))
    h.last_completed_at = rt->running_since;
  if (r.status == "succeeded")
    h.last_success_at = rt->running_since;
  if (r.status == "failed")
    h.last_error = r.error;
  persist(
    self,
    write_request{{sql_stmt{
      "UPDATE task_runs SET finished_at = ?1, status = ?2, success = ?3, "
      "reason = ?4, error = ?5, stats = ?6, duration_ms = ?7 WHERE id = ?8",
      {sql_value::of(r.finished_at), sql_value::of(r.status),
       sql_value::of(int64_t{r.status == "succeeded"}),
       r.reason.empty() ? sql_value::null() : sql_value::of(r.reason),
       r.error.empty() ? sql_value::null() : sql_value::of(r.error),
       sql_value::of(r.stats_json), sql_value::of(duration),
       sql_value::of(rt->run_id)}}}});
  auto phase = "[" + rt->def->phase + "] ";
  if (r.status == "succeeded")
    st.log->info("{}{} succeeded in {} ms: {}", phase, name, duration,
                 r.stats_json);
  else if (r.status == "skipped")
    st.log->info("{}{} skipped: {}", phase, name, r.reason);
  else
    st.log->error("{}{} failed after {} ms: {}", phase, name, duration,
                  r.error);
  auto waiters = std::move(rt->waiters);
  rt->waiters.clear();
  for (auto& w : waiters)
    w(r);
}

/// Starts `rt` unless it runs already; `on_done` is called with the result.
void launch(self_ptr self, task_runtime& rt, const std::string& trigger,
            std::function<void(const task_result&)> on_done) {
  if (on_done)
    rt.waiters.push_back(std::move(on_done));
  if (rt.running)
    return;
  auto& st = self->state;
  st.status_cache.clear();
  rt.running = true;
  rt.running_since = now(self);
  rt.run_id = st.cfg.next_run_id++;
  rt.trigger = trigger;
  auto name = rt.def->name;
  persist(self,
          write_request{{sql_stmt{
            "INSERT INTO task_runs(id, task, started_at, status, trigger) "
            "VALUES (?1, ?2, ?3, 'running', ?4)",
            {sql_value::of(rt.run_id), sql_value::of(name),
             sql_value::of(rt.running_since),
             sql_value::of(trigger == "schedule" || trigger == "manual"
                               || trigger == "command"
                             ? trigger
                             : std::string{"schedule"})}}}});
  st.log->info("[{}] starting {} ({})", rt.def->phase, name, trigger);
  if (!rt.handler)
    spawn_handler(self, rt);
  auto limit = rt.def->time_limit;
  self
    ->request(rt.handler, limit, atom::run_v,
              task_request{name, trigger, rt.run_id})
    .then([self, name](task_result& r) { complete(self, name, std::move(r)); },
          [self, name, limit](const caf::error& err) {
            auto* rt = self->state.find(name);
            task_result r;
            r.status = "failed";
            if (err == caf::sec::request_timeout) {
              r.error = "exceeded its time limit of "
                        + std::to_string(limit.count()) + " s";
              if (rt && rt->handler) {
                // Stop the runaway handler; the down handler starts a new one.
                rt->stopping = true;
                self->send_exit(rt->handler, caf::exit_reason::kill);
              }
            } else if (err.category() == caf::atom("system")) {
              // The handler died: CAF answers pending requests with its exit
              // reason (or request_receiver_down if it was gone already).
              r.error = "task actor crashed: " + render(err);
            } else {
              r.error = render(err);
            }
            complete(self, name, std::move(r));
          });
}

json report_json(const run_set& rs, int64_t finished_at) {
  json completed = json::array(), skipped = json::array(),
       failed = json::array();
  for (const auto& [name, r] : rs.results) {
    if (r.status == "succeeded")
      completed.push_back({{"task", name},
                           {"duration_ms", r.finished_at - r.started_at},
                           {"stats", parse_stats(r.stats_json)}});
    else if (r.status == "skipped")
      skipped.push_back({{"task", name}, {"reason", r.reason}});
    else
      failed.push_back({{"task", name}, {"error", r.error}});
  }
  return json{{"id", rs.id},
              {"trigger", rs.trigger},
              {"started_at", iso8601(rs.started_at)},
              {"finished_at", iso8601(finished_at)},
              {"duration_ms", finished_at - rs.started_at},
              {"completed", completed},
              {"skipped", skipped},
              {"failed", failed},
              {"succeeded", failed.empty()}};
}

void skip(const std::shared_ptr<run_set>& rs, const std::string& name,
          const std::string& reason) {
  rs->phase[name] = "done";
  rs->results[name] = task_result::skipped(name, reason);
}

void finish(self_ptr self, const std::shared_ptr<run_set>& rs) {
  auto& st = self->state;
  st.status_cache.clear();
  auto report = report_json(*rs, now(self));
  st.log->info("cycle {} ({}) done: {} completed, {} skipped, {} failed",
               rs->id, rs->trigger, report["completed"].size(),
               report["skipped"].size(), report["failed"].size());
  if (rs->scheduled)
    st.cycle_running = false;
  if (rs->scheduled || rs->selected.size() > 1 || rs->trigger == "command")
    st.last_cycle = report;
  for (const auto& [name, r] : rs->results)
    if (r.status == "skipped") {
      if (auto* rt = st.find(name); rt && !rt->running)
        rt->hist.last_reason = r.reason;
    }
  if (rs->promise)
    rs->promise->deliver(report.dump());
  st.runs.erase(rs->id);
}

void advance(self_ptr self, const std::shared_ptr<run_set>& rs) {
  auto& st = self->state;
  bool busy = false;
  for (auto& rt : st.tasks) {
    const auto& name = rt.def->name;
    auto ph = rs->phase.find(name);
    if (ph == rs->phase.end() || ph->second == "done")
      continue;
    if (ph->second == "running") {
      busy = true;
      continue;
    }
    // pending: are its dependencies (within this set) settled?
    bool waiting = false;
    bool deps_ok = true;
    for (const auto& dep : rt.def->depends_on) {
      auto dp = rs->phase.find(dep);
      if (dp == rs->phase.end())
        continue; // not part of this set (command runs)
      if (dp->second != "done") {
        waiting = true;
        break;
      }
      if (!counts_as_done(rs->results[dep]))
        deps_ok = false;
    }
    if (waiting) {
      busy = true;
      continue;
    }
    if (rs->scheduled && !rt.enabled)
      skip(rs, name, "disabled");
    else if (rs->scheduled && rs->wanted.count(name) == 0)
      skip(rs, name, "not_due");
    else if (!deps_ok)
      skip(rs, name, "dependencies_not_met");
    else if (!rt.def->spawn)
      skip(rs, name, "not_implemented");
    else {
      ph->second = "running";
      busy = true;
      launch(self, rt, rs->trigger, [self, rs, name](const task_result& r) {
        rs->phase[name] = "done";
        rs->results[name] = r;
        advance(self, rs);
      });
    }
  }
  if (!busy && self->state.runs.count(rs->id) > 0)
    finish(self, rs);
}

std::shared_ptr<run_set> make_set(self_ptr self, std::string trigger,
                                  bool scheduled,
                                  const std::vector<std::string>& names) {
  auto& st = self->state;
  auto rs = std::make_shared<run_set>();
  rs->id = st.next_set_id++;
  rs->trigger = std::move(trigger);
  rs->scheduled = scheduled;
  rs->started_at = now(self);
  for (const auto& n : names)
    rs->selected.insert(n);
  for (auto& rt : st.tasks) {
    if (rs->selected.count(rt.def->name) == 0)
      continue;
    rs->phase[rt.def->name] = "pending";
  }
  if (scheduled) {
    // Due tasks, then (in reverse topological order) their dependencies.
    for (auto& rt : st.tasks)
      if (rt.enabled && is_due(self, rt))
        rs->wanted.insert(rt.def->name);
    for (auto it = st.tasks.rbegin(); it != st.tasks.rend(); ++it)
      if (rs->wanted.count(it->def->name) > 0)
        for (const auto& dep : it->def->depends_on)
          if (auto* d = st.find(dep); d && d->enabled)
            rs->wanted.insert(dep);
  }
  st.runs[rs->id] = rs;
  return rs;
}

std::vector<std::string> all_names(self_ptr self) {
  std::vector<std::string> result;
  for (auto& rt : self->state.tasks)
    result.push_back(rt.def->name);
  return result;
}

void start_cycle(self_ptr self, const std::string& trigger,
                 std::optional<caf::typed_response_promise<std::string>> rp) {
  auto& st = self->state;
  st.cycle_running = true;
  st.status_cache.clear();
  auto rs = make_set(self, trigger, true, all_names(self));
  rs->promise = std::move(rp);
  st.log->info("cycle {} ({}) starting", rs->id, trigger);
  advance(self, rs);
}

caf::error apply_settings(self_ptr self, task_runtime& rt,
                          const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return make_error(ec::invalid_config, "settings must be a JSON object");
  std::optional<bool> enabled;
  std::optional<int64_t> interval;
  for (const auto& [k, v] : j.items()) {
    if (k == "enabled" && v.is_boolean())
      enabled = v.get<bool>();
    else if (k == "interval_seconds" && v.is_number_integer()
             && v.get<int64_t>() >= 1 && v.get<int64_t>() <= 30 * 86400)
      interval = v.get<int64_t>();
    else if (k == "enabled" || k == "interval_seconds")
      return make_error(ec::invalid_config,
                        "'" + k + "' has a wrong type or is out of range");
    else
      return make_error(ec::invalid_config, "unknown setting '" + k + "'");
  }
  write_request req;
  auto upsert = [&](const std::string& key, const json& value) {
    req.statements.push_back(sql_stmt{
      "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO "
      "UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
      {sql_value::of(key), sql_value::of(value.dump())}});
  };
  if (enabled) {
    rt.enabled = *enabled;
    upsert("tasks." + rt.def->name + ".enabled", *enabled);
  }
  if (interval) {
    rt.interval = std::chrono::seconds(*interval);
    upsert("tasks." + rt.def->name + ".interval_seconds", *interval);
  }
  if (!req.statements.empty())
    persist(self, std::move(req));
  self->state.status_cache.clear();
  return {};
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
  for (const auto& def : st.cfg.registry.tasks()) {
    task_runtime rt;
    rt.def = &def;
    rt.enabled = def.enabled_by_default;
    rt.interval = def.interval;
    if (auto h = st.cfg.history.find(def.name); h != st.cfg.history.end())
      rt.hist = h->second;
    if (auto s = st.cfg.settings.find(def.name); s != st.cfg.settings.end()) {
      if (s->second.enabled)
        rt.enabled = *s->second.enabled;
      if (s->second.interval_s)
        rt.interval = std::chrono::seconds(*s->second.interval_s);
    }
    st.tasks.push_back(std::move(rt));
  }
  // Handlers are started up front so that a broken factory shows at once.
  for (auto& rt : st.tasks)
    if (rt.def->spawn)
      spawn_handler(self, rt);
  self->set_down_handler([self](const caf::down_msg& msg) {
    for (auto& rt : self->state.tasks) {
      if (!rt.handler || rt.handler.address() != msg.source)
        continue;
      ++rt.restarts;
      self->state.status_cache.clear();
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
  });
  self->set_exit_handler([self](const caf::exit_msg& msg) {
    for (auto& rt : self->state.tasks)
      if (rt.handler) {
        self->demonitor(rt.handler.address());
        self->send_exit(rt.handler, msg.reason);
      }
    self->quit(msg.reason);
  });
  if (st.cfg.start_timer) {
    st.next_tick_at = now(self);
    self->send(self, atom::tick_atom_v);
  }
  return {
    [self](atom::cycle,
           const std::string& trigger) -> caf::result<std::string> {
      if (self->state.cycle_running)
        return make_error(ec::already_running, "a cycle is running");
      auto rp = self->make_response_promise<std::string>();
      start_cycle(self, trigger, rp);
      return rp;
    },
    [self](atom::cycle) -> caf::result<std::string> {
      if (self->state.cycle_running)
        return make_error(ec::already_running, "a cycle is running");
      start_cycle(self, "manual", std::nullopt);
      return json{{"cycle", "manual"}, {"started", true}}.dump();
    },
    [self](atom::run, const std::vector<std::string>& names,
           const std::string& trigger) -> caf::result<std::string> {
      for (const auto& n : names)
        if (!self->state.find(n))
          return make_error(ec::unknown_task, "no task named '" + n + "'");
      auto rp = self->make_response_promise<std::string>();
      auto rs = make_set(self, trigger, false, names);
      rs->promise = rp;
      advance(self, rs);
      return rp;
    },
    [self](atom::run, const std::string& name) -> caf::result<std::string> {
      auto* rt = self->state.find(name);
      if (!rt)
        return make_error(ec::unknown_task, "no task named '" + name + "'");
      if (rt->running)
        return make_error(ec::already_running,
                          "task '" + name + "' is running already");
      if (!rt->def->spawn)
        return make_error(ec::not_implemented,
                          "task '" + name + "' is not implemented yet");
      launch(self, *rt, "manual", nullptr);
      return json{{"task", name}, {"started", true}, {"run_id", rt->run_id}}
        .dump();
    },
    [self](atom::status) -> std::string {
      auto& st = self->state;
      if (!st.status_cache.empty())
        return st.status_cache;
      json tasks = json::array();
      for (auto& rt : st.tasks)
        tasks.push_back(task_json(self, rt));
      json result{{"tasks", tasks},
                  {"cycle_running", st.cycle_running},
                  {"check_interval_seconds", st.cfg.check_interval.count()},
                  {"last_cycle",
                   st.last_cycle.is_null() ? json(nullptr) : st.last_cycle}};
      st.status_cache = result.dump();
      return st.status_cache;
    },
    [self](atom::status, const std::string& name) -> caf::result<std::string> {
      auto* rt = self->state.find(name);
      if (!rt)
        return make_error(ec::unknown_task, "no task named '" + name + "'");
      auto j = task_json(self, *rt);
      if (!rt->running || !rt->handler)
        return j.dump();
      // Live progress: ask the handler, but never wait long for it.
      auto rp = self->make_response_promise<std::string>();
      self->request(rt->handler, std::chrono::seconds(2), atom::progress_v)
        .then(
          [rp, j](const std::string& progress) mutable {
            j["progress"] = parse_stats(progress);
            rp.deliver(j.dump());
          },
          [rp, j](const caf::error&) mutable {
            j["progress"] = nullptr;
            rp.deliver(j.dump());
          });
      return rp;
    },
    [self](atom::put_atom, const std::string& name,
           const std::string& body) -> caf::result<std::string> {
      auto* rt = self->state.find(name);
      if (!rt)
        return make_error(ec::unknown_task, "no task named '" + name + "'");
      if (auto err = apply_settings(self, *rt, body))
        return err;
      return task_json(self, *rt).dump();
    },
    [self](atom::tick_atom) {
      auto& st = self->state;
      if (!st.cycle_running)
        start_cycle(self, "schedule", std::nullopt);
      st.next_tick_at = now(self) + st.cfg.check_interval.count() * 1000;
      st.status_cache.clear();
      self->delayed_send(self, st.cfg.check_interval, atom::tick_atom_v);
    },
  };
}

} // namespace discotheque
