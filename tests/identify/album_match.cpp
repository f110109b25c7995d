#define CAF_SUITE identify.album_match
#include "identify/album_match.hpp"

#include "mb_fixture.hpp"

using namespace discotheque::identify;
using nlohmann::json;

namespace {

const std::string artist_id = "a0000000-0000-4000-8000-0000000000a1";
const std::string other_artist = "b0000000-0000-4000-8000-0000000000b2";

struct spec_track {
  std::string title;
  int64_t length_ms;
};

int next_id = 0;
std::string new_id(const std::string& prefix) {
  auto n = std::to_string(++next_id);
  return prefix + std::string(12 - std::min<size_t>(12, n.size()), '0') + n;
}

// A generated release (the shape parse_release gives for a lookup).
mb_release release(const mb_release_group& g, std::vector<spec_track> tracks,
                   std::string date = "", std::string credited = artist_id) {
  mb_release r;
  r.mbid = new_id("e0000000-0000-4000-8000-");
  r.title = g.title;
  r.status = "Official";
  r.date = std::move(date);
  r.group = g;
  r.credit.push_back({credited, "Someone", ""});
  mb_medium m;
  int pos = 0;
  for (auto& t : tracks) {
    mb_track mt;
    mt.track_mbid = new_id("70000000-0000-4000-8000-");
    mt.recording_mbid = new_id("c0000000-0000-4000-8000-");
    mt.title = t.title;
    mt.recording_title = t.title;
    mt.position = ++pos;
    mt.number = std::to_string(pos);
    mt.length_ms = t.length_ms;
    m.tracks.push_back(std::move(mt));
  }
  m.track_count = pos;
  r.media.push_back(std::move(m));
  r.track_count = pos;
  r.has_tracks = pos > 0;
  return r;
}

mb_release_group group(std::string title, std::string date = "") {
  mb_release_group g;
  g.mbid = new_id("90000000-0000-4000-8000-");
  g.title = std::move(title);
  g.primary_type = "Album";
  g.first_release_date = std::move(date);
  return g;
}

library_album album(std::string title, std::vector<spec_track> tracks,
                    std::string artist = "Someone") {
  library_album a;
  a.id = 42;
  a.title = std::move(title);
  a.artist = std::move(artist);
  a.artist_mbid = artist_id;
  int pos = 0;
  for (auto& t : tracks) {
    library_track lt;
    lt.id = 100 + pos;
    lt.title = t.title;
    lt.position = ++pos;
    lt.length_ms = t.length_ms;
    a.tracks.push_back(std::move(lt));
  }
  return a;
}

const std::vector<spec_track> crystal = {{"Opening", 201000},
                                         {"Glass Harbour", 244000},
                                         {"Crystal Nights", 312000},
                                         {"Undertow", 187000},
                                         {"Last Light", 265000}};
const std::vector<spec_track> neon_one = {{"Tonight", 200000},
                                          {"Neon Future", 230000},
                                          {"Beyond", 199000},
                                          {"Rise", 241000}};
const std::vector<spec_track> neon_two = {{"Inside", 211000},
                                          {"Afterglow", 222000},
                                          {"Lights Out", 204000},
                                          {"Home", 250000}};

} // namespace

