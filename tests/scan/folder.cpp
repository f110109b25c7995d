#define CAF_SUITE scan.folder
#include "fixture.hpp"

#include "scan/folder.hpp"

#include <string>
#include <vector>

using namespace discotheque;

namespace {

/// A track as read_tags makes it: no album artist tag means the track
/// artist stands in as the album artist.
track_dto file(const std::string& path, const std::string& artist,
               const std::string& album, const std::string& album_artist = "",
               const std::string& album_mbid = "") {
  track_dto t;
  t.title = path;
  t.local_path = "/music/" + path;
  artist_dto a;
  a.name = artist;
  t.artists.push_back(a);
  if (!album.empty()) {
    t.album.title = album;
    t.album.mbid = album_mbid;
    artist_dto aa;
    aa.name = album_artist.empty() ? artist : album_artist;
    t.album.artists.push_back(aa);
  }
  return t;
}

} // namespace

CAF_TEST(a file without album tag joins the album its folder agrees on) {
  std::vector<track_dto> ts{
    file("a/1.mp3", "The Foxes", "Den", "The Foxes", "mbid-1"),
    file("a/2.mp3", "The Foxes", ""),
    file("a/3.mp3", "the foxes", "DEN", "The Foxes"),
  };
  CAF_CHECK_EQUAL(scan::infer_folder_album(ts, {true, false, true}), 1u);
  CAF_CHECK(ts[1].album_inferred);
  CAF_CHECK_EQUAL(ts[1].album.title, "Den");
  CAF_CHECK_EQUAL(ts[1].album.mbid, "mbid-1"); // the model with the id
  CAF_REQUIRE_EQUAL(ts[1].album.artists.size(), 1u);
  CAF_CHECK_EQUAL(ts[1].album.artists[0].name, "The Foxes");
  CAF_CHECK(!ts[0].album_inferred);
  CAF_CHECK(!ts[2].album_inferred);
  CAF_CHECK_EQUAL(ts[2].album.title, "DEN"); // tagged files keep their tags
}

CAF_TEST(a compilation file without album artist gets the folder album artist) {
  std::vector<track_dto> ts{
    file("live/1.mp3", "Singer A", "Live", "Various Artists"),
    file("live/2.mp3", "Singer B", "Live"), // no album artist tag
    file("live/3.mp3", "Singer C", "Live", "Various Artists"),
  };
  CAF_CHECK_EQUAL(scan::infer_folder_album(ts, {true, false, true}), 1u);
  CAF_CHECK(ts[1].album_inferred);
  CAF_CHECK_EQUAL(ts[1].album.artists.at(0).name, "Various Artists");
  CAF_CHECK_EQUAL(ts[1].artists.at(0).name, "Singer B"); // track artist stays
}

CAF_TEST(a file tagged with another album stays as its tags say) {
  std::vector<track_dto> ts{
    file("b/1.mp3", "X", "One"),          file("b/2.mp3", "X", "One"),
    file("b/3.mp3", "X", "One Sessions"), file("b/4.mp3", "X", ""),
    file("b/5.mp3", "X", "one"),
  };
  CAF_CHECK_EQUAL(scan::infer_folder_album(ts, {true, true, true, false, true}),
                  1u);
  CAF_CHECK_EQUAL(ts[2].album.title, "One Sessions");
  CAF_CHECK(!ts[2].album_inferred);
  CAF_CHECK_EQUAL(ts[3].album.title, "One");
  CAF_CHECK(ts[3].album_inferred);
}

CAF_TEST(a tagged album artist is never replaced) {
  // The file names its album artist; it differs from the folder's: tags win.
  std::vector<track_dto> ts{
    file("c/1.mp3", "X", "One", "X"),
    file("c/2.mp3", "Y", "One", "Y"),
    file("c/3.mp3", "X", "One", "X"),
  };
  CAF_CHECK_EQUAL(scan::infer_folder_album(ts, {true, true, true}), 0u);
  CAF_CHECK_EQUAL(ts[1].album.artists.at(0).name, "Y");
  // Without the tag, the stand-in (its track artist) gives way.
  CAF_CHECK_EQUAL(scan::infer_folder_album(ts, {true, false, true}), 1u);
  CAF_CHECK_EQUAL(ts[1].album.artists.at(0).name, "X");
  CAF_CHECK(ts[1].album_inferred);
}

