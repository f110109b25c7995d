#define CAF_SUITE actors.downloads.transfer
#include "actors/downloads/worker_fixture.hpp"

using namespace discotheque;
using discotheque::test::dl::fixture;
using discotheque::test::dl::gateway;
using discotheque::test::dl::offer;
namespace fs = std::filesystem;

CAF_TEST_FIXTURE_SCOPE(transfer_tests, fixture)

CAF_TEST(a wrong file is quarantined and blocklisted and the next one taken) {
  fake->offers = {
    {"liar", "Music\\Daft Punk\\Discovery\\01 - One More Time.mp3",
     "Someone Else", "Another Song", true},
    {"honest", "Share\\Daft Punk\\Discovery\\01 - One More Time.mp3",
     "Daft Punk", "One More Time", false},
  };
  auto j = run_to_end(sys.spawn(gateway, fake));
  CAF_CHECK_EQUAL(j["status"], "succeeded");
  CAF_CHECK_EQUAL(j["quarantined"], 1);
  CAF_CHECK_EQUAL(j["next_candidate"], 1);
  CAF_CHECK_EQUAL(j["downloaded"], 1);
  CAF_CHECK_EQUAL(fake->enqueues, 2);
  CAF_CHECK_EQUAL(text("SELECT download_state FROM tracks"), "downloaded");
  CAF_CHECK_EQUAL(text("SELECT username || '|' || reason FROM"
                       " download_blocklist")
                    .substr(0, 21),
                  "liar|wrong file: its ");
  // The wrong file is kept in the quarantine, not deleted.
  int quarantined = 0;
  for (const auto& e : fs::directory_iterator(dir / "quarantine"))
    quarantined += e.is_regular_file() ? 1 : 0;
  CAF_CHECK_EQUAL(quarantined, 1);
}

CAF_TEST_FIXTURE_SCOPE_END()
