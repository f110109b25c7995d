#define CAF_SUITE actors.dedup.merge
#include "fixture.hpp"

#include "actors/dedup/merge.hpp"
#include "library/normalize.hpp"
#include "storage/queries/dedup.hpp"

#include <algorithm>

// The matching rules as plain functions: batches in, row ids, index and
// statements out. No actor, no database.

using namespace discotheque;
using namespace discotheque::dedup;

namespace {

const std::string m1 = "11111111-1111-1111-1111-111111111111";
const std::string m2 = "22222222-2222-2222-2222-222222222222";
const std::string m3 = "33333333-3333-3333-3333-333333333333";

artist_dto artist(std::string name, std::string mbid = "",
                  std::string spotify = "") {
  artist_dto a;
  a.name = std::move(name);
  a.mbid = std::move(mbid);
  set_provider_id(a, "spotify", std::move(spotify));
  return a;
}

track_dto track(std::string title, artist_dto a, std::string album) {
  track_dto t;
  t.title = std::move(title);
  t.artists.push_back(a);
  t.album.title = std::move(album);
  t.album.artists.push_back(a);
  return t;
}

ingest_batch batch(std::string source, std::string reason = "") {
  ingest_batch b;
  b.source = std::move(source);
  b.reason = std::move(reason);
  b.run_id = 1;
  return b;
}

struct fixture {
  identity_index index{{"spotify", "deezer", "tidal"}};
  storage::library_writes writes{{"spotify_id", "deezer_id", "tidal_id"}};

  merge_outcome run(const ingest_batch& b) {
    return merge(b, index, writes);
  }

  /// The statements of `out` whose SQL starts with `head`.
  static std::vector<const sql_stmt*> statements(const merge_outcome& out,
                                                 const std::string& head) {
    std::vector<const sql_stmt*> found;
    for (auto& s : out.writes.statements)
      if (s.sql.starts_with(head))
        found.push_back(&s);
    return found;
  }

