#define CAF_SUITE storage.queries.dedup
#include "fixture.hpp"

#include "storage/migrations.hpp"
#include "storage/queries/dedup.hpp"

#include <sqlite3.h>

using namespace discotheque;
using namespace discotheque::storage;

namespace {

struct fixture {
  test::temp_dir dir;
  database db = database::open(dir / "library.db");
  std::vector<std::string> columns;

  fixture() {
    migrate(db);
    columns = provider_id_columns(db, {"spotify", "deezer", "tidal"});
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(dedup_query_tests, fixture)

CAF_TEST(provider columns are checked against the schema) {
  CAF_CHECK_EQUAL(
    columns, (std::vector<std::string>{"spotify_id", "deezer_id", "tidal_id"}));
  bool threw = false;
  try {
    provider_id_columns(db, {"spotify", "nosuch"});
  } catch (const sqlite_error& e) {
    threw = std::string{e.what()}.find("nosuch_id") != std::string::npos;
  }
  CAF_CHECK(threw);
}

CAF_TEST(identities come with their keys and known columns) {
  db.exec("INSERT INTO artists(id, name, normalized_name, mbid, deezer_id, "
          "ownership_state, genres) VALUES (3, 'Björk', 'bjork', 'm-b', "
          "'dz3', 'owned', '[]'), (5, 'Other', 'other', NULL, NULL, "
          "'discovered', NULL)");
  db.exec("INSERT INTO albums(id, title, normalized_title, tidal_id, upc, "
          "ownership_state, primary_source) VALUES (2, 'Homogenic', "
          "'homogenic', 'td2', '123', 'discovered', 'tidal')");
  db.exec("INSERT INTO album_artists(album_id, artist_id, position) VALUES "
          "(2, 5, 1), (2, 3, 0)");
  db.exec("INSERT INTO tracks(id, title, normalized_title, isrc, "
          "release_track_mbid, spotify_id, album_id, artist_id, local_path, "
          "ownership_state) VALUES (8, 'Jóga', 'joga', 'GB1', 'rt', 'sp8', 2, "
          "3, '/m/j.flac', 'owned')");
  db.exec("INSERT INTO artists(id, name, normalized_name, sort_name, genres, "
          "primary_source) VALUES (6, 'Full', 'full', 'Full', '[]', 'local')");
  std::vector<artist_identity> artists;
  read_artist_identities(db, columns,
                         [&](artist_identity& r) { artists.push_back(r); });
  CAF_REQUIRE_EQUAL(artists.size(), 3u);
  CAF_CHECK_EQUAL(int{artists[2].filled},
                  artist_sort_name | artist_genres | artist_primary_source);
  CAF_CHECK_EQUAL(artists[0].id, 3);
  CAF_CHECK_EQUAL(artists[0].normalized_name, "bjork");
  CAF_CHECK_EQUAL(artists[0].mbid, "m-b");
  CAF_CHECK_EQUAL(artists[0].ids, (std::vector<std::string>{"", "dz3", ""}));
  CAF_CHECK(artists[0].settled);
  CAF_CHECK_EQUAL(int{artists[0].filled}, int{artist_genres});
  CAF_CHECK_EQUAL(artists[0].name, "Björk");
  CAF_CHECK(!artists[1].settled);
  CAF_CHECK_EQUAL(artists[1].mbid, "");
  std::vector<album_identity> albums;
  read_album_identities(db, columns,
                        [&](album_identity& r) { albums.push_back(r); });
  CAF_REQUIRE_EQUAL(albums.size(), 1u);
  CAF_CHECK_EQUAL(albums[0].artists, (std::vector<int64_t>{3, 5}));
  CAF_CHECK_EQUAL(albums[0].first_artist, 3);
  CAF_CHECK_EQUAL(albums[0].ids, (std::vector<std::string>{"", "", "td2"}));
  CAF_CHECK_EQUAL(int{albums[0].filled}, album_upc | album_primary_source);
  CAF_CHECK(!albums[0].has_release_group);
  CAF_CHECK(!albums[0].settled);
  std::vector<track_identity> tracks;
  read_track_identities(db, columns,
                        [&](track_identity& r) { tracks.push_back(r); });
  CAF_REQUIRE_EQUAL(tracks.size(), 1u);
  CAF_CHECK_EQUAL(tracks[0].isrc, "GB1");
  CAF_CHECK(tracks[0].has_release_track);
  CAF_CHECK_EQUAL(tracks[0].ids, (std::vector<std::string>{"sp8", "", ""}));
  CAF_CHECK_EQUAL(tracks[0].album_id, 2);
  CAF_CHECK_EQUAL(tracks[0].artist_id, 3);
  CAF_CHECK_EQUAL(tracks[0].local_path, "/m/j.flac");
}

CAF_TEST(stale claims and the cascade reads) {
  db.exec("INSERT INTO artists(id, name, normalized_name) VALUES (1, 'A', "
          "'a'), (2, 'B', 'b'), (3, 'C', 'c')");
  db.exec("INSERT INTO albums(id, title, normalized_title) VALUES (1, 'X', "
          "'x')");
  db.exec("INSERT INTO album_artists(album_id, artist_id, position) VALUES "
          "(1, 3, 0)");
  db.exec("INSERT INTO tracks(id, title, normalized_title, album_id, "
          "artist_id) VALUES (1, 'T', 't', 1, 1)");
  db.exec("INSERT INTO track_artists(track_id, artist_id, role, position) "
          "VALUES (1, 2, 'featured', 1)");
  db.exec("INSERT INTO ownership_claims(entity_type, entity_id, source, "
          "reason, run_id) VALUES ('track', 1, 'spotify', 'liked', 1), "
          "('album', 1, 'spotify', 'liked', 2), ('artist', 1, 'spotify', "
          "'followed', 1)");
  auto stale = stale_claims(db, "spotify", "liked", 2);
  CAF_REQUIRE_EQUAL(stale.size(), 1u);
  CAF_CHECK_EQUAL(stale[0].entity_type, "track");
  CAF_CHECK_EQUAL(stale[0].entity_id, 1);
  claim_cascade_reads cascade{db};
  std::set<int64_t> albums, artists;
  cascade.albums_of_track(1, albums);
  cascade.artists_of_track(1, artists);
  CAF_CHECK_EQUAL(albums, (std::set<int64_t>{1}));
  CAF_CHECK_EQUAL(artists, (std::set<int64_t>{1, 2}));
  cascade.artists_of_album(1, artists);
  CAF_CHECK_EQUAL(artists, (std::set<int64_t>{1, 2, 3}));
}

CAF_TEST_FIXTURE_SCOPE_END()
