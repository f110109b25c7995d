#define CAF_SUITE downloads.candidate
#include "fixture.hpp"

#include "downloads/candidate.hpp"
#include "downloads/text.hpp"

using namespace discotheque::downloads;

namespace {

wanted_track one_more_time() {
  wanted_track t;
  t.track_id = 1;
  t.artist = "Daft Punk";
  t.album_artist = "Daft Punk";
  t.album = "Discovery";
  t.title = "One More Time";
  t.track_number = 1;
  t.year = 2001;
  t.duration_ms = 320000;
  return t;
}

peer_file offered(std::string path, int length_s = 320) {
  peer_file f;
  f.username = "alice";
  f.filename = std::move(path);
  f.extension = extension_of(f.filename);
  f.size = 30000000;
  f.length_s = length_s;
  return f;
}

} // namespace

CAF_TEST(formats are parsed from the config strings) {
  auto flac = parse_format("FLAC 24/96");
  CAF_REQUIRE(flac.has_value());
  CAF_CHECK_EQUAL(flac->extension, "flac");
  CAF_CHECK_EQUAL(flac->bit_depth, 24);
  CAF_CHECK_EQUAL(flac->sample_rate, 96000);
  auto cd = parse_format("flac 16/44.1");
  CAF_REQUIRE(cd.has_value());
  CAF_CHECK_EQUAL(cd->sample_rate, 44100);
  auto mp3 = parse_format("mp3 320");
  CAF_REQUIRE(mp3.has_value());
  CAF_CHECK_EQUAL(mp3->min_bitrate_kbps, 320);
  auto v0 = parse_format("mp3 V0");
  CAF_REQUIRE(v0.has_value());
  CAF_CHECK(v0->vbr);
  CAF_CHECK(!parse_format("").has_value());
  CAF_CHECK(!parse_format("mp3 loud").has_value());
  std::vector<std::string> ignored;
  auto p = preferences::from({"flac", "ogg?", "mp3"}, 192, 3, &ignored);
  CAF_CHECK_EQUAL(p.formats.size(), 2u);
  CAF_REQUIRE_EQUAL(ignored.size(), 1u);
  CAF_CHECK_EQUAL(ignored[0], "ogg?");
}

CAF_TEST(the extension comes from the remote path) {
  CAF_CHECK_EQUAL(extension_of("Music\\Daft Punk\\01 - One.FLAC"), "flac");
  CAF_CHECK_EQUAL(extension_of("Music\\noext"), "");
  CAF_CHECK_EQUAL(directory_of("A\\B\\c.mp3"), "A\\B");
}

CAF_TEST(quality rank follows the preference order) {
  auto p = preferences::from({"flac 24/96", "flac", "mp3 320", "mp3 v0"}, 0, 5);
  auto f = offered("a.flac");
  f.bit_depth = 24;
  f.sample_rate = 96000;
  auto r = quality_rank(f, p);
  CAF_CHECK(r == std::optional<size_t>{0});
  f.bit_depth = 16;
  f.sample_rate = 44100;
  r = quality_rank(f, p);
  CAF_CHECK(r == std::optional<size_t>{1});
  auto m = offered("a.mp3");
  m.bitrate_kbps = 320;
  r = quality_rank(m, p);
  CAF_CHECK(r == std::optional<size_t>{2});
  m.bitrate_kbps = 245;
  m.variable_bitrate = true;
  r = quality_rank(m, p);
  CAF_CHECK(r == std::optional<size_t>{3});
  m.variable_bitrate = false;
  m.bitrate_kbps = 128;
  CAF_CHECK(!quality_rank(m, p).has_value());
}

CAF_TEST(the right file passes every gate) {
  auto p = preferences::defaults();
  auto t = one_more_time();
  auto g = gate(offered("@@music\\Daft Punk\\Discovery (2001) [FLAC]\\"
                        "01 - One More Time.flac"),
                t, p);
  CAF_CHECK_EQUAL(g, "");
  // Underscores, dots, accents and a disc folder are read too.
  g = gate(offered("share\\daft_punk\\DISCOVERY\\CD1\\01.one_more_time.flac"),
           t, p);
  CAF_CHECK_EQUAL(g, "");
}

CAF_TEST(another artists file is refused whatever its score) {
  auto p = preferences::defaults();
  auto g = gate(offered("Music\\Daft Punkers\\Discovery\\01 - One More "
                        "Time.flac"),
                one_more_time(), p);
  CAF_CHECK_EQUAL(g, "artist does not match");
  g = gate(offered("Music\\Romanthony\\Discovery\\01 - One More Time.flac"),
           one_more_time(), p);
  CAF_CHECK_EQUAL(g, "artist does not match");
}

