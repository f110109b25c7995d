#define CAF_SUITE actors.tasks.expand_discography
#include "fixture.hpp"

#include "actors/dedup/dedup_store.hpp"
#include "actors/store.hpp"
#include "actors/tasks/expand_discography.hpp"
#include "messages/error.hpp"
#include "storage/database.hpp"
#include "support/time.hpp"

#include <nlohmann/json.hpp>

using namespace discotheque;
using nlohmann::json;

namespace {

constexpr const char* weezer = "c0000000-0000-4000-8000-000000000002";
constexpr const char* nirvana = "5b11f4ce-a62d-471e-81fc-a69a8278c7da";
constexpr const char* stranger = "c0000000-0000-4000-8000-000000000009";

using track_list = std::vector<std::string>;

const track_list blue{"My Name Is Jonas", "Buddy Holly", "Say It Ain't So"};
const track_list green{"Don't Let Go", "Photograph", "Hash Pipe"};
const track_list pinkerton{"Tired of Sex", "Getchoo", "El Scorcho",
                           "Pink Triangle"};
const track_list bleach{"Blew", "Floyd the Barber", "About a Girl"};

json credit(const char* mbid, const char* name) {
  return json::array({{{"name", name},
                       {"joinphrase", ""},
                       {"artist", {{"id", mbid}, {"name", name}}}}});
}

json release(const std::string& id, const std::string& title,
             const char* artist, const char* name, const track_list& list,
             bool tracks, const std::string& status = "Official",
             const std::string& date = "2001") {
  json medium{{"position", 1}, {"format", "CD"}, {"track-count", list.size()}};
  if (tracks) {
    auto ts = json::array();
    for (size_t i = 0; i < list.size(); ++i) {
      auto n = std::to_string(i + 1);
      ts.push_back(
        {{"id", id + "-t" + n},
         {"position", i + 1},
         {"number", n},
         {"title", list[i]},
         {"length", 200000},
         {"recording",
          {{"id", id + "-rec" + n}, {"title", list[i]}, {"length", 200000}}}});
    }
    medium["tracks"] = ts;
  }
  return {{"id", id},
          {"title", title},
          {"status", status},
          {"date", date},
          {"country", "US"},
          {"barcode", ""},
          {"artist-credit", credit(artist, name)},
          {"media", json::array({medium})}};
}

struct group {
  std::string id, title, type;
  std::vector<std::string> secondary;
  std::string date = "2001";
};

json groups_body(const std::vector<group>& groups, size_t offset,
                 size_t limit) {
  auto out = json::array();
  for (size_t i = offset; i < groups.size() && i < offset + limit; ++i) {
    const auto& g = groups[i];
    out.push_back({{"id", g.id},
                   {"title", g.title},
                   {"primary-type", g.type},
                   {"secondary-types", g.secondary},
                   {"first-release-date", g.date}});
  }
  return {{"release-group-count", groups.size()},
          {"release-group-offset", offset},
          {"release-groups", out}};
}

json list_body(std::vector<json> releases) {
  return {{"release-count", releases.size()},
          {"release-offset", 0},
          {"releases", releases}};
}

struct fake_mb {
  std::vector<std::pair<std::string, std::string>> answers;
  std::vector<std::string> calls;
};

provider_gateway_actor::behavior_type
fake_gateway(provider_gateway_actor::pointer, std::shared_ptr<fake_mb> mb) {
  return {
    [mb](atom::pfetch, http_call& call) -> caf::result<http_reply> {
      mb->calls.push_back(call.url);
      for (const auto& [part, body] : mb->answers)
        if (call.url.find(part) != std::string::npos) {
          http_reply r;
          r.status = 200;
          r.body = body;
          return r;
        }
      http_reply r;
      r.status = 404;
      r.body = R"({"error":"Not Found"})";
      return r;
    },
    [](atom::gw_retry, uint64_t) {},
    [](atom::status) { return provider_status{}; },
    [](atom::inspect_atom) { return actor_summary{}; },
  };
}

struct fixture : test::fixture_base {
  test::temp_dir dir;
  store_actor st;
  dedup_store_actor dd;
  task_env env;
  std::shared_ptr<fake_mb> mb = std::make_shared<fake_mb>();
  provider_gateway_actor gw;
  std::string today = iso8601(now_ms()).substr(0, 10);

  void exec(const std::string& sql) {
    auto db = storage::database::open(env.db_path);
    db.exec(sql);
  }

