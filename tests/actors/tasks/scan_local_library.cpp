#define CAF_SUITE actors.tasks.scan_local_library
#include "fixture.hpp"
#include "scan/corpus.hpp"

#include "actors/dedup/dedup_store.hpp"
#include "actors/store.hpp"
#include "actors/tasks/scan_local_library.hpp"

#include <caf/event_based_actor.hpp>

#include <chrono>
#include <fstream>
#include <map>
#include <set>

using namespace discotheque;
using json = nlohmann::json;

namespace {

struct fixture : test::fixture_base {
  test::temp_dir dir;
  std::filesystem::path root;
  store_actor st;
  dedup_store_actor dedup;
  task_actor scan;
  int64_t run_id = 0;
  std::vector<std::filesystem::path> roots; ///< the configured music_dirs
  int64_t max_file_seconds = 30;

  fixture() {
    root = dir / "music";
    test::copy_library(root);
    roots = {root};
    store_config cfg;
    cfg.db_path = dir / "library.db";
    st = sys.spawn(store, cfg);
    sched.run();
    start();
  }

  /// (Re)starts the dedup store and the scan task, as after a restart.
  void start() {
    if (scan) {
      anon_send_exit(scan, caf::exit_reason::user_shutdown);
      anon_send_exit(dedup, caf::exit_reason::user_shutdown);
      sched.run();
    }
    dedup = sys.spawn(
      dedup_store,
      dedup_config{dir / "library.db", st, {"spotify", "deezer", "tidal"}});
    sched.run();
    task_env env;
    env.cfg.music_dirs = roots;
    env.cfg.scan_max_file_seconds = max_file_seconds;
    env.cfg.data_dir = root / "data";
    env.db_path = dir / "library.db";
    env.store = st;
    env.dedup = dedup;
    env.detached = false;
    scan_options opts;
    opts.readers = 2;
    opts.batch_size = 7; // several batches even for the small corpus
    scan = sys.spawn(scan_local_library_with, env, opts);
    sched.run();
  }

  ~fixture() {
    for (auto a :
         {caf::actor_cast<caf::actor>(scan), caf::actor_cast<caf::actor>(dedup),
          caf::actor_cast<caf::actor>(st)})
      anon_send_exit(a, caf::exit_reason::user_shutdown);
    sched.run();
  }

  task_result run_scan() {
    auto out = std::make_shared<task_result>();
    auto id = ++run_id;
    sys.spawn(
      [=, scan = scan](caf::event_based_actor* self, int) {
        self
          ->request(scan, caf::infinite, atom::run_v,
                    task_request{"scan_local_library", "manual", id})
          .then([=](const task_result& r) { *out = r; },
                [=](const caf::error& e) {
                  out->status = run_status::failed;
                  out->error = to_string(e);
                });
      },
      0);
    sched.run();
    return *out;
  }

  storage::database db() {
    return storage::database::open(dir / "library.db",
                                   storage::database::mode::read_only);
  }

  int64_t count(const std::string& sql) {
    return db().query_int(sql).value_or(-1);
  }

