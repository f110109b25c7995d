#define CAF_SUITE identify.discography
#include "identify/discography.hpp"

#include "fixture.hpp"

using namespace discotheque;
using namespace discotheque::identify;

namespace {

mb_release rel(std::string id, std::string status, std::string date) {
  mb_release r;
  r.mbid = std::move(id);
  r.status = std::move(status);
  r.date = std::move(date);
  return r;
}

album_in_library album(int64_t id, std::string title, std::string rg = {}) {
  album_in_library a;
  a.id = id;
  a.title = std::move(title);
  a.release_group_mbid = std::move(rg);
  return a;
}

} // namespace

CAF_TEST(the representative release is official then earliest then by id) {
  std::vector<mb_release> rs{rel("c", "Bootleg", "1990"),
                             rel("b", "Official", ""),
                             rel("d", "Official", "2005"),
                             rel("a", "Official", "2001-05"),
                             rel("e", "Official", "2001-05")};
  auto chosen = representative_release(rs)->mbid;
  CAF_CHECK_EQUAL(chosen, "a");
  std::vector<mb_release> none;
  CAF_CHECK(representative_release(none) == nullptr);
  std::vector<mb_release> bootlegs{rel("y", "Bootleg", ""),
                                   rel("x", "Bootleg", "")};
  auto boot = representative_release(bootlegs)->mbid;
  CAF_CHECK_EQUAL(boot, "x");
}

CAF_TEST(a group is found by its id and never by its title alone) {
  std::vector<album_in_library> lib{album(1, "Weezer", "rg-blue"),
                                    album(2, "Neon Future I"),
                                    album(3, "Pinkerton", "rg-pink")};
  mb_release_group green{"rg-green", "Weezer", "Album", {}, "2001"};
  auto g = check_group(green, lib);
  // the identified self-titled album is another group: missing
  CAF_CHECK(g.standing == group_standing::missing);
  mb_release_group blue{"rg-blue", "Weezer", "Album", {}, "1994"};
  auto b = check_group(blue, lib);
  CAF_CHECK(b.standing == group_standing::in_library);
  CAF_CHECK_EQUAL(b.album_id, 1);
  mb_release_group neon2{"rg-neon2", "Neon Future II", "Album", {}, "2015"};
  auto n = check_group(neon2, lib);
  CAF_CHECK(n.standing == group_standing::needs_tracks);
  CAF_REQUIRE_EQUAL(n.related.size(), 1u);
  CAF_CHECK_EQUAL(n.related[0], 2);
}

CAF_TEST(tracks decide and an equal title without them is a collision) {
  std::vector<album_in_library> lib{album(2, "Neon Future I"),
                                    album(4, "Nirvana")};
  for (auto& a : lib)
    for (int i = 1; i <= 3; ++i) {
      track_to_identify t;
      t.id = a.id * 10 + i;
      t.title = a.title + " song " + std::to_string(i);
      t.position = i;
      a.tracks.push_back(t);
    }
  auto release_of = [](std::string id, std::vector<std::string> titles) {
    mb_release r = rel(std::move(id), "Official", "2015");
    mb_medium m;
    m.track_count = static_cast<int>(titles.size());
    int i = 0;
    for (auto& t : titles) {
      mb_track x;
      x.title = t;
      x.position = ++i;
      x.track_mbid = "t" + std::to_string(i);
      m.tracks.push_back(x);
    }
    r.media.push_back(m);
    r.track_count = m.track_count;
    r.has_tracks = true;
    return r;
  };
  mb_release_group neon2{"rg-neon2", "Neon Future II", "Album", {}, "2015"};
  auto r2 = release_of("r-neon2", {"Hellfire", "Warp", "Lightning"});
  int64_t same = 0;
  auto v = compare_by_tracks(neon2, r2, lib, {2}, "Steve Aoki", "m", {}, same);
  CAF_CHECK(v == tracks_verdict::different); // a substring title: add it
  mb_release_group neon1{"rg-neon1", "Neon Future I", "Album", {}, "2014"};
  auto r1 = release_of("r-neon1",
                       {"Neon Future I song 1", "Neon Future I song 2",
                        "Neon Future I song 3"});
  v = compare_by_tracks(neon1, r1, lib, {2}, "Steve Aoki", "m", {}, same);
  CAF_CHECK(v == tracks_verdict::same);
  CAF_CHECK_EQUAL(same, 2);
  mb_release_group self{"rg-nirvana", "Nirvana", "Album", {}, "2002"};
  auto rn = release_of("r-nirvana", {"You Know You're Right"});
  same = 0;
  v = compare_by_tracks(self, rn, lib, {4}, "Nirvana", "m", {}, same);
  CAF_CHECK(v == tracks_verdict::collision);
  CAF_CHECK_EQUAL(same, 0);
  // the album it becomes
  auto add = album_of(neon2, r2, "Steve Aoki", "m");
  CAF_CHECK_EQUAL(add.album.title, "Neon Future II");
  CAF_CHECK_EQUAL(add.album.release_group_mbid, "rg-neon2");
  CAF_CHECK_EQUAL(add.album.mbid, "r-neon2");
  CAF_CHECK_EQUAL(add.album.album_type, "album");
  CAF_CHECK_EQUAL(add.album.total_tracks, 3);
  CAF_REQUIRE_EQUAL(add.tracks.size(), 3u);
  CAF_CHECK_EQUAL(add.tracks[1].title, "Warp");
  CAF_CHECK_EQUAL(add.tracks[1].track_number, 2);
  CAF_CHECK_EQUAL(add.tracks[1].album.mbid, "r-neon2");
  CAF_CHECK(add.tracks[1].mbid.empty());
}

CAF_TEST(new means on or after the cutoff at the date precision) {
  CAF_CHECK(released_since("2026-12-02", "2026-12-01"));
  CAF_CHECK(released_since("2026-12-01", "2026-12-01"));
  CAF_CHECK(!released_since("2026-11-30", "2026-12-01"));
  CAF_CHECK(released_since("2026-12", "2026-12-01"));
  CAF_CHECK(!released_since("2026-11", "2026-12-01"));
  CAF_CHECK(released_since("2026", "2026-12-01"));
  CAF_CHECK(!released_since("2025", "2026-12-01"));
  CAF_CHECK(!released_since("", "2026-12-01"));
}
