#define CAF_SUITE actors.dedup.merge_order
#include "fixture.hpp"

#include "actors/dedup/merge.hpp"
#include "library/normalize.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <set>

// The same library in any order and any batch split gives the same rows:
// one small library with the cases the 20,000-file scan got wrong ("The X"
// and "X" as two artists with their own MBIDs, same-titled albums, two
// compilations called "Live", self-titled albums, partly tagged albums,
// spelling variants, discs in CD1/CD2), fed through merge() in shuffled
// orders and split into batches of random sizes. Compared as a canonical
// form: the artists, each with its albums and their tracks, no row ids.

using namespace discotheque;
using namespace discotheque::dedup;

namespace {

const std::string mbid_a = "aaaaaaaa-0000-0000-0000-000000000001";
const std::string mbid_b = "bbbbbbbb-0000-0000-0000-000000000002";
const std::string mbid_k = "cccccccc-0000-0000-0000-000000000003";
const std::string rel_alpha = "aaaaaaaa-1111-0000-0000-000000000001";
const std::string rel_gamma = "bbbbbbbb-1111-0000-0000-000000000002";
const std::string rel_coll = "cccccccc-1111-0000-0000-000000000003";

artist_dto artist(std::string name, std::string mbid = "") {
  artist_dto a;
  a.name = std::move(name);
  a.mbid = std::move(mbid);
  return a;
}

struct library_builder {
  std::vector<track_dto> tracks;

  /// `n` files of one album in `dir`; `spellings` cycle over the files;
  /// `tag_every`: every k-th file carries the MBIDs (0: none does).
  void album(const std::vector<std::string>& spellings,
             const std::string& artist_mbid, const std::string& title,
             const std::string& release, const std::string& dir, int n,
             int tag_every = 1, const std::string& album_artist = "") {
    for (int i = 1; i <= n; ++i) {
      bool tagged = tag_every > 0 && i % tag_every == 0;
      track_dto t;
      t.title = title + " song " + std::to_string(i);
      auto a = artist(spellings[static_cast<size_t>(i) % spellings.size()],
                      tagged ? artist_mbid : "");
      t.artists.push_back(a);
      t.album.title = title;
      t.album.mbid = tagged ? release : "";
      t.album.total_tracks = n;
      t.album.artists.push_back(album_artist.empty() ? a
                                                     : artist(album_artist));
      t.track_number = i;
      t.local_path = dir + "/" + std::to_string(i) + ".mp3";
      tracks.push_back(std::move(t));
    }
  }
};

std::vector<track_dto> make_library() {
  library_builder l;
  std::vector<std::string> tbf = {"The Broken Foxes", "the broken foxes",
                                  "Broken Foxes, The"};
  std::vector<std::string> bf = {"Broken Foxes", "BROKEN FOXES"};
  l.album(tbf, mbid_a, "Alpha", rel_alpha, "/m/The Broken Foxes/Alpha", 4);
  l.album(tbf, "", "Beta", "", "/m/The Broken Foxes/Beta", 3, 0);
  l.album(tbf, "", "The Broken Foxes", "", "/m/The Broken Foxes/Self", 3, 0);
  l.album(tbf, "", "Greatest Hits", "", "/m/The Broken Foxes/GH", 2, 0);
  l.album(bf, mbid_b, "Gamma", rel_gamma, "/m/Broken Foxes/Gamma", 3);
  l.album(bf, "", "Delta", "", "/m/Broken Foxes/Delta", 3, 0);
  l.album(bf, "", "Broken Foxes", "", "/m/Broken Foxes/Self", 2, 0);
  l.album(bf, "", "Greatest Hits", "", "/m/Broken Foxes/GH", 3, 0);
  // one release tagged (every other file), the other not, one title
  std::vector<std::string> kettle = {"Kettle", "KETTLE", "kettle "};
  l.album(kettle, mbid_k, "The Collection", rel_coll,
          "/m/Kettle/The Collection (2001)", 5, 2);
  l.album(kettle, "", "The Collection", "", "/m/Kettle/The Collection (2010)",
          4, 0);
  l.album(kettle, "", "Double", "", "/m/Kettle/Double/CD1", 2, 0);
  l.album(kettle, "", "Double", "", "/m/Kettle/Double/CD2", 2, 0);
  // two compilations called "Live", a track artist on both
  l.album({"Alice", "Bob", "Carol"}, "", "Live", "", "/m/VA/Live (1999)", 3, 0,
          "Various Artists");
  l.album({"Alice", "Dave"}, "", "Live", "", "/m/VA/Live (2004)", 2, 0,
          "Various Artists");
  l.album({"Björk", "Bjork", "BJÖRK"}, "", "Homogenic", "", "/m/Bjork/H", 3, 0);
  l.album({"The Beatles", "Beatles, The", "THE  BEATLES"}, "", "Abbey Road", "",
          "/m/Beatles/AR", 3, 0);
  return l.tracks;
}

/// Artists (name, MBID) each with its albums (title, MBID, the titles of
/// its tracks), sorted: equal for equal libraries, whatever the row ids.
std::string canonical(const identity_index& ix,
                      const std::set<std::string>& titles) {
  std::map<int64_t, std::multiset<std::string>> album_tracks;
  std::map<int64_t, std::multiset<std::string>> loose_tracks; // by artist
  // Every track_by_name key (artist|album|folded title) there can be: the
  // index keeps hashes of its keys, not the keys.
  std::vector<int64_t> albums{0};
  for (auto& [id, r] : ix.albums)
    albums.push_back(id);
  for (auto& [artist, ar] : ix.artists)
    for (auto album : albums)
      for (auto& title : titles) {
        auto n = ix.track_by_name.count(
          identity_index::track_key(artist, album, title));
        for (size_t i = 0; i < n; ++i)
          (album != 0 ? album_tracks[album] : loose_tracks[artist])
            .insert(title);
      }
  std::map<int64_t, std::multiset<std::string>> artist_albums;
  for (auto& [id, r] : ix.albums) {
    std::string s = r.title + " [" + r.mbid + "] by";
    for (auto a : r.artists)
      s += " " + ix.artists.at(a).name;
    s += ":";
    for (auto& t : album_tracks[id])
      s += " " + t + ";";
    artist_albums[r.artists.empty() ? 0 : r.artists.front()].insert(s);
  }
  std::multiset<std::string> artists;
  for (auto& [id, r] : ix.artists) {
    std::string s = r.name + " [" + r.mbid + "]\n";
    for (auto& al : artist_albums[id])
      s += "  " + al + "\n";
    for (auto& t : loose_tracks[id])
      s += "  (no album) " + t + "\n";
    artists.insert(s);
  }
  std::string out;
  for (auto& a : artists)
    out += a;
  return out;
}

/// Merges `tracks` in batches of random sizes (1 to `max_batch`).
std::string scan(const std::vector<track_dto>& tracks, std::mt19937& rng,
                 size_t max_batch) {
  identity_index ix{{"spotify", "deezer", "tidal"}};
  storage::library_writes writes{{"spotify_id", "deezer_id", "tidal_id"}};
  std::uniform_int_distribution<size_t> size(1, max_batch);
  for (size_t i = 0; i < tracks.size();) {
    ingest_batch b;
    b.source = "local";
    b.reason = "file";
    b.run_id = 1;
    auto n = std::min(size(rng), tracks.size() - i);
    b.tracks.assign(tracks.begin() + static_cast<ptrdiff_t>(i),
                    tracks.begin() + static_cast<ptrdiff_t>(i + n));
    merge(b, ix, writes);
    i += n;
  }
  std::set<std::string> titles;
  for (auto& t : tracks)
    titles.insert(library::fold(t.title));
  return canonical(ix, titles);
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1))
    ++n;
  return n;
}

} // namespace