  void add_album(int64_t id, const std::string& title, int64_t artist,
                 const track_list& tracks, const std::string& rg = {}) {
    auto db = storage::database::open(env.db_path);
    db.run(sql_stmt{"INSERT INTO albums(id, title, normalized_title,"
                    " release_group_mbid, mbid, ownership_state) VALUES (?1,"
                    " ?2, lower(?2), ?3, ?4, 'owned')",
                    {sql_value::of(id), sql_value::of(title),
                     rg.empty() ? sql_value::null() : sql_value::of(rg),
                     rg.empty() ? sql_value::null()
                                : sql_value::of("r-" + rg.substr(3))}});
    db.run(sql_stmt{"INSERT INTO album_artists(album_id, artist_id) VALUES"
                    " (?1, ?2)",
                    {sql_value::of(id), sql_value::of(artist)}});
    for (size_t i = 0; i < tracks.size(); ++i)
      db.run(sql_stmt{
        "INSERT INTO tracks(title, normalized_title, album_id, artist_id,"
        " track_number, duration_ms, ownership_state, download_state)"
        " VALUES (?1, lower(?1), ?2, ?3, ?4, 200000, 'owned', 'downloaded')",
        {sql_value::of(tracks[i]), sql_value::of(id), sql_value::of(artist),
         sql_value::of(static_cast<int64_t>(i + 1))}});
  }

  fixture() {
    store_config cfg;
    cfg.db_path = dir / "library.db";
    st = sys.spawn(store, cfg);
    sched.run();
    env.cfg.data_dir = dir.path;
    env.db_path = cfg.db_path;
    env.store = st;
    env.detached = false;
    env.cfg.providers["musicbrainz"].api_base = "http://127.0.0.1:9/ws/2";
    exec("INSERT INTO artists(id, name, normalized_name, mbid, mbid_source,"
         " ownership_state) VALUES (1, 'Weezer', 'weezer', '"
         + std::string{weezer}
         + "', 'auto', 'owned'), (2, 'Nirvana',"
           " 'nirvana', '"
         + nirvana
         + "', 'auto', 'owned'), (3, 'Stranger',"
           " 'stranger', '"
         + stranger
         + "', 'auto', 'discovered'), (4,"
           " 'Nobody', 'nobody', NULL, NULL, 'owned')");
    add_album(10, "Weezer", 1, blue, "rg-blue");
    add_album(20, "Nevermind", 2, {"In Bloom"}, "rg-nevermind");
    // unidentified: the same release as "Bleach" by its tracks
    add_album(21, "Bleach (Deluxe Edition)", 2, bleach);
    // unidentified and self-titled, tracks of no release: held back
    add_album(22, "Nirvana", 2, {"Unknown One", "Unknown Two"});
    std::vector<group> weezer_groups{
      {"rg-blue", "Weezer", "Album", {}},
      {"rg-green", "Weezer", "Album", {}},
      {"rg-pinkerton", "Pinkerton", "Album", {}},
      {"rg-live", "Live in Tokyo", "Album", {"Live"}},
      {"rg-single", "Buddy Holly", "Single", {}},
      {"rg-new", "Brand New", "EP", {}, today},
    };
    std::vector<group> nirvana_groups{
      {"rg-nevermind", "Nevermind", "Album", {}},
      {"rg-bleach", "Bleach", "Album", {}},
      {"rg-nirvana", "Nirvana", "Album", {}},
      {"rg-incesticide", "Incesticide", "Album", {"Compilation"}},
    };
    auto browse = std::string{"release-group?artist="};
    mb->answers = {
      // two pages of three for Weezer
      {browse + weezer + "&limit=100&offset=0",
       groups_body(weezer_groups, 0, 3).dump()},
      {browse + weezer + "&limit=100&offset=3",
       groups_body(weezer_groups, 3, 3).dump()},
      {browse + nirvana, groups_body(nirvana_groups, 0, 100).dump()},
      {"release-group=rg-green&",
       list_body({release("r-green-boot", "Weezer", weezer, "Weezer", green,
                          false, "Bootleg", "2000"),
                  release("r-green-late", "Weezer", weezer, "Weezer", green,
                          false, "Official", "2005"),
                  release("r-green", "Weezer", weezer, "Weezer", green, false,
                          "Official", "2001")})
         .dump()},
      {"release/r-green?",
       release("r-green", "Weezer", weezer, "Weezer", green, true).dump()},
      {"release-group=rg-pinkerton&",
       list_body({release("r-pinkerton", "Pinkerton", weezer, "Weezer",
                          pinkerton, false)})
         .dump()},
      {"release/r-pinkerton?",
       release("r-pinkerton", "Pinkerton", weezer, "Weezer", pinkerton, true)
         .dump()},
      {"release-group=rg-single&",
       list_body({release("r-single", "Buddy Holly", weezer, "Weezer",
                          {"Buddy Holly"}, false)})
         .dump()},
      {"release/r-single?", release("r-single", "Buddy Holly", weezer, "Weezer",
                                    {"Buddy Holly"}, true)
                              .dump()},
      {"release-group=rg-new&",
       list_body({release("r-new", "Brand New", weezer, "Weezer",
                          {"Fresh One", "Fresh Two"}, false)})
         .dump()},
      {"release/r-new?", release("r-new", "Brand New", weezer, "Weezer",
                                 {"Fresh One", "Fresh Two"}, true)
                           .dump()},
      {"release-group=rg-bleach&",
       list_body({release("r-bleach", "Bleach", nirvana, "Nirvana", bleach,
                          false, "Official", "1989")})
         .dump()},
      {"release/r-bleach?", release("r-bleach", "Bleach", nirvana, "Nirvana",
                                    bleach, true, "Official", "1989")
                              .dump()},
      {"release-group=rg-nirvana&",
       list_body({release("r-nirvana", "Nirvana", nirvana, "Nirvana",
                          {"You Know You're Right", "About a Girl"}, false)})
         .dump()},
      {"release/r-nirvana?",
       release("r-nirvana", "Nirvana", nirvana, "Nirvana",
               {"You Know You're Right", "About a Girl"}, true)
         .dump()},
    };
    dd = sys.spawn(dedup_store, dedup_config{env.db_path,
                                             st,
                                             {"spotify", "deezer", "tidal"}});
    env.dedup = dd;
    gw = sys.spawn(fake_gateway, mb);
    sched.run();
  }

