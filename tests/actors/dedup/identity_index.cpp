#define CAF_SUITE actors.dedup.identity_index
#include "fixture.hpp"

#include "actors/dedup/identity_index.hpp"
#include "actors/dedup/matching.hpp"
#include "storage/queries/dedup.hpp"

#include <stdexcept>

using namespace discotheque;
using namespace discotheque::dedup;

namespace {

struct fixture {
  identity_index index{{"spotify", "deezer", "tidal"}};
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(identity_index_tests, fixture)

CAF_TEST(providers get slots in the order given) {
  CAF_CHECK_EQUAL(index.slot("spotify"), 0u);
  CAF_CHECK_EQUAL(index.slot("deezer"), 1u);
  CAF_CHECK_EQUAL(index.slot("tidal"), 2u);
  CAF_CHECK_EQUAL(index.slot("local"), 3u); // no slot
  CAF_CHECK_EQUAL(index.artist_by_provider.size(), 3u);
  CAF_CHECK_EQUAL(index.album_by_provider.size(), 3u);
  CAF_CHECK_EQUAL(index.track_by_provider.size(), 3u);
  std::vector<std::string> many(33, "p");
  bool threw = false;
  try {
    identity_index too_many{many};
  } catch (const std::invalid_argument&) {
    threw = true;
  }
  CAF_CHECK(threw); // a provider_mask has 32 bits
}

CAF_TEST(known rows are filed under every key they carry) {
  storage::artist_identity a;
  a.id = 4;
  a.normalized_name = "beatles";
  a.mbid = "m-a";
  a.ids = {"", "dz4", ""};
  a.filled = storage::artist_genres;
  a.name = "The Beatles";
  index.add(a);
  storage::album_identity al;
  al.id = 9;
  al.normalized_title = "abbey road";
  al.ids = {"sp9", "", "td9"};
  al.artists = {4};
  al.first_artist = 4;
  al.has_release_group = true;
  al.title = "Abbey Road";
  al.total_tracks = 17;
  index.add(al);
  storage::track_identity t;
  t.id = 12;
  t.normalized_title = "something";
  t.isrc = "GB0001";
  t.ids = {"", "", "tt12"};
  t.album_id = 9;
  t.artist_id = 4;
  t.local_path = "/m/s.flac";
  index.add(t);
  CAF_CHECK_EQUAL(index.artist_by_mbid.at("m-a"), 4);
  CAF_CHECK_EQUAL(index.artist_by_provider[1].at("dz4"), 4);
  CAF_CHECK(index.artist_by_provider[0].empty());
  CAF_CHECK_EQUAL(index.artists.at(4).ids, provider_mask{0b010});
  CAF_CHECK_EQUAL(index.artists.at(4).filled, storage::artist_genres);
  // filed under the exact spelling of its displayed name ("The" kept)
  CAF_CHECK_EQUAL(index.artist_by_spelling.at("the beatles"),
                  std::vector<int64_t>{4});
  CAF_CHECK_EQUAL(index.artist_by_spelling.count("beatles"), 0u);
  // an album knows its track count and the folders its files are in
  CAF_CHECK_EQUAL(index.albums.at(9).total_tracks, 17);
  CAF_CHECK_EQUAL(index.albums.at(9).folders,
                  std::vector<uint64_t>{folder_key("/m/s.flac")});
  CAF_CHECK_EQUAL(index.albums.at(9).ids, provider_mask{0b101});
  CAF_CHECK(index.albums.at(9).rg);
  CAF_CHECK_EQUAL(
    index.album_by_name.at(identity_index::album_key(4, "abbey road")),
    std::vector<int64_t>{9});
  CAF_CHECK_EQUAL(index.track_by_isrc.find("GB0001"), std::vector<int64_t>{12});
  CAF_CHECK_EQUAL(index.track_by_provider[2].at("tt12"), 12);
  CAF_CHECK_EQUAL(index.track_by_path.at("/m/s.flac"), 12);
  CAF_CHECK(index.tracks.at(12).has_local);
  CAF_CHECK(index.tracks.at(12).isrc);
  CAF_CHECK(!index.tracks.at(12).rtm);
  CAF_CHECK_EQUAL(
    index.track_by_name.count(identity_index::track_key(4, 9, "something")),
    1u);
  CAF_CHECK(index.track_by_mbid.empty());
  // new rows get the next ids
  CAF_CHECK_EQUAL(index.next_artist, 5);
  CAF_CHECK_EQUAL(index.next_album, 10);
  CAF_CHECK_EQUAL(index.next_track, 13);
  index.clear();
  CAF_CHECK(index.artists.empty());
  CAF_CHECK(index.track_by_path.empty());
  CAF_CHECK_EQUAL(index.track_by_provider.size(), 3u);
  CAF_CHECK(index.track_by_provider[2].empty());
  CAF_CHECK_EQUAL(index.next_track, 1);
}

CAF_TEST(a key another row carries is never filled in) {
  identity_index::index idx{{"sp1", 1}};
  CAF_CHECK(identity_index::free_for(idx, "sp1", 1));
  CAF_CHECK(!identity_index::free_for(idx, "sp1", 2));
  CAF_CHECK(identity_index::free_for(idx, "sp2", 2));
  CAF_CHECK(!identity_index::free_for(idx, "", 2)); // nothing to fill
  std::vector<int64_t> ids{2, 5};
  identity_index::insert_sorted(ids, 3);
  identity_index::insert_sorted(ids, 5);
  identity_index::insert_sorted(ids, 1);
  CAF_CHECK_EQUAL(ids, (std::vector<int64_t>{1, 2, 3, 5}));
}

CAF_TEST(keys join their parts with bars) {
  CAF_CHECK_EQUAL(identity_index::album_key(0, "x"), "0|x");
  CAF_CHECK_EQUAL(identity_index::track_key(3, 0, "song"), "3|0|song");
}

CAF_TEST_FIXTURE_SCOPE_END()
