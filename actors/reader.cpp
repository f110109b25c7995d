#include "actors/reader.hpp"

#include "actors/inspect.hpp"
#include "http/api/actions.hpp"
#include "http/api/artist_settings.hpp"
#include "http/api/downloads.hpp"
#include "http/api/identify.hpp"
#include "http/api/images.hpp"
#include "http/api/library.hpp"
#include "http/api/playlists.hpp"

#include "actors/sources/providers.hpp"
#include "messages/error.hpp"
#include "storage/queries/library.hpp"
#include "storage/queries/providers.hpp"
#include "storage/queries/settings.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <nlohmann/json.hpp>

namespace discotheque {

library_snapshot
status_snapshot(storage::database& db,
                const std::map<std::string, provider_config>& providers) {
  library_snapshot snap;
  snap.totals = storage::queries::totals(db);
  auto now = now_ms();
  auto day_ago = now - 24 * 3600 * 1000;
  // Only providers that exist as descriptors.
  for (const auto& d : discotheque::providers()) {
    provider_state_view p;
    p.name = d.name;
    p.metadata = d.kind == provider_kind::metadata;
    p.needs_auth = d.needs_auth();
    auto cfg = providers.find(d.name);
    provider_config pc;
    if (cfg != providers.end())
      pc = cfg->second;
    auto saved = storage::read_provider(db, d.name, day_ago);
    pc = with_persisted(pc, saved.settings);
    p.enabled = d.enabled_in(pc);
    // Providers with public endpoints need no credential.
    p.authenticated = !p.needs_auth || !pc.refresh_token.empty()
                      || !pc.access_token.empty();
    if (saved.has_tokens)
      p.authenticated = true;
    if (saved.has_state) {
      const auto& s = saved.status;
      p.circuit_breaker = s.breaker_state;
      p.last_successful_call = s.last_success_at;
      p.last_error = s.last_error;
      if (s.blocked_until > now_ms())
        p.blocked_until = s.blocked_until;
    }
    p.errors_24h = static_cast<int64_t>(saved.errors.size());
    snap.providers.push_back(std::move(p));
  }
  snap.taken_at = now_ms();
  return snap;
}

settings_snapshot
settings_snapshot_of(storage::database& db,
                     const std::map<std::string, provider_config>& providers) {
  auto snap = storage::read_settings(db);
  for (const auto& d : discotheque::providers()) {
    auto prefix = "providers." + d.name + ".";
    provider_config pc;
    if (auto cfg = providers.find(d.name); cfg != providers.end())
      pc = cfg->second;
    // Without a row, a provider's enablement is the config file's.
    if (d.user_enabled())
      snap.values.emplace(prefix + "enabled",
                          d.enabled_in(pc) ? "true" : "false");
    auto keys = d.credentials();
    if (keys.empty())
      continue;
    auto saved = storage::read_provider(db, d.name, now_ms());
    auto from_config = [&](const std::string& field) -> const std::string& {
      if (field == "client_id")
        return pc.client_id;
      if (field == "client_secret")
        return pc.client_secret;
      if (field == "refresh_token")
        return pc.refresh_token;
      return pc.access_token; // access_token, api_key
    };
    for (const auto& k : keys) {
      auto key = prefix + k.field;
      auto row = snap.values.find(key);
      bool set = !from_config(k.field).empty();
      if (row != snap.values.end()) {
        set = set || row->second != "\"\"";
        snap.values.erase(row); // write-only: the value goes no further
      }
      if (k.field == "refresh_token")
        set = set || !saved.refresh_token.empty();
      if (k.field == "access_token")
        set = set || !saved.access_token.empty();
      if (set)
        snap.credentials_set.push_back(key);
    }
  }
  return snap;
}

http::reader_router default_reader_routes() {
  http::reader_router r;
  http::add_library_routes(r);
  http::add_playlist_routes(r);
  http::add_identify_routes(r);
  http::add_image_routes(r);
  http::add_action_routes(r);
  http::add_download_routes(r);
  http::add_artist_settings_routes(r);
  return r;
}

namespace {

/// `read(db)`, or an `R` whose `error` says why there is none (no readable
/// database, or the read threw).
template <class R, class Read>
R guarded(reader_actor::stateful_pointer<reader_state> self, Read read) {
  R failed;
  if (!self->state.db) {
    failed.error = "database_unavailable";
    return failed;
  }
  try {
    return read(self->state.db);
  } catch (const std::exception& e) {
    failed.error = e.what();
    return failed;
  }
}

actor_summary summary_of(reader_actor::stateful_pointer<reader_state> self) {
  const auto& st = self->state;
  nlohmann::json details{{"database", static_cast<bool>(st.db)},
                         {"db_path", st.config.db_path.string()}};
  return inspection::summarize(
    self, "reader",
    st.db ? "read-only connection open" : "no database connection", details);
}

} // namespace

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
    [self](atom::status) {
      return guarded<library_snapshot>(self, [self](storage::database& db) {
        return status_snapshot(db, self->state.config.providers);
      });
    },
    [self](atom::settings) {
      return guarded<settings_snapshot>(self, [self](storage::database& db) {
        return settings_snapshot_of(db, self->state.config.providers);
      });
    },
    [self](atom::inspect_atom) { return summary_of(self); },
  };
}

} // namespace discotheque