CAF_TEST(an alias or the track artist of a compilation matches) {
  auto p = preferences::defaults();
  auto t = one_more_time();
  t.album_artist = "Various Artists";
  t.album = "Now 48";
  auto g = gate(offered("VA\\Now 48\\07 - Daft Punk - One More Time.flac"), t,
                p);
  CAF_CHECK_EQUAL(g, "");
  // "Various Artists" itself is no artist match.
  g = gate(offered("Various Artists\\Now 48\\07 - One More Time.flac"), t, p);
  CAF_CHECK_EQUAL(g, "artist does not match");
  auto b = one_more_time();
  b.artist = "Bjork";
  b.album_artist = "Bjork";
  b.artist_aliases = {"Sugarcubes"};
  g = gate(offered("The Sugarcubes\\Discovery\\01 One More Time.flac"), b, p);
  CAF_CHECK_EQUAL(g, "");
}

CAF_TEST(live and remix takes of a studio title are refused) {
  auto p = preferences::defaults();
  auto t = one_more_time();
  auto g = gate(offered("Daft Punk\\Discovery\\01 - One More Time (Live).flac"),
                t, p);
  CAF_CHECK_EQUAL(g, "another version (live)");
  g = gate(offered("Daft Punk\\Discovery\\01 - One More Time (Romanthony "
                   "Remix).flac"),
           t, p);
  CAF_CHECK_EQUAL(g, "another version (remix)");
  g = gate(offered("Daft Punk\\Discovery Live\\01 - One More Time.flac"), t, p);
  CAF_CHECK_EQUAL(g, "another version (live)");
  // ... unless the wanted title is that version.
  t.title = "One More Time (Live)";
  g = gate(offered("Daft Punk\\Discovery\\01 - One More Time (Live).flac"), t,
           p);
  CAF_CHECK_EQUAL(g, "");
}

CAF_TEST(a single does not match a one track folder of another album) {
  auto p = preferences::defaults();
  auto t = one_more_time();
  t.album = "One More Time";
  auto g = gate(offered("Daft Punk\\Musique Vol 1\\03 - One More Time.flac"), t,
                p);
  CAF_CHECK_EQUAL(g, "album does not match");
  g = gate(offered("Daft Punk\\One More Time (Single)\\01 - One More "
                   "Time.flac"),
           t, p);
  CAF_CHECK_EQUAL(g, "");
}

CAF_TEST(another title or a substring title is refused) {
  auto p = preferences::defaults();
  auto t = one_more_time();
  t.album = "Neon Future I";
  t.title = "Neon Future";
  auto g = gate(offered("Daft Punk\\Neon Future II\\01 - Neon Future.flac"), t,
                p);
  CAF_CHECK_EQUAL(g, "album does not match");
  g = gate(offered("Daft Punk\\Neon Future I\\02 - Aerodynamic.flac"), t, p);
  CAF_CHECK_EQUAL(g, "title does not match");
}

CAF_TEST(a 3 s drift passes and 30 s do not ) {
  auto p = preferences::defaults();
  p.duration_tolerance_s = 3;
  auto t = one_more_time();
  auto path = "Daft Punk\\Discovery\\01 - One More Time.flac";
  CAF_CHECK_EQUAL(gate(offered(path, 323), t, p), "");
  CAF_CHECK_EQUAL(gate(offered(path, 317), t, p), "");
  CAF_CHECK_EQUAL(gate(offered(path, 350), t, p), "duration off by 30 s");
  // Unknown lengths are not judged.
  CAF_CHECK_EQUAL(gate(offered(path, 0), t, p), "");
}

CAF_TEST(locked files formats and bitrates are gated) {
  auto p = preferences::from({"flac", "mp3"}, 256, 5);
  auto t = one_more_time();
  auto f = offered("Daft Punk\\Discovery\\01 - One More Time.flac");
  f.locked = true;
  CAF_CHECK_EQUAL(gate(f, t, p), "locked");
  auto o = offered("Daft Punk\\Discovery\\01 - One More Time.ogg");
  CAF_CHECK_EQUAL(gate(o, t, p), "format not allowed");
  auto m = offered("Daft Punk\\Discovery\\01 - One More Time.mp3");
  m.bitrate_kbps = 192;
  CAF_CHECK_EQUAL(gate(m, t, p), "bitrate below minimum");
  m.bitrate_kbps = 320;
  CAF_CHECK_EQUAL(gate(m, t, p), "");
}

CAF_TEST(the search text names the artist and the album or title) {
  CAF_CHECK_EQUAL(search_text("Daft Punk feat. Pharrell", "Daft Punk",
                              "Random Access Memories (Deluxe Edition)",
                              "Get Lucky (Radio Edit)", false),
                  "daft punk get lucky radio edit");
  CAF_CHECK_EQUAL(search_text("Daft Punk", "Daft Punk",
                              "Random Access Memories (Deluxe Edition)",
                              "Get Lucky", true),
                  "daft punk random access memories");
  CAF_CHECK_EQUAL(search_text("Daft Punk", "Various Artists", "Now 48",
                              "One More Time", true),
                  "now 48");
  CAF_CHECK_EQUAL(search_text("AC/DC", "", "", "T.N.T.", true), "acdc tnt");
}
