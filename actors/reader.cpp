#include "actors/reader.hpp"

#include "http/api/library.hpp"
#include "http/api/playlists.hpp"

#include "messages/error.hpp"
#include "storage/queries/library.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

namespace discotheque {

using nlohmann::json;

json status_snapshot(storage::database& db,
                     const std::map<std::string, provider_config>& providers) {
  auto t = storage::queries::totals(db);
  json totals{
    {"artists", t.artists},
    {"albums", t.albums},
    {"tracks", t.tracks},
    {"playlists", t.playlists},
    {"owned_artists", t.owned_artists},
    {"owned_albums", t.owned_albums},
    {"owned_tracks", t.owned_tracks},
    {"pending_downloads", t.pending_downloads},
  };
  auto day_ago = now_ms() - 24 * 3600 * 1000;
  json list = json::array();
  for (const auto& name : known_providers()) {
    json p{{"name", name},
           {"enabled", false},
           {"authenticated", false},
           {"circuit_breaker", "closed"},
           {"circuit_breaker_open", false},
           {"blocked_until", nullptr},
           {"last_successful_call", nullptr},
           {"last_error", nullptr},
           {"errors_24h", 0}};
    auto cfg = providers.find(name);
    bool needs_auth = name == "spotify" || name == "deezer" || name == "tidal";
    if (cfg != providers.end()) {
      p["enabled"] = cfg->second.enabled;
      p["authenticated"] = !needs_auth || !cfg->second.refresh_token.empty()
                           || !cfg->second.access_token.empty();
    } else {
      p["authenticated"] = !needs_auth;
    }
    auto tok = db.prepare(
      "SELECT count(*) FROM provider_tokens WHERE provider = ?1 AND "
      "(access_token IS NOT NULL OR refresh_token IS NOT NULL)");
    tok.bind(1, std::string_view{name});
    if (tok.step() && tok.int64(0) > 0)
      p["authenticated"] = true;
    auto st = db.prepare(
      "SELECT breaker_state, last_success_at, last_error, "
      "blocked_until FROM provider_state WHERE provider = ?1");
    st.bind(1, std::string_view{name});
    if (st.step()) {
      p["circuit_breaker"] = st.text(0);
      p["circuit_breaker_open"] = st.text(0) != "closed";
      if (auto t = st.opt_int64(1))
        p["last_successful_call"] = iso8601(*t);
      if (auto e = st.opt_text(2))
        p["last_error"] = *e;
      if (auto b = st.opt_int64(3); b && *b > now_ms())
        p["blocked_until"] = iso8601(*b);
    }
    auto errs = db.prepare(
      "SELECT count(*) FROM provider_errors WHERE provider = ?1 AND at >= ?2");
    errs.bind(1, std::string_view{name});
    errs.bind(2, day_ago);
    if (errs.step())
      p["errors_24h"] = errs.int64(0);
    list.push_back(p);
  }
  return json{
    {"totals", totals}, {"providers", list}, {"taken_at", iso8601(now_ms())}};
}

http::reader_router default_reader_routes() {
  http::reader_router r;
  http::add_library_routes(r);
  http::add_playlist_routes(r);
  return r;
}

reader_actor::behavior_type
reader(reader_actor::stateful_pointer<reader_state> self, reader_config cfg) {
  self->state.config = std::move(cfg);
  self->state.log = log::get("reader");
  try {
    self->state.db = storage::database::open(
      self->state.config.db_path, storage::database::mode::read_only);
  } catch (const std::exception& e) {
    self->state.log->error("cannot open database for reading: {}", e.what());
  }
  return {
    [self](atom::http, http_exchange& ex) {
      auto& st = self->state;
      if (!st.db)
        return ex.reply(http::json_error(503, "database_unavailable",
                                         "the database cannot be read"));
      auto route = st.config.routes.match(ex.request);
      if (route.error)
        return ex.reply(std::move(*route.error));
      std::optional<http::api_outcome> outcome;
      try {
        outcome = (*route.handler)(ex.request, route.params, st.db);
      } catch (const std::exception& e) {
        st.log->error("{} {} failed: {}", ex.request.method, ex.request.path,
                      e.what());
        return ex.reply(http::json_error(500, "internal_error", e.what()));
      }
      if (!outcome->write)
        return ex.reply(std::move(outcome->res));
      auto reply = ex.reply;
      auto res = std::move(outcome->res);
      self
        ->request(st.config.store, std::chrono::seconds(30), atom::write_v,
                  std::move(*outcome->write))
        .then(
          [reply, res](const write_ack&) { reply(res); },
          [reply](const caf::error& err) {
            auto constraint
              = err.category() == error_category()
                && err.code() == static_cast<uint8_t>(ec::constraint_violation);
            reply(http::json_error(constraint ? 409 : 500,
                                   constraint ? "conflict" : "database_error",
                                   render(err)));
          });
    },
    [self](atom::status) -> std::string {
      auto& st = self->state;
      if (!st.db)
        return json{{"error", "database_unavailable"}}.dump();
      try {
        return status_snapshot(st.db, st.config.providers).dump();
      } catch (const std::exception& e) {
        return json{{"error", e.what()}}.dump();
      }
    },
  };
}

} // namespace discotheque
