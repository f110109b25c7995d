#include "actors/api.hpp"

#include "actors/inspect.hpp"

#include "http/api/events.hpp"
#include "http/api/metrics.hpp"
#include "http/api/route.hpp"
#include "http/api/router.hpp"
#include "http/api/settings.hpp"
#include "http/api/status.hpp"
#include "http/api/system.hpp"
#include "http/api/tasks.hpp"
#include "http/api/web.hpp"
#include "messages/error.hpp"
#include "support/log.hpp"
#include "support/redact.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

namespace discotheque {

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

void refresh_snapshot(self_ptr self) {
  auto& ctx = self->state.ctx;
  self->request(ctx.reader, ctx.timeout, atom::status_v)
    .then(
      [self](const library_snapshot& s) {
        self->state.ctx.snapshot = s;
        ++self->state.ctx.snapshot_version;
      },
      [self](const caf::error& err) {
        self->state.log->warn("no status snapshot: {}", render(err));
      });
}

/// Its snapshot and status cache, for (inspect).
actor_summary summary_of(self_ptr self) {
  const auto& ctx = self->state.ctx;
  nlohmann::json details{
    {"has_snapshot", ctx.snapshot.has_value()},
    {"snapshot_version", ctx.snapshot_version},
    {"snapshot_interval_ms", self->state.snapshot_interval.count()},
    {"timeout_ms", ctx.timeout.count()},
    {"status_cache_supervisor_version", ctx.status_cache.supervisor_version},
  };
  auto line = "snapshot " + std::to_string(ctx.snapshot_version)
              + (ctx.snapshot ? "" : " (none yet)");
  return inspection::summarize(self, "api", line, details);
}

/// The api actor's own endpoints (http/api/status.cpp, tasks.cpp,
/// settings.cpp, system.cpp);
/// everything else under /api/library is the reader's.
const http::router<http::api_handler>& api_routes() {
  static const auto table = [] {
    http::router<http::api_handler> r;
    r.add("GET", "/api/library/status", http::get_status);
    r.add("GET", "/api/library/tasks", http::get_tasks);
    r.add("GET", "/api/library/tasks/{name}", http::get_task);
    r.add("PUT", "/api/library/tasks/{name}", http::put_task);
    r.add("POST", "/api/library/tasks/{name}/run", http::run_task);
    r.add("POST", "/api/library/cycle", http::start_cycle);
    r.add("GET", "/api/settings", http::get_settings);
    r.add("PUT", "/api/settings", http::put_settings);
    r.add("GET", "/api/system/actors", http::get_actors);
    r.add("GET", "/api/system/actors/{name}", http::get_actor);
    r.add("GET", "/api/system/events", http::get_events);
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
    return (*m.handler)(http::api_call{self, self->state.ctx, ex, m.params});
  }
  auto parts = http::split_path(ex.request.path);
  if (parts.size() >= 2 && parts[0] == "api" && parts[1] == "library")
    return self->send(self->state.ctx.reader, atom::http_v, std::move(ex));
  ex.reply(http::no_such_endpoint(ex.request.path));
}

/// Did the request carry the right key (X-Api-Key or ?apikey=)?
bool has_key(self_ptr self, const http::request& req) {
  auto key = req.header("x-api-key");
  if (key.empty())
    if (auto q = req.query.find("apikey"); q != req.query.end())
      key = q->second;
  return api_key_matches(key, self->state.api_key);
}

} // namespace

api_actor::behavior_type api(api_actor::stateful_pointer<api_state> self,
                             api_config config) {
  auto& st = self->state;
  st.api_key = std::move(config.api_key);
  st.metrics_token = std::move(config.metrics_token);
  st.snapshot_interval = config.snapshot_interval;
  st.ctx.supervisor = std::move(config.supervisor);
  st.ctx.reader = std::move(config.reader);
  st.ctx.timeout = config.timeout;
  st.ctx.started_at = config.started_at;
  st.ctx.directory = std::move(config.directory);
  st.log = log::get("api");
  refresh_snapshot(self);
  self->delayed_send(self, st.snapshot_interval, atom::tick_atom_v);
  return {
    [self](atom::http, http_exchange& ex) {
      const auto& req = ex.request;
      // The target may carry ?apikey=: every log line is redacted
      // (support/log), this one explicitly too.
      self->state.log->debug("{} {}", req.method, redact(req.target));
      if (req.path == "/api/health") {
        if (req.method != "GET" && req.method != "HEAD")
          return ex.reply(http::method_not_allowed({"GET"}));
        // Open to anyone, but only the verdict without the key.
        return http::get_health(self, self->state.ctx, ex.reply,
                                has_key(self, req));
      }
      if (req.path == "/metrics") {
        if (req.method != "GET" && req.method != "HEAD")
          return ex.reply(http::method_not_allowed({"GET"}));
        if (!has_key(self, req)
            && !http::has_metrics_token(req, self->state.metrics_token))
          return ex.reply(http::json_error(
            401, "unauthorized",
            "missing or wrong API key or metrics token (X-Api-Key, "
            "?apikey=, Authorization: Bearer TOKEN or ?token=)"));
        return http::get_metrics(
          http::api_call{self, self->state.ctx, ex, http::path_params{}});
      }
      // Everything else outside /api/ is the web dashboard's static files
      // (no key: the page asks for it and sends it with every API call).
      if (req.path.rfind("/api/", 0) != 0)
        return ex.reply(http::serve_web(req, http::web_assets()));
      if (!has_key(self, req))
        return ex.reply(http::json_error(
          401, "unauthorized",
          "missing or wrong API key (X-Api-Key header or apikey parameter)"));
      route(self, ex);
    },
    [self](atom::put_atom, reader_actor& reader) {
      self->state.ctx.reader = std::move(reader);
    },
    [self](atom::tick_atom) {
      refresh_snapshot(self);
      self->delayed_send(self, self->state.snapshot_interval,
                         atom::tick_atom_v);
    },
    [self](atom::inspect_atom) { return summary_of(self); },
  };
}

} // namespace discotheque
