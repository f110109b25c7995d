#define CAF_SUITE identify.album_library
#include "fixture.hpp"

#include "identify/album_library.hpp"

#include <nlohmann/json.hpp>

using namespace discotheque;
using namespace discotheque::identify;

CAF_TEST(the release to look up has the library track count) {
  identify::library_album a;
  a.tracks.resize(3);
  std::vector<identify::mb_release> rs(3);
  rs[0].mbid = "a";
  rs[0].track_count = 5;
  rs[1].mbid = "b";
  rs[1].track_count = 3;
  rs[2].mbid = "c";
  rs[2].track_count = 3;
  rs[2].status = "Official";
  const auto* r = release_to_look_up(a, rs);
  CAF_REQUIRE(r != nullptr);
  CAF_CHECK_EQUAL(r->mbid, "c");
  CAF_CHECK(release_to_look_up(a, {}) == nullptr);
}

CAF_TEST(the library album has its year tracks and barcode) {
  album_to_identify a;
  a.id = 3;
  a.title = "Nevermind";
  a.artist = "Nirvana";
  a.artist_mbid = "m";
  a.release_date = "1991-09-24";
  a.upc = "0720642442524";
  track_to_identify t;
  t.id = 9;
  t.title = "In Bloom";
  t.position = 2;
  t.length_ms = 254000;
  a.tracks.push_back(t);
  auto la = library_album_of(a);
  CAF_REQUIRE(la.year);
  CAF_CHECK_EQUAL(*la.year, 1991);
  CAF_CHECK(!la.track_count);
  CAF_REQUIRE_EQUAL(la.tracks.size(), 1u);
  CAF_CHECK_EQUAL(la.tracks[0].position, 2);
  CAF_REQUIRE(la.tracks[0].length_ms);
  CAF_CHECK_EQUAL(*la.tracks[0].length_ms, 254000);
  CAF_CHECK_EQUAL(la.barcode, "0720642442524");
  a.release_date = "19xx";
  CAF_CHECK(!library_album_of(a).year);
}

CAF_TEST(the candidates json keeps the gate and the features) {
  album_decision d;
  scored_album s;
  s.release_group = "rg";
  s.title = "T";
  s.score = 0;
  s.gate = "tracks";
  s.features["title"] = 1;
  d.candidates.push_back(s);
  auto j = nlohmann::json::parse(album_candidates_json(d));
  CAF_REQUIRE_EQUAL(j.size(), 1u);
  CAF_CHECK_EQUAL(j[0]["gate"], "tracks");
  CAF_CHECK(j[0]["release"].is_null());
  CAF_CHECK_EQUAL(j[0]["features"]["title"], 1);
}
