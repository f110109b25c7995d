#define CAF_SUITE downloads.ranking
#include "fixture.hpp"

#include "downloads/decision_json.hpp"
#include "downloads/ranking.hpp"

using namespace discotheque::downloads;

namespace {

wanted_track track(int64_t id, int n, std::string title) {
  wanted_track t;
  t.track_id = id;
  t.artist = "Daft Punk";
  t.album_artist = "Daft Punk";
  t.album = "Discovery";
  t.title = std::move(title);
  t.track_number = n;
  t.duration_ms = 300000;
  return t;
}

peer_file file(std::string user, std::string path, int64_t size = 30000000) {
  peer_file f;
  f.username = std::move(user);
  f.filename = std::move(path);
  f.extension = extension_of(f.filename);
  f.size = size;
  f.length_s = 300;
  return f;
}

} // namespace

CAF_TEST(an artist match is a requirement and not a bonus) {
  auto t = track(1, 1, "One More Time");
  // The other artist's file is fast, free and flac; ours is a slow mp3.
  auto wrong = file("fast", "Romanthony\\Discovery\\01 - One More Time.flac");
  wrong.free_slot = true;
  wrong.upload_speed = 10000000;
  auto right = file("slow", "Daft Punk\\Discovery\\01 - One More Time.mp3");
  right.bitrate_kbps = 320;
  auto d = decide_track({wrong, right}, t, preferences::defaults(), {},
                        "daft punk one more time");
  CAF_REQUIRE(d.choice() != nullptr);
  auto chosen_user = d.choice()->file.username;
  CAF_CHECK_EQUAL(chosen_user, "slow");
  CAF_CHECK_EQUAL(d.runner_up, -1);
  auto last = d.candidates.back().rejected;
  CAF_CHECK_EQUAL(last, "artist does not match");
}

CAF_TEST(the preferred format wins and the margin is recorded) {
  auto t = track(1, 1, "One More Time");
  auto mp3 = file("a", "Daft Punk\\Discovery\\01 - One More Time.mp3");
  mp3.bitrate_kbps = 320;
  auto flac = file("b", "Daft Punk\\Discovery\\01 - One More Time.flac");
  auto d = decide_track({mp3, flac}, t, preferences::defaults(), {}, "q");
  CAF_REQUIRE(d.choice() != nullptr);
  CAF_CHECK_EQUAL(d.choice()->file.username, "b");
  CAF_CHECK_EQUAL(d.runner_up, 1);
  CAF_CHECK(d.margin > 0);
  auto fmt = d.choice()->score.format;
  CAF_CHECK_EQUAL(fmt, 40.0);
}

CAF_TEST(files shared by many peers score higher) {
  auto t = track(1, 1, "One More Time");
  std::vector<peer_file> offered;
  for (auto u : {"a", "b", "c"})
    offered.push_back(
      file(u, "Daft Punk\\Discovery\\01 - One More Time.flac", 31000000));
  offered.push_back(
    file("odd", "Daft Punk\\Discovery\\01 - One More Time.flac", 29000000));
  auto d = decide_track(offered, t, preferences::defaults(), {}, "q");
  CAF_REQUIRE(d.choice() != nullptr);
  CAF_CHECK_NOT_EQUAL(d.choice()->file.username, "odd");
  auto shared = d.choice()->score.shared;
  CAF_CHECK(shared > 0);
  CAF_CHECK_EQUAL(d.candidates.back().score.shared, 0.0);
}

CAF_TEST(blocklisted pairs and avoided users never return ) {
  auto t = track(1, 1, "One More Time");
  auto good = file("a", "Daft Punk\\Discovery\\01 - One More Time.flac");
  auto other = file("b", "Daft Punk\\Discovery\\01 - One More Time.mp3");
  blocklist blocked{{"a", good.filename}};
  auto d = decide_track({good, other}, t, preferences::defaults(), blocked,
                        "q");
  CAF_REQUIRE(d.choice() != nullptr);
  CAF_CHECK_EQUAL(d.choice()->file.username, "b");
  CAF_CHECK_EQUAL(d.candidates.back().rejected, "blocklisted");
  auto none = decide_track({good, other}, t, preferences::defaults(), blocked,
                           "q", {"b"});
  CAF_CHECK(none.choice() == nullptr);
  CAF_CHECK_EQUAL(none.chosen, -1);
}

