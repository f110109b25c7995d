#define CAF_SUITE actors.downloads.importer
#include "actors/downloads/worker_fixture.hpp"

#include "actors/downloads/importer.hpp"

using namespace discotheque;
using discotheque::test::dl::fixture;
namespace fs = std::filesystem;

namespace {

struct importer_fixture : fixture {
  std::optional<import_result> import(import_request req) {
    auto importer = sys.spawn(download_importer, int32_t{0});
    std::optional<import_result> got;
    auto client = sys.spawn([&](caf::event_based_actor* me) {
      me->request(importer, caf::infinite, atom::dl_import_v, std::move(req))
        .then([&](const import_result& r) { got = r; });
    });
    sched.run();
    return got;
  }

  import_request request_for(const fs::path& src) {
    import_request req;
    req.track.track_id = 1;
    req.track.artist = req.track.album_artist = "Daft Punk";
    req.track.album = "Discovery";
    req.track.title = "One More Time";
    req.track.track_number = 1;
    req.track.year = 2001;
    req.track.duration_ms = length_ms;
    req.source_path = src.string();
    req.music_dir = (dir / "music").string();
    req.quarantine_dir = (dir / "quarantine").string();
    return req;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(importer_tests, importer_fixture)

CAF_TEST(the importer moves a right file and answers where it went) {
  auto src = test::tagged_mp3(dir / "slskd" / "Discovery" / "01.mp3",
                              "Daft Punk", "One More Time");
  auto r = import(request_for(src));
  CAF_REQUIRE(r);
  CAF_CHECK(r->imported);
  auto want = dir / "music" / "Daft Punk" / "Discovery (2001)"
              / "01 - One More Time.mp3";
  CAF_CHECK_EQUAL(r->path, want.string());
  CAF_CHECK(fs::exists(want));
  CAF_CHECK(!fs::exists(src));
}

CAF_TEST(the importer quarantines a wrong file and answers why) {
  auto src = test::tagged_mp3(dir / "slskd" / "Discovery" / "01.mp3",
                              "Someone Else", "Another Song");
  auto r = import(request_for(src));
  CAF_REQUIRE(r);
  CAF_CHECK(!r->imported);
  CAF_CHECK(r->reason.find("tagged as artist") != std::string::npos);
  CAF_CHECK(r->path.find("quarantine") != std::string::npos);
  CAF_CHECK(fs::exists(r->path));
}

CAF_TEST_FIXTURE_SCOPE_END()
