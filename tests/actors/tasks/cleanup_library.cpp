#define CAF_SUITE actors.tasks.cleanup_library
#include "fixture.hpp"

#include "actors/store.hpp"
#include "actors/tasks/cleanup_library.hpp"
#include "messages/error.hpp"
#include "storage/database.hpp"
#include "support/time.hpp"

#include <caf/event_based_actor.hpp>

#include <nlohmann/json.hpp>

using namespace discotheque;
using nlohmann::json;

namespace {

constexpr int64_t day_ms = 24 * 3600 * 1000;

struct fixture : test::fixture_base {
  test::temp_dir dir;
  store_actor st;
  task_env env;

  fixture() {
    store_config cfg;
    cfg.db_path = dir / "library.db";
    cfg.retry_delay = std::chrono::milliseconds(5);
    st = sys.spawn(store, cfg);
    sched.run();
    env.cfg.data_dir = dir.path;
    env.db_path = cfg.db_path;
    env.store = st;
    env.detached = false;
  }

  ~fixture() {
    anon_send_exit(st, caf::exit_reason::user_shutdown);
    sched.run();
  }

  void exec(const std::string& sql) {
    auto db = storage::database::open(dir / "library.db");
    // Referential orphans only exist where foreign keys were not enforced.
    db.exec("PRAGMA foreign_keys = OFF");
    db.exec(sql);
  }

  int64_t num(const std::string& sql) {
    auto db = storage::database::open(dir / "library.db");
    return db.query_int(sql).value_or(-1);
  }

  std::string text(const std::string& sql) {
    auto db = storage::database::open(dir / "library.db");
    return db.query_text(sql).value_or("<null>");
  }

  std::string state(const std::string& table, int64_t id) {
    return text("SELECT ownership_state FROM " + table
                + " WHERE id = " + std::to_string(id));
  }

  /// Every row of the library, to compare before and after.
  std::string dump() {
    return text(
      "SELECT json_group_array(json_array(id, ownership_state, updated_at)) "
      "FROM (SELECT id, ownership_state, updated_at FROM artists UNION ALL "
      "SELECT id, ownership_state, updated_at FROM albums UNION ALL SELECT "
      "id, ownership_state || download_state || coalesce(artist_id, '-') || "
      "coalesce(album_id, '-') || orphaned, updated_at FROM tracks)");
  }

  int64_t rows() {
    return num("SELECT (SELECT count(*) FROM artists) + (SELECT count(*) FROM "
               "albums) + (SELECT count(*) FROM tracks) + (SELECT count(*) "
               "FROM ownership_claims)");
  }

  /// Artist 1 with albums 10 (tracks 100, 101) and 11 (track 110), artist
  /// 2 with album 20 (track 200); all owned, every track liked on Spotify.
  void seed() {
    exec(R"(
      INSERT INTO artists(id, name, normalized_name, ownership_state) VALUES
        (1, 'A', 'a', 'owned'), (2, 'B', 'b', 'owned');
      INSERT INTO albums(id, title, normalized_title, ownership_state) VALUES
        (10, 'X', 'x', 'owned'), (11, 'Y', 'y', 'owned'), (20, 'Z', 'z', 'owned');
      INSERT INTO album_artists(album_id, artist_id) VALUES (10, 1), (11, 1), (20, 2);
      INSERT INTO tracks(id, title, normalized_title, album_id, artist_id, isrc,
                         ownership_state) VALUES
        (100, 't', 't', 10, 1, 'I100', 'owned'), (101, 'u', 'u', 10, 1, NULL, 'owned'),
        (110, 'v', 'v', 11, 1, NULL, 'owned'), (200, 'w', 'w', 20, 2, 'I200', 'owned');
      INSERT INTO ownership_claims(entity_type, entity_id, source, reason)
        SELECT 'track', id, 'spotify', 'liked' FROM tracks;
    )");
  }

  /// The user's unown of (type, id) as the API logs it.
  void unowned(const std::string& type, int64_t id) {
    exec("INSERT INTO ownership_changes(action, entity_type, entity_id, at) "
         "VALUES ('unown', '"
         + type + "', " + std::to_string(id) + ", 0)");
  }