CAF_TEST(one wanted track takes one file and never the album) {
  auto t = track(1, 2, "Aerodynamic");
  std::vector<peer_file> offered;
  for (auto name : {"01 - One More Time", "02 - Aerodynamic",
                    "03 - Digital "
                    "Love"})
    offered.push_back(
      file("a", std::string{"Daft Punk\\Discovery\\"} + name + ".flac"));
  auto ds = decide_album(offered, {t}, preferences::defaults(), {}, "q");
  CAF_REQUIRE_EQUAL(ds.size(), 1u);
  CAF_REQUIRE(ds[0].choice() != nullptr);
  CAF_CHECK_EQUAL(ds[0].choice()->file.filename,
                  "Daft Punk\\Discovery\\02 - Aerodynamic.flac");
  CAF_CHECK_EQUAL(ds[0].mode, "track");
}

CAF_TEST(wanted tracks of one album come from one folder of one user) {
  std::vector<wanted_track> wanted{track(1, 1, "One More Time"),
                                   track(3, 3, "Digital Love")};
  std::vector<peer_file> offered;
  // "fast" has only track 1 (fast and free); "full" has the whole album.
  auto lone = file("fast", "Daft Punk\\Discovery\\01 - One More Time.flac");
  lone.free_slot = true;
  lone.upload_speed = 5000000;
  offered.push_back(lone);
  for (auto name : {"01 - One More Time", "02 - Aerodynamic",
                    "03 - Digital "
                    "Love"})
    offered.push_back(file("full", std::string{"Music\\Daft Punk - Discovery\\"}
                                     + name + ".flac"));
  auto ds = decide_album(offered, wanted, preferences::defaults(), {}, "q");
  CAF_REQUIRE_EQUAL(ds.size(), 2u);
  for (const auto& d : ds) {
    CAF_REQUIRE(d.choice() != nullptr);
    CAF_CHECK_EQUAL(d.choice()->file.username, "full");
    CAF_CHECK_EQUAL(d.mode, "album folder");
  }
  auto second = ds[1].choice()->file.filename;
  CAF_CHECK_EQUAL(second,
                  "Music\\Daft Punk - Discovery\\03 - Digital Love.flac");
  // Without a complete folder each track takes its own best file.
  offered.pop_back();
  ds = decide_album(offered, wanted, preferences::defaults(), {}, "q");
  CAF_REQUIRE(ds[0].choice() != nullptr);
  CAF_CHECK_EQUAL(ds[0].choice()->file.username, "fast");
  CAF_CHECK(ds[1].choice() == nullptr);
}

CAF_TEST(an upgrade must be strictly better) {
  auto p = preferences::defaults();
  auto flac = file("a", "x.flac");
  auto mp3 = file("a", "x.mp3");
  mp3.bitrate_kbps = 320;
  CAF_CHECK(!is_upgrade(std::optional<size_t>{0}, flac, p));
  CAF_CHECK(is_upgrade(std::optional<size_t>{1}, flac, p));
  CAF_CHECK(!is_upgrade(std::optional<size_t>{1}, mp3, p));
  CAF_CHECK(is_upgrade(std::nullopt, mp3, p));
}

CAF_TEST(the decision record lists candidates and reasons) {
  auto t = track(1, 1, "One More Time");
  auto good = file("a", "Daft Punk\\Discovery\\01 - One More Time.flac");
  auto live = file("b", "Daft Punk\\Discovery\\01 - One More Time (Live).flac");
  auto d = decide_track({good, live}, t, preferences::defaults(), {}, "q");
  auto j = to_json(d);
  CAF_CHECK_EQUAL(j["query"].get<std::string>(), "q");
  CAF_CHECK_EQUAL(j["chosen"]["username"].get<std::string>(), "a");
  CAF_CHECK(j["runner_up"].is_null());
  CAF_CHECK_EQUAL(j["rejected_by_reason"]["another version (live)"].get<int>(),
                  1);
  CAF_CHECK(j["chosen"]["breakdown"]["format"].is_number());
  CAF_CHECK_EQUAL(j["offered"].get<int>(), 2);
}
