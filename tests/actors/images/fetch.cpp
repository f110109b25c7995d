#define CAF_SUITE actors.images.fetch
#include "fixture.hpp"

#include "actors/images/fetch.hpp"

#include <fstream>
#include <string>

using namespace discotheque;
using namespace discotheque::images;
namespace fs = std::filesystem;

namespace {

const std::string jpeg = std::string{"\xFF\xD8\xFF\xE0", 4} + "JFIF-bytes";
const std::string png = std::string{"\x89PNG\r\n\x1a\n", 8} + "IHDR....";
const std::string webp = std::string{"RIFF\x10\0\0\0WEBPVP8 ", 16};

void write_file(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream out{p, std::ios::binary};
  out << bytes;
}

std::string read_file(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

size_t files_in(const fs::path& dir) {
  size_t n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       it != fs::recursive_directory_iterator(); ++it)
    if (it->is_regular_file())
      ++n;
  return n;
}

image_job local_job(const std::string& type, int64_t id,
                    std::vector<std::string> paths) {
  image_job j;
  j.entity_type = type;
  j.entity_id = id;
  for (auto& p : paths) {
    j.urls.push_back(p);
    j.sources.push_back("local");
  }
  return j;
}

} // namespace

CAF_TEST(magic bytes tell the image formats) {
  CAF_CHECK(sniff_image(jpeg) == image_kind::jpeg);
  CAF_CHECK(sniff_image(png) == image_kind::png);
  CAF_CHECK(sniff_image(webp) == image_kind::webp);
  CAF_CHECK(!sniff_image("<html><body>not an image</body></html>"));
  CAF_CHECK(!sniff_image(""));
  CAF_CHECK(!sniff_image(std::string{"\xFF\xD8", 2})); // cut short
  CAF_CHECK(!sniff_image(std::string{"RIFF\x10\0\0\0WAVEfmt ", 16})); // audio
  CAF_CHECK_EQUAL(std::string{extension(image_kind::jpeg)}, "jpg");
  CAF_CHECK_EQUAL(std::string{extension(image_kind::webp)}, "webp");
  CAF_CHECK_EQUAL(content_type_of("/x/1.png"), "image/png");
  CAF_CHECK_EQUAL(content_type_of("/x/1.gif"), "");
}

CAF_TEST(content types that may carry an image) {
  CAF_CHECK(acceptable_content_type("image/jpeg"));
  CAF_CHECK(acceptable_content_type("Image/PNG; charset=binary"));
  CAF_CHECK(acceptable_content_type("application/octet-stream"));
  CAF_CHECK(acceptable_content_type(""));
  CAF_CHECK(!acceptable_content_type("text/html; charset=utf-8"));
  CAF_CHECK(!acceptable_content_type("application/json"));
}

CAF_TEST(only http and https URLs are fetched) {
  CAF_CHECK(is_http_url("http://127.0.0.1:8080/a.jpg"));
  CAF_CHECK(is_http_url("HTTPS://i.scdn.co/image/ab67"));
  CAF_CHECK(!is_http_url("file:///etc/passwd"));
  CAF_CHECK(!is_http_url("ftp://example.org/a.jpg"));
  CAF_CHECK(!is_http_url("http:///nohost"));
  CAF_CHECK(!is_http_url("javascript:alert(1)"));
  CAF_CHECK(!is_http_url(""));
  CAF_CHECK_EQUAL(folder_of("artist"), "artists");
  CAF_CHECK_EQUAL(folder_of("album"), "albums");
  CAF_CHECK_EQUAL(folder_of("playlist"), "playlists");
  CAF_CHECK_EQUAL(folder_of("../track"), "");
}

CAF_TEST(files are written atomically under the id and the real extension) {
  test::temp_dir dir;
  auto albums = dir / "albums";
  auto p = write_atomically(albums, 7, image_kind::png, png);
  CAF_CHECK_EQUAL(p, albums / "7.png");
  CAF_CHECK_EQUAL(read_file(p), png);
  CAF_CHECK_EQUAL(files_in(albums), 1u); // no temporary file left
  CAF_CHECK((fs::status(p).permissions() & fs::perms::others_read)
            == fs::perms::none);
  // the same entity in another format: the old file goes
  p = write_atomically(albums, 7, image_kind::jpeg, jpeg);
  CAF_CHECK_EQUAL(p, albums / "7.jpg");
  CAF_CHECK(!fs::exists(albums / "7.png"));
  CAF_CHECK_EQUAL(files_in(albums), 1u);
}

