#define CAF_SUITE http.api.settings
#include "fixture.hpp"

#include "http/api/settings.hpp"
#include "messages/error.hpp"

using namespace discotheque;
using namespace discotheque::http;
using json = nlohmann::json;

namespace {

struct fixture {
  supervisor_status tasks;
  settings_snapshot db;

  fixture() {
    task_status scan;
    scan.name = "scan_local_library";
    scan.enabled = true;
    scan.default_enabled = true;
    scan.interval_s = 600;
    scan.default_interval_s = 3600;
    tasks.tasks.push_back(scan);
    db.values["library.auto_queue_downloads"] = "true";
    db.values["library.image_download_concurrency"] = "\"many\""; // unusable
    db.playlists.push_back(playlist_setting{7, "Road", "spotify", "disabled"});
  }

  /// The entry of `key` in the GET answer (by value: CAF_CHECK_* keep
  /// references).
  json entry(const std::string& key) {
    auto all = settings_json(tasks, db);
    for (const auto& e : all["settings"])
      if (e["key"] == key)
        return e;
    return nullptr;
  }

  /// The error text of a PUT body (empty when it is valid).
  std::string error_of(const std::string& body) {
    auto c = parse_settings_change(body, tasks, db, 1000);
    return c ? std::string{} : user_message(c.error());
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(settings_tests, fixture)

CAF_TEST(every setting is listed with its value default type and description) {
  auto aq = entry("library.auto_queue_downloads");
  CAF_CHECK_EQUAL(aq["value"], true);
  CAF_CHECK_EQUAL(aq["default"], false);
  CAF_CHECK_EQUAL(aq["type"], "boolean");
  CAF_CHECK(aq["warning"].get<std::string>().find("bandwidth")
            != std::string::npos);
  // A stored value of the wrong type shows the default.
  auto conc = entry("library.image_download_concurrency");
  CAF_CHECK_EQUAL(conc["value"], 5);
  CAF_CHECK_EQUAL(conc["min"], 1);
  // A stored integer (parsed as unsigned) is shown as it is.
  db.values["library.image_download_concurrency"] = "3";
  auto three = entry("library.image_download_concurrency");
  CAF_CHECK_EQUAL(three["value"], 3);
  auto interval = entry("tasks.scan_local_library.interval_seconds");
  CAF_CHECK_EQUAL(interval["value"], 600);
  CAF_CHECK_EQUAL(interval["default"], 3600);
  auto enabled = entry("tasks.scan_local_library.enabled");
  CAF_CHECK_EQUAL(enabled["value"], true);
  auto mode = entry("playlists.7.sync_mode");
  CAF_CHECK_EQUAL(mode["value"], "disabled");
  CAF_CHECK_EQUAL(mode["choices"].size(), 3u);
  CAF_CHECK(mode["description"].get<std::string>().find("Road")
            != std::string::npos);
}

CAF_TEST(a valid change groups task fields and keeps the other statements) {
  auto c = parse_settings_change(
    R"({"tasks.scan_local_library.enabled": false,
        "tasks.scan_local_library.interval_seconds": 120,
        "library.auto_queue_downloads": false,
        "playlists.7.sync_mode": "auto_own_tracks"})",
    tasks, db, 1000);
  CAF_REQUIRE(c);
  CAF_REQUIRE_EQUAL(c->tasks.size(), 1u);
  auto t = c->tasks[0];
  CAF_CHECK_EQUAL(t.task, "scan_local_library");
  CAF_CHECK(t.patch.set_enabled && !t.patch.enabled);
  CAF_CHECK(t.patch.set_interval);
  CAF_CHECK_EQUAL(t.patch.interval_s, 120);
  CAF_REQUIRE_EQUAL(c->other.statements.size(), 2u);
  auto joined = c->other.statements[0].sql + c->other.statements[1].sql;
  CAF_CHECK(joined.find("settings") != std::string::npos);
  CAF_CHECK(joined.find("playlists") != std::string::npos);
}

CAF_TEST(an empty object changes nothing) {
  auto c = parse_settings_change("{}", tasks, db, 1000);
  CAF_REQUIRE(c);
  CAF_CHECK(c->tasks.empty());
  CAF_CHECK(c->other.statements.empty());
}

CAF_TEST(every bad key is named and nothing is changed) {
  auto e = error_of(R"({"library.auto_queue_downloads": true,
                        "library.nope": 1,
                        "tasks.scan_local_library.interval_seconds": 0,
                        "playlists.8.sync_mode": "disabled",
                        "playlists.7.sync_mode": "sometimes"})");
  CHECK_MSG(e.find("unknown setting 'library.nope'") != std::string::npos, e);
  CHECK_MSG(e.find("'tasks.scan_local_library.interval_seconds' must be an "
                   "integer from 1 to 2592000")
              != std::string::npos,
            e);
  CHECK_MSG(
    e.find("unknown setting 'playlists.8.sync_mode'") != std::string::npos, e);
  CHECK_MSG(e.find("'playlists.7.sync_mode' must be one of reference_only")
              != std::string::npos,
            e);
  CAF_CHECK(e.find("nothing was changed") != std::string::npos);
  CAF_CHECK(e.find("auto_queue") == std::string::npos);
}

CAF_TEST(wrong types and bodies are refused) {
  CAF_CHECK(error_of(R"({"library.auto_queue_downloads": "yes"})")
              .find("must be true or false")
            != std::string::npos);
  CAF_CHECK(error_of(R"({"library.image_download_concurrency": 2.5})")
              .find("must be an integer")
            != std::string::npos);
  CAF_CHECK(error_of(R"({"library.image_download_concurrency": 65})")
              .find("from 1 to 64")
            != std::string::npos);
  CAF_CHECK(error_of("[1]").find("JSON object") != std::string::npos);
  CAF_CHECK(error_of("{").find("not valid JSON") != std::string::npos);
  CAF_CHECK(error_of(R"({"tasks.unknown_task.enabled": true})")
              .find("unknown setting 'tasks.unknown_task.enabled'")
            != std::string::npos);
  CAF_CHECK(error_of(R"({"library.image_download_concurrency": 64})").empty());
}

