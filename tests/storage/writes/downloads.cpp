#define CAF_SUITE storage.writes.downloads
#include "storage/migrated_db.hpp"

#include "storage/queries/downloads.hpp"
#include "storage/writes/downloads.hpp"

#include <nlohmann/json.hpp>

using namespace discotheque;
using namespace discotheque::storage;

namespace {

constexpr int64_t hour = int64_t{3600} * 1000;

struct fixture : test::migrated_db {
  fixture() {
    db.exec("INSERT INTO artists(id, name, normalized_name) VALUES"
            " (1, 'Daft Punk', 'daft punk');"
            "INSERT INTO albums(id, title, normalized_title, release_date)"
            " VALUES (1, 'Discovery', 'discovery', '2001-03-12');"
            "INSERT INTO album_artists(album_id, artist_id) VALUES (1, 1);"
            "INSERT INTO tracks(id, title, normalized_title, album_id,"
            " artist_id, track_number, duration_ms, ownership_state,"
            " download_state, download_state_updated_at) VALUES"
            " (1, 'One More Time', 'one more time', 1, 1, 1, 320000, 'owned',"
            " 'pending', 10),"
            " (2, 'Aerodynamic', 'aerodynamic', 1, 1, 2, 212000, 'owned',"
            " 'pending', 5),"
            " (3, 'Digital Love', 'digital love', 1, 1, 3, 301000, 'owned',"
            " 'not_needed', 1)");
  }

  std::string state(int64_t id) {
    return db
      .query_text("SELECT download_state || '|' || coalesce(last_error, '-')"
                  " || '|' || coalesce(local_path, '-') FROM tracks WHERE"
                  " id = ?1",
                  {sql_value::of(id)})
      .value_or("<none>");
  }

  std::string job(int64_t id) {
    return db
      .query_text("SELECT phase || '|' || attempts || '|' ||"
                  " coalesce(retry_at, '-') || '|' || coalesce(username, '-')"
                  " FROM download_jobs WHERE track_id = ?1",
                  {sql_value::of(id)})
      .value_or("<none>");
  }

  int64_t events(int64_t id) {
    return db
      .query_int("SELECT count(*) FROM download_events WHERE track_id = ?1",
                 {sql_value::of(id)})
      .value_or(-1);
  }

