#define CAF_SUITE actors.dedup.matching
#include "fixture.hpp"

#include "actors/dedup/matching.hpp"
#include "library/normalize.hpp"

// The rules that choose between candidates, on a hand-filled index: no
// merge, no actor, no database.

using namespace discotheque;
using namespace discotheque::dedup;

namespace {

struct fixture {
  identity_index ix{{"spotify"}};

  int64_t artist(int64_t id, std::string mbid) {
    ix.artists[id].mbid = std::move(mbid);
    return id;
  }

  int64_t album(int64_t id, std::string mbid, std::vector<std::string> dirs,
                int32_t total = 0) {
    auto& r = ix.albums[id];
    r.mbid = std::move(mbid);
    r.total_tracks = total;
    for (auto& d : dirs)
      identity_index::add_folder(r, folder_key(d + "/01.flac"));
    return id;
  }

  album_evidence local(const std::string& dir, std::string_view mbid = {},
                       int32_t total = 0) {
    album_evidence e;
    e.folder = folder_key(dir + "/05.flac");
    e.mbid = mbid;
    e.total_tracks = total;
    return e;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(matching_tests, fixture)

CAF_TEST(the album folder of a file is its directory or above its disc) {
  CAF_CHECK_EQUAL(album_folder("/m/Kettle/Double/03.flac"), "/m/Kettle/Double");
  CAF_CHECK_EQUAL(album_folder("/m/Kettle/Double/CD1/03.flac"),
                  "/m/Kettle/Double");
  CAF_CHECK_EQUAL(album_folder("/m/Kettle/Double/Disc 2/03.flac"),
                  "/m/Kettle/Double");
  CAF_CHECK_EQUAL(album_folder("/m/Kettle/Double/disk-03/1.mp3"),
                  "/m/Kettle/Double");
  CAF_CHECK_EQUAL(album_folder("/m/Kettle/Double/CD 1 of 2/1.mp3"),
                  "/m/Kettle/Double");
  // not disc folders: their own albums
  CAF_CHECK_EQUAL(album_folder("/m/Kettle/Discography/1.mp3"),
                  "/m/Kettle/Discography");
  CAF_CHECK_EQUAL(album_folder("/m/Kettle/CDs of mine/1.mp3"),
                  "/m/Kettle/CDs of mine");
  CAF_CHECK_EQUAL(album_folder("1.mp3"), "");
  CAF_CHECK_EQUAL(folder_key(""), 0u);
  CAF_CHECK_EQUAL(folder_key("/m/a/CD1/1.mp3"), folder_key("/m/a/CD2/9.mp3"));
  CAF_CHECK_NOT_EQUAL(folder_key("/m/a/1.mp3"), folder_key("/m/b/1.mp3"));
}

CAF_TEST(a name only spelling takes its own row or the one row with an mbid) {
  auto any = std::vector<int64_t>{};
  CAF_CHECK_EQUAL(pick_artist(ix, any, ""), 0); // nothing known: a new row
  auto a = artist(1, "mbid-a");
  CAF_CHECK_EQUAL(pick_artist(ix, {a}, ""), a);
  // two artists with MBIDs share the spelling: it could be either
  auto b = artist(2, "mbid-b");
  CAF_CHECK_EQUAL(pick_artist(ix, {a, b}, ""), 0);
  // ... so it became its own row, which it keeps taking
  auto plain = artist(3, "");
  CAF_CHECK_EQUAL(pick_artist(ix, {a, b, plain}, ""), plain);
}

CAF_TEST(an artist with an mbid adopts a name only row unless it is ambiguous) {
  auto plain = artist(1, "");
  CAF_CHECK_EQUAL(pick_artist(ix, {plain}, "mbid-a"), plain);
  // a row with another MBID shares the spelling: the name-only row may be
  // that artist's, so the new MBID gets a row of its own
  auto b = artist(2, "mbid-b");
  CAF_CHECK_EQUAL(pick_artist(ix, {plain, b}, "mbid-a"), 0);
  CAF_CHECK_EQUAL(pick_artist(ix, {b}, "mbid-a"), 0);
}

CAF_TEST(a local album is the row of its folder) {
  auto tagged = album(1, "rel-1", {"/m/K/The Collection (2001)"}, 5);
  auto other = album(2, "", {"/m/K/The Collection (2010)"}, 4);
  // a file of the tagged release's folder without ids: that release
  CAF_CHECK_EQUAL(pick_album(ix, {tagged, other},
                             local("/m/K/The Collection (2001)")),
                  tagged);
  CAF_CHECK_EQUAL(pick_album(ix, {tagged, other},
                             local("/m/K/The Collection (2010)")),
                  other);
  // a release MBID adopts the name-only row of its own folder
  auto plain = album(3, "", {"/m/K/Debut"});
  CAF_CHECK_EQUAL(pick_album(ix, {plain}, local("/m/K/Debut", "rel-3")), plain);
  // ... unless a release with another MBID shares folder and title
  auto rival = album(4, "rel-4", {"/m/K/Debut"});
  CAF_CHECK_EQUAL(pick_album(ix, {plain, rival}, local("/m/K/Debut", "rel-3")),
                  0);
}

CAF_TEST(another folder is the same album only if the track lists agree) {
  auto tagged = album(1, "rel-1", {"/m/K/The Collection (2001)"}, 5);
  // a release MBID never absorbs an album whose track count differs ...
  auto other = album(2, "", {"/m/K/The Collection (2010)"}, 4);
  CAF_CHECK_EQUAL(pick_album(ix, {other},
                             local("/m/K/The Collection (2001)", "rel-1", 5)),
                  0);
  CAF_CHECK_EQUAL(
    pick_album(ix, {tagged}, local("/m/K/The Collection (2010)", "", 4)), 0);
  // ... or that has another title at the track's place
  auto& r = ix.albums.at(tagged);
  identity_index::add_position(r, track_position(1, 3, "opening"));
  auto e = local("/m/K/Elsewhere");
  e.position = track_position(1, 3, "other song");
  CAF_CHECK(track_lists_differ(r, e));
  CAF_CHECK_EQUAL(pick_album(ix, {tagged}, e), 0);
  e.position = track_position(0, 3, "opening"); // disc 0 reads as disc 1
  CAF_CHECK(!track_lists_differ(r, e));
  // a stray file of the album in another folder, nothing against it: joins
  e.position = track_position(1, 9, "bonus");
  CAF_CHECK_EQUAL(pick_album(ix, {tagged}, e), tagged);
  // two rows it could join: it joins neither
  CAF_CHECK_EQUAL(pick_album(ix, {tagged, other}, local("/m/K/Misc")), 0);
  CAF_CHECK_EQUAL(track_position(1, 0, "x"), 0u); // no number, no place
}

CAF_TEST(an album from a provider joins the one row whose count agrees) {
  auto cloud = album(1, "", {}, 12);
  CAF_CHECK_EQUAL(pick_album(ix, {cloud}, local("/m/K/Album", "", 12)), cloud);
  CAF_CHECK_EQUAL(pick_album(ix, {cloud}, local("/m/K/Album")), cloud);
  CAF_CHECK_EQUAL(pick_album(ix, {cloud}, local("/m/K/Album", "", 10)), 0);
  album_evidence e; // no file
  e.total_tracks = 12;
  auto local_row = album(3, "", {"/m/K/Album"}, 10);
  CAF_CHECK_EQUAL(pick_album(ix, {cloud, local_row}, e), cloud);
  e.total_tracks = 0;
  CAF_CHECK_EQUAL(pick_album(ix, {cloud, local_row}, e), 0);
  CAF_CHECK_EQUAL(pick_album(ix, {local_row}, e), local_row);
  e.mbid = "rel-9";
  e.total_tracks = 12;
  CAF_CHECK_EQUAL(pick_album(ix, {local_row}, e), 0);
}

CAF_TEST(a compilation is never matched by its title alone) {
  auto live = album(1, "", {});
  album_evidence e;
  e.various = true;
  e.track_artist = 7;
  e.track_title = "song";
  CAF_CHECK_EQUAL(pick_album(ix, {live}, e), 0);
  e.folder = folder_key("/m/Compilations/Live (2004)/01.mp3");
  CAF_CHECK_EQUAL(pick_album(ix, {live}, e), 0);
  // the album already holds this very track (its artist and title)
  ix.track_by_name.insert(identity_index::track_key(7, live, "song"), 40);
  CAF_CHECK_EQUAL(pick_album(ix, {live}, e), live);
  e.folder = 0;
  CAF_CHECK_EQUAL(pick_album(ix, {live}, e), live);
  // another folder's compilation is another one, even sharing a track
  auto there = album(3, "", {"/m/Compilations/Live (1999)"});
  ix.track_by_name.insert(identity_index::track_key(7, there, "song"), 41);
  e.folder = folder_key("/m/Compilations/Live (2004)/01.mp3");
  CAF_CHECK_EQUAL(pick_album(ix, {there}, e), 0);
  // in its folder, a compilation is that folder's album
  auto here = album(2, "", {"/m/Compilations/Live (1999)"});
  CAF_CHECK_EQUAL(pick_album(ix, {here},
                             [&] {
                               auto x = local("/m/Compilations/Live (1999)");
                               x.various = true;
                               return x;
                             }()),
                  here);
}

CAF_TEST_FIXTURE_SCOPE_END()