  ~fixture() {
    anon_send_exit(gw, caf::exit_reason::user_shutdown);
    anon_send_exit(dd, caf::exit_reason::user_shutdown);
    anon_send_exit(st, caf::exit_reason::user_shutdown);
    sched.run();
  }

  task_actor spawn_task(bool new_releases = false, bool with_gateway = true) {
    expand_discography_config ec;
    ec.env = env;
    ec.new_releases = new_releases;
    ec.task = new_releases ? "sync_new_releases" : "expand_discography";
    if (with_gateway)
      ec.gateway = gw;
    auto t = sys.spawn(expand_discography, ec);
    sched.run();
    return t;
  }

  json run(task_actor t, task_result& out, const std::string& name) {
    auto result = std::make_shared<task_result>();
    auto error = std::make_shared<std::string>();
    sys.spawn([=](caf::event_based_actor* self) {
      self
        ->request(t, caf::infinite, atom::run_v,
                  task_request{name, "manual", 7})
        .then([=](const task_result& r) { *result = r; },
              [=](const caf::error& err) { *error = render(err); });
    });
    sched.run();
    CHECK_MSG(error->empty(), *error);
    out = *result;
    return json::parse(result->stats_json.empty() ? "{}" : result->stats_json);
  }

  json expand(task_result& out) {
    auto t = spawn_task();
    auto stats = run(t, out, "expand_discography");
    anon_send_exit(t, caf::exit_reason::user_shutdown);
    sched.run();
    return stats;
  }

  std::string text(const std::string& sql) {
    auto db = storage::database::open(env.db_path,
                                      storage::database::mode::read_only);
    return db.query_text(sql).value_or("");
  }