  std::string path_of(const std::string& rel) {
    return (root / rel).string();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(scan_tests, fixture)

CAF_TEST(a scan of the corpus matches the manifest) {
  auto m = test::manifest();
  auto r = run_scan();
  CHECK_MSG(to_string(r.status) == "succeeded", r.error);
  auto stats = json::parse(r.stats_json);
  CAF_MESSAGE("stats: " << r.stats_json);
  size_t readable = 0, broken = 0;
  for (auto& f : m["files"])
    (f["broken"].is_null() ? readable : broken)++;
  CAF_CHECK_EQUAL(stats["files_opened"].get<size_t>(), readable + broken);
  CAF_CHECK_EQUAL(stats["files_read"].get<size_t>(), readable);
  CAF_CHECK_EQUAL(stats["errors"].get<size_t>(), broken);
  // Every readable file is one owned, downloaded, local track.
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM tracks"),
                  static_cast<int64_t>(readable));
  auto conn = db();
  auto q = conn.prepare(
    "SELECT t.id, t.artist_id, t.album_id, t.title, t.mbid, t.isrc, "
    "t.ownership_state, t.download_state, t.primary_source, al.mbid, ar.mbid "
    "FROM tracks t LEFT JOIN albums al ON al.id = t.album_id LEFT JOIN "
    "artists ar ON ar.id = t.artist_id WHERE t.local_path = ?1");
  std::map<std::string, std::set<int64_t>> artist_ids, album_ids;
  std::map<int64_t, std::set<std::string>> artist_keys, album_keys;
  auto featured = conn.prepare(
    "SELECT artist_id FROM track_artists WHERE track_id = ?1 AND role = "
    "'featured'");
  for (auto& f : m["files"]) {
    auto path = path_of(f["path"]);
    if (!f["broken"].is_null()) {
      auto reason = conn.query_text("SELECT reason FROM scan_errors WHERE "
                                    "path = ?1",
                                    {sql_value::of(path)});
      CHECK_MSG(reason.has_value(), "broken file not reported: " << path);
      auto want = f["broken"].get<std::string>();
      if (reason && want != "any")
        CHECK_MSG(reason->find(want) != std::string::npos,
                  path << ": " << *reason);
      continue;
    }
    q.reset();
    q.bind(1, path);
    if (!q.step()) {
      CAF_FAIL("no track for " << path);
      continue;
    }
    auto ak = f["artist"].get<std::string>();
    auto bk = f["album"].get<std::string>();
    artist_ids[ak].insert(q.int64(1));
    album_ids[bk].insert(q.int64(2));
    artist_keys[q.int64(1)].insert(ak);
    album_keys[q.int64(2)].insert(bk);
    if (!f["title"].is_null()) {
      CHECK_MSG(q.text(3) == f["title"].get<std::string>(),
                path << ": title " << q.text(3));
    } else {
      CAF_CHECK_LESS_OR_EQUAL(q.text(3).size(), 1024u);
      CAF_CHECK_GREATER(q.text(3).size(), 500u);
    }
    CAF_CHECK_EQUAL(q.text(6), "owned");
    CAF_CHECK_EQUAL(q.text(7), "downloaded");
    CAF_CHECK_EQUAL(q.text(8), "local");
    // The ids, in each format's own form.
    auto fmt = f["format"].get<std::string>();
    if (!f["track_mbid"].get<std::string>().empty())
      CHECK_MSG(q.opt_text(4).value_or("") == f["track_mbid"],
                fmt << " " << path);
    if (!f["isrc"].get<std::string>().empty())
      CHECK_MSG(q.opt_text(5).value_or("") == f["isrc"],
                fmt << " isrc " << path);
    if (!f["album_mbid"].get<std::string>().empty())
      CHECK_MSG(q.opt_text(9).value_or("") == f["album_mbid"],
                fmt << " " << path);
    if (!f["artist_mbid"].get<std::string>().empty())
      CHECK_MSG(q.opt_text(10).value_or("") == f["artist_mbid"],
                fmt << " " << path);
    std::set<int64_t> feat;
    featured.reset();
    featured.bind(1, q.int64(0));
    while (featured.step())
      feat.insert(featured.int64(0));
    CHECK_MSG(feat.size() == f["featured"].size(), path);
    for (auto& k : f["featured"])
      for (auto id : feat)
        artist_ids[k.get<std::string>()].insert(id);
  }
  // Every variant spelling merged; nothing wrongly merged.
  for (auto& [k, ids] : artist_ids)
    CHECK_MSG(ids.size() == 1, "artist " << k << " split in " << ids.size());
  for (auto& [id, keys] : artist_keys)
    CHECK_MSG(keys.size() == 1,
              "artist row " << id << " merges " << keys.size() << " artists");
  for (auto& [k, ids] : album_ids)
    CHECK_MSG(ids.size() == 1, "album " << k << " split in " << ids.size());
  for (auto& [id, keys] : album_keys)
    CHECK_MSG(keys.size() == 1,
              "album row " << id << " merges " << keys.size() << " albums");
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM artists WHERE name = 'Nirvana'"),
                  2);
  // The displayed spelling does not depend on which file came first.
  for (auto name : {"The Beatles", "Björk", "Sigur Rós", "Beyoncé",
                    "Motorpsycho", "Daft Punk", "Pharrell Williams"})
    CHECK_MSG(count(std::string{"SELECT count(*) FROM artists WHERE name = '"}
                    + name + "'")
                == 1,
              name);
  for (auto title : {"Abbey Road", "Ágætis byrjun", "Timothy''s Monster"})
    CHECK_MSG(count(std::string{"SELECT count(*) FROM albums WHERE title = '"}
                    + title + "'")
                == 1,
              title);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM albums WHERE ownership_state "
                        "<> 'owned'"),
                  0);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM artists a WHERE "
                        "ownership_state <> 'owned' AND a.name <> "
                        "'Pharrell Williams'"),
                  0);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM ownership_claims WHERE source ="
                        " 'local' AND reason = 'file'"),
                  static_cast<int64_t>(readable));
}

