#define CAF_SUITE actors.reader
#include "fixture.hpp"

#include "actors/reader.hpp"
#include "actors/sources/providers.hpp"
#include "actors/store.hpp"
#include "http/api/status.hpp"
#include "messages/error.hpp"
#include "storage/database.hpp"

#include <caf/event_based_actor.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

using namespace discotheque;
using nlohmann::json;

namespace {

struct fixture : test::fixture_base {
  test::temp_dir dir;
  store_actor st;
  reader_actor rd;

  fixture() {
    // The store creates and migrates the database.
    store_config sc;
    sc.db_path = dir / "library.db";
    sc.retry_delay = std::chrono::milliseconds(5);
    st = sys.spawn(store, sc);
    sched.run();
    auto rw = storage::database::open(sc.db_path);
    rw.exec(R"(
      INSERT INTO artists(id, name, normalized_name, ownership_state, primary_source)
        VALUES (1, 'Björk', 'bjork', 'owned', 'local'),
               (2, 'Daft Punk', 'daft punk', 'discovered', 'spotify');
      INSERT INTO albums(id, title, normalized_title, ownership_state, primary_source)
        VALUES (10, 'Homogenic', 'homogenic', 'owned', 'local');
      INSERT INTO tracks(id, title, normalized_title, album_id, artist_id, ownership_state,
                         primary_source, download_state)
        VALUES (100, 'Jóga', 'joga', 10, 1, 'owned', 'local', 'downloaded'),
               (101, 'Get Lucky', 'get lucky', NULL, 2, 'discovered', 'spotify', 'not_needed');
      INSERT INTO playlists(id, name, provider, provider_id)
        VALUES (7, 'Mix', 'spotify', 'pl7');
    )");
  }

  ~fixture() {
    if (rd)
      anon_send_exit(rd, caf::exit_reason::user_shutdown);
    anon_send_exit(st, caf::exit_reason::user_shutdown);
    sched.run();
  }

  void spawn_reader(std::map<std::string, provider_config> providers = {},
                    store_actor writer = {}) {
    reader_config cfg;
    cfg.db_path = dir / "library.db";
    cfg.store = writer ? writer : st;
    cfg.providers = std::move(providers);
    cfg.routes = default_reader_routes();
    rd = sys.spawn(reader, cfg);
    sched.run();
  }

  json status() {
    auto result = std::make_shared<library_snapshot>();
    sys.spawn([=, rd = rd](caf::event_based_actor* self) {
      self->request(rd, caf::infinite, atom::status_v)
        .then([=](const library_snapshot& x) { *result = x; });
    });
    sched.run();
    // As the status API renders it.
    return http::snapshot_json(*result);
  }

  /// Sends one request; the response the reader answered (nullopt: none).
  /// `on_reply` runs when the responder is called, before it returns.
  std::optional<http::response>
  exchange(const std::string& method, const std::string& path,
           std::string body = "", std::function<void()> on_reply = {}) {
    auto got = std::make_shared<std::optional<http::response>>();
    http_exchange ex;
    ex.request.method = method;
    ex.request.path = path;
    ex.request.target = path;
    ex.request.body = std::move(body);
    ex.reply = http::responder{[got, on_reply](http::response r) {
      if (on_reply)
        on_reply();
      *got = std::move(r);
    }};
    caf::anon_send(rd, atom::http_v, std::move(ex));
    sched.run();
    return *got;
  }

  settings_snapshot settings() {
    auto result = std::make_shared<settings_snapshot>();
    result->error = "<no answer>";
    sys.spawn([=, rd = rd](caf::event_based_actor* self) {
      self->request(rd, caf::infinite, atom::settings_v)
        .then([=](const settings_snapshot& x) { *result = x; });
    });
    sched.run();
    return *result;
  }