CAF_TEST(a real multi disc release lookup parses) {
  auto r
    = parse_release(mb_test::fixture("picard_ws_data_release_multidisc.json"));
  CAF_CHECK_EQUAL(r.mbid, "6c4f766f-3351-4c10-a53d-b119452c27b2");
  CAF_CHECK_EQUAL(r.title, "ケアレス");
  CAF_CHECK_EQUAL(r.status, "Official");
  CAF_CHECK_EQUAL(r.country, "JP");
  CAF_CHECK_EQUAL(r.date, "2021-09-15");
  CAF_CHECK_EQUAL(r.barcode, "4547366518764");
  CAF_CHECK_EQUAL(r.group.mbid, "b89c4dbd-1734-4536-a16d-dde648f735c0");
  CAF_CHECK_EQUAL(r.group.primary_type, "Single");
  CAF_CHECK(r.credit.empty());
  CAF_REQUIRE_EQUAL(r.media.size(), 2u);
  CAF_CHECK_EQUAL(r.media[1].format, "DVD-Video");
  CAF_CHECK_EQUAL(r.track_count, 7);
  CAF_CHECK(r.has_tracks);
  auto tracks = r.tracks();
  CAF_REQUIRE_EQUAL(tracks.size(), 7u);
  CAF_CHECK_EQUAL(tracks[1].title, "Bye-Bye Butterfly");
  CAF_CHECK_EQUAL(tracks[1].recording_title, "Bye‐Bye Butterfly");
  CAF_CHECK_EQUAL(tracks[1].recording_mbid,
                  "e7434e09-727e-4962-aa20-6c8b38431d31");
  CAF_CHECK_EQUAL(tracks[1].track_mbid, "36b94d44-b672-4668-8b21-c8178520ca1b");
  CAF_CHECK_EQUAL(tracks[1].number, "2");
  CAF_CHECK_EQUAL(tracks[5].disc, 2);
  CAF_CHECK_EQUAL(tracks[5].position, 2);
  CAF_REQUIRE(tracks[5].length_ms.has_value());
  CAF_CHECK_EQUAL(*tracks[5].length_ms, 14000);
  // A lookup without media (inc=labels): no tracks, no error.
  auto bare = parse_release(
    mb_test::fixture("fuzzbin_musicbrainz_release_response.json"));
  CAF_CHECK_EQUAL(bare.title, "1984");
  CAF_CHECK_EQUAL(bare.barcode, "075992398527");
  CAF_CHECK(!bare.has_tracks);
  CAF_CHECK_EQUAL(bare.track_count, 0);
}

CAF_TEST(credits isrcs and null lengths of a lookup) {
  auto r = parse_release(json::parse(R"({
    "id": "r1", "title": "Tides", "status": null, "barcode": null,
    "artist-credit": [
      {"name": "Mara", "joinphrase": " & ", "artist": {"id": "a1", "name": "Mara"}},
      {"name": "Kit", "joinphrase": "", "artist": {"id": "a2", "name": "Kit K."}}],
    "release-group": {"id": "g1", "title": "Tides", "primary-type": "Album"},
    "media": [{"position": 1, "track-count": 2, "tracks": [
      {"id": "t1", "number": "A1", "position": 1, "title": "Harbour", "length": null,
       "recording": {"id": "rec1", "title": "Harbour", "length": 180000,
                     "isrcs": ["CAABC2500001", "CAABC2500002"]}},
      {"id": "t2", "number": "A2", "position": 2, "title": "Pier", "length": 99000,
       "artist-credit": [{"name": "Kit", "artist": {"id": "a2"}}],
       "recording": {"id": "rec2", "title": "Pier"}}]}]})"));
  CAF_REQUIRE_EQUAL(r.credit.size(), 2u);
  CAF_CHECK_EQUAL(r.credit[0].artist_mbid, "a1");
  CAF_CHECK_EQUAL(r.credit[0].joinphrase, " & ");
  CAF_CHECK_EQUAL(r.credit[1].name, "Kit");
  CAF_CHECK_EQUAL(r.status, "");
  CAF_CHECK_EQUAL(r.group.title, "Tides");
  auto tracks = r.tracks();
  CAF_REQUIRE_EQUAL(tracks.size(), 2u);
  CAF_CHECK_EQUAL(tracks[0].number, "A1");
  CAF_REQUIRE(tracks[0].length_ms.has_value());
  CAF_CHECK_EQUAL(*tracks[0].length_ms, 180000); // the recording's
  CAF_REQUIRE_EQUAL(tracks[0].isrcs.size(), 2u);
  CAF_CHECK_EQUAL(tracks[0].isrcs[1], "CAABC2500002");
  CAF_REQUIRE_EQUAL(tracks[1].credit.size(), 1u);
  CAF_CHECK_EQUAL(tracks[1].credit[0].artist_mbid, "a2");
  auto no_recording_id = mb_test::invalid_argument_of([] {
    parse_release(json::parse(R"({"id":"r","title":"T","media":[{"tracks":[
      {"title":"x","recording":{"title":"x"}}]}]})"));
  });
  CAF_CHECK(no_recording_id.find("\"id\"") != std::string::npos);
  auto no_title = mb_test::invalid_argument_of(
    [] { parse_release(json::parse(R"({"id":"r"})")); });
  CAF_CHECK(no_title.find("\"title\"") != std::string::npos);
}

