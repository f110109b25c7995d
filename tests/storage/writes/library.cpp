#define CAF_SUITE storage.writes.library
#include "fixture.hpp"

#include "storage/migrations.hpp"
#include "storage/writes/library.hpp"

using namespace discotheque;
using namespace discotheque::storage;

namespace {

struct fixture {
  test::temp_dir dir;
  database db = database::open(dir / "library.db");
  library_writes w{{"spotify_id", "deezer_id", "tidal_id"}};

  fixture() {
    migrate(db);
  }

  void apply(const write_request& req) {
    transaction tx{db};
    for (auto& s : req.statements)
      db.run(s);
    tx.commit();
  }

  std::string text(const std::string& sql) {
    return db.query_text(sql).value_or("<null>");
  }

  int64_t count(const std::string& sql) {
    return db.query_int(sql).value_or(-1);
  }

  static artist_columns artist(int64_t id, std::string name) {
    artist_columns a;
    a.id = id;
    a.normalized_name = name;
    a.name = std::move(name);
    a.ids.resize(3);
    a.source = "spotify";
    return a;
  }

  static new_track track(int64_t id, int64_t artist) {
    new_track t;
    t.columns.id = id;
    t.columns.title = "T" + std::to_string(id);
    t.columns.normalized_title = "t" + std::to_string(id);
    t.columns.ids.resize(3);
    t.columns.artist_id = artist;
    t.columns.source = "local";
    t.download_state = "not_needed";
    return t;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(library_write_tests, fixture)

CAF_TEST(a fill writes only what the row lacks) {
  write_request req;
  auto a = artist(1, "Björk");
  a.ids[0] = sql_value::of("spA");
  w.insert_artist(req, a);
  apply(req);
  req = {};
  auto f = artist(1, "");
  f.ids[0] = sql_value::of("spB");
  f.ids[1] = sql_value::of("dz1");
  f.mbid = sql_value::of("m-1");
  f.owned = true;
  w.fill_artist(req, f);
  w.rename_artist(req, 1, "Bjork");
  apply(req);
  CAF_CHECK_EQUAL(text("SELECT name || ' ' || spotify_id || ' ' || deezer_id "
                       "|| ' ' || mbid || ' ' || ownership_state FROM artists"),
                  "Bjork spA dz1 m-1 owned");
  // ignored is never turned owned
  db.exec("UPDATE artists SET ownership_state = 'ignored'");
  req = {};
  w.fill_artist(req, f);
  apply(req);
  CAF_CHECK_EQUAL(text("SELECT ownership_state FROM artists"), "ignored");
}

CAF_TEST(provider columns follow the list they were made with) {
  library_writes tidal_only{{"tidal_id"}};
  write_request req;
  auto a = artist(1, "A");
  a.ids = {sql_value::of("td1")};
  tidal_only.insert_artist(req, a);
  apply(req);
  CAF_CHECK_EQUAL(text("SELECT tidal_id FROM artists"), "td1");
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM artists WHERE spotify_id IS "
                        "NULL AND deezer_id IS NULL"),
                  1);
}

CAF_TEST(new tracks and credits go out in chunks of 64 rows) {
  write_request req;
  w.insert_artist(req, artist(1, "A"));
  std::vector<new_track> rows;
  std::vector<track_credit> credits;
  for (int64_t i = 1; i <= 130; ++i) {
    rows.push_back(track(i, 1));
    credits.push_back({i, 1, "main", 0});
  }
  w.insert_tracks(req, rows);
  w.insert_credits(req, credits);
  CAF_CHECK(rows.empty());
  CAF_CHECK(credits.empty());
  CAF_REQUIRE_EQUAL(req.statements.size(), 7u); // artist, 3 + 3 chunks
  CAF_CHECK_EQUAL(req.statements[1].sql, req.statements[2].sql);
  CAF_CHECK_NOT_EQUAL(req.statements[2].sql, req.statements[3].sql);
  apply(req);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM tracks"), 130);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM track_artists"), 130);
}

CAF_TEST(a known track gets its file and loses it again) {
  write_request req;
  w.insert_artist(req, artist(1, "A"));
  std::vector<new_track> rows{track(1, 1)};
  w.insert_tracks(req, rows);
  apply(req);
  req = {};
  track_columns x;
  x.id = 1;
  x.ids.resize(3);
  x.artist_id = 1;
  x.owned = true;
  x.source = "local";
  w.fill_track(req, x, download_change::on_disk);
  w.set_track_file(req, 1, "/m/a.flac", 10, 20);
  apply(req);
  CAF_CHECK_EQUAL(text("SELECT ownership_state || ' ' || download_state || ' '"
                       " || local_path FROM tracks"),
                  "owned downloaded /m/a.flac");
  req = {};
  w.clear_track_file(req, 1);
  apply(req);
  CAF_CHECK_EQUAL(text("SELECT download_state || ' ' || (local_path IS NULL)"
                       " FROM tracks"),
                  "not_needed 1");
}

CAF_TEST(album_inferred follows the file) {
  write_request req;
  w.insert_artist(req, artist(1, "A"));
  std::vector<new_track> rows{track(1, 1), track(2, 1)};
  rows[0].columns.album_inferred = true;
  w.insert_tracks(req, rows);
  apply(req);
  CAF_CHECK_EQUAL(count("SELECT sum(album_inferred) FROM tracks"), 1);
  CAF_CHECK_EQUAL(count("SELECT album_inferred FROM tracks WHERE id = 1"), 1);
  track_columns x;
  x.id = 1;
  x.ids.resize(3);
  x.artist_id = 1;
  x.source = "spotify";
  req = {};
  w.fill_track(req, x, download_change::keep); // not a file: kept
  apply(req);
  CAF_CHECK_EQUAL(count("SELECT album_inferred FROM tracks WHERE id = 1"), 1);
  x.source = "local";
  req = {};
  w.fill_track(req, x, download_change::on_disk); // the file says no
  apply(req);
  CAF_CHECK_EQUAL(count("SELECT album_inferred FROM tracks WHERE id = 1"), 0);
  x.id = 2;
  x.title = "T2";
  x.normalized_title = "t2";
  x.album_inferred = true;
  req = {};
  w.refresh_track_from_file(req, x);
  apply(req);
  CAF_CHECK_EQUAL(count("SELECT album_inferred FROM tracks WHERE id = 2"), 1);
}

CAF_TEST(claims are renewed and released with the cascade) {
  write_request req;
  w.insert_artist(req, artist(1, "A"));
  std::vector<new_track> rows{track(1, 1), track(2, 1)};
  rows[0].columns.owned = rows[1].columns.owned = true;
  w.insert_tracks(req, rows);
  library_writes::upsert_claims(req, "track", {1, 2}, "spotify", "liked", 1);
  apply(req);
  db.exec("UPDATE artists SET ownership_state = 'owned'");
  req = {};
  library_writes::upsert_claims(req, "track", {1}, "spotify", "liked", 2);
  apply(req);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM ownership_claims WHERE run_id ="
                        " 2"),
                  1);
  req = {};
  release_stale_claims(req, "spotify", "liked", 2);
  release_track(req, 2);
  release_artist(req, 1);
  apply(req);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM ownership_claims"), 1);
  CAF_CHECK_EQUAL(text("SELECT ownership_state FROM tracks WHERE id = 2"),
                  "discovered");
  // track 1 is still owned, so its artist stays owned
  CAF_CHECK_EQUAL(text("SELECT ownership_state FROM artists"), "owned");
}

CAF_TEST_FIXTURE_SCOPE_END()