CAF_TEST(provider credentials are listed as set or unset and never shown) {
  db.credentials_set = {"providers.spotify.refresh_token"};
  db.values["providers.deezer.enabled"] = "true";
  auto token = entry("providers.spotify.refresh_token");
  CAF_CHECK_EQUAL(token["value"], "set");
  CAF_CHECK_EQUAL(token["type"], "secret");
  CAF_CHECK_EQUAL(token["write_only"], true);
  CAF_CHECK_EQUAL(token["default"], "unset");
  auto secret = entry("providers.spotify.client_secret");
  CAF_CHECK_EQUAL(secret["value"], "unset");
  auto key = entry("providers.slskd.api_key");
  CAF_CHECK_EQUAL(key["value"], "unset");
  auto deezer = entry("providers.deezer.enabled");
  CAF_CHECK_EQUAL(deezer["value"], true);
  CAF_CHECK_EQUAL(deezer["type"], "boolean");
  // no credential for a public catalogue, and no switch either
  auto mb = entry("providers.musicbrainz.enabled");
  CAF_CHECK(mb.is_null());
  auto tidal_secret = entry("providers.tidal.client_secret");
  CAF_CHECK(tidal_secret.is_null()); // a PKCE client has none
}

CAF_TEST(a credential change is stored and names the provider to respawn) {
  auto c = parse_settings_change(
    R"({"providers.deezer.access_token": "tok-1",
        "providers.deezer.enabled": true,
        "providers.spotify.refresh_token": "ref-1",
        "providers.spotify.client_secret": ""})",
    tasks, db, 1000);
  CAF_REQUIRE(c);
  CAF_CHECK(c->tasks.empty());
  auto providers = c->providers;
  CAF_REQUIRE_EQUAL(providers.size(), 2u);
  CAF_CHECK_EQUAL(providers[0], "deezer");
  CAF_CHECK_EQUAL(providers[1], "spotify");
  auto& stmts = c->other.statements;
  CAF_REQUIRE_EQUAL(stmts.size(), 4u);
  std::string all;
  for (const auto& st : stmts)
    all += st.sql + "\n";
  CHECK_MSG(all.find("INSERT INTO settings") != std::string::npos, all);
  CHECK_MSG(all.find("provider_tokens") != std::string::npos, all);
  CHECK_MSG(all.find("DELETE FROM settings") != std::string::npos, all);
}

CAF_TEST(a credential of the wrong type or an unknown one changes nothing) {
  auto e = error_of(R"({"providers.deezer.access_token": 5,
                        "providers.deezer.password": "x",
                        "providers.musicbrainz.enabled": false,
                        "providers.deezer.enabled": "yes"})");
  CHECK_MSG(e.find("'providers.deezer.access_token' must be a string")
              != std::string::npos,
            e);
  CHECK_MSG(e.find("unknown setting 'providers.deezer.password'")
              != std::string::npos,
            e);
  CHECK_MSG(e.find("unknown setting 'providers.musicbrainz.enabled'")
              != std::string::npos,
            e);
  CHECK_MSG(e.find("'providers.deezer.enabled' must be true or false")
              != std::string::npos,
            e);
  // the value is never repeated in the error
  auto e2 = error_of(R"({"providers.deezer.access_token": ["sekrit"]})");
  CAF_CHECK(e2.find("sekrit") == std::string::npos);
}

CAF_TEST(the metadata profile and new release days are validated) {
  auto p = entry("library.metadata_profile");
  auto def = p["value"].dump();
  CAF_CHECK_EQUAL(def,
                  R"({"primary_types":["Album","EP"],"secondary_types":[]})");
  CAF_CHECK_EQUAL(p["type"], "profile");
  CAF_CHECK_EQUAL(p["secondary_types"].size(), 10u);
  auto days = entry("library.new_release_days");
  CAF_CHECK_EQUAL(days["value"], 30);
  auto c = parse_settings_change(
    R"({"library.metadata_profile": {"primary_types": ["album", "ep"],
        "secondary_types": ["live"]}, "library.new_release_days": 7})",
    tasks, db, 1000);
  CAF_REQUIRE(c);
  CAF_REQUIRE_EQUAL(c->other.statements.size(), 2u);
  std::string stored;
  for (const auto& st : c->other.statements)
    for (const auto& v : st.params)
      stored += v.s + " ";
  CHECK_MSG(stored.find(R"({"primary_types":["Album","EP"],)"
                        R"("secondary_types":["Live"]})")
              != std::string::npos,
            stored);
  auto e = error_of(R"({"library.metadata_profile": {"primary_types":
    ["Album", "Bootleg"], "secondary_types": []}, "library.new_release_days":
    30})");
  CHECK_MSG(e.find("'library.metadata_profile'") != std::string::npos, e);
  CHECK_MSG(e.find("unknown type 'Bootleg'") != std::string::npos, e);
  CAF_CHECK(e.find("nothing was changed") != std::string::npos);
  CAF_CHECK(error_of(R"({"library.new_release_days": 0})")
              .find("'library.new_release_days' must be an integer")
            != std::string::npos);
  // a stored profile that is no longer valid shows the default
  db.values["library.metadata_profile"] = R"({"primary_types": ["LP"]})";
  auto bad = entry("library.metadata_profile")["value"].dump();
  CAF_CHECK_EQUAL(bad, def);
}

CAF_TEST_FIXTURE_SCOPE_END()