CAF_TEST(the same library in any order and batch split gives the same rows) {
  auto tracks = make_library();
  std::mt19937 rng{20261202};
  auto reference = scan(tracks, rng, tracks.size()); // in order, one batch
  CAF_MESSAGE("reference library:\n" << reference);
  // The reference is right, not only stable: 10 artists, 15 albums.
  CAF_CHECK_EQUAL(count(reference, "\n  "), 15u);
  CAF_CHECK_EQUAL(count(reference, "The Broken Foxes [" + mbid_a + "]"), 1u);
  CAF_CHECK_EQUAL(count(reference, "Broken Foxes [" + mbid_b + "]"), 1u);
  CAF_CHECK_EQUAL(count(reference, "Various Artists []"), 1u);
  CAF_CHECK_EQUAL(count(reference, "Live [] by Various Artists"), 2u);
  CAF_CHECK_EQUAL(count(reference, "The Collection ["), 2u);
  CAF_CHECK_EQUAL(count(reference, "The Collection [" + rel_coll + "]"), 1u);
  CAF_CHECK_EQUAL(count(reference, "Greatest Hits [] by"), 2u);
  CAF_CHECK_EQUAL(count(reference, "Double [] by Kettle: double song 1; "
                                   "double song 1; double song 2; double "
                                   "song 2;"),
                  1u);
  CAF_CHECK_EQUAL(count(reference, "Björk []"), 1u);
  CAF_CHECK_EQUAL(count(reference, "The Beatles []"), 1u);
  std::set<std::string> artists_seen;
  for (size_t p = 0; p < reference.size();) {
    auto e = reference.find('\n', p);
    if (reference[p] != ' ')
      artists_seen.insert(reference.substr(p, e - p));
    p = e + 1;
  }
  CAF_CHECK_EQUAL(artists_seen.size(), 10u);
  for (int round = 0; round < 30; ++round) {
    auto shuffled = tracks;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    size_t max_batch = round % 3 == 0 ? 1 : round % 3 == 1 ? 5 : 40;
    auto got = scan(shuffled, rng, max_batch);
    if (got != reference)
      CAF_MESSAGE("round " << round << " gave:\n" << got);
    CAF_CHECK(got == reference);
  }
}
