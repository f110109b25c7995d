#define CAF_SUITE downloads.import
#include "fixture.hpp"

#include "downloads/import.hpp"
#include "scan/pictures.hpp"
#include "scan/tags.hpp"

#include <sys/stat.h>

using namespace discotheque;
using namespace discotheque::downloads;
namespace fs = std::filesystem;

namespace {

/// A real MP3 of the corpus with these tags; its length in ms.
int64_t make_file(const fs::path& p, const std::string& artist,
                  const std::string& title) {
  test::tagged_mp3(p, artist, title);
  struct stat st {};
  ::stat(p.c_str(), &st);
  auto r = scan::read_tags(p.string(), static_cast<int64_t>(st.st_size), 0);
  return r.track.duration_ms;
}

struct fixture {
  test::temp_dir dir;
  wanted_track track;
  import_request req;

  fixture() {
    track.track_id = 7;
    track.artist = "Broken Foxes";
    track.album_artist = "Broken Foxes";
    track.album = "Night Drive";
    track.title = "Neon Rain";
    track.track_number = 3;
    track.year = 2011;
    req.music_dir = (dir / "music").string();
    req.quarantine_dir = (dir / "quarantine").string();
    req.duration_tolerance_s = 5;
  }

  import_result run(const fs::path& src) {
    req.track = track;
    req.source_path = src.string();
    return import_file(req);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(import_tests, fixture)

CAF_TEST(a right file lands at the naming pattern and never overwrites) {
  auto src = dir / "dl" / "Night Drive" / "03 Neon Rain.mp3";
  track.duration_ms = make_file(src, "Broken Foxes", "Neon Rain");
  auto r = run(src);
  CAF_CHECK(r.imported);
  CAF_CHECK_EQUAL(r.reason, "");
  auto want = dir / "music" / "Broken Foxes" / "Night Drive (2011)"
              / "03 - Neon Rain.mp3";
  CAF_CHECK_EQUAL(r.path, want.string());
  CAF_CHECK(fs::exists(want));
  CAF_CHECK(!fs::exists(src));
  auto size = static_cast<int64_t>(fs::file_size(want));
  CAF_CHECK_EQUAL(r.size, size);
  CAF_CHECK(r.mtime_ns > 0);
  CAF_CHECK_EQUAL(r.extension, "mp3");
  // A second file for the same place gets a free name.
  auto again = dir / "dl" / "x" / "03 Neon Rain.mp3";
  make_file(again, "Broken Foxes", "Neon Rain");
  auto r2 = run(again);
  CAF_CHECK(r2.imported);
  auto second = dir / "music" / "Broken Foxes" / "Night Drive (2011)"
                / "03 - Neon Rain (2).mp3";
  CAF_CHECK_EQUAL(r2.path, second.string());
  CAF_CHECK(fs::exists(want));
}

CAF_TEST(another artist in the tags is quarantined never imported) {
  auto src = dir / "dl" / "a" / "03 Neon Rain.mp3";
  track.duration_ms = make_file(src, "Silver Lake", "Other");
  auto r = run(src);
  CAF_CHECK(!r.imported);
  CAF_CHECK(r.reason.find("tagged as") != std::string::npos);
  CAF_CHECK(r.path.find("quarantine") != std::string::npos);
  CAF_CHECK(fs::exists(r.path));
  CAF_CHECK(!fs::exists(dir / "music"));
}

CAF_TEST(a length off by more than the tolerance is quarantined) {
  auto src = dir / "dl" / "a" / "03 Neon Rain.mp3";
  auto len = make_file(src, "Broken Foxes", "Neon Rain");
  track.duration_ms = len + 60'000;
  auto r = run(src);
  CAF_CHECK(!r.imported);
  CAF_CHECK(r.reason.find("length") != std::string::npos);
  CAF_CHECK(fs::exists(r.path));
}

CAF_TEST(an empty or broken file is quarantined) {
  auto src = dir / "dl" / "a" / "03 Neon Rain.mp3";
  fs::create_directories(src.parent_path());
  { std::ofstream{src}; }
  auto r = run(src);
  CAF_CHECK(!r.imported);
  CAF_CHECK_EQUAL(r.reason, "an empty file");
  CAF_CHECK(fs::exists(r.path));
  auto junk = dir / "dl" / "a" / "04 Junk.flac";
  {
    std::ofstream out{junk};
    out << std::string(4096, 'x');
  }
  auto r2 = run(junk);
  CAF_CHECK(!r2.imported);
  CAF_CHECK(r2.reason.find("not readable audio") == 0);
  CAF_CHECK(fs::exists(r2.path));
}

CAF_TEST(a missing file blames nobody) {
  auto r = run(dir / "dl" / "nothing.mp3");
  CAF_CHECK(!r.imported);
  CAF_CHECK(r.path.empty());
  CAF_CHECK(r.reason.find("not in the downloads folder") != std::string::npos);
}

CAF_TEST(tags name another track only when they disagree) {
  CAF_CHECK_EQUAL(tag_mismatch(track, "", ""), "");
  CAF_CHECK_EQUAL(tag_mismatch(track, "Broken Foxes feat. Ann", "Neon Rain"),
                  "");
  CAF_CHECK_EQUAL(tag_mismatch(track, "broken foxes", "Neon Rain (Remastered)"),
                  "");
  CAF_CHECK(!tag_mismatch(track, "Silver Lake", "Neon Rain").empty());
  CAF_CHECK(!tag_mismatch(track, "Broken Foxes", "Other Song").empty());
  track.artist_aliases = {"Los Zorros Rotos"};
  CAF_CHECK_EQUAL(tag_mismatch(track, "Los Zorros Rotos", "Neon Rain"), "");
}

CAF_TEST_FIXTURE_SCOPE_END()