CAF_TEST(a release search and a release browse parse) {
  auto page
    = parse_release_list(mb_test::fixture("mbsolr_search_release-list.json"));
  CAF_CHECK_EQUAL(page.total, 1);
  CAF_REQUIRE_EQUAL(page.releases.size(), 1u);
  const auto& r = page.releases[0];
  CAF_CHECK_EQUAL(r.mbid, "871f12ec-6259-4e93-b440-9108559c38b1");
  CAF_CHECK_EQUAL(r.track_count, 51);
  CAF_CHECK(!r.has_tracks);
  CAF_CHECK_EQUAL(r.group.mbid, "268d91a0-1a7f-4600-bfd4-74d738eb7de4");
  CAF_REQUIRE_EQUAL(r.group.secondary_types.size(), 1u);
  CAF_REQUIRE_EQUAL(r.credit.size(), 1u);
  CAF_CHECK_EQUAL(r.credit[0].artist_mbid,
                  "2b542c4a-694a-49b9-b475-9f55f99436a1");
  auto browse = parse_release_list(json::parse(R"({
    "release-count": 30, "release-offset": 25,
    "releases": [{"id": "r26", "title": "Tides", "media": [
      {"position": 1, "track-count": 1, "tracks": [
        {"id": "t", "position": 1, "title": "Harbour", "length": 1000,
         "recording": {"id": "rec"}}]}]}]})"));
  CAF_CHECK_EQUAL(browse.total, 30);
  CAF_CHECK_EQUAL(browse.offset, 25);
  CAF_REQUIRE_EQUAL(browse.releases.size(), 1u);
  CAF_CHECK(browse.releases[0].has_tracks);
  auto bad = mb_test::invalid_argument_of(
    [] { parse_release_list(json::parse(R"({"count": 0})")); });
  CAF_CHECK(bad.find("releases") != std::string::npos);
}

CAF_TEST(tracks match by title position and length on a real release) {
  auto r
    = parse_release(mb_test::fixture("picard_ws_data_release_multidisc.json"));
  std::vector<library_track> lib(6);
  lib[0] = {1, "Bye-Bye Butterfly", 1, 2, 263500, ""};
  lib[1] = {2, "STARRY", 0, 0, std::nullopt, ""};
  lib[2] = {3, "Careless", 1, 1, 255200, ""}; // romanized: position + length
  lib[3] = {4, "ケアレス (15秒CM)", 2, 2, 14000, ""};
  lib[4] = {5, "Starry", 0, 0, 400000, ""}; // a far longer version
  lib[5] = {6, "Something Else", 0, 9, 120000, ""};
  auto m = match_tracks(lib, r);
  CAF_REQUIRE_EQUAL(m.size(), 6u);
  CAF_CHECK_EQUAL(m[0].track_id, 1);
  CAF_REQUIRE(m[0].recording.has_value());
  CAF_CHECK_EQUAL(*m[0].recording, "e7434e09-727e-4962-aa20-6c8b38431d31");
  CAF_REQUIRE(m[0].track.has_value());
  CAF_CHECK_EQUAL(*m[0].track, "36b94d44-b672-4668-8b21-c8178520ca1b");
  CAF_REQUIRE(m[1].recording.has_value());
  CAF_CHECK_EQUAL(*m[1].recording, "781f567c-04de-4690-81f8-b5e9396af231");
  CAF_REQUIRE(m[2].recording.has_value());
  CAF_CHECK_EQUAL(*m[2].recording, "9e1bd108-5e69-41cf-b744-ff7731293403");
  CAF_REQUIRE(m[3].recording.has_value());
  CAF_CHECK_EQUAL(*m[3].recording, "5f6bf35e-98c4-4dad-af43-5b14c42544c8");
  CAF_CHECK(!m[4].recording.has_value()); // Starry is taken, and too long
  CAF_CHECK(!m[5].recording.has_value());
  CAF_CHECK_EQUAL(m[5].score, 0.0);
  // The same title at a far length and another position: not that recording.
  std::vector<library_track> live(1);
  live[0] = {7, "Starry", 0, 0, 400000, ""};
  auto l = match_tracks(live, r);
  CAF_CHECK(!l[0].recording.has_value());
}

