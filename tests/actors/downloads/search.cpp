#define CAF_SUITE actors.downloads.search
#include "actors/downloads/worker_fixture.hpp"

using namespace discotheque;
using discotheque::test::dl::fixture;
using discotheque::test::dl::gateway;
using discotheque::test::dl::offer;
namespace fs = std::filesystem;

CAF_TEST_FIXTURE_SCOPE(search_tests, fixture)

CAF_TEST(no acceptable file fails the track with the reason and a retry) {
  fake->offers
    = {{"peer1", "Music\\Daft Punk\\Homework\\03 - Revolution 909.mp3",
        "Daft Punk", "Revolution 909"}};
  auto j = run_to_end(sys.spawn(gateway, fake));
  CAF_CHECK_EQUAL(j["status"], "succeeded");
  CAF_CHECK_EQUAL(j["failed"], 1);
  CAF_CHECK_EQUAL(fake->enqueues, 0);
  auto row = text("SELECT t.download_state || '|' || (j.retry_at IS NOT NULL)"
                  " FROM tracks t JOIN download_jobs j ON j.track_id = t.id");
  CAF_CHECK_EQUAL(row, "failed|1");
  CAF_CHECK(text("SELECT last_error FROM tracks").find("no acceptable file")
            == 0);
}

CAF_TEST_FIXTURE_SCOPE_END()
