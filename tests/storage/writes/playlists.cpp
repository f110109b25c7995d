#define CAF_SUITE storage.writes.playlists
#include "fixture.hpp"

#include "storage/migrations.hpp"
#include "storage/queries/playlists.hpp"
#include "storage/writes/playlists.hpp"

using namespace discotheque;
using namespace discotheque::storage;

namespace {

struct fixture {
  test::temp_dir dir;
  database db = database::open(dir / "library.db");

  fixture() {
    migrate(db);
    db.exec("INSERT INTO tracks(id, title, normalized_title) VALUES"
            " (1, 'a', 'a'), (2, 'b', 'b'), (3, 'c', 'c')");
  }

  void apply(const write_request& req) {
    for (const auto& s : req.statements)
      db.run(s);
  }

  playlist_dto list() {
    playlist_dto p;
    p.provider = "spotify";
    p.provider_id = "p1";
    p.name = "Mix";
    p.is_owner = true;
    p.track_count = 3;
    return p;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(playlist_write_tests, fixture)

CAF_TEST(an upsert keeps sync_mode and an unknown owner keeps is_owner) {
  apply(upsert_playlist(list(), 10));
  db.exec("UPDATE playlists SET sync_mode = 'auto_own_tracks'");
  auto p = list();
  p.name = "Mix 2";
  p.is_owner = false;
  apply(upsert_playlist(p, 20, false));
  CAF_CHECK_EQUAL(db.query_text("SELECT name FROM playlists"),
                  std::optional<std::string>{"Mix 2"});
  CAF_CHECK_EQUAL(db.query_int("SELECT is_owner FROM playlists"), 1);
  // By value: CAF_CHECK_EQUAL keeps references to its arguments.
  auto modes = read_playlist_modes(db, "spotify");
  CAF_CHECK_EQUAL(modes.at("p1"), "auto_own_tracks");
  apply(upsert_playlist(p, 30, true));
  CAF_CHECK_EQUAL(db.query_int("SELECT is_owner FROM playlists"), 0);
}

CAF_TEST(links replace the previous ones in order or record an error) {
  apply(upsert_playlist(list(), 10));
  apply(link_playlist_tracks(list(), {3, 1, 2}, 11, ""));
  apply(link_playlist_tracks(list(), {2, 3}, 12, ""));
  std::vector<int64_t> order;
  auto st
    = db.prepare("SELECT track_id FROM playlist_tracks ORDER BY position");
  while (st.step())
    order.push_back(st.int64(0));
  CAF_CHECK(order == (std::vector<int64_t>{2, 3}));
  CAF_CHECK_EQUAL(db.query_int("SELECT track_count FROM playlists"), 2);
  CAF_CHECK_EQUAL(db.query_int("SELECT last_synced_at FROM playlists"), 12);
  apply(link_playlist_tracks(list(), {1}, 13, "HTTP 500"));
  CAF_CHECK_EQUAL(db.query_text("SELECT last_error FROM playlists"),
                  std::optional<std::string>{"HTTP 500"});
  CAF_CHECK_EQUAL(db.query_int("SELECT count(*) FROM playlist_tracks"), 2);
}

CAF_TEST_FIXTURE_SCOPE_END()
