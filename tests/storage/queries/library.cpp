#define CAF_SUITE storage.queries.library
#include "fixture.hpp"

#include "storage/migrations.hpp"
#include "storage/queries/library.hpp"
#include "storage/writes/user.hpp"

using namespace discotheque;
using namespace discotheque::storage::queries;
using json = nlohmann::json;

namespace {

struct fixture {
  test::temp_dir dir;
  storage::database db;

  fixture() {
    db = storage::database::open(dir / "q.db");
    storage::migrate(db);
    db.exec(R"(
      INSERT INTO artists(id, name, normalized_name, ownership_state, primary_source)
        VALUES (1, 'Björk', 'bjork', 'owned', 'local'),
               (2, 'Daft Punk', 'daft punk', 'discovered', 'spotify');
      INSERT INTO albums(id, title, normalized_title, ownership_state, primary_source, genres)
        VALUES (10, 'Homogenic', 'homogenic', 'owned', 'local', '["pop"]');
      INSERT INTO album_artists VALUES (10, 1, 0);
      INSERT INTO tracks(id, title, normalized_title, album_id, artist_id, ownership_state,
                         primary_source, download_state)
        VALUES (100, 'Jóga', 'joga', 10, 1, 'owned', 'local', 'downloaded'),
               (101, 'Get Lucky', 'get lucky', NULL, 2, 'discovered', 'spotify', 'pending');
      INSERT INTO track_artists VALUES (100, 1, 'main', 0), (101, 2, 'main', 0);
      INSERT INTO playlists(id, name, provider, provider_id, track_count)
        VALUES (7, 'Mix', 'spotify', 'p7', 1);
      INSERT INTO playlist_tracks(playlist_id, position, track_id) VALUES (7, 0, 101);
    )");
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(library_queries, fixture)

CAF_TEST(lists and counts honour every filter) {
  list_filter none;
  CAF_CHECK_EQUAL(count_entities(db, entity::artist, none), 2);
  list_filter owned;
  owned.ownership_state = "owned";
  CAF_CHECK_EQUAL(count_entities(db, entity::track, owned), 1);
  list_filter by_artist;
  by_artist.artist_id = 2;
  auto rows = list_entities(db, entity::track, by_artist, 10, 0);
  CAF_REQUIRE_EQUAL(rows.size(), 1u);
  CAF_CHECK_EQUAL(rows[0]["title"], "Get Lucky");
  list_filter named;
  named.name_contains = "punk";
  CAF_CHECK_EQUAL(count_entities(db, entity::artist, named), 1);
  // LIKE wildcards in the query are matched literally
  named.name_contains = "%";
  CAF_CHECK_EQUAL(count_entities(db, entity::artist, named), 0);
  auto page = list_entities(db, entity::artist, none, 1, 1);
  CAF_REQUIRE_EQUAL(page.size(), 1u);
  CAF_CHECK_EQUAL(page[0]["id"], 2);
}

CAF_TEST(one entity and its relations) {
  auto album = entity_row(db, entity::album, 10);
  CAF_REQUIRE(album.has_value());
  CAF_CHECK_EQUAL((*album)["genres"], json::array({"pop"}));
  CAF_CHECK(!entity_row(db, entity::album, 11).has_value());
  CAF_CHECK_EQUAL(album_tracks(db, 10).size(), 1u);
  CAF_CHECK_EQUAL(artist_track_count(db, 1), 1);
  CAF_CHECK_EQUAL(artist_owned_track_count(db, 2), 0);
  CAF_CHECK(!track_album(db, 101).has_value());
}

CAF_TEST(playlists and totals) {
  auto tracks = playlist_tracks(db, 7);
  CAF_REQUIRE_EQUAL(tracks.size(), 1u);
  CAF_CHECK_EQUAL(tracks[0]["track_id"], 101);
  CAF_CHECK_EQUAL(tracks[0]["artist"], "Daft Punk");
  auto t = totals(db);
  CAF_CHECK_EQUAL(t.artists, 2);
  CAF_CHECK_EQUAL(t.owned_tracks, 1);
  CAF_CHECK_EQUAL(t.pending_downloads, 1);
  CAF_CHECK_EQUAL(t.playlists, 1);
}

CAF_TEST(a playlist sync mode write changes that playlist only) {
  auto w = storage::writes::set_playlist_sync_mode(7, "auto_own_tracks", 5);
  for (auto& st : w.statements)
    db.run(st);
  auto changed = playlist(db, 7);
  CAF_REQUIRE(changed.has_value());
  CAF_CHECK_EQUAL((*changed)["sync_mode"].get<std::string>(),
                  "auto_own_tracks");
  CAF_CHECK_EQUAL(
    db.query_int("SELECT updated_at FROM playlists WHERE id = 7").value_or(0),
    5);
}

CAF_TEST(entities carry the state and link of their image) {
  db.exec("INSERT INTO images(entity_type, entity_id, url, source, state)"
          " VALUES ('album', 10, 'https://caa/10.jpg', 'coverartarchive',"
          " 'downloaded'), ('playlist', 7, 'https://p/7.jpg', 'spotify',"
          " 'failed'), ('artist', 10, 'https://a/10.jpg', 'spotify',"
          " 'url_found');");
  auto album = entity_row(db, entity::album, 10);
  CAF_REQUIRE(album.has_value());
  auto state = (*album)["image_state"];
  auto url = (*album)["image_url"];
  CAF_CHECK_EQUAL(state, "downloaded");
  CAF_CHECK_EQUAL(url, "https://caa/10.jpg");
  // artist 1 has none (the row of artist 10 is another entity's)
  auto artist = entity_row(db, entity::artist, 1);
  CAF_REQUIRE(artist.has_value());
  CAF_CHECK((*artist)["image_state"].is_null());
  auto mix = playlist(db, 7);
  CAF_REQUIRE(mix.has_value());
  auto mix_state = (*mix)["image_state"];
  CAF_CHECK_EQUAL(mix_state, "failed");
  auto listed = list_entities(db, entity::album, list_filter{}, 10, 0);
  CAF_REQUIRE_EQUAL(listed.size(), 1u);
  auto listed_state = listed[0]["image_state"];
  CAF_CHECK_EQUAL(listed_state, "downloaded");
}

CAF_TEST_FIXTURE_SCOPE_END()
