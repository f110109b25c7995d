#include "actors/api.hpp"

#include "http/api/route.hpp"
#include "http/api/router.hpp"
#include "http/api/tasks.hpp"
#include "messages/error.hpp"
#include "support/log.hpp"
#include "support/redact.hpp"
#include "support/time.hpp"

#include <caf/typed_event_based_actor.hpp>

namespace discotheque {

using nlohmann::json;
using self_ptr = api_actor::stateful_pointer<api_state>;

bool api_key_matches(const std::string& given, const std::string& expected) {
  if (expected.empty())
    return false;
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < expected.size(); ++i)
    diff |= static_cast<unsigned char>(expected[i]
                                       ^ (i < given.size() ? given[i] : 0));
  return diff == 0;
}

namespace {

/// Maps an actor's error to an HTTP status.
http::response error_to_response(const caf::error& err) {
  auto msg = user_message(err);
  if (err.category() == error_category()) {
    switch (static_cast<ec>(err.code())) {
      case ec::unknown_task:
        return http::json_error(404, "unknown_task", msg);
      case ec::already_running:
        return http::json_error(409, "already_running", msg);
      case ec::not_implemented:
        return http::json_error(409, "not_implemented", msg);
      case ec::invalid_config:
        return http::json_error(400, "bad_request", msg);
      default:
        break;
    }
  }
  if (err == caf::sec::request_timeout)
    return http::json_error(504, "timeout", msg);
  if (err.category() == caf::atom("system"))
    return http::json_error(503, "service_unavailable", msg);
  return http::json_error(500, "internal_error", msg);
}

json parse(const std::string& s) {
  return json::parse(s, nullptr, false);
}

void refresh_snapshot(self_ptr self) {
  self
    ->request(self->state.config.reader, self->state.config.timeout,
              atom::status_v)
    .then(
      [self](const std::string& s) {
        self->state.snapshot = parse(s);
        ++self->state.snapshot_version;
      },
      [self](const caf::error& err) {
        self->state.log->warn("no status snapshot: {}", render(err));
      });
}

int64_t uptime_s(self_ptr self) {
  return (now_ms() - self->state.config.started_at) / 1000;
}

/// The overall state: the last health check's verdict, lowered by open
/// circuit breakers of enabled providers.
std::string overall_state(const json& health_stats, const json& snapshot) {
  std::string state = "healthy";
  if (health_stats.is_object() && health_stats.contains("state"))
    state = health_stats["state"].get<std::string>();
  if (snapshot.is_object() && snapshot.contains("providers"))
    for (const auto& p : snapshot["providers"])
      if (p["enabled"] == true && p["circuit_breaker_open"] == true
          && state == "healthy")
        state = "degraded";
  if (snapshot.is_object() && snapshot.contains("error"))
    state = "error";
  return state;
}

/// The stats of the health check's last run when it succeeded, else null.
json health_stats_of(const task_status& t) {
  if (t.last_run != 0 && t.last_status == run_status::succeeded)
    return http::stats_json(t.stats_json);
  return nullptr;
}

json health_stats_of(const supervisor_status& s) {
  for (const auto& t : s.tasks)
    if (t.name == "health_check")
      return health_stats_of(t);
  return nullptr;
}

void get_health(self_ptr self, http::responder reply) {
  auto& cfg = self->state.config;
  self
    ->request(cfg.supervisor, cfg.timeout, atom::status_v,
              std::string{"health_check"})
    .then(
      [self, reply](const task_status& t) {
        auto stats = health_stats_of(t);
        auto last_check = t.last_success > 0 ? json(iso8601(t.last_success))
                                             : json(nullptr);
        auto state = overall_state(stats, self->state.snapshot);
        reply(
          http::json_ok(json{{"status", state},
                             {"version", DISCOTHEQUE_VERSION},
                             {"uptime_seconds", uptime_s(self)},
                             {"last_check", last_check},
                             {"problems", stats.is_object() ? stats["problems"]
                                                            : json::array()}},
                        state == "error" ? 503 : 200));
      },
      [self, reply](const caf::error& err) {
        reply(http::json_ok(json{{"status", "error"},
                                 {"version", DISCOTHEQUE_VERSION},
                                 {"uptime_seconds", uptime_s(self)},
                                 {"problems", {render(err)}}},
                            503));
      });
}

void get_status(self_ptr self, http::responder reply) {
  auto& cfg = self->state.config;
  auto answer = [self, reply](const supervisor_status& sup) {
    auto& cache = self->state.status_cache;
    auto& snap = self->state.snapshot;
    auto up = uptime_s(self);
    if (cache.uptime_s == up
        && cache.snapshot_version == self->state.snapshot_version
        && cache.supervisor_version == sup.version) {
      http::response r;
      r.body = cache.body;
      return reply(std::move(r));
    }
    auto s = http::supervisor_json(sup);
    auto health = health_stats_of(sup);
    json body{
      {"status", overall_state(health, snap)},
      {"version", DISCOTHEQUE_VERSION},
      {"started_at", iso8601(self->state.config.started_at)},
      {"uptime_seconds", uptime_s(self)},
      {"tasks", s["tasks"]},
      {"cycle_running", s["cycle_running"]},
      {"last_cycle", s["last_cycle"]},
      {"providers", snap.value("providers", json::array())},
      {"totals", snap.value("totals", json::object())},
      {"totals_taken_at", snap.value("taken_at", json(nullptr))},
      {"health", health},
    };
    // The seed's field names too, so a client written against the design
    // document works: `state` next to `status`, the totals at the top level.
    body["state"] = body["status"];
    for (const char* k : {"artists", "albums", "tracks"}) {
      body[std::string{"total_"} + k] = body["totals"].value(k, 0);
      body[std::string{"owned_"} + k]
        = body["totals"].value(std::string{"owned_"} + k, 0);
    }
    body["pending_downloads"] = body["totals"].value("pending_downloads", 0);
    auto res = http::json_ok(body);
    cache.supervisor_version = sup.version;
    cache.snapshot_version = self->state.snapshot_version;
    cache.uptime_s = up;
    cache.body = res.body;
    reply(std::move(res));
  };
  auto ask_supervisor = [self, answer, reply] {
    auto& cfg = self->state.config;
    self->request(cfg.supervisor, cfg.timeout, atom::status_v)
      .then(answer,
            [reply](const caf::error& err) { reply(error_to_response(err)); });
  };
  if (!self->state.snapshot.is_null())
    return ask_supervisor();
  // First request before the first snapshot: fetch one now.
  self->request(cfg.reader, cfg.timeout, atom::status_v)
    .then(
      [self, ask_supervisor](const std::string& snap) {
        self->state.snapshot = parse(snap);
        ++self->state.snapshot_version;
        ask_supervisor();
      },
      [reply](const caf::error& err) { reply(error_to_response(err)); });
}

/// Asks the supervisor and answers its typed reply `R`, rendered by
/// `render`, as JSON with `status`.
template <class R, class Render, class... Ts>
void forward(self_ptr self, const http::responder& reply, int status,
             Render render, Ts&&... xs) {
  self
    ->request(self->state.config.supervisor, self->state.config.timeout,
              std::forward<Ts>(xs)...)
    .then([reply, status,
           render](const R& x) { reply(http::json_ok(render(x), status)); },
          [reply](const caf::error& err) { reply(error_to_response(err)); });
}

/// PUT /api/library/tasks/{name}: the body is validated here; an unknown
/// task still answers 404 before a bad body answers 400.
void put_settings(self_ptr self, const http::responder& reply,
                  const std::string& name, const std::string& body) {
  auto patch = http::parse_settings(body);
  if (patch)
    return forward<task_status>(self, reply, 200, http::task_json,
                                atom::put_atom_v, name, *patch);
  auto err = patch.error();
  self
    ->request(self->state.config.supervisor, self->state.config.timeout,
              atom::status_v, name)
    .then([reply, err](const task_status&) { reply(error_to_response(err)); },
          [reply](const caf::error& e) { reply(error_to_response(e)); });
}

/// The api actor's own endpoints; everything else under /api/library is the
/// reader's (its table is in http/api/, one file per resource).
using api_handler
  = std::function<void(self_ptr, http_exchange&, const http::path_params&)>;

const http::router<api_handler>& api_routes() {
  static const auto table = [] {
    http::router<api_handler> r;
    r.add("GET", "/api/library/status",
          [](self_ptr self, http_exchange& ex, const http::path_params&) {
            get_status(self, ex.reply);
          });
    r.add("GET", "/api/library/tasks",
          [](self_ptr self, http_exchange& ex, const http::path_params&) {
            forward<supervisor_status>(
              self, ex.reply, 200,
              [](const supervisor_status& s) {
                return json{{"tasks", http::tasks_json(s)}};
              },
              atom::status_v);
          });
    r.add("GET", "/api/library/tasks/{name}",
          [](self_ptr self, http_exchange& ex, const http::path_params& p) {
            forward<task_status>(self, ex.reply, 200, http::task_json,
                                 atom::status_v, p.at("name"));
          });
    r.add("PUT", "/api/library/tasks/{name}",
          [](self_ptr self, http_exchange& ex, const http::path_params& p) {
            put_settings(self, ex.reply, p.at("name"), ex.request.body);
          });
    r.add("POST", "/api/library/tasks/{name}/run",
          [](self_ptr self, http_exchange& ex, const http::path_params& p) {
            forward<run_started>(self, ex.reply, 202, http::run_started_json,
                                 atom::run_v, p.at("name"));
          });
    r.add("POST", "/api/library/cycle",
          [](self_ptr self, http_exchange& ex, const http::path_params&) {
            forward<atom::ok_atom>(
              self, ex.reply, 202,
              [](atom::ok_atom) { return http::cycle_started_json(); },
              atom::cycle_v);
          });
    return r;
  }();
  return table;
}

void route(self_ptr self, http_exchange& ex) {
  const auto& table = api_routes();
  if (table.owns(ex.request.path)) {
    // HEAD is matched like GET (the server drops the body).
    auto m = table.match(ex.request);
    if (m.error)
      return ex.reply(std::move(*m.error));
    return (*m.handler)(self, ex, m.params);
  }
  auto parts = http::split_path(ex.request.path);
  if (parts.size() >= 2 && parts[0] == "api" && parts[1] == "library")
    return self->send(self->state.config.reader, atom::http_v, std::move(ex));
  ex.reply(http::no_such_endpoint(ex.request.path));
}

} // namespace

