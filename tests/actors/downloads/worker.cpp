#define CAF_SUITE actors.downloads.worker
#include "actors/downloads/worker_fixture.hpp"

using namespace discotheque;
using discotheque::test::dl::fixture;
using discotheque::test::dl::gateway;
using discotheque::test::dl::offer;
namespace fs = std::filesystem;

CAF_TEST_FIXTURE_SCOPE(worker_tests, fixture)

CAF_TEST(without slskd the task skips itself) {
  auto j = run_to_end(provider_gateway_actor{});
  CAF_CHECK_EQUAL(j["status"], "skipped");
  CAF_CHECK_EQUAL(text("SELECT download_state FROM tracks"), "pending");
}

CAF_TEST(a pending track is searched enqueued followed and imported) {
  fake->offers
    = {{"peer1", "Music\\Daft Punk\\Discovery\\01 - One More Time.mp3",
        "Daft Punk", "One More Time"}};
  auto gw = sys.spawn(gateway, fake);
  auto j = run_to_end(gw);
  CAF_CHECK_EQUAL(j["status"], "succeeded");
  CAF_CHECK_EQUAL(j["downloaded"], 1);
  CAF_CHECK_EQUAL(j["searches"], 1);
  CAF_CHECK_EQUAL(fake->searches, 1);
  CAF_CHECK_EQUAL(fake->enqueues, 1);
  auto want = (dir / "music" / "Daft Punk" / "Discovery (2001)"
               / "01 - One More Time.mp3")
                .string();
  CAF_CHECK_EQUAL(
    text("SELECT download_state || '|' || local_path FROM tracks"),
    "downloaded|" + want);
  CAF_CHECK(fs::exists(want));
  // Every transition recorded, the decision stored.
  CAF_CHECK_EQUAL(text("SELECT group_concat(to_state, ',') FROM (SELECT"
                       " to_state FROM download_events ORDER BY id)"),
                  "downloading,downloaded");
  CAF_CHECK_EQUAL(text("SELECT chosen_user FROM download_decisions"), "peer1");
  // A second run has nothing to do: nothing searched again.
  auto again = run_to_end(sys.spawn(gateway, fake));
  CAF_CHECK_EQUAL(again["status"], "succeeded");
  CAF_CHECK_EQUAL(fake->searches, 1);
}

CAF_TEST_FIXTURE_SCOPE_END()
