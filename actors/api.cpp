#include "actors/api.hpp"

#include "http/api/route.hpp"
#include "messages/error.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/typed_event_based_actor.hpp>

namespace discotheque {

using nlohmann::json;

http::response json_response(int status, const json& body) {
  return http::json_ok(body, status);
}

http::response error_response(int status, const std::string& code,
                              const std::string& message) {
  return http::json_error(status, code, message);
}

namespace {

void health(api_actor::stateful_pointer<api_state> self,
            const http::responder& reply) {
  auto& cfg = self->state.config;
  auto uptime_s = (now_ms() - cfg.started_at) / 1000;
  self->request(cfg.store, cfg.timeout, atom::stats_v)
    .then(
      [reply, uptime_s](const store_stats& st) {
        json body{{"status", st.degraded ? "degraded" : "healthy"},
                  {"version", DISCOTHEQUE_VERSION},
                  {"uptime_seconds", uptime_s},
                  {"database",
                   {{"writable", !st.degraded},
                    {"transactions", st.transactions},
                    {"last_error", st.last_error.empty()
                                     ? json(nullptr)
                                     : json(st.last_error)}}}};
        reply(json_response(200, body));
      },
      [reply, uptime_s](const caf::error& err) {
        json body{{"status", "error"},
                  {"version", DISCOTHEQUE_VERSION},
                  {"uptime_seconds", uptime_s},
                  {"database",
                   {{"writable", false}, {"last_error", render(err)}}}};
        reply(json_response(503, body));
      });
}

} // namespace

api_actor::behavior_type api(api_actor::stateful_pointer<api_state> self,
                             api_config config) {
  self->state.config = std::move(config);
  self->state.log = log::get("api");
  return {
    [self](atom::http, http_exchange& ex) {
      const auto& req = ex.request;
      self->state.log->debug("{} {}", req.method, req.target);
      if (req.path == "/api/health") {
        if (req.method != "GET" && req.method != "HEAD")
          return ex.reply(error_response(405, "method_not_allowed",
                                         "use GET for " + req.path));
        return health(self, ex.reply);
      }
      ex.reply(error_response(404, "not_found", "no such endpoint: " + req.path));
    },
  };
}

} // namespace discotheque
