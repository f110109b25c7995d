#define CAF_SUITE actors.tasks.identify_tracks
#include "fixture.hpp"

#include "actors/store.hpp"
#include "actors/tasks/identify_tracks.hpp"
#include "messages/error.hpp"
#include "storage/database.hpp"

#include <nlohmann/json.hpp>

using namespace discotheque;
using nlohmann::json;

namespace {

constexpr const char* nirvana = "5b11f4ce-a62d-471e-81fc-a69a8278c7da";

using track_list = std::vector<std::pair<std::string, int64_t>>;

const track_list nevermind_tracks{{"Smells Like Teen Spirit", 301000},
                                  {"In Bloom", 254000},
                                  {"Come as You Are", 219000}};

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

json isrc_body(const std::string& isrc,
               std::vector<std::pair<std::string, std::string>> recs) {
  auto out = json::array();
  for (const auto& [id, title] : recs)
    out.push_back({{"id", id},
                   {"title", title},
                   {"length", 301000},
                   {"video", false},
                   {"artist-credit", credit(nirvana, "Nirvana")}});
  return {{"isrc", isrc}, {"recordings", out}};
}

struct fixture : test::fixture_base {
  test::temp_dir dir;
  store_actor st;
  task_env env;
  std::shared_ptr<fake_mb> mb = std::make_shared<fake_mb>();
  provider_gateway_actor gw;
  task_actor task;

  void add_track(int64_t id, const std::string& title,
                 std::optional<int64_t> album, int number,
                 const char* isrc = nullptr, const char* mbid = nullptr) {
    auto db = storage::database::open(env.db_path);
    db.run(sql_stmt{
      "INSERT INTO tracks(id, title, normalized_title, album_id,"
      " artist_id, track_number, duration_ms, isrc, mbid) VALUES"
      " (?1, ?2, ?2, ?3, 1, ?4, NULL, ?5, ?6)",
      {sql_value::of(id), sql_value::of(title),
       album ? sql_value::of(*album) : sql_value::null(), sql_value::of(number),
       isrc ? sql_value::of(std::string{isrc}) : sql_value::null(),
       mbid ? sql_value::of(std::string{mbid}) : sql_value::null()}});
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
              + std::string{nirvana} + "', 'auto')");
      db.exec("INSERT INTO albums(id, title, normalized_title, mbid,"
              " mbid_source) VALUES (10, 'Nevermind', 'nevermind',"
              " 'r-nevermind', 'auto'), (11, 'Unknown', 'unknown', NULL,"
              " NULL)");
    }
    add_track(1, "Smells Like Teen Spirit", 10, 1);
    add_track(2, "In Bloom", 10, 2, nullptr, "r-nevermind-rec2"); // tags agree
    add_track(3, "Come as You Are", 10, 3, nullptr, "wrong-recording");
    add_track(4, "Bonus Nobody Knows", 10, 9);
    add_track(5, "Lithium", 11, 1, "USGF19942501");
    add_track(6, "Polly", std::nullopt, 0, "USDUPLICATE01");
    add_track(7, "Breed", std::nullopt, 0, "USUNKNOWN0001");
    add_track(8, "Lithium", std::nullopt, 0, "USGF19942501"); // same ISRC
    mb->answers = {
      {"release/r-nevermind?",
       release("r-nevermind", "Nevermind", "rg-nevermind", nirvana, "Nirvana",
               nevermind_tracks, true)
         .dump()},
      {"isrc/USGF19942501?",
       isrc_body("USGF19942501",
                 {{"rec-lithium", "Lithium"}, {"rec-other", "Something Else"}})
         .dump()},
      {"isrc/USDUPLICATE01?",
       isrc_body("USDUPLICATE01",
                 {{"rec-polly-1", "Polly"}, {"rec-polly-2", "Polly"}})
         .dump()},
    };
    gw = sys.spawn(fake_gateway, mb);
    identify_tracks_config ic;
    ic.env = env;
    ic.gateway = gw;
    task = sys.spawn(identify_tracks, ic);
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
                  task_request{"identify_tracks", trigger, 7})
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
      .query_text(std::string{"SELECT "} + col + " FROM tracks WHERE id = ?1",
                  {sql_value::of(id)})
      .value_or("");
  }
};

} // namespace

