#define CAF_SUITE scan.walk
#include "fixture.hpp"

#include "scan/walk.hpp"
#include "storage/migrations.hpp"
#include "storage/writes/scan.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace discotheque;
using namespace discotheque::storage;

namespace {

struct fixture {
  test::temp_dir dir;
  std::filesystem::path music;
  std::filesystem::path db_path;

  fixture() {
    music = std::filesystem::canonical(dir.path) / "music";
    db_path = dir / "library.db";
    std::filesystem::create_directories(music);
    auto db = database::open(db_path);
    migrate(db);
  }

  std::string file(const std::string& rel, const std::string& content = "x") {
    auto p = music / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream{p} << content;
    return p.string();
  }

  void apply(const write_request& req) {
    auto db = database::open(db_path);
    for (const auto& s : req.statements)
      db.run(s);
  }

  void add_track(const std::string& path) {
    auto db = database::open(db_path);
    db.run(sql_stmt{"INSERT INTO tracks(title, normalized_title, local_path, "
                    "file_size, file_mtime) VALUES ('t', 't', ?1, 1, 1)",
                    {sql_value::of(path)}});
  }

  walk_result walk(std::vector<std::string> roots) {
    walk_request req;
    req.roots = std::move(roots);
    req.db_path = db_path.string();
    return scan::walk(req);
  }

  /// Records a walk's folders as the scan does when it is done.
  void commit(const walk_result& w) {
    apply(writes::record_scan_folders(w.folder_paths, w.folder_hashes, 1));
  }
};

bool has(const std::vector<std::string>& xs, const std::string& x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(walk_tests, fixture)

CAF_TEST(a transient scan error is read again in an unchanged folder) {
  auto denied = file("album/denied.flac");
  auto broken = file("album/broken.flac");
  auto w = walk({music.string()});
  CAF_REQUIRE_EQUAL(w.to_read.size(), 2u);
  commit(w);
  std::vector<scan_error_dto> errs;
  for (auto& f : w.to_read)
    errs.push_back(
      scan_error_dto{f.path, "why", f.size, f.mtime, f.path == denied});
  apply(writes::record_scan_errors(errs, 1));
  w = walk({music.string()});
  CAF_CHECK_EQUAL(w.folders_skipped, w.folders_seen);
  CAF_REQUIRE_EQUAL(w.to_read.size(), 1u);
  CAF_CHECK_EQUAL(w.to_read[0].path, denied);
  CAF_CHECK_EQUAL(w.files_unchanged, 1);
}

CAF_TEST(only the files to read that had an error are named for cleanup) {
  auto fine = file("a/fine.flac");
  auto failed = file("a/failed.flac");
  auto w = walk({music.string()});
  CAF_CHECK(w.error_paths.empty()); // a cold scan has no error to forget
  commit(w);
  apply(writes::record_scan_errors({scan_error_dto{failed, "why", 1, 1, false}},
                                   1));
  file("a/failed.flac", "changed"); // changed: read again
  file("a/new.flac");
  w = walk({music.string()});
  CAF_CHECK_EQUAL(w.to_read.size(), 3u); // no track recorded: all read again
  CAF_REQUIRE_EQUAL(w.error_paths.size(), 1u);
  CAF_CHECK_EQUAL(w.error_paths[0], failed);
  CAF_CHECK(!has(w.error_paths, fine));
}

CAF_TEST(without a configured music folder nothing is gone) {
  auto kept = file("a.flac");
  add_track(kept);
  add_track("/elsewhere/b.flac");
  auto w = walk({});
  CAF_CHECK(w.gone.empty());
  CAF_CHECK_EQUAL(w.files_outside_roots, 2);
  CAF_CHECK(w.unavailable_roots.empty());
  // With the folder configured, only what is under it counts.
  w = walk({music.string()});
  CAF_CHECK(w.gone.empty());
  CAF_CHECK_EQUAL(w.files_outside_roots, 1);
}

CAF_TEST(a missing music folder is named and hides its files) {
  add_track((music / "gone/a.flac").string());
  auto missing = (dir / "unmounted").string();
  add_track(missing + "/b.flac");
  auto w = walk({music.string(), missing});
  CAF_CHECK_EQUAL(w.unavailable_roots, std::vector<std::string>{missing});
  // Under the listed root a missing file is gone; under the missing one not.
  CAF_CHECK_EQUAL(w.gone,
                  std::vector<std::string>{(music / "gone/a.flac").string()});
  CAF_CHECK_EQUAL(w.files_outside_roots, 0);
}

CAF_TEST(an entry that cannot be stat() ed hides what is under it) {
  std::filesystem::create_directories(music / "x");
  // A symlink to itself: stat() fails with ELOOP, not ENOENT.
  std::filesystem::create_directory_symlink(music / "x" / "loop",
                                            music / "x" / "loop");
  auto hidden = (music / "x" / "loop" / "a.flac").string();
  auto deleted = (music / "x" / "deleted.flac").string();
  add_track(hidden);
  add_track(deleted);
  auto w = walk({music.string()});
  CAF_CHECK(!has(w.gone, hidden));
  CAF_CHECK(has(w.gone, deleted));
}

CAF_TEST_FIXTURE_SCOPE_END()
