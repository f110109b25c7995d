#define CAF_SUITE actors.tasks.identify_albums
#include "fixture.hpp"

#include "actors/store.hpp"
#include "actors/tasks/identify_albums.hpp"
#include "messages/error.hpp"
#include "storage/database.hpp"

#include <nlohmann/json.hpp>

using namespace discotheque;
using nlohmann::json;

namespace {

constexpr const char* nirvana = "5b11f4ce-a62d-471e-81fc-a69a8278c7da";
constexpr const char* aoki = "c0000000-0000-4000-8000-000000000001";
constexpr const char* weezer = "c0000000-0000-4000-8000-000000000002";

using track_list = std::vector<std::pair<std::string, int64_t>>;

const track_list nevermind_tracks{{"Smells Like Teen Spirit", 301000},
                                  {"In Bloom", 254000},
                                  {"Come as You Are", 219000}};
const track_list neon1_tracks{{"Free the Madness", 200000},
                              {"Neon Future", 230000},
                              {"Delirious", 210000}};
const track_list neon2_tracks{{"Hellfire", 190000},
                              {"Lightning Strike", 240000},
                              {"Warp", 205000}};
const track_list blue_tracks{{"My Name Is Jonas", 204000},
                             {"Buddy Holly", 159000},
                             {"Say It Ain't So", 258000}};
const track_list green_tracks{{"Don't Let Go", 179000},
                              {"Photograph", 139000},
                              {"Hash Pipe", 186000}};

json credit(const char* mbid, const char* name) {
  return json::array({{{"name", name},
                       {"joinphrase", ""},
                       {"artist", {{"id", mbid}, {"name", name}}}}});
}

/// A release; with `tracks` its media list them (a lookup), else only the
/// track count (a browse hit).
json release(const std::string& id, const std::string& title,
             const std::string& group, const char* artist, const char* name,
             const track_list& list, bool tracks) {
  json medium{{"position", 1}, {"format", "CD"}, {"track-count", list.size()}};
  if (tracks) {
    auto ts = json::array();
    int i = 0;
    for (const auto& [t, len] : list) {
      ++i;
      ts.push_back({{"id", id + "-t" + std::to_string(i)},
                    {"position", i},
                    {"number", std::to_string(i)},
                    {"title", t},
                    {"length", len},
                    {"recording",
                     {{"id", id + "-rec" + std::to_string(i)},
                      {"title", t},
                      {"length", len}}}});
    }
    medium["tracks"] = ts;
  }
  return {{"id", id},
          {"title", title},
          {"status", "Official"},
          {"date", "2014"},
          {"country", "US"},
          {"barcode", ""},
          {"artist-credit", credit(artist, name)},
          {"release-group", {{"id", group}, {"title", title}}},
          {"media", json::array({medium})}};
}

json groups_body(std::vector<std::pair<std::string, std::string>> groups) {
  auto out = json::array();
  for (const auto& [id, title] : groups)
    out.push_back({{"id", id},
                   {"title", title},
                   {"primary-type", "Album"},
                   {"secondary-types", json::array()},
                   {"first-release-date", "2014"}});
  return {{"release-group-count", groups.size()},
          {"release-group-offset", 0},
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
  bool down = false;
};

provider_gateway_actor::behavior_type
fake_gateway(provider_gateway_actor::pointer, std::shared_ptr<fake_mb> mb) {
  return {
    [mb](atom::pfetch, http_call& call) -> caf::result<http_reply> {
      mb->calls.push_back(call.url);
      if (mb->down)
        return make_error(ec::provider_unavailable, "circuit breaker open");
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
  task_env env;
  std::shared_ptr<fake_mb> mb = std::make_shared<fake_mb>();
  provider_gateway_actor gw;
  task_actor task;

  void add_album(int64_t id, const std::string& title, int64_t artist,
                 const track_list& tracks, const char* mbid = nullptr) {
    auto db = storage::database::open(env.db_path);
    db.run(
      sql_stmt{"INSERT INTO albums(id, title, normalized_title, mbid)"
               " VALUES (?1, ?2, ?2, ?3)",
               {sql_value::of(id), sql_value::of(title),
                mbid ? sql_value::of(std::string{mbid}) : sql_value::null()}});
    db.run(sql_stmt{"INSERT INTO album_artists(album_id, artist_id) VALUES"
                    " (?1, ?2)",
                    {sql_value::of(id), sql_value::of(artist)}});
    int n = 0;
    for (const auto& [t, len] : tracks) {
      ++n;
      db.run(
        sql_stmt{"INSERT INTO tracks(title, normalized_title, album_id,"
                 " artist_id, track_number, duration_ms) VALUES (?1, ?1,"
                 " ?2, ?3, ?4, ?5)",
                 {sql_value::of(t), sql_value::of(id), sql_value::of(artist),
                  sql_value::of(n), sql_value::of(len)}});
    }
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
    {
      auto db = storage::database::open(env.db_path);
      db.exec("INSERT INTO artists(id, name, normalized_name, mbid,"
              " mbid_source) VALUES (1, 'Nirvana', 'nirvana', '"
              + std::string{nirvana}
              + "', 'auto'), (2, 'Steve Aoki',"
                " 'steve aoki', '"
              + aoki
              + "', 'auto'), (3, 'Weezer',"
                " 'weezer', '"
              + weezer
              + "', 'auto'), (4, 'Nobody',"
                " 'nobody', NULL, NULL)");
    }
    add_album(10, "Nevermind", 1, nevermind_tracks);
    // self-titled, tracks of no release of that title
    add_album(11, "Nirvana", 1, {{"Unknown Song", 100000}});
    add_album(20, "Neon Future I", 2, neon1_tracks);
    add_album(30, "Weezer", 3, blue_tracks); // self-titled, two groups
    add_album(12, "Tagged Wrong", 1, {},
              "dddddddd-0000-4000-8000-000000000404");
    add_album(13, "Not Theirs", 1, {}, "r-neon2");
    add_album(40, "Whatever", 4, {}); // its artist is not identified
    mb->answers = {
      {std::string{"release-group?artist="} + nirvana,
       groups_body({{"rg-nevermind", "Nevermind"},
                    {"rg-bleach", "Bleach"},
                    {"rg-nirvana", "Nirvana"}})
         .dump()},
      {std::string{"release-group?artist="} + aoki,
       groups_body(
         {{"rg-neon1", "Neon Future I"}, {"rg-neon2", "Neon Future II"}})
         .dump()},
      {std::string{"release-group?artist="} + weezer,
       groups_body({{"rg-blue", "Weezer"}, {"rg-green", "Weezer"}}).dump()},
      {"release-group=rg-nevermind",
       list_body({release("r-nevermind", "Nevermind", "rg-nevermind", nirvana,
                          "Nirvana", nevermind_tracks, false)})
         .dump()},
      {"release-group=rg-nirvana",
       list_body({release("r-nirvana", "Nirvana", "rg-nirvana", nirvana,
                          "Nirvana", nevermind_tracks, false)})
         .dump()},
      {"release-group=rg-neon1",
       list_body({release("r-neon1", "Neon Future I", "rg-neon1", aoki,
                          "Steve Aoki", neon1_tracks, false)})
         .dump()},
      {"release-group=rg-neon2",
       list_body({release("r-neon2", "Neon Future II", "rg-neon2", aoki,
                          "Steve Aoki", neon2_tracks, false)})
         .dump()},
      {"release-group=rg-blue",
       list_body({release("r-blue", "Weezer", "rg-blue", weezer, "Weezer",
                          blue_tracks, false)})
         .dump()},
      {"release-group=rg-green",
       list_body({release("r-green", "Weezer", "rg-green", weezer, "Weezer",
                          green_tracks, false)})
         .dump()},
      {"release/r-nevermind?",
       release("r-nevermind", "Nevermind", "rg-nevermind", nirvana, "Nirvana",
               nevermind_tracks, true)
         .dump()},
      {"release/r-nirvana?", release("r-nirvana", "Nirvana", "rg-nirvana",
                                     nirvana, "Nirvana", nevermind_tracks, true)
                               .dump()},
      {"release/r-neon1?", release("r-neon1", "Neon Future I", "rg-neon1", aoki,
                                   "Steve Aoki", neon1_tracks, true)
                             .dump()},
      {"release/r-neon2?", release("r-neon2", "Neon Future II", "rg-neon2",
                                   aoki, "Steve Aoki", neon2_tracks, true)
                             .dump()},
      {"release/r-blue?", release("r-blue", "Weezer", "rg-blue", weezer,
                                  "Weezer", blue_tracks, true)
                            .dump()},
      {"release/r-green?", release("r-green", "Weezer", "rg-green", weezer,
                                   "Weezer", green_tracks, true)
                             .dump()},
    };
    gw = sys.spawn(fake_gateway, mb);
    identify_albums_config ic;
    ic.env = env;
    ic.gateway = gw;
    task = sys.spawn(identify_albums, ic);
    sched.run();
  }

  ~fixture() {
    anon_send_exit(task, caf::exit_reason::user_shutdown);
    anon_send_exit(gw, caf::exit_reason::user_shutdown);
    anon_send_exit(st, caf::exit_reason::user_shutdown);
    sched.run();
  }

  json run(task_result& out, std::string trigger = "manual") {
    auto result = std::make_shared<task_result>();
    auto error = std::make_shared<std::string>();
    sys.spawn([=, t = task](caf::event_based_actor* self) {
      self
        ->request(t, caf::infinite, atom::run_v,
                  task_request{"identify_albums", trigger, 7})
        .then([=](const task_result& r) { *result = r; },
              [=](const caf::error& err) { *error = render(err); });
    });
    sched.run();
    CHECK_MSG(error->empty(), *error);
    out = *result;
    return json::parse(result->stats_json.empty() ? "{}" : result->stats_json);
  }

  std::string column(const char* col, int64_t id) {
    auto db = storage::database::open(env.db_path,
                                      storage::database::mode::read_only);
    return db
      .query_text(std::string{"SELECT "} + col + " FROM albums WHERE id = ?1",
                  {sql_value::of(id)})
      .value_or("");
  }

  std::string last_why(int64_t id) {
    auto db = storage::database::open(env.db_path,
                                      storage::database::mode::read_only);
    return db
      .query_text("SELECT outcome || ': ' || why FROM identify_decisions"
                  " WHERE entity_type = 'album' AND entity_id = ?1"
                  " ORDER BY id DESC LIMIT 1",
                  {sql_value::of(id)})
      .value_or("");
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(identify_albums_tests, fixture)

CAF_TEST(titles tracks and gates decide and tags are checked) {
  task_result r;
  auto stats = run(r);
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_MESSAGE("stats " << stats.dump());
  for (int64_t id : {10, 11, 20, 30, 12, 13})
    CAF_MESSAGE(id << " " << last_why(id));
  auto nevermind = column("mbid", 10);
  auto nevermind_rg = column("release_group_mbid", 10);
  auto neon = column("mbid", 20);
  auto blue = column("mbid", 30);
  auto self_titled = column("mbid", 11);
  CAF_CHECK_EQUAL(nevermind, "r-nevermind");
  CAF_CHECK_EQUAL(nevermind_rg, "rg-nevermind");
  CAF_CHECK_EQUAL(neon, "r-neon1"); // decided by tracks, not title
  CAF_CHECK_EQUAL(blue, "r-blue");  // self-titled: by tracks
  CAF_CHECK_EQUAL(self_titled, ""); // self-titled, tracks do not match
  auto source = column("mbid_source", 10);
  CAF_CHECK_EQUAL(source, "auto");
  // tags checked, not trusted: neither confirmed, neither cleared
  auto wrong = column("mbid", 12);
  auto wrong_source = column("mbid_source", 12);
  auto theirs_source = column("mbid_source", 13);
  CAF_CHECK_EQUAL(wrong, "dddddddd-0000-4000-8000-000000000404");
  CAF_CHECK_EQUAL(wrong_source, "");
  CAF_CHECK_EQUAL(theirs_source, "");
  auto why12 = last_why(12);
  auto why13 = last_why(13);
  CAF_CHECK(why12.find("does not exist") != std::string::npos);
  CAF_CHECK(why13.find("credits Steve Aoki") != std::string::npos);
  CAF_CHECK_EQUAL(stats["albums"], 6); // not the unidentified artist's
  CAF_CHECK_EQUAL(stats["identified"], 3);
  CAF_CHECK_EQUAL(stats["bad_tags"], 2);
  CAF_CHECK_EQUAL(stats["degraded"], false);
  for (const auto& url : mb->calls)
    CAF_CHECK(url.find("fmt=json") != std::string::npos);
  // one browse of release groups per artist
  auto browses = std::count_if(mb->calls.begin(), mb->calls.end(),
                               [](const std::string& u) {
                                 return u.find("/release-group?") != u.npos;
                               });
  CAF_CHECK_EQUAL(browses, 3);
}

CAF_TEST(a second run is answered by the cache) {
  task_result r;
  run(r);
  auto sent = mb->calls.size();
  auto stats = run(r);
  CAF_CHECK_EQUAL(mb->calls.size(), sent);
  CAF_CHECK_EQUAL(stats["requests"].get<int64_t>(), 0);
  CAF_CHECK_EQUAL(stats["albums"], 3); // the uncertain ones only
  // a scheduled run leaves them to their backoff
  stats = run(r, "schedule");
  CAF_CHECK_EQUAL(stats["not_due"], 3);
  CAF_CHECK_EQUAL(stats["albums"], 0);
}

CAF_TEST(musicbrainz down degrades the run and clears nothing) {
  task_result r;
  run(r);
  add_album(21, "Neon Future II", 2, neon2_tracks);
  {
    auto db = storage::database::open(env.db_path);
    db.exec("DELETE FROM provider_cache WHERE url LIKE '%rg-neon2%'");
  }
  mb->down = true;
  auto stats = run(r);
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_CHECK_EQUAL(stats["degraded"], true);
  CAF_CHECK_EQUAL(stats["unreachable"], 1);
  auto nevermind = column("mbid", 10);
  auto neon2 = column("mbid", 21);
  CAF_CHECK_EQUAL(nevermind, "r-nevermind");
  CAF_CHECK_EQUAL(neon2, "");
}

CAF_TEST(a user choice is never overwritten) {
  {
    auto db = storage::database::open(env.db_path);
    db.exec(
      "UPDATE albums SET mbid = NULL, mbid_source = 'user' WHERE id = 10");
  }
  task_result r;
  run(r);
  auto nevermind = column("mbid", 10);
  CAF_CHECK_EQUAL(nevermind, "");
}

CAF_TEST_FIXTURE_SCOPE_END()
