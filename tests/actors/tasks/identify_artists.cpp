#define CAF_SUITE actors.tasks.identify_artists
#include "fixture.hpp"

#include "actors/store.hpp"
#include "actors/tasks/identify_artists.hpp"
#include "messages/error.hpp"
#include "storage/database.hpp"

#include <nlohmann/json.hpp>

using namespace discotheque;
using nlohmann::json;

namespace {

constexpr const char* us_band = "5b11f4ce-a62d-471e-81fc-a69a8278c7da";
constexpr const char* uk_band = "9282c8b4-ca0b-4c6b-b7e3-4f7762dfc4d6";
constexpr const char* twin_a = "aaaaaaaa-0000-4000-8000-000000000001";
constexpr const char* twin_b = "aaaaaaaa-0000-4000-8000-000000000002";
constexpr const char* old_id = "bbbbbbbb-0000-4000-8000-000000000001";
constexpr const char* new_id = "bbbbbbbb-0000-4000-8000-000000000002";

json artist(const char* id, const char* name, const char* country) {
  return {{"id", id},
          {"type", "Group"},
          {"score", 100},
          {"name", name},
          {"sort-name", name},
          {"country", country},
          {"disambiguation", std::string{country} + " band"}};
}

json search_body(std::vector<json> hits) {
  return {{"created", "2026-01-01T00:00:00.000Z"},
          {"count", hits.size()},
          {"offset", 0},
          {"artists", hits}};
}

json browse_body(std::vector<std::string> titles) {
  auto groups = json::array();
  int i = 0;
  for (const auto& t : titles)
    groups.push_back({{"id", "rg-" + std::to_string(i++)},
                      {"title", t},
                      {"primary-type", "Album"},
                      {"secondary-types", json::array()},
                      {"first-release-date", "1991"},
                      {"disambiguation", ""}});
  return {{"release-group-count", titles.size()},
          {"release-group-offset", 0},
          {"release-groups", groups}};
}

/// A MusicBrainz gateway: canned answers by URL part; `down` answers every
/// call as the real gateway does with an open breaker.
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
      db.exec("INSERT INTO artists(id, name, normalized_name, mbid) VALUES"
              " (1, 'Nirvana', 'nirvana', NULL), (2, 'Twin', 'twin', NULL),"
              " (3, 'Tagged', 'tagged', '"
              + std::string{old_id} + "')");
      db.exec("INSERT INTO albums(id, title, normalized_title) VALUES"
              " (10, 'Nevermind', 'nevermind'), (11, 'Zzz', 'zzz'),"
              " (12, 'In Utero', 'in utero')");
      db.exec("INSERT INTO album_artists(album_id, artist_id) VALUES (10, 1),"
              " (11, 2), (12, 1)");
    }
    mb->answers = {
      {"query=artist%3A%22Nirvana%22",
       search_body(
         {artist(us_band, "Nirvana", "US"), artist(uk_band, "Nirvana", "GB")})
         .dump()},
      {"query=artist%3A%22Twin%22",
       search_body({artist(twin_a, "Twin", "US"), artist(twin_b, "Twin", "DE")})
         .dump()},
      {std::string{"artist="} + us_band,
       browse_body({"Bleach", "Nevermind", "In Utero"}).dump()},
      {std::string{"artist="} + uk_band,
       browse_body({"The Story of Simon Simopath", "Local Anaesthetic"})
         .dump()},
      {std::string{"artist="} + twin_a, browse_body({"First"}).dump()},
      {std::string{"artist="} + twin_b, browse_body({"Second"}).dump()},
      {std::string{"artist/"} + old_id, artist(new_id, "Tagged", "US").dump()},
    };
    gw = sys.spawn(fake_gateway, mb);
    spawn_task();
  }

  void spawn_task() {
    identify_artists_config ic;
    ic.env = env;
    ic.gateway = gw;
    task = sys.spawn(identify_artists, ic);
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
                  task_request{"identify_artists", trigger, 7})
        .then([=](const task_result& r) { *result = r; },
              [=](const caf::error& err) { *error = render(err); });
    });
    sched.run();
    CHECK_MSG(error->empty(), *error);
    out = *result;
    return json::parse(result->stats_json.empty() ? "{}" : result->stats_json);
  }

  std::string mbid_of(int64_t id) {
    auto db = storage::database::open(env.db_path,
                                      storage::database::mode::read_only);
    return db
      .query_text("SELECT mbid FROM artists WHERE id = ?1", {sql_value::of(id)})
      .value_or("");
  }
};

} // namespace