CAF_TEST(an isrc recording is chosen only when one fits) {
  track_to_identify t;
  t.title = "Lithium";
  t.isrc = "X";
  t.artist_mbid = "a";
  std::vector<isrc_recording> recs{
    {"r1", "Lithium", {"a"}}, {"r2", "Lithium", {"b"}}, {"r3", "Other", {"a"}}};
  auto c = choose_isrc_recording(t, recs);
  CAF_REQUIRE(c.recording);
  CAF_CHECK_EQUAL(*c.recording, "r1");
  recs.push_back({"r4", "Lithium", {"a"}});
  c = choose_isrc_recording(t, recs);
  CAF_CHECK(!c.recording);
  auto body = json::parse(
    R"({"isrc":"X","recordings":[{"id":"r1","title":"T",)"
    R"("artist-credit":[{"name":"A","artist":{"id":"a"}}]}]})");
  auto parsed = parse_isrc(body);
  CAF_REQUIRE_EQUAL(parsed.size(), 1u);
  CAF_CHECK_EQUAL(parsed[0].artists.size(), 1u);
}

CAF_TEST_FIXTURE_SCOPE(identify_tracks_tests, fixture)

CAF_TEST(the release lookup and isrcs give recordings) {
  task_result r;
  auto stats = run(r);
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_MESSAGE("stats " << stats.dump());
  auto t1 = column("mbid", 1);
  auto t1_track = column("release_track_mbid", 1);
  auto t2_source = column("mbid_source", 2);
  auto t3 = column("mbid", 3);
  auto t3_source = column("mbid_source", 3);
  auto t4 = column("mbid", 4);
  auto t5 = column("mbid", 5);
  auto t6 = column("mbid", 6);
  auto t8 = column("mbid", 8);
  CAF_CHECK_EQUAL(t1, "r-nevermind-rec1");
  CAF_CHECK_EQUAL(t1_track, "r-nevermind-t1");
  CAF_CHECK_EQUAL(t2_source, "tags");
  CAF_CHECK_EQUAL(t3, "wrong-recording"); // reported, not cleared
  CAF_CHECK_EQUAL(t3_source, "");
  CAF_CHECK_EQUAL(t4, "");
  CAF_CHECK_EQUAL(t5, "rec-lithium");
  CAF_CHECK_EQUAL(t8, "rec-lithium");
  CAF_CHECK_EQUAL(t6, ""); // two recordings, nothing separates them
  CAF_CHECK_EQUAL(stats["identified"], 4);
  CAF_CHECK_EQUAL(stats["bad_tags"], 1);
  CAF_CHECK_EQUAL(stats["not_found"], 1);
  CAF_CHECK_EQUAL(stats["requests"], 4); // one release, three ISRCs
  CAF_CHECK_EQUAL(stats["degraded"], false);
  // a second run: only the undecided ones, all from the cache
  auto sent = mb->calls.size();
  stats = run(r);
  CAF_CHECK_EQUAL(mb->calls.size(), sent);
  CAF_CHECK_EQUAL(stats["requests"].get<int64_t>(), 0);
  CAF_CHECK_EQUAL(stats["tracks"], 4);
}

CAF_TEST(musicbrainz down degrades the run and clears nothing) {
  task_result r;
  run(r);
  {
    auto db = storage::database::open(env.db_path);
    db.exec("DELETE FROM provider_cache");
  }
  add_track(9, "Drain You", 10, 4);
  mb->down = true;
  auto stats = run(r);
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_CHECK_EQUAL(stats["degraded"], true);
  CAF_CHECK_EQUAL(stats["identified"], 0);
  auto t1 = column("mbid", 1);
  CAF_CHECK_EQUAL(t1, "r-nevermind-rec1");
}

CAF_TEST_FIXTURE_SCOPE_END()