CAF_TEST(an equal isrc matches whatever the title) {
  auto g = group("Tides");
  auto rel = release(g, {{"Harbour", 180000}, {"Pier", 99000}});
  rel.media[0].tracks[1].isrcs = {"CAABC2500002"};
  std::vector<library_track> lib(2);
  lib[0] = {1, "Jetée", 0, 0, 150000, "CAABC2500002"};
  lib[1] = {2, "Harbour", 0, 0, std::nullopt, "CAABC2500009"};
  auto m = match_tracks(lib, rel);
  CAF_REQUIRE(m[0].recording.has_value());
  CAF_CHECK_EQUAL(*m[0].recording, rel.media[0].tracks[1].recording_mbid);
  CAF_REQUIRE(m[1].recording.has_value());
  CAF_CHECK_EQUAL(*m[1].recording, rel.media[0].tracks[0].recording_mbid);
  lib[0].isrc.clear();
  auto without = match_tracks(lib, rel);
  CAF_CHECK(!without[0].recording.has_value());
}

CAF_TEST(the matching release group and release are chosen) {
  auto g = group("Crystal Nights", "2001-05-01");
  auto other = group("Harbour Lights", "2004");
  auto deluxe_tracks = crystal;
  deluxe_tracks.push_back({"Opening (Demo)", 199000});
  deluxe_tracks.push_back({"Undertow (Live)", 201000});
  auto original = release(g, crystal, "2001-05-01");
  auto deluxe = release(g, deluxe_tracks, "2011-05-01");
  auto lib = album("Crystal Nights", crystal);
  lib.year = 2001;
  std::vector<album_candidate> cands{
    {g, {deluxe, original}},
    {other, {release(other, {{"Pier", 100000}, {"Harbour", 200000}}, "2004")}}};
  auto d = decide_album(lib, cands);
  CAF_REQUIRE(d.release_group.has_value());
  CAF_CHECK_EQUAL(*d.release_group, g.mbid);
  CAF_REQUIRE(d.release.has_value());
  CAF_CHECK_EQUAL(*d.release, original.mbid);
  CAF_CHECK_GREATER_OR_EQUAL(d.confidence, 0.85);
  CAF_CHECK(d.why.find("5 of 5 tracks match") != std::string::npos);
  CAF_CHECK_EQUAL(d.candidates.size(), 3u);
  for (const auto& c : d.candidates) {
    CAF_CHECK_EQUAL(c.features.count("title"), 1u);
    CAF_CHECK_EQUAL(c.features.count("track_count"), 1u);
  }
  // An "(Deluxe Edition)" library title is the same album.
  auto lib2 = album("Crystal Nights (Deluxe Edition)", deluxe_tracks);
  auto d2 = decide_album(lib2, cands);
  CAF_REQUIRE(d2.release.has_value());
  CAF_CHECK_EQUAL(*d2.release, deluxe.mbid);
  // A release credited to another artist fails the artist gate.
  std::vector<album_candidate> wrong{
    {g, {release(g, crystal, "2001", other_artist)}}};
  auto d3 = decide_album(lib, wrong);
  CAF_CHECK(!d3.release_group.has_value());
  CAF_CHECK(d3.why.find("artist") != std::string::npos);
  CAF_REQUIRE_EQUAL(d3.candidates.size(), 1u);
  CAF_CHECK_EQUAL(d3.candidates[0].score, 0.0);
}

CAF_TEST(a substring title is decided by its tracks) {
  auto one = group("Neon Future I", "2014");
  auto two = group("Neon Future II", "2015");
  auto r1 = release(one, neon_one, "2014");
  auto r2 = release(two, neon_two, "2015");
  std::vector<album_candidate> cands{{two, {r2}}, {one, {r1}}};
  auto d = decide_album(album("Neon Future I", neon_one), cands);
  CAF_REQUIRE(d.release.has_value());
  CAF_CHECK_EQUAL(*d.release, r1.mbid);
  CAF_CHECK(d.why.find("decided by tracks") != std::string::npos);
  CAF_CHECK_EQUAL(d.candidates[0].features.at("title_decides"), 0.0);
  // The tracks of II under the title of I: the tracks win.
  auto swapped = decide_album(album("Neon Future I", neon_two), cands);
  CAF_REQUIRE(swapped.release.has_value());
  CAF_CHECK_EQUAL(*swapped.release, r2.mbid);
  // Without track lists the title alone does not decide.
  std::vector<album_candidate> bare{{one, {}}, {two, {}}};
  auto none = decide_album(album("Neon Future I", neon_one), bare);
  CAF_CHECK(!none.release_group.has_value());
  CAF_CHECK(none.why.find("no track list") != std::string::npos);
  CAF_CHECK(none.why.find("substrings") != std::string::npos);
  auto fetch = groups_to_fetch(album("Neon Future I", {}), {one, two});
  CAF_CHECK_EQUAL(fetch.size(), 2u);
}