CAF_TEST(unidentified artists are checked again after 1 7 and 30 days) {
  constexpr int64_t day = 24 * 3600 * 1000;
  CAF_CHECK(recheck_due(0, 0, 5));
  CAF_CHECK(!recheck_due(10 * day, 1, 10 * day + day - 1));
  CAF_CHECK(recheck_due(10 * day, 1, 11 * day));
  CAF_CHECK(!recheck_due(10 * day, 2, 16 * day));
  CAF_CHECK(recheck_due(10 * day, 2, 17 * day));
  CAF_CHECK(!recheck_due(10 * day, 3, 39 * day));
  CAF_CHECK(recheck_due(10 * day, 5, 40 * day));
}

CAF_TEST_FIXTURE_SCOPE(identify_artists_tests, fixture)

CAF_TEST(evidence decides and same names without it write nothing) {
  task_result r;
  auto stats = run(r);
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_MESSAGE("stats " << stats.dump());
  auto us = mbid_of(1);
  auto twin = mbid_of(2);
  auto tagged = mbid_of(3);
  CAF_CHECK_EQUAL(us, us_band);    // its album is one of theirs
  CAF_CHECK_EQUAL(twin, "");       // two of that name, no evidence
  CAF_CHECK_EQUAL(tagged, new_id); // merged id followed
  CAF_CHECK_EQUAL(stats["identified"], 2);
  CAF_CHECK_EQUAL(stats["uncertain"], 1);
  CAF_CHECK_EQUAL(stats["merged"], 1);
  CAF_CHECK_EQUAL(stats["requests"], 7);
  CAF_CHECK_EQUAL(stats["degraded"], false);
  for (const auto& url : mb->calls)
    CAF_CHECK(url.find("fmt=json") != std::string::npos);
}

CAF_TEST(a second run is answered by the cache) {
  task_result r;
  run(r);
  auto sent = mb->calls.size();
  auto stats = run(r);
  auto after = mb->calls.size();
  CAF_CHECK_EQUAL(after, sent);
  CAF_CHECK_EQUAL(stats["requests"].get<int64_t>(), 0);
  CAF_CHECK_EQUAL(stats["cache_hits"], 3); // Twin: search and two browses
  CAF_CHECK_EQUAL(stats["uncertain"], 1);
  // a scheduled run leaves the uncertain one to its backoff
  stats = run(r, "schedule");
  CAF_CHECK_EQUAL(stats["not_due"], 1);
  CAF_CHECK_EQUAL(stats["artists"], 0);
}

CAF_TEST(musicbrainz down degrades the run and clears nothing) {
  task_result r;
  run(r);
  {
    auto db = storage::database::open(env.db_path);
    db.exec("INSERT INTO artists(id, name, normalized_name) VALUES"
            " (4, 'Newcomer', 'newcomer')");
    db.exec("UPDATE provider_cache SET fetched_at = 0"); // all stale
  }
  mb->down = true;
  auto stats = run(r);
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_CHECK_EQUAL(stats["degraded"], true);
  CAF_CHECK_EQUAL(stats["unreachable"], 1);   // Newcomer: nothing cached
  CAF_CHECK_EQUAL(stats["stale_answers"], 3); // Twin decided on stale ones
  auto us = mbid_of(1);
  auto tagged = mbid_of(3);
  CAF_CHECK_EQUAL(us, us_band);
  CAF_CHECK_EQUAL(tagged, new_id);
}

CAF_TEST(a disabled musicbrainz skips the run) {
  anon_send_exit(task, caf::exit_reason::user_shutdown);
  env.cfg.providers["musicbrainz"].enabled = false;
  env.cfg.providers["musicbrainz"].enabled_set = true;
  spawn_task();
  task_result r;
  run(r);
  CAF_CHECK_EQUAL(to_string(r.status), "skipped");
  CAF_CHECK(r.reason == skip_reason::provider_unavailable);
  CAF_CHECK(mb->calls.empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
