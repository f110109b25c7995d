#define CAF_SUITE storage.queries.playlists
#include "fixture.hpp"

#include "storage/migrations.hpp"
#include "storage/queries/playlists.hpp"

using namespace discotheque;
using namespace discotheque::storage;

CAF_TEST(playlist modes are read per provider in one query) {
  test::temp_dir dir;
  auto db = database::open(dir / "library.db");
  migrate(db);
  db.exec("INSERT INTO playlists(name, provider, provider_id, sync_mode) VALUES"
          " ('a', 'deezer', '1', 'disabled'),"
          " ('b', 'deezer', '2', 'reference_only'),"
          " ('c', 'tidal', '1', 'auto_own_tracks')");
  auto modes = read_playlist_modes(db, "deezer");
  CAF_CHECK_EQUAL(modes.size(), 2u);
  CAF_CHECK_EQUAL(modes.at("1"), "disabled");
  CAF_CHECK_EQUAL(modes.at("2"), "reference_only");
  // By value: CAF_CHECK_EQUAL keeps references to its arguments.
  auto tidal = read_playlist_modes(db, "tidal");
  CAF_CHECK_EQUAL(tidal.at("1"), "auto_own_tracks");
  CAF_CHECK(read_playlist_modes(db, "spotify").empty());
}