  json run_cleanup() {
    auto task = sys.spawn(cleanup_library, env);
    auto result = std::make_shared<task_result>();
    auto error = std::make_shared<std::string>();
    sys.spawn([=](caf::event_based_actor* self) {
      self
        ->request(task, caf::infinite, atom::run_v,
                  task_request{"cleanup_library", "manual", 1})
        .then([=](const task_result& r) { *result = r; },
              [=](const caf::error& err) { *error = render(err); });
    });
    sched.run();
    CHECK_MSG(error->empty(), *error);
    anon_send_exit(task, caf::exit_reason::user_shutdown);
    sched.run();
    CAF_CHECK(result->status == run_status::succeeded);
    return json::parse(result->stats_json);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(cleanup_library_tests, fixture)

CAF_TEST(1 an artist the user deleted takes its unheld albums and tracks) {
  seed();
  // The unown dropped the claims; a sync liked track 110 again since.
  exec("UPDATE artists SET ownership_state = 'discovered' WHERE id = 1; "
       "DELETE FROM ownership_claims WHERE entity_id IN (100, 101)");
  unowned("artist", 1);
  auto before = rows();
  auto stats = run_cleanup();
  CAF_CHECK_EQUAL(stats["artist_deleted"]["tracks"], 2);
  CAF_CHECK_EQUAL(stats["artist_deleted"]["albums"], 1);
  CAF_CHECK_EQUAL(state("tracks", 100), "discovered");
  CAF_CHECK_EQUAL(state("tracks", 101), "discovered");
  CAF_CHECK_EQUAL(state("albums", 10), "discovered");
  CAF_CHECK_EQUAL(state("tracks", 110), "owned");
  CAF_CHECK_EQUAL(state("albums", 11), "owned");
  CAF_CHECK_EQUAL(state("artists", 2), "owned");
  CAF_CHECK_EQUAL(rows(), before);
  auto again = run_cleanup();
  CHECK_MSG(again["changed"] == 0, again.dump());
}

CAF_TEST(2 an album the user deleted takes its tracks and a lone artist) {
  seed();
  exec("UPDATE albums SET ownership_state = 'discovered' WHERE id IN (10, "
       "20); DELETE FROM ownership_claims WHERE entity_id IN (100, 101, 200)");
  unowned("album", 10);
  unowned("album", 20);
  auto before = rows();
  auto stats = run_cleanup();
  CAF_CHECK_EQUAL(stats["album_deleted"]["tracks"], 3);
  CAF_CHECK_EQUAL(stats["album_deleted"]["artists"], 1);
  CAF_CHECK_EQUAL(state("tracks", 100), "discovered");
  CAF_CHECK_EQUAL(state("tracks", 200), "discovered");
  // Artist 1 still has album 11; artist 2 had only album 20.
  CAF_CHECK_EQUAL(state("artists", 1), "owned");
  CAF_CHECK_EQUAL(state("artists", 2), "discovered");
  CAF_CHECK_EQUAL(rows(), before);
}

CAF_TEST(3 an unliked track goes and its album only if nothing holds it) {
  seed();
  exec("INSERT INTO ownership_claims(entity_type, entity_id, source, reason) "
       "VALUES ('album', 20, 'spotify', 'saved'); DELETE FROM "
       "ownership_claims WHERE entity_type = 'track' AND entity_id IN (100, "
       "110, 200)");
  auto before = rows();
  auto stats = run_cleanup();
  CAF_CHECK_EQUAL(stats["track_unliked"]["tracks"], 3);
  CAF_CHECK_EQUAL(stats["track_unliked"]["albums"], 1);
  CAF_CHECK_EQUAL(stats["track_unliked"]["artists"], 0);
  CAF_CHECK_EQUAL(state("tracks", 100), "discovered");
  CAF_CHECK_EQUAL(state("albums", 10), "owned");      // track 101
  CAF_CHECK_EQUAL(state("albums", 11), "discovered"); // nothing left
  CAF_CHECK_EQUAL(state("albums", 20), "owned");      // saved itself
  CAF_CHECK_EQUAL(state("artists", 1), "owned");
  CAF_CHECK_EQUAL(state("artists", 2), "owned");
  CAF_CHECK_EQUAL(rows(), before);
}

CAF_TEST(4 referential orphans are cleared marked and re attached) {
  seed();
  exec(R"(
    INSERT INTO tracks(id, title, normalized_title, artist_id, album_id, isrc) VALUES
      (300, 'o', 'o', 999, NULL, 'I200'), (301, 'p', 'p', 998, NULL, NULL),
      (302, 'q', 'q', 997, NULL, NULL), (303, 'r', 'r', 1, 9999, NULL);
    INSERT INTO track_artists(track_id, artist_id, role) VALUES (301, 1, 'main');
  )");
  auto before = rows();
  auto stats = run_cleanup();
  CAF_CHECK_EQUAL(stats["orphans"]["found"], 3);
  CAF_CHECK_EQUAL(stats["orphans"]["reattached_by_isrc"], 1);
  CAF_CHECK_EQUAL(stats["orphans"]["reattached_by_name"], 1);
  CAF_CHECK_EQUAL(stats["orphans"]["album_refs_cleared"], 1);
  CAF_CHECK_EQUAL(num("SELECT artist_id FROM tracks WHERE id = 300"), 2);
  CAF_CHECK_EQUAL(num("SELECT artist_id FROM tracks WHERE id = 301"), 1);
  CAF_CHECK_EQUAL(text("SELECT coalesce(artist_id, 'null') || orphaned FROM "
                       "tracks WHERE id = 302"),
                  "null1");
  CAF_CHECK_EQUAL(num("SELECT orphaned FROM tracks WHERE id = 300"), 0);
  CAF_CHECK_EQUAL(text("SELECT coalesce(album_id, 'null') FROM tracks WHERE "
                       "id = 303"),
                  "null");
  CAF_CHECK_EQUAL(rows(), before);
}

CAF_TEST(5 downloads failed for more than 7 days become not_needed) {
  seed();
  auto now = now_ms();
  exec("UPDATE tracks SET download_state = 'failed', "
       "download_state_updated_at = "
       + std::to_string(now - 8 * day_ms)
       + " WHERE id = 100; UPDATE tracks SET download_state = 'failed', "
         "download_state_updated_at = "
       + std::to_string(now - 6 * day_ms) + " WHERE id = 101");
  auto stats = run_cleanup();
  CAF_CHECK_EQUAL(stats["failed_downloads"]["reset"], 1);
  CAF_CHECK_EQUAL(text("SELECT download_state FROM tracks WHERE id = 100"),
                  "not_needed");
  CAF_CHECK_EQUAL(text("SELECT download_state FROM tracks WHERE id = 101"),
                  "failed");
}

CAF_TEST(incomplete data is left exactly as it is) {
  seed();
  // No MBIDs, no covers, no ISRC on 101 and 110, an owned artist without
  // albums (followed) and one without albums or claims, discovered rows,
  // a track without artist that never had one.
  exec(R"(
    INSERT INTO artists(id, name, normalized_name, ownership_state) VALUES
      (3, 'C', 'c', 'owned'), (4, 'D', 'd', 'owned'), (5, 'E', 'e', 'discovered');
    INSERT INTO ownership_claims(entity_type, entity_id, source, reason)
      VALUES ('artist', 3, 'spotify', 'followed');
    INSERT INTO albums(id, title, normalized_title) VALUES (30, 'W', 'w');
    INSERT INTO album_artists(album_id, artist_id) VALUES (30, 5);
    INSERT INTO tracks(id, title, normalized_title, album_id, artist_id) VALUES
      (301, 'd', 'd', 30, 5), (302, 'e', 'e', NULL, NULL);
  )");
  auto before = dump();
  auto count = rows();
  auto stats = run_cleanup();
  CHECK_MSG(stats["changed"] == 0, stats.dump());
  CAF_CHECK_EQUAL(dump(), before);
  CAF_CHECK_EQUAL(rows(), count);
}

CAF_TEST_FIXTURE_SCOPE_END()