  /// Whether any statement binds the text `value`.
  static bool binds(const merge_outcome& out, const std::string& value) {
    for (auto& s : out.writes.statements)
      for (auto& p : s.params)
        if (p.kind == sql_value::text_v && p.s == value)
          return true;
    return false;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(merge_tests, fixture)

CAF_TEST(artists match by mbid then provider id then normalized name) {
  auto seed = batch("spotify");
  seed.artists = {artist("Foo", m1), artist("Bar", "", "sp2"),
                  artist("The Baz")};
  auto ids = run(seed).result.artist_ids;
  CAF_REQUIRE_EQUAL(ids.size(), 3u);
  auto in = batch("spotify");
  in.artists = {
    artist("Bar", m1),        // the MBID wins over the name
    artist("Foo", "", "sp2"), // the provider id wins over the name
    artist("baz"),            // case and a leading "The" folded
  };
  auto out = run(in);
  CAF_CHECK_EQUAL(out.result.artist_ids[0], ids[0]);
  CAF_CHECK_EQUAL(out.result.artist_ids[1], ids[1]);
  CAF_CHECK_EQUAL(out.result.artist_ids[2], ids[2]);
  CAF_CHECK_EQUAL(out.result.created, 0);
  CAF_CHECK_EQUAL(out.result.merged, 3);
}

CAF_TEST(tracks match by mbid then isrc then provider id then name) {
  auto seed = batch("spotify");
  auto a = track("A", artist("Band"), "Album");
  a.mbid = m1;
  auto b = track("B", artist("Band"), "Album");
  b.isrc = "ISRC0001";
  auto c = track("C", artist("Band"), "Album");
  set_provider_id(c, "deezer", "dz3");
  auto d = track("D", artist("Band"), "Album");
  seed.tracks = {a, b, c, d};
  auto ids = run(seed).result.track_ids;
  CAF_REQUIRE_EQUAL(ids.size(), 4u);
  auto in = batch("deezer");
  auto x = track("D", artist("Band"), "Album");
  x.mbid = m1;
  x.isrc = "ISRC0001";
  set_provider_id(x, "deezer", "dz3");
  auto y = track("D", artist("Band"), "Album");
  y.isrc = "ISRC0001";
  set_provider_id(y, "deezer", "dz3");
  auto z = track("D", artist("Band"), "Album");
  set_provider_id(z, "deezer", "dz3");
  auto w = track("d", artist("BAND"), "ALBUM");
  // x last: its merge gives A the ISRC, which y would then find first
  in.tracks = {y, z, w, x};
  auto out = run(in);
  CAF_CHECK_EQUAL(out.result.track_ids[0], ids[1]); // ISRC over provider id
  CAF_CHECK_EQUAL(out.result.track_ids[1], ids[2]); // provider id over name
  CAF_CHECK_EQUAL(out.result.track_ids[2], ids[3]); // folded name
  CAF_CHECK_EQUAL(out.result.track_ids[3], ids[0]); // MBID over all
  CAF_CHECK_EQUAL(out.result.tracks_created, 0);
}

CAF_TEST(two artists with different mbids are never merged) {
  auto b = batch("local", "file");
  b.artists = {artist("Nirvana", m1), artist("Nirvana", m2)};
  auto out = run(b);
  CAF_CHECK_NOT_EQUAL(out.result.artist_ids[0], out.result.artist_ids[1]);
  // nor through a provider id carried by the one with the other MBID
  auto s = batch("spotify");
  s.artists = {artist("Nirvana", m1, "spA")};
  run(s);
  auto other = batch("spotify");
  other.artists = {artist("Nirvana", m3, "spA")};
  auto again = run(other);
  CAF_CHECK_EQUAL(again.result.created, 1);
  CAF_CHECK_EQUAL(index.artists.size(), 3u);
  CAF_CHECK_EQUAL(index.artist_by_provider[index.slot("spotify")].at("spA"),
                  out.result.artist_ids[0]);
}

CAF_TEST(a merge fills missing ids and never overwrites a known id) {
  auto b = batch("spotify", "followed");
  b.artists = {artist("Björk", "", "spA")};
  auto id = run(b).result.artist_ids[0];
  auto spotify = index.slot("spotify");
  auto deezer = index.slot("deezer");
  // another Spotify id for the same artist (by name): the known one stays
  b.artists[0] = artist("Björk", "", "spB");
  auto out = run(b);
  CAF_CHECK_EQUAL(out.result.artist_ids[0], id);
  CAF_CHECK(!binds(out, "spB"));
  CAF_CHECK_EQUAL(index.artist_by_provider[spotify].count("spB"), 0u);
  CAF_CHECK_EQUAL(index.artist_by_provider[spotify].at("spA"), id);
  // a Deezer id it lacks is filled, as is the MBID
  auto dz = artist("Bjork", m1);
  set_provider_id(dz, "deezer", "dz1");
  b.artists[0] = dz;
  out = run(b);
  CAF_CHECK_EQUAL(out.result.artist_ids[0], id);
  CAF_CHECK_EQUAL(statements(out, "UPDATE artists SET").size(), 1u);
  CAF_CHECK(binds(out, "dz1"));
  CAF_CHECK(binds(out, m1));
  CAF_CHECK_EQUAL(index.artist_by_provider[deezer].at("dz1"), id);
  CAF_CHECK_EQUAL(index.artists.at(id).mbid, m1);
  // seen again with nothing new: no statement but the claim
  out = run(b);
  CAF_CHECK_EQUAL(out.writes.statements.size(), 1u);
  CAF_CHECK_EQUAL(statements(out, "INSERT INTO ownership_claims").size(), 1u);
}

CAF_TEST(ignored stays ignored) {
  storage::artist_identity row;
  row.id = 7;
  row.name = "Band";
  row.normalized_name = library::artist_key("Band");
  row.ids = {"", "", ""};
  row.settled = true; // ignored (or owned): a claim has nothing to change
  row.filled = storage::artist_sort_name | storage::artist_genres
               | storage::artist_primary_source;
  index.add(row);
  auto b = batch("spotify", "followed");
  b.artists = {artist("band")};
  auto out = run(b);
  CAF_CHECK_EQUAL(out.result.artist_ids, std::vector<int64_t>{7});
  CAF_CHECK_EQUAL(out.result.created, 0);
  CAF_CHECK(statements(out, "UPDATE artists").empty());
  CAF_CHECK(index.artists.at(7).settled);
  CAF_CHECK_EQUAL(index.next_artist, 8);
}

CAF_TEST(a local file never takes a track another file backs) {
  auto first = batch("local", "file");
  auto t = track("Song", artist("Band"), "Album");
  t.local_path = "/m/a.flac";
  first.tracks = {t};
  auto id = run(first).result.track_ids[0];
  CAF_CHECK(index.tracks.at(id).has_local);
  // a second copy of the same song in another file: its own track
  auto copy = first;
  copy.tracks[0].local_path = "/m/b.flac";
  auto out = run(copy);
  CAF_CHECK_NOT_EQUAL(out.result.track_ids[0], id);
  CAF_CHECK_EQUAL(out.result.tracks_created, 1);
  // the same file seen again is the same track
  auto same = run(first).result.track_ids;
  CAF_CHECK_EQUAL(same.at(0), id);
  // a cloud source takes it (by name)
  auto liked = batch("spotify", "liked");
  liked.tracks = {track("Song", artist("Band"), "Album")};
  auto cloud = run(liked).result.track_ids;
  CAF_CHECK_EQUAL(cloud.at(0), id);
  // once its file is gone, a local file takes it again
  auto gone = batch("local", "file");
  gone.gone_paths = {"/m/a.flac"};
  auto released = run(gone).result.gone;
  CAF_CHECK_EQUAL(released, 1);
  auto moved = first;
  moved.tracks[0].local_path = "/m/c.flac";
  auto taken = run(moved).result.track_ids;
  CAF_CHECK_EQUAL(taken.at(0), id);
}

CAF_TEST(a track naming its album only by id links to the known album) {
  auto b = batch("tidal", "followed");
  album_dto al;
  al.title = "Vespertine";
  set_provider_id(al, "tidal", "800001");
  al.artists.push_back(artist("Björk"));
  b.albums = {al};
  auto out = run(b);
  auto album_id = out.result.album_ids[0];
  auto artist_id = index.albums.at(album_id).artists.at(0);
  auto t = batch("tidal", "followed");
  track_dto x;
  x.title = "Hidden Place";
  x.artists.push_back(artist("Björk"));
  set_provider_id(x.album, "tidal", "800001");
  t.tracks = {x};
  out = run(t);
  auto key = identity_index::track_key(artist_id, album_id,
                                       library::fold("Hidden Place"));
  CAF_CHECK_EQUAL(index.track_by_name.count(key), 1u);
  CAF_CHECK_EQUAL(index.albums.size(), 1u);
}

CAF_TEST(an album without a title is never created) {
  auto b = batch("tidal", "followed");
  track_dto x;
  x.title = "Cocoon";
  x.artists.push_back(artist("Björk"));
  set_provider_id(x.album, "tidal", "899999"); // never seen
  b.tracks = {x};
  auto out = run(b);
  CAF_CHECK(index.albums.empty());
  CAF_CHECK(statements(out, "INSERT INTO albums").empty());
  CAF_CHECK_EQUAL(out.result.created, 2); // the artist and the track
  auto key = identity_index::track_key(index.artists.begin()->first, 0,
                                       library::fold("Cocoon"));
  CAF_CHECK_EQUAL(index.track_by_name.count(key), 1u);
}

CAF_TEST(new tracks go out as multi - row inserts of at most 64 rows) {
  auto b = batch("spotify", "liked");
  for (int i = 0; i < 70; ++i)
    b.tracks.push_back(
      track("Song " + std::to_string(i), artist("Band"), "Album"));
  auto out = run(b);
  auto inserts = statements(out, "INSERT INTO tracks");
  CAF_REQUIRE_EQUAL(inserts.size(), 2u);
  CAF_CHECK_EQUAL(inserts[0]->params.size() % 64, 0u);
  CAF_CHECK_EQUAL(inserts[0]->params.size() / 64 * 6,
                  inserts[1]->params.size());
  CAF_CHECK_EQUAL(statements(out, "INSERT OR IGNORE INTO track_artists").size(),
                  2u);
  CAF_CHECK_EQUAL(out.result.tracks_created, 70);
}

CAF_TEST_FIXTURE_SCOPE_END()
