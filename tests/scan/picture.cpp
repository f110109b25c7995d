#define CAF_SUITE scan.picture
#include "fixture.hpp"

#include "scan/picture.hpp"
#include "scan/pictures.hpp"

#include <fstream>
#include <string>

using namespace discotheque;

namespace {

const std::string front = std::string{"\xFF\xD8\xFF\xE0", 4} + "front";
const std::string back = std::string{"\x89PNG\r\n\x1a\n", 8} + "back";

} // namespace

CAF_TEST(the front cover of an MP3 is read before another picture) {
  test::temp_dir dir;
  auto f = test::corpus_copy(".mp3", dir / "a.mp3");
  CAF_CHECK(!scan::read_embedded_picture(f.string(), 1 << 20));
  test::embed_picture(f, back, "image/png", 4);
  auto only_back = scan::read_embedded_picture(f.string(), 1 << 20);
  CAF_REQUIRE(only_back);
  CAF_CHECK_EQUAL(only_back->data, back);
  test::embed_picture(f, front, "image/jpeg", 3);
  auto pic = scan::read_embedded_picture(f.string(), 1 << 20);
  CAF_REQUIRE(pic);
  CAF_CHECK_EQUAL(pic->data, front);
  CAF_CHECK_EQUAL(pic->mime_type, "image/jpeg");
}

CAF_TEST(a FLAC picture is read) {
  test::temp_dir dir;
  auto f = test::corpus_copy(".flac", dir / "a.flac");
  test::embed_picture(f, front, "image/jpeg", 3);
  auto pic = scan::read_embedded_picture(f.string(), 1 << 20);
  CAF_REQUIRE(pic);
  CAF_CHECK_EQUAL(pic->data, front);
}

CAF_TEST(a picture over the size limit is not read and says so) {
  test::temp_dir dir;
  auto f = test::corpus_copy(".mp3", dir / "a.mp3");
  test::embed_picture(f, front + std::string(4000, 'x'), "image/jpeg");
  bool too_large = false;
  CAF_CHECK(!scan::read_embedded_picture(f.string(), 1000, &too_large));
  CAF_CHECK(too_large);
  too_large = false;
  CAF_CHECK(scan::read_embedded_picture(f.string(), 10000, &too_large));
  CAF_CHECK(!too_large);
}

CAF_TEST(a file that is not audio or is missing has no picture) {
  test::temp_dir dir;
  auto txt = dir / "notes.mp3";
  std::ofstream{txt} << "not audio at all";
  CAF_CHECK(!scan::read_embedded_picture(txt.string(), 1 << 20));
  CAF_CHECK(
    !scan::read_embedded_picture((dir / "none.flac").string(), 1 << 20));
  CAF_CHECK(
    !scan::read_embedded_picture((dir / "cover.jpg").string(), 1 << 20));
}