CAF_TEST(an unchanged library is rescanned without opening a file) {
  auto first = run_scan();
  CAF_REQUIRE_EQUAL(to_string(first.status), "succeeded");
  auto tracks = count("SELECT count(*) FROM tracks");
  auto second = run_scan();
  CAF_CHECK_EQUAL(to_string(second.status), "succeeded");
  auto stats = json::parse(second.stats_json);
  CAF_CHECK_EQUAL(stats["files_opened"].get<int64_t>(), 0);
  CAF_CHECK_EQUAL(stats["folders_skipped"], stats["folders_seen"]);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM tracks"), tracks);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM scan_errors"),
                  json::parse(first.stats_json)["errors"].get<int64_t>());
  // A restart (fresh dedup store and task) changes nothing either.
  start();
  auto third = run_scan();
  CAF_CHECK_EQUAL(json::parse(third.stats_json)["files_opened"].get<int64_t>(),
                  0);
}

CAF_TEST(a file readable again loses its error and one failing again keeps it) {
  CAF_REQUIRE_EQUAL(to_string(run_scan().status), "succeeded");
  auto errors = count("SELECT count(*) FROM scan_errors");
  auto transient = count("SELECT count(*) FROM scan_errors WHERE transient");
  std::vector<std::string> broken;
  {
    auto conn = db();
    auto s = conn.prepare(
      "SELECT path FROM scan_errors WHERE transient = 0 AND "
      "path LIKE '%.mp3' ORDER BY path LIMIT 2");
    while (s.step())
      broken.push_back(s.text(0));
  }
  CAF_REQUIRE_EQUAL(broken.size(), 2u);
  // The first becomes a good file; the second is touched and fails again.
  std::filesystem::copy_file(path_of("beatles/abbey/01 - Abbey Song 1.mp3"),
                             broken[0],
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::last_write_time(broken[1],
                                   std::filesystem::last_write_time(broken[1])
                                     + std::chrono::seconds(5));
  auto second = run_scan();
  CAF_REQUIRE_EQUAL(to_string(second.status), "succeeded");
  // The two, and the transient errors (always read again).
  CAF_CHECK_EQUAL(json::parse(second.stats_json)["files_opened"].get<int64_t>(),
                  2 + transient);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM scan_errors"), errors - 1);
  CAF_CHECK_EQUAL(
    count("SELECT count(*) FROM scan_errors WHERE path = '" + broken[0] + "'"),
    0);
  CAF_CHECK_EQUAL(
    count("SELECT count(*) FROM scan_errors WHERE path = '" + broken[1] + "'"),
    1);
  CAF_CHECK_EQUAL(json::parse(second.stats_json)["files_read"].get<int64_t>(),
                  1);
}

CAF_TEST(a rescan reflects exactly one change one add one delete one move) {
  CAF_REQUIRE_EQUAL(to_string(run_scan().status), "succeeded");
  auto tracks = count("SELECT count(*) FROM tracks");
  // changed: same length title, new bytes (size equal, mtime new)
  auto changed = path_of("beatles/abbey/01 - Abbey Song 1.mp3");
  {
    std::fstream f(changed, std::ios::in | std::ios::out | std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(f)), {});
    auto pos = data.find("Abbey Song 1");
    CAF_REQUIRE(pos != std::string::npos);
    f.seekp(static_cast<std::streamoff>(pos));
    f.write("Abbey Sing 1", 12);
  }
  auto changed_id
    = count("SELECT id FROM tracks WHERE local_path = '" + changed + "'");
  // added: a copy of an album's file elsewhere
  auto added = path_of("misc/added copy.flac");
  std::filesystem::copy_file(path_of("misc/long.flac"), added);
  // deleted
  auto deleted = path_of("bjork/homogenic/02 - Homogenic Song 2.wav");
  auto deleted_id
    = count("SELECT id FROM tracks WHERE local_path = '" + deleted + "'");
  std::filesystem::remove(deleted);
  // moved (and renamed) to another folder
  auto moved_from = path_of("sigur/agaetis/02 - Ágætis Song 2.flac");
  auto moved_to = path_of("misc/moved.flac");
  auto moved_id
    = count("SELECT id FROM tracks WHERE local_path = '" + moved_from + "'");
  CAF_REQUIRE_GREATER(moved_id, 0);
  std::filesystem::rename(moved_from, moved_to);
  auto r = run_scan();
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  auto stats = json::parse(r.stats_json);
  CAF_MESSAGE("stats: " << r.stats_json);
  CAF_CHECK_EQUAL(stats["files_opened"].get<int64_t>(), 3);
  CAF_CHECK_EQUAL(stats["files_gone"].get<int64_t>(), 2);
  CAF_CHECK_EQUAL(stats["tracks_added"].get<int64_t>(), 1);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM tracks"), tracks + 1);
  CAF_CHECK_EQUAL(
    count("SELECT count(*) FROM tracks WHERE id = " + std::to_string(changed_id)
          + " AND title = 'Abbey Sing 1'"),
    1);
  CAF_CHECK_EQUAL(
    count("SELECT count(*) FROM tracks WHERE id = " + std::to_string(deleted_id)
          + " AND local_path IS NULL AND download_state = "
            "'not_needed' AND ownership_state = 'owned'"),
    1);
  CAF_CHECK_EQUAL(
    count("SELECT id FROM tracks WHERE local_path = '" + moved_to + "'"),
    moved_id);
  CAF_CHECK_EQUAL(
    count("SELECT count(*) FROM tracks WHERE local_path = '" + added + "'"), 1);
  // ...and the deleted file is found again when it comes back.
  std::filesystem::copy_file(moved_to, moved_from);
  auto again = run_scan();
  CAF_CHECK_EQUAL(json::parse(again.stats_json)["files_opened"].get<int64_t>(),
                  1);
}