  std::string sync_mode(int64_t playlist) {
    auto db = storage::database::open(dir / "library.db",
                                      storage::database::mode::read_only);
    return db
      .query_text("SELECT sync_mode FROM playlists WHERE id = "
                  + std::to_string(playlist))
      .value_or("?");
  }
};

/// A store whose every write fails with `err`.
store_actor::behavior_type failing_store(store_actor::pointer, caf::error err) {
  return {
    [err](atom::write, const write_request&) -> caf::result<write_ack> {
      return err;
    },
    [](atom::stats) { return store_stats{}; },
    [](atom::flush_atom) {},
    [](atom::inspect_atom) { return actor_summary{}; },
  };
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(reader_tests, fixture)

CAF_TEST(the status snapshot has the totals and every provider) {
  provider_config spotify;
  spotify.enabled = true;
  spotify.refresh_token = "r";
  spawn_reader({{"spotify", spotify}});
  auto s = status();
  CAF_REQUIRE(s.contains("totals"));
  const auto& t = s["totals"];
  CAF_CHECK_EQUAL(t["artists"], 2);
  CAF_CHECK_EQUAL(t["albums"], 1);
  CAF_CHECK_EQUAL(t["tracks"], 2);
  CAF_CHECK_EQUAL(t["playlists"], 1);
  CAF_CHECK_EQUAL(t["owned_artists"], 1);
  CAF_CHECK_EQUAL(t["owned_albums"], 1);
  CAF_CHECK_EQUAL(t["owned_tracks"], 1);
  CAF_CHECK(t.contains("pending_downloads"));
  CAF_CHECK(s.contains("taken_at"));
  const auto& all = providers();
  CAF_REQUIRE_EQUAL(s["providers"].size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    const auto& p = s["providers"][i];
    const auto& d = all[i];
    CAF_CHECK_EQUAL(p["name"], d.name);
    CAF_CHECK_EQUAL(p["circuit_breaker"], "closed");
    CAF_CHECK_EQUAL(p["circuit_breaker_open"], false);
    CAF_CHECK_EQUAL(p["errors_24h"], 0);
    CAF_CHECK_EQUAL(p["needs_auth"], d.needs_auth());
    if (d.name == "spotify") {
      CAF_CHECK_EQUAL(p["enabled"], true);
      CAF_CHECK_EQUAL(p["authenticated"], true);
    } else if (d.kind == provider_kind::metadata) {
      // a public catalogue: used without configuration, no account
      CAF_CHECK_EQUAL(p["kind"], "metadata");
      CAF_CHECK_EQUAL(p["enabled"], true);
      CAF_CHECK(p["authenticated"].is_null());
    } else if (d.kind == provider_kind::download_client) {
      // slskd: a download client, off until configured
      CAF_CHECK_EQUAL(p["kind"], "download_client");
      CAF_CHECK_EQUAL(p["enabled"], false);
    } else {
      CAF_CHECK_EQUAL(p["kind"], "account");
      CAF_CHECK_EQUAL(p["enabled"], false);
      CAF_CHECK_EQUAL(p["authenticated"], !d.needs_auth());
    }
  }
  CAF_CHECK(find_provider("musicbrainz") != nullptr);
}

CAF_TEST(the status snapshot shows an open breaker) {
  {
    auto rw = storage::database::open(dir / "library.db");
    rw.exec("INSERT INTO provider_state(provider, breaker_state, last_error) "
            "VALUES ('spotify', 'open', 'boom')");
  }
  spawn_reader();
  auto s = status();
  bool seen = false;
  for (const auto& p : s["providers"])
    if (p["name"] == "spotify") {
      seen = true;
      CAF_CHECK_EQUAL(p["circuit_breaker"], "open");
      CAF_CHECK_EQUAL(p["circuit_breaker_open"], true);
      CAF_CHECK_EQUAL(p["last_error"], "boom");
    }
  CAF_CHECK(seen);
}

CAF_TEST(a GET of the artists is answered from the read connection) {
  spawn_reader();
  auto res = exchange("GET", "/api/library/artists");
  CAF_REQUIRE(res.has_value());
  CAF_CHECK_EQUAL(res->status, 200);
  CAF_CHECK_EQUAL(res->content_type, "application/json");
  auto body = json::parse(res->body);
  CAF_CHECK_EQUAL(body["total"], 2);
  CAF_REQUIRE_EQUAL(body["items"].size(), 2u);
  std::vector<std::string> names;
  for (const auto& a : body["items"])
    names.push_back(a["name"].get<std::string>());
  std::sort(names.begin(), names.end());
  CAF_CHECK_EQUAL(names, (std::vector<std::string>{"Björk", "Daft Punk"}));
}

CAF_TEST(an unknown path is a 404 and a wrong method a 405) {
  spawn_reader();
  auto res = exchange("GET", "/api/library/nothing-here");
  CAF_REQUIRE(res.has_value());
  CAF_CHECK_EQUAL(res->status, 404);
  auto wrong = exchange("DELETE", "/api/library/playlists/7");
  CAF_REQUIRE(wrong.has_value());
  CAF_CHECK_EQUAL(wrong->status, 405);
  // a playlist that does not exist is the handler's 404, with no write
  auto missing = exchange("PUT", "/api/library/playlists/999",
                          R"({"sync_mode":"disabled"})");
  CAF_REQUIRE(missing.has_value());
  CAF_CHECK_EQUAL(missing->status, 404);
}

CAF_TEST(a PUT of a playlist is answered after the store committed it) {
  spawn_reader();
  CAF_REQUIRE_EQUAL(sync_mode(7), "reference_only");
  auto mode_at_reply = std::make_shared<std::string>();
  auto res = exchange("PUT", "/api/library/playlists/7",
                      R"({"sync_mode":"auto_own_tracks"})",
                      [this, mode_at_reply] { *mode_at_reply = sync_mode(7); });
  CAF_REQUIRE(res.has_value());
  CHECK_MSG(res->status == 200, res->body);
  auto body = json::parse(res->body);
  CAF_CHECK_EQUAL(body["sync_mode"], "auto_own_tracks");
  // the row already had the new mode when the answer went out
  CAF_CHECK_EQUAL(*mode_at_reply, "auto_own_tracks");
  // a bad body is refused before any write
  auto bad = exchange("PUT", "/api/library/playlists/7",
                      R"({"sync_mode":"sometimes"})");
  CAF_REQUIRE(bad.has_value());
  CAF_CHECK_EQUAL(bad->status, 400);
  CAF_CHECK_EQUAL(sync_mode(7), "auto_own_tracks");
}

CAF_TEST(a failed write is answered with 409 or 500 instead) {
  auto conflict = sys.spawn(failing_store,
                            make_error(ec::constraint_violation, "dup"));
  spawn_reader({}, conflict);
  auto res = exchange("PUT", "/api/library/playlists/7",
                      R"({"sync_mode":"disabled"})");
  CAF_REQUIRE(res.has_value());
  CAF_CHECK_EQUAL(res->status, 409);
  anon_send_exit(rd, caf::exit_reason::user_shutdown);
  auto broken = sys.spawn(failing_store,
                          make_error(ec::database_error, "disk on fire"));
  spawn_reader({}, broken);
  res = exchange("PUT", "/api/library/playlists/7",
                 R"({"sync_mode":"disabled"})");
  CAF_REQUIRE(res.has_value());
  CAF_CHECK_EQUAL(res->status, 500);
  CAF_CHECK_EQUAL(sync_mode(7), "reference_only");
  anon_send_exit(conflict, caf::exit_reason::user_shutdown);
  anon_send_exit(broken, caf::exit_reason::user_shutdown);
}

CAF_TEST(without a readable database every request is a 503) {
  reader_config cfg;
  cfg.db_path = dir / "missing" / "none.db";
  cfg.store = st;
  cfg.routes = default_reader_routes();
  rd = sys.spawn(reader, cfg);
  sched.run();
  auto res = exchange("GET", "/api/library/artists");
  CAF_REQUIRE(res.has_value());
  CAF_CHECK_EQUAL(res->status, 503);
  auto s = status();
  CHECK_MSG(s.contains("error"), s.dump());
  CAF_CHECK_EQUAL(settings().error, "database_unavailable");
}

CAF_TEST(the settings snapshot has the settings rows and the playlists) {
  spawn_reader();
  auto s = settings();
  CAF_CHECK_EQUAL(s.error, "");
  CAF_CHECK_EQUAL(s.values["library.auto_queue_downloads"], "false");
  CAF_CHECK_EQUAL(s.values["library.image_download_concurrency"], "5");
  CAF_REQUIRE_EQUAL(s.playlists.size(), 1u);
  auto p = s.playlists[0];
  CAF_CHECK_EQUAL(p.id, 7);
  CAF_CHECK_EQUAL(p.name, "Mix");
  CAF_CHECK_EQUAL(p.provider, "spotify");
  CAF_CHECK_EQUAL(p.sync_mode, "reference_only");
}

CAF_TEST(the settings snapshot never carries a credential) {
  {
    auto rw = storage::database::open(dir / "library.db");
    rw.exec(R"(
      INSERT INTO settings(key, value) VALUES
        ('providers.deezer.access_token', '"sekrit-1"'),
        ('providers.deezer.enabled', 'true');
      INSERT INTO provider_tokens(provider, refresh_token)
        VALUES ('tidal', 'sekrit-2');
    )");
  }
  std::map<std::string, provider_config> providers;
  providers["slskd"].access_token = "sekrit-3"; // the config file's api_key
  spawn_reader(providers);
  auto s = settings();
  CAF_CHECK_EQUAL(s.error, "");
  for (const auto& [k, v] : s.values)
    CHECK_MSG(v.find("sekrit") == std::string::npos, k);
  CAF_CHECK(s.values.count("providers.deezer.access_token") == 0);
  auto deezer_on = s.values["providers.deezer.enabled"];
  CAF_CHECK_EQUAL(deezer_on, "true");
  auto spotify_on = s.values["providers.spotify.enabled"]; // the config's
  CAF_CHECK_EQUAL(spotify_on, "false");
  auto set = s.credentials_set;
  std::sort(set.begin(), set.end());
  CAF_REQUIRE_EQUAL(set.size(), 3u);
  CAF_CHECK_EQUAL(set[0], "providers.deezer.access_token");
  CAF_CHECK_EQUAL(set[1], "providers.slskd.api_key");
  CAF_CHECK_EQUAL(set[2], "providers.tidal.refresh_token");
  // the provider status follows what the settings API stored
  auto ro = storage::database::open(dir / "library.db",
                                    storage::database::mode::read_only);
  auto snap = status_snapshot(ro, providers);
  auto deezer = std::find_if(snap.providers.begin(), snap.providers.end(),
                             [](const auto& p) { return p.name == "deezer"; });
  CAF_REQUIRE(deezer != snap.providers.end());
  CAF_CHECK(deezer->enabled);
  CAF_CHECK(deezer->authenticated);
}

CAF_TEST_FIXTURE_SCOPE_END()
