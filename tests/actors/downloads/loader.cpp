#define CAF_SUITE actors.downloads.loader
#include "actors/downloads/worker_fixture.hpp"

#include "actors/downloads/loader.hpp"

using namespace discotheque;
using discotheque::test::dl::fixture;

namespace {

struct loader_fixture : fixture {
  caf::expected<download_work> load(const std::filesystem::path& db) {
    auto loader = sys.spawn(download_loader, db, std::string{"slskd"});
    std::optional<download_work> got;
    caf::error failed;
    auto client = sys.spawn([&](caf::event_based_actor* me) {
      me->request(loader, caf::infinite, atom::dl_load_v, int64_t{10})
        .then([&](download_work& w) { got = std::move(w); },
              [&](const caf::error& e) { failed = e; });
    });
    sched.run();
    if (got)
      return std::move(*got);
    return failed;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(loader_tests, loader_fixture)

CAF_TEST(a run starts from the pending tracks the held ones and the blocklist) {
  auto db = storage::database::open(dir / "library.db");
  db.exec("INSERT INTO tracks(id, title, normalized_title, album_id,"
          " artist_id, track_number, duration_ms, ownership_state,"
          " download_state) VALUES (2, 'Aerodynamic', 'aerodynamic', 1, 1, 2,"
          " 212000, 'owned', 'downloading');"
          "INSERT INTO download_jobs(track_id, phase, client, username,"
          " remote_path, size, transfer_id, updated_at) VALUES (2,"
          " 'transferring', 'slskd', 'peer1', 'A\\B\\02.mp3', 99, 't9', 1);"
          "INSERT INTO download_blocklist(client, username, remote_path,"
          " reason, at) VALUES ('slskd', 'liar', 'X\\Y.mp3', 'wrong', 1),"
          " ('other', 'u', 'p', 'r', 1)");
  auto w = load(dir / "library.db");
  CAF_REQUIRE(w);
  CAF_REQUIRE_EQUAL(w->pending.size(), 1u);
  auto pending = w->pending[0];
  CAF_CHECK_EQUAL(pending.track_id, 1);
  CAF_CHECK_EQUAL(pending.album, "Discovery");
  CAF_CHECK_EQUAL(pending.year, 2001);
  CAF_REQUIRE_EQUAL(w->held.size(), 1u);
  auto held = w->held[0];
  CAF_CHECK_EQUAL(held.track.track_id, 2);
  CAF_CHECK_EQUAL(held.username, "peer1");
  CAF_CHECK_EQUAL(held.transfer_id, "t9");
  CAF_CHECK_EQUAL(held.size, 99);
  // Only slskd's blocklist.
  CAF_REQUIRE_EQUAL(w->blocked_users.size(), 1u);
  CAF_CHECK_EQUAL(w->blocked_users[0], "liar");
  CAF_CHECK_EQUAL(w->blocked_paths[0], "X\\Y.mp3");
}

CAF_TEST(a database that cannot be read is an error not a crash) {
  auto w = load(dir / "no-such-folder" / "library.db");
  CAF_REQUIRE(!w);
  auto what = render(w.error());
  CAF_CHECK(what.find("cannot read the download queue") != std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE_END()