CAF_TEST(a file name that is not utf8 is kept byte for byte) {
  auto odd = root / "misc" / "caf\xe9 \xff.flac";
  std::filesystem::copy_file(path_of("misc/long.flac"), odd);
  auto r = run_scan();
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM tracks WHERE local_path = CAST("
                        "x'"
                        +
                        [&] {
                          std::string hex;
                          char buf[3];
                          for (unsigned char c : odd.string()) {
                            std::snprintf(buf, sizeof(buf), "%02x", c);
                            hex += buf;
                          }
                          return hex;
                        }()
                        + "' AS TEXT)"),
                  1);
  auto again = run_scan();
  CAF_CHECK_EQUAL(json::parse(again.stats_json)["files_opened"].get<int64_t>(),
                  0);
}

CAF_TEST(the data folder is never scanned) {
  std::filesystem::create_directories(root / "data");
  std::filesystem::copy_file(path_of("misc/long.flac"),
                             root / "data" / "x.flac");
  CAF_REQUIRE_EQUAL(to_string(run_scan().status), "succeeded");
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM tracks WHERE local_path LIKE "
                        "'%/data/%'"),
                  0);
}

CAF_TEST(an unavailable music folder does not make its files gone) {
  CAF_REQUIRE_EQUAL(to_string(run_scan().status), "succeeded");
  auto owned = count("SELECT count(*) FROM tracks WHERE local_path IS NOT "
                     "NULL");
  auto moved = dir / "unmounted";
  std::filesystem::rename(root, moved);
  auto r = run_scan();
  // A folder that is not there is a failed scan naming it (issue: it was a
  // success with 0 files), and still nothing under it is gone.
  CAF_CHECK_EQUAL(to_string(r.status), "failed");
  CHECK_MSG(r.error.find(root.string()) != std::string::npos, r.error);
  CAF_CHECK_EQUAL(json::parse(r.stats_json)["files_gone"].get<int64_t>(), 0);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM tracks WHERE local_path IS NOT "
                        "NULL"),
                  owned);
  std::filesystem::rename(moved, root);
  r = run_scan();
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_CHECK_EQUAL(json::parse(r.stats_json)["files_opened"].get<int64_t>(), 0);
}

