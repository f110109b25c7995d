#include "actors/reader.hpp"

#include "http/api/actions.hpp"
#include "http/api/library.hpp"
#include "http/api/playlists.hpp"

#include "actors/sources/providers.hpp"
#include "messages/error.hpp"
#include "storage/queries/library.hpp"
#include "storage/queries/providers.hpp"
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
  // Only providers that exist as descriptors: MusicBrainz and Cover Art
  // Archive are accepted config keys, but not shown before they are built.
  for (const auto& name : provider_names()) {
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
    // Providers with public endpoints need no credential.
    const auto* d = find_provider(name);
    bool needs_auth = d && d->needs_auth();
    if (cfg != providers.end()) {
      p["enabled"] = cfg->second.enabled;
      p["authenticated"] = !needs_auth || !cfg->second.refresh_token.empty()
                           || !cfg->second.access_token.empty();
    } else {
      p["authenticated"] = !needs_auth;
    }
    auto saved = storage::read_provider(db, name, day_ago);
    if (saved.has_tokens)
      p["authenticated"] = true;
    if (saved.has_state) {
      const auto& s = saved.status;
      p["circuit_breaker"] = s.breaker_state;
      p["circuit_breaker_open"] = s.breaker_state != "closed";
      if (s.last_success_at != 0)
        p["last_successful_call"] = iso8601(s.last_success_at);
      if (!s.last_error.empty())
        p["last_error"] = s.last_error;
      if (s.blocked_until > now_ms())
        p["blocked_until"] = iso8601(s.blocked_until);
    }
    p["errors_24h"] = static_cast<int64_t>(saved.errors.size());
    list.push_back(p);
  }
  return json{
    {"totals", totals}, {"providers", list}, {"taken_at", iso8601(now_ms())}};
}

http::reader_router default_reader_routes() {
  http::reader_router r;
  http::add_library_routes(r);
  http::add_playlist_routes(r);
  http::add_action_routes(r);
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