  int64_t apply_counting(const write_request& req) {
    int64_t first = -1;
    for (const auto& s : req.statements) {
      auto n = db.run(s);
      if (first < 0)
        first = n;
    }
    return first;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(download_writes, fixture)

CAF_TEST(a pending track goes to downloading once) {
  CAF_CHECK_EQUAL(apply_counting(start_download(1, "worker", 100)), 1);
  CAF_CHECK_EQUAL(state(1), "downloading|-|-");
  CAF_CHECK_EQUAL(job(1), "searching|0|-|-");
  // A second start changes nothing: never two transfers for one track.
  CAF_CHECK_EQUAL(apply_counting(start_download(1, "worker", 101)), 0);
  CAF_CHECK_EQUAL(events(1), 1);
  // Not pending: not started.
  CAF_CHECK_EQUAL(apply_counting(start_download(3, "worker", 100)), 0);
  CAF_CHECK_EQUAL(job(3), "<none>");
}

CAF_TEST(a transfer is held and the import makes it downloaded) {
  apply(start_download(1, "worker", 100));
  apply(hold_transfer(1, "slskd", "alice", "A\\B\\01.flac", 123, "guid", 110));
  CAF_CHECK_EQUAL(job(1), "transferring|0|-|alice");
  apply(finish_download(1,
                        "/music/Daft Punk/Discovery (2001)/01 - One More "
                        "Time.flac",
                        123, 999, 120));
  CAF_CHECK_EQUAL(state(1), "downloaded|-|/music/Daft Punk/Discovery (2001)/"
                            "01 - One More Time.flac");
  CAF_CHECK_EQUAL(job(1), "done|0|-|alice");
  CAF_CHECK_EQUAL(events(1), 2);
  auto size = db.query_int("SELECT file_size FROM tracks WHERE id = 1");
  CAF_CHECK(size == std::optional<int64_t>{123});
}

CAF_TEST(failures back off and stop after the fourth retry) {
  int64_t now = 1000;
  const int64_t delays[] = {hour, 6 * hour, 24 * hour, 7 * 24 * hour};
  for (int n = 0; n < 4; ++n) {
    apply(start_download(1, "worker", now));
    apply(fail_download(1, "no candidate", now));
    CAF_CHECK_EQUAL(state(1), "failed|no candidate|-");
    auto expected = "failed|" + std::to_string(n + 1) + "|"
                    + std::to_string(now + delays[n]) + "|-";
    CAF_CHECK_EQUAL(job(1), expected);
    // Not due yet: stays failed.
    apply(requeue_due_downloads(now + delays[n] - 1));
    CAF_CHECK_EQUAL(state(1), "failed|no candidate|-");
    now += delays[n];
    apply(requeue_due_downloads(now));
    // Back to pending; the last reason stays visible until the next start.
    CAF_CHECK_EQUAL(state(1), "pending|no candidate|-");
  }
  apply(start_download(1, "worker", now));
  apply(fail_download(1, "no candidate", now));
  CAF_CHECK_EQUAL(job(1), "failed|5|-|-");
  apply(requeue_due_downloads(now + 365 * 24 * hour));
  CAF_CHECK_EQUAL(state(1), "failed|no candidate|-");
}

CAF_TEST(a release gives the track back to pending) {
  apply(start_download(2, "worker", 100));
  apply(hold_transfer(2, "slskd", "bob", "x", 1, "t", 110));
  apply(release_download(2, "unknown to slskd after a restart", 120));
  CAF_CHECK_EQUAL(state(2), "pending|-|-");
  CAF_CHECK_EQUAL(job(2), "searching|0|-|-");
  auto reason = db.query_text("SELECT reason FROM download_events WHERE"
                              " track_id = 2 ORDER BY id DESC LIMIT 1");
  CAF_CHECK(reason
            == std::optional<std::string>{"unknown to slskd after a "
                                          "restart"});
}

CAF_TEST(the blocklist keeps a pair once) {
  apply(block_file("slskd", "alice", "A\\x.flac", "wrong artist", 1, 100));
  apply(block_file("slskd", "alice", "A\\x.flac", "again", 1, 200));
  apply(block_file("slskd", "bob", "A\\x.flac", "stalled", 0, 100));
  auto b = blocklist_of(db, "slskd");
  CAF_CHECK_EQUAL(b.size(), 2u);
  CAF_CHECK(b.count({"alice", "A\\x.flac"}) == 1);
  CAF_CHECK(blocklist_of(db, "sabnzbd").empty());
}

CAF_TEST(pending tracks come oldest first with what the gates need) {
  auto ts = pending_downloads(db, 10);
  CAF_REQUIRE_EQUAL(ts.size(), 2u);
  CAF_CHECK_EQUAL(ts[0].track_id, 2);
  CAF_CHECK_EQUAL(ts[0].artist, "Daft Punk");
  CAF_CHECK_EQUAL(ts[0].album_artist, "Daft Punk");
  CAF_CHECK_EQUAL(ts[0].album, "Discovery");
  CAF_CHECK_EQUAL(ts[0].year, 2001);
  CAF_CHECK_EQUAL(ts[0].track_number, 2);
  CAF_CHECK_EQUAL(ts[0].duration_ms, 212000);
  // A job asked for by hand comes first.
  db.exec("INSERT INTO download_jobs(track_id, priority, updated_at) VALUES"
          " (1, 1, 0)");
  ts = pending_downloads(db, 10);
  CAF_REQUIRE_EQUAL(ts.size(), 2u);
  CAF_CHECK_EQUAL(ts[0].track_id, 1);
}

CAF_TEST(the queue and the history show every transition) {
  apply(start_download(1, "worker", 100));
  apply(hold_transfer(1, "slskd", "alice", "A\\B\\01.flac", 123, "guid", 110));
  apply(record_decision(1, "slskd", "daft punk one more time", "alice",
                        "A\\B\\01.flac", 12.5, "{\"margin\":12.5}", 105));
  auto q = download_queue(db, 200, 50);
  CAF_CHECK_EQUAL(q.pending, 1);
  CAF_CHECK_EQUAL(q.transferring, 1);
  CAF_REQUIRE_EQUAL(q.items.size(), 2u);
  CAF_CHECK_EQUAL(q.items[0].state, "transferring");
  CAF_CHECK_EQUAL(q.items[0].username, "alice");
  apply(fail_download(1, "transfer timed out", 300));
  q = download_queue(db, 400, 50);
  CAF_CHECK_EQUAL(q.failed, 1);
  CAF_CHECK_EQUAL(q.failed_24h, 1);
  auto h = nlohmann::json::parse(download_history_json(db, 1));
  CAF_CHECK_EQUAL(h["events"].size(), 2u);
  CAF_CHECK_EQUAL(h["events"][1]["reason"].get<std::string>(),
                  "transfer timed out");
  CAF_CHECK_EQUAL(h["decisions"][0]["record"]["margin"].get<double>(), 12.5);
  CAF_CHECK_EQUAL(h["state"].get<std::string>(), "failed");
  CAF_CHECK(download_history_json(db, 99).empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