api_actor::behavior_type api(api_actor::stateful_pointer<api_state> self,
                             api_config config) {
  self->state.config = std::move(config);
  self->state.log = log::get("api");
  refresh_snapshot(self);
  self->delayed_send(self, self->state.config.snapshot_interval,
                     atom::tick_atom_v);
  return {
    [self](atom::http, http_exchange& ex) {
      const auto& req = ex.request;
      // The target may carry ?apikey=: every log line is redacted
      // (support/log), this one explicitly too.
      self->state.log->debug("{} {}", req.method, redact(req.target));
      if (req.path == "/api/health") {
        if (req.method != "GET" && req.method != "HEAD")
          return ex.reply(http::method_not_allowed({"GET"}));
        return get_health(self, ex.reply);
      }
      if (req.path.rfind("/api/", 0) != 0)
        return ex.reply(
          http::json_error(404, "not_found", "no such endpoint: " + req.path));
      auto key = req.header("x-api-key");
      if (key.empty())
        if (auto q = req.query.find("apikey"); q != req.query.end())
          key = q->second;
      if (!api_key_matches(key, self->state.config.api_key))
        return ex.reply(http::json_error(
          401, "unauthorized",
          "missing or wrong API key (X-Api-Key header or apikey parameter)"));
      route(self, ex);
    },
    [self](atom::put_atom, reader_actor& reader) {
      self->state.config.reader = std::move(reader);
    },
    [self](atom::tick_atom) {
      refresh_snapshot(self);
      self->delayed_send(self, self->state.config.snapshot_interval,
                         atom::tick_atom_v);
    },
  };
}

} // namespace discotheque
