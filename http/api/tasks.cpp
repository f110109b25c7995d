#include "http/api/tasks.hpp"

#include "messages/error.hpp"
#include "support/time.hpp"

namespace discotheque::http {

using nlohmann::json;

namespace {

json iso_or_null(int64_t ms) {
  return ms > 0 ? json(iso8601(ms)) : json(nullptr);
}

json text_or_null(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

} // namespace

json stats_json(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return json{{"raw", text}};
  return j;
}

json task_json(const task_status& t) {
  auto j = json{
    {"name", t.name},
    {"phase", t.phase},
    {"depends_on", t.depends_on},
    {"implemented", t.implemented},
    {"enabled", t.enabled},
    {"interval_seconds", t.interval_s},
    {"time_limit_seconds", t.time_limit_s},
    {"running", t.running},
    {"running_since", t.running ? iso_or_null(t.running_since) : json(nullptr)},
    {"last_run", iso_or_null(t.last_run)},
    {"last_success", iso_or_null(t.last_success)},
    {"last_status",
     t.last_run != 0 ? json(to_string(t.last_status)) : json(nullptr)},
    {"last_skip_reason", text_or_null(to_string(t.last_skip_reason))},
    {"last_error", text_or_null(t.last_error)},
    {"last_duration_ms", t.last_duration_ms},
    {"next_run", iso_or_null(t.next_run)},
    {"restarts", t.restarts},
    {"stats", stats_json(t.stats_json)},
  };
  if (t.has_progress)
    j["progress"] = t.progress_json.empty() ? json(nullptr)
                                            : stats_json(t.progress_json);
  return j;
}

json cycle_json(const cycle_report& r) {
  json completed = json::array(), skipped = json::array(),
       failed = json::array();
  for (const auto& c : r.completed)
    completed.push_back({{"task", c.task},
                         {"duration_ms", c.duration_ms},
                         {"stats", stats_json(c.stats_json)}});
  for (const auto& s : r.skipped)
    skipped.push_back({{"task", s.task}, {"reason", to_string(s.reason)}});
  for (const auto& f : r.failed)
    failed.push_back({{"task", f.task}, {"error", f.error}});
  return json{{"id", r.id},
              {"trigger", r.trigger},
              {"started_at", iso8601(r.started_at)},
              {"finished_at", iso8601(r.finished_at)},
              {"duration_ms", r.finished_at - r.started_at},
              {"completed", completed},
              {"skipped", skipped},
              {"failed", failed},
              {"succeeded", r.succeeded()}};
}

json tasks_json(const supervisor_status& s) {
  json tasks = json::array();
  for (const auto& t : s.tasks)
    tasks.push_back(task_json(t));
  return tasks;
}

json supervisor_json(const supervisor_status& s) {
  return json{{"tasks", tasks_json(s)},
              {"cycle_running", s.cycle_running},
              {"check_interval_seconds", s.check_interval_s},
              {"last_cycle",
               s.has_last_cycle ? cycle_json(s.last_cycle) : json(nullptr)}};
}

json run_started_json(const run_started& r) {
  return json{{"task", r.task}, {"started", true}, {"run_id", r.run_id}};
}

json cycle_started_json() {
  return json{{"cycle", "manual"}, {"started", true}};
}

caf::expected<task_settings_patch> parse_settings(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded())
    return make_error(ec::invalid_config,
                      "the body is not valid JSON (expected an object such as "
                      "{\"enabled\": false})");
  if (!j.is_object())
    return make_error(ec::invalid_config, "settings must be a JSON object");
  task_settings_patch patch;
  for (const auto& [k, v] : j.items()) {
    if (k == "enabled" && v.is_boolean()) {
      patch.set_enabled = true;
      patch.enabled = v.get<bool>();
    } else if (k == "interval_seconds" && v.is_number_integer()
               && v.get<int64_t>() >= 1 && v.get<int64_t>() <= 30 * 86400) {
      patch.set_interval = true;
      patch.interval_s = v.get<int64_t>();
    } else if (k == "enabled" || k == "interval_seconds") {
      return make_error(ec::invalid_config,
                        "'" + k + "' has a wrong type or is out of range");
    } else {
      return make_error(ec::invalid_config, "unknown setting '" + k + "'");
    }
  }
  return patch;
}

void get_tasks(const api_call& call) {
  forward<supervisor_status>(
    call.self, call.ctx, call.ex.reply, 200,
    [](const supervisor_status& s) {
      return json{{"tasks", tasks_json(s)}};
    },
    atom::status_v);
}

void get_task(const api_call& call) {
  forward<task_status>(call.self, call.ctx, call.ex.reply, 200, task_json,
                       atom::status_v, call.params.at("name"));
}

void put_task(const api_call& call) {
  const auto& name = call.params.at("name");
  auto patch = parse_settings(call.ex.request.body);
  if (patch)
    return forward<task_status>(call.self, call.ctx, call.ex.reply, 200,
                                task_json, atom::put_atom_v, name, *patch);
  auto err = patch.error();
  auto reply = call.ex.reply;
  call.self
    ->request(call.ctx.supervisor, call.ctx.timeout, atom::status_v, name)
    .then([reply, err](const task_status&) { reply(error_to_response(err)); },
          [reply](const caf::error& e) { reply(error_to_response(e)); });
}

void run_task(const api_call& call) {
  forward<run_started>(call.self, call.ctx, call.ex.reply, 202,
                       run_started_json, atom::run_v, call.params.at("name"));
}

void start_cycle(const api_call& call) {
  forward<atom::ok_atom>(
    call.self, call.ctx, call.ex.reply, 202,
    [](atom::ok_atom) { return cycle_started_json(); }, atom::cycle_v);
}

} // namespace discotheque::http