  int64_t number(const std::string& sql) {
    auto db = storage::database::open(env.db_path,
                                      storage::database::mode::read_only);
    return db.query_int(sql).value_or(-1);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(expand_discography_tests, fixture)

CAF_TEST(missing albums of the profile are added as discovered) {
  task_result r;
  auto stats = expand(r);
  CAF_MESSAGE("stats " << stats.dump());
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_CHECK_EQUAL(stats["artists"], 2); // owned with an MBID
  CAF_CHECK_EQUAL(stats["browsed"], 10);
  CAF_CHECK_EQUAL(stats["filtered_out"], 3); // live, single, compilation
  // blue and nevermind by MBID, bleach by its tracks
  CAF_CHECK_EQUAL(stats["matched"], 3);
  CAF_CHECK_EQUAL(stats["matched_by_tracks"], 1);
  CAF_CHECK_EQUAL(stats["uncertain"], 1); // the self-titled Nirvana
  CAF_CHECK_EQUAL(stats["added"], 3);     // green, pinkerton, brand new
  CAF_CHECK_EQUAL(stats["degraded"], false);
  // the second self-titled Weezer is its own album, not the blue one
  auto weezers = number("SELECT count(*) FROM albums WHERE title = 'Weezer'");
  CAF_CHECK_EQUAL(weezers, 2);
  auto green_row = text(
    "SELECT mbid || ' ' || ownership_state || ' ' || added_by || ' ' ||"
    " total_tracks || ' ' || album_type || ' ' || ifnull(primary_source,"
    " '-') FROM albums WHERE release_group_mbid = 'rg-green'");
  CAF_CHECK_EQUAL(green_row, "r-green discovered discography 3 album -");
  auto green_tracks = text(
    "SELECT group_concat(t.title || '/' || t.track_number || '/' ||"
    " t.ownership_state || '/' || t.download_state, ', ') FROM tracks t JOIN"
    " albums al ON al.id = t.album_id WHERE al.release_group_mbid ="
    " 'rg-green' ORDER BY t.track_number");
  CAF_CHECK_EQUAL(green_tracks, "Don't Let Go/1/discovered/not_needed, "
                                "Photograph/2/discovered/not_needed, "
                                "Hash Pipe/3/discovered/not_needed");
  auto linked = number("SELECT count(*) FROM album_artists aa JOIN albums al"
                       " ON al.id = aa.album_id WHERE aa.artist_id = 1");
  CAF_CHECK_EQUAL(linked, 4); // blue, green, pinkerton, brand new
  // nothing added for the held-back or the matched titles
  auto nirvanas = number("SELECT count(*) FROM albums WHERE title LIKE"
                         " 'Nirvana' OR title LIKE 'Bleach%'");
  CAF_CHECK_EQUAL(nirvanas, 2);
  auto blue_owned = text("SELECT ownership_state FROM albums WHERE id = 10");
  CAF_CHECK_EQUAL(blue_owned, "owned");
  // a second run adds nothing and asks nothing
  auto sent = mb->calls.size();
  auto again = expand(r);
  CAF_MESSAGE("again " << again.dump());
  CAF_CHECK_EQUAL(again["added"], 0);
  CAF_CHECK_EQUAL(again["requests"], 0);
  CAF_CHECK_EQUAL(mb->calls.size(), sent);
  auto albums = number("SELECT count(*) FROM albums");
  CAF_CHECK_EQUAL(albums, 7);
}

CAF_TEST(a monitored artist gets owned albums and queued tracks) {
  exec("UPDATE artists SET auto_add_albums = 1, metadata_profile ="
       " '{\"primary_types\":[\"Single\"],\"secondary_types\":[]}'"
       " WHERE id = 1");
  exec("UPDATE settings SET value = 'true' WHERE key ="
       " 'library.auto_queue_downloads'");
  task_result r;
  auto stats = expand(r);
  CAF_MESSAGE("stats " << stats.dump());
  // Weezer: only the single counts; Nirvana: the library's profile
  CAF_CHECK_EQUAL(stats["added"], 1);
  CAF_CHECK_EQUAL(stats["owned"], 1);
  auto single = text("SELECT ownership_state || ' ' || album_type FROM albums"
                     " WHERE release_group_mbid = 'rg-single'");
  CAF_CHECK_EQUAL(single, "owned single");
  auto track = text("SELECT t.ownership_state || ' ' || t.download_state FROM"
                    " tracks t JOIN albums al ON al.id = t.album_id WHERE"
                    " al.release_group_mbid = 'rg-single'");
  CAF_CHECK_EQUAL(track, "owned pending");
  auto claims = number("SELECT count(*) FROM ownership_claims WHERE source ="
                       " 'user' AND reason = 'discography'");
  CAF_CHECK_EQUAL(claims, 2); // the album and its track
  auto green = number("SELECT count(*) FROM albums WHERE release_group_mbid"
                      " = 'rg-green'");
  CAF_CHECK_EQUAL(green, 0);
}

CAF_TEST(new releases are only those since the last run) {
  auto t = spawn_task(true);
  task_result r;
  auto stats = run(t, r, "sync_new_releases");
  CAF_MESSAGE("stats " << stats.dump());
  CAF_CHECK_EQUAL(stats["new"], 1);
  CAF_CHECK_EQUAL(stats["added"], 1);
  CAF_REQUIRE_EQUAL(stats["new_releases"].size(), 1u);
  auto title = stats["new_releases"][0]["title"].get<std::string>();
  CAF_CHECK_EQUAL(title, "Brand New");
  auto by = text("SELECT added_by FROM albums WHERE release_group_mbid ="
                 " 'rg-new'");
  CAF_CHECK_EQUAL(by, "new_release");
  auto green = number("SELECT count(*) FROM albums WHERE release_group_mbid"
                      " = 'rg-green'");
  CAF_CHECK_EQUAL(green, 0);
  // after a successful run the cutoff is that run's day: nothing new
  exec("INSERT INTO task_runs(task, started_at, status, success) VALUES"
       " ('sync_new_releases', "
       + std::to_string(now_ms()) + ", 'succeeded', 1)");
  auto again = run(t, r, "sync_new_releases");
  CAF_CHECK_EQUAL(again["new"], 0);
  CAF_CHECK_EQUAL(again["matched"], 1);
  anon_send_exit(t, caf::exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(without musicbrainz the task is skipped) {
  auto t = spawn_task(false, false);
  task_result r;
  run(t, r, "expand_discography");
  CAF_CHECK_EQUAL(to_string(r.status), "skipped");
  CAF_CHECK(r.reason == skip_reason::provider_unavailable);
  CAF_CHECK(mb->calls.empty());
  anon_send_exit(t, caf::exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST_FIXTURE_SCOPE_END()