CAF_TEST(a local cover is copied; a missing one hands over to the next) {
  test::temp_dir dir;
  auto music = dir / "music";
  write_file(music / "cover.jpg", jpeg);
  auto root = dir / "images";
  auto job = local_job("album", 3,
                       {(music / "folder.jpg").string(),
                        (music / "cover.jpg").string()});
  auto out = run_job(job, root, {});
  CAF_CHECK_EQUAL(out.state, "downloaded");
  CAF_CHECK_EQUAL(out.source, "local");
  CAF_CHECK_EQUAL(out.url, (music / "cover.jpg").string());
  CAF_CHECK_EQUAL(out.path, (root / "albums" / "3.jpg").string());
  CAF_CHECK_EQUAL(out.content_type, "image/jpeg");
  CAF_CHECK_EQUAL(out.bytes, static_cast<int64_t>(jpeg.size()));
  CAF_CHECK(!out.last_modified.empty());
  CAF_CHECK_EQUAL(read_file(out.path), jpeg);
  // unchanged (same file, same mtime): nothing is written again
  job.have_url = out.url;
  job.have_path = out.path;
  job.last_modified = out.last_modified;
  fs::remove(out.path);
  write_file(out.path, "kept");
  auto again = run_job(job, root, {});
  CAF_CHECK_EQUAL(again.state, "unchanged");
  CAF_CHECK_EQUAL(read_file(out.path), "kept");
}

CAF_TEST(bad images fail with the reason) {
  test::temp_dir dir;
  write_file(dir / "music" / "cover.jpg", "<html>a page named .jpg</html>");
  write_file(dir / "music" / "big.jpg", jpeg + std::string(4096, 'x'));
  auto root = dir / "images";
  auto out = run_job(
    local_job("album", 1, {(dir / "music" / "cover.jpg").string()}), root, {});
  CAF_CHECK_EQUAL(out.state, "failed");
  CAF_CHECK_EQUAL(out.error, "not a JPEG, PNG or WebP image");
  fetch_limits small;
  small.max_bytes = 1024;
  out = run_job(local_job("album", 1, {(dir / "music" / "big.jpg").string()}),
                root, small);
  CAF_CHECK_EQUAL(out.state, "failed");
  CAF_CHECK_EQUAL(out.error, "larger than 1024 bytes");
  // a URL that is not http(s) is never fetched
  image_job j;
  j.entity_type = "artist";
  j.entity_id = 2;
  j.urls = {"file:///etc/passwd"};
  j.sources = {"spotify"};
  out = run_job(j, root, {});
  CAF_CHECK_EQUAL(out.state, "failed");
  CAF_CHECK_EQUAL(out.error, "not an http(s) URL");
  // a closed port: a transport error, as it is
  j.urls = {"http://127.0.0.1:1/a.jpg"};
  fetch_limits quick;
  quick.connect_timeout_ms = 2000;
  quick.timeout_ms = 3000;
  out = run_job(j, root, quick);
  CAF_CHECK_EQUAL(out.state, "failed");
  CAF_CHECK(!out.error.empty());
  // an entity type that has no image folder
  j.entity_type = "../../etc";
  out = run_job(j, root, quick);
  CAF_CHECK_EQUAL(out.state, "failed");
  CAF_CHECK_EQUAL(files_in(root), 0u);
}

CAF_TEST(no candidate found is none) {
  test::temp_dir dir;
  auto out = run_job(local_job("playlist", 4, {(dir / "nope.jpg").string()}),
                     dir / "images", {});
  CAF_CHECK_EQUAL(out.state, "none");
  CAF_CHECK_EQUAL(out.path, "");
  CAF_CHECK_EQUAL(out.url, "");
}