CAF_TEST(a self titled album is decided by its tracks) {
  auto blue = group("Weezer", "1994");
  auto green = group("Weezer", "2001");
  auto pinkerton = group("Pinkerton", "1996");
  std::vector<spec_track> blue_tracks = {{"My Name Is Jonas", 205000},
                                         {"No One Else", 194000},
                                         {"Buddy Holly", 159000}};
  std::vector<spec_track> green_tracks
    = {{"Don't Let Go", 179000}, {"Photograph", 139000}, {"Hash Pipe", 186000}};
  auto rb = release(blue, blue_tracks, "1994");
  auto rg = release(green, green_tracks, "2001");
  std::vector<album_candidate> cands{
    {blue, {rb}}, {green, {rg}}, {pinkerton, {}}};
  auto lib = album("Weezer", green_tracks, "Weezer");
  auto d = decide_album(lib, cands);
  CAF_REQUIRE(d.release_group.has_value());
  CAF_CHECK_EQUAL(*d.release_group, green.mbid);
  CAF_CHECK(d.why.find("self-titled") != std::string::npos);
  // A library album without tracks: nothing decides.
  auto empty = decide_album(album("Weezer", {}, "Weezer"), cands);
  CAF_CHECK(!empty.release_group.has_value());
  // Half the tracks are not enough when the title cannot decide.
  auto half = album("Weezer", {green_tracks[0], {"Unknown Song", 100000}},
                    "Weezer");
  auto h = decide_album(half, cands);
  CAF_CHECK(!h.release_group.has_value());
  CAF_CHECK(h.why.find("1 of 2 tracks match") != std::string::npos);
}

CAF_TEST(a group is chosen on its title when no release was fetched) {
  auto g = group("Crystal Nights", "2001");
  auto other = group("Harbour Lights", "2004");
  auto lib = album("Crystal Nights", crystal);
  lib.year = 2001;
  auto d = decide_album(lib, {{g, {}}, {other, {}}});
  CAF_REQUIRE(d.release_group.has_value());
  CAF_CHECK_EQUAL(*d.release_group, g.mbid);
  CAF_CHECK(!d.release.has_value());
  // A wrong year and a near title stay below the minimum.
  auto near = album("Crystal Lights", crystal);
  near.year = 2019;
  auto n = decide_album(near, {{g, {}}});
  CAF_CHECK(!n.release_group.has_value());
  CAF_CHECK(n.why.find("below the minimum") != std::string::npos);
  auto none = decide_album(lib, {});
  CAF_CHECK(none.why.find("no release group") != std::string::npos);
  auto fetch = groups_to_fetch(lib, {g, other});
  CAF_REQUIRE_EQUAL(fetch.size(), 1u);
  CAF_CHECK_EQUAL(fetch[0], g.mbid);
}

CAF_TEST(a barcode separates and a track count mismatch costs) {
  auto g = group("Tides", "2010");
  auto a = release(g, crystal, "2010");
  auto b = release(g, crystal, "2010");
  a.barcode = "0602527000011";
  b.barcode = "602527000028";
  auto lib = album("Tides", crystal);
  lib.barcode = "602527000028";
  auto d = decide_album(lib, {{g, {a, b}}});
  CAF_REQUIRE(d.release.has_value());
  CAF_CHECK_EQUAL(*d.release, b.mbid);
  auto fewer = crystal;
  fewer.resize(2);
  auto short_lib = album("Tides", fewer);
  short_lib.track_count = 2;
  auto s = decide_album(short_lib, {{g, {a}}});
  CAF_REQUIRE_EQUAL(s.candidates.size(), 1u);
  CAF_CHECK_LESS(s.candidates[0].score, d.candidates[0].score);
}