CAF_TEST(the other music folders are scanned when one is missing) {
  auto missing = dir / "unmounted";
  roots = {missing, root};
  start();
  auto r = run_scan();
  CAF_CHECK_EQUAL(to_string(r.status), "failed");
  CHECK_MSG(r.error.find(missing.string()) != std::string::npos, r.error);
  CHECK_MSG(r.error.find(root.string()) == std::string::npos, r.error);
  auto stats = json::parse(r.stats_json);
  CAF_CHECK_GREATER(stats["files_read"].get<int64_t>(), 0);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM tracks WHERE local_path IS NOT "
                        "NULL"),
                  stats["files_read"].get<int64_t>());
}

CAF_TEST(a scan without music folders leaves every file as it is) {
  CAF_REQUIRE_EQUAL(to_string(run_scan().status), "succeeded");
  auto owned = count("SELECT count(*) FROM tracks WHERE local_path IS NOT "
                     "NULL");
  CAF_REQUIRE_GREATER(owned, 0);
  roots.clear();
  start();
  auto r = run_scan();
  CAF_MESSAGE("stats: " << r.stats_json);
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  auto stats = json::parse(r.stats_json);
  CAF_CHECK_EQUAL(stats["files_gone"].get<int64_t>(), 0);
  CAF_CHECK_EQUAL(stats["files_outside_roots"].get<int64_t>(), owned);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM tracks WHERE local_path IS NOT "
                        "NULL"),
                  owned);
  // Back with the folder: nothing to read again.
  roots = {root};
  start();
  r = run_scan();
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_CHECK_EQUAL(json::parse(r.stats_json)["files_opened"].get<int64_t>(), 0);
}

CAF_TEST(a file that takes too long is a scan error) {
  max_file_seconds = 1;
  start();
  auto big = root / "misc" / "zeros.mp3";
  { std::ofstream{big}; }
  std::filesystem::resize_file(big, 100 << 20); // ~15 s for TagLib unbounded
  auto t0 = std::chrono::steady_clock::now();
  auto r = run_scan();
  auto secs
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
        .count();
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_CHECK_LESS(secs, 10.0);
  CAF_CHECK_EQUAL(count("SELECT count(*) FROM scan_errors WHERE path = '"
                        + big.string()
                        + "' AND reason = 'took longer than 1 s'"),
                  1);
}

CAF_TEST(progress is reported as JSON) {
  auto out = std::make_shared<std::string>();
  run_scan();
  sys.spawn(
    [=, scan = scan](caf::event_based_actor* self, int) {
      self->request(scan, caf::infinite, atom::progress_v)
        .then([=](const std::string& s) { *out = s; });
    },
    0);
  sched.run();
  auto j = json::parse(*out);
  CAF_CHECK(j.contains("files_seen"));
  CAF_CHECK(j.contains("files_per_second"));
}

CAF_TEST_FIXTURE_SCOPE_END()