CAF_TEST(no majority no inference) {
  // Half the folder is not a majority: a folder of loose files stays loose.
  std::vector<track_dto> loose{
    file("d/1.mp3", "X", "One"),
    file("d/2.mp3", "X", ""),
  };
  CAF_CHECK_EQUAL(scan::infer_folder_album(loose, {true, false}), 0u);
  CAF_CHECK(loose[1].album.title.empty());
  std::vector<track_dto> mixed{file("e/1.mp3", "X", "One"),
                               file("e/2.mp3", "X", "Two"),
                               file("e/3.mp3", "X", "Three"),
                               file("e/4.mp3", "X", "")};
  CAF_CHECK_EQUAL(scan::infer_folder_album(mixed, {true, true, true, false}),
                  0u);
  // Two release ids under one title are two editions: no guess.
  std::vector<track_dto> editions{file("f/1.mp3", "X", "One", "X", "mbid-1"),
                                  file("f/2.mp3", "X", "One", "X", "mbid-2"),
                                  file("f/3.mp3", "X", "One", "X", "mbid-1"),
                                  file("f/4.mp3", "X", "")};
  CAF_CHECK_EQUAL(scan::infer_folder_album(editions, {true, true, true, false}),
                  0u);
  std::vector<track_dto> single{file("g/1.mp3", "X", "")};
  CAF_CHECK_EQUAL(scan::infer_folder_album(single, {false}), 0u);
}

CAF_TEST(the gate releases a folder once all its files arrived) {
  scan::folder_gate gate;
  std::vector<track_dto> out;
  for (auto p : {"/music/a/1.mp3", "/music/a/2.mp3", "/music/a/3.mp3",
                 "/music/a/4.mp3", "/music/b/1.mp3"})
    gate.sent(p, out);
  CAF_CHECK(out.empty());
  gate.arrived(file("a/3.mp3", "X", ""), false, out);
  gate.arrived(file("b/1.mp3", "Y", "Two"), true, out); // b is still sent to
  gate.arrived(file("a/1.mp3", "X", "One"), true, out);
  gate.arrived(file("a/2.mp3", "X", "One"), true, out);
  CAF_CHECK(out.empty()); // a/4.mp3 is still out
  CAF_CHECK_EQUAL(gate.held(), 4u);
  gate.failed("/music/a/4.mp3", out);
  CAF_REQUIRE_EQUAL(out.size(), 3u); // a, in arrival order
  CAF_CHECK_EQUAL(out[0].local_path, "/music/a/3.mp3");
  CAF_CHECK_EQUAL(out[0].album.title, "One");
  CAF_CHECK(out[0].album_inferred);
  CAF_CHECK_EQUAL(gate.inferred(), 1u);
  gate.all_sent(out);
  CAF_REQUIRE_EQUAL(out.size(), 4u);
  CAF_CHECK_EQUAL(out[3].local_path, "/music/b/1.mp3");
  CAF_CHECK_EQUAL(gate.held(), 0u);
}

CAF_TEST(the gate passes big folders through and flushes partial ones) {
  scan::folder_gate gate{2};
  std::vector<track_dto> out;
  gate.sent("/music/a/1.mp3", out);
  gate.sent("/music/a/2.mp3", out);
  gate.arrived(file("a/1.mp3", "X", "One"), true, out);
  CAF_CHECK(out.empty());
  gate.sent("/music/a/3.mp3", out); // a third file: no album folder
  CAF_CHECK_EQUAL(out.size(), 1u);
  gate.arrived(file("a/3.mp3", "X", ""), false, out);
  CAF_CHECK_EQUAL(out.size(), 2u);
  CAF_CHECK(out[1].album.title.empty()); // passed through: no inference
  gate.sent("/music/b/1.mp3", out);
  gate.sent("/music/b/2.mp3", out);
  gate.arrived(file("b/1.mp3", "Y", "Two"), true, out);
  CAF_CHECK_EQUAL(gate.held(), 1u);
  gate.flush(out); // b/2.mp3 never comes (its reader failed)
  CAF_CHECK_EQUAL(out.size(), 3u);
  CAF_CHECK_EQUAL(gate.held(), 0u);
}

CAF_TEST(folder of a path) {
  CAF_CHECK_EQUAL(std::string{scan::folder_of("/a/b/c.mp3")}, "/a/b");
  CAF_CHECK_EQUAL(std::string{scan::folder_of("c.mp3")}, "");
}
