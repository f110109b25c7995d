#define CAF_SUITE storage.writes.scan
#include "storage/migrated_db.hpp"

#include "storage/queries/scan.hpp"
#include "storage/writes/scan.hpp"

using namespace discotheque;
using namespace discotheque::storage;

namespace {

using fixture = test::migrated_db;

} // namespace

CAF_TEST_FIXTURE_SCOPE(scan_write_tests, fixture)

CAF_TEST(scan errors are upserted with their kind and forgotten by path) {
  apply(writes::record_scan_errors(
    {scan_error_dto{"/m/a.mp3", "empty file", 0, 5, false},
     scan_error_dto{"/m/b.mp3", "cannot open file: Permission denied", 9, 7,
                    true}},
    100));
  auto k = read_scan_state(db);
  CAF_REQUIRE_EQUAL(k.errors.size(), 2u);
  CAF_CHECK(!k.errors["/m/a.mp3"].transient);
  CAF_CHECK(k.errors["/m/b.mp3"].transient);
  CAF_CHECK_EQUAL(k.errors["/m/b.mp3"].size, 9);
  CAF_CHECK_EQUAL(k.errors["/m/b.mp3"].mtime, 7);
  // The same path again replaces the row, kind included.
  apply(writes::record_scan_errors(
    {scan_error_dto{"/m/b.mp3", "corrupt", 10, 8, false}}, 200));
  k = read_scan_state(db);
  CAF_CHECK(!k.errors["/m/b.mp3"].transient);
  CAF_CHECK_EQUAL(db.query_text("SELECT reason FROM scan_errors WHERE path = "
                                "'/m/b.mp3'")
                    .value_or(""),
                  "corrupt");
  CAF_CHECK_EQUAL(db.query_int("SELECT seen_at FROM scan_errors WHERE path = "
                               "'/m/b.mp3'")
                    .value_or(0),
                  200);
  apply(writes::forget_scan_errors({"/m/a.mp3"}));
  k = read_scan_state(db);
  CAF_CHECK_EQUAL(k.errors.size(), 1u);
  CAF_CHECK_EQUAL(k.errors.count("/m/a.mp3"), 0u);
}

CAF_TEST(folder hashes are upserted and forgotten) {
  apply(writes::record_scan_folders({"/m", "/m/x"}, {"h1", "h2"}, 100));
  apply(writes::record_scan_folders({"/m/x"}, {"h3"}, 200));
  auto k = read_scan_state(db);
  CAF_CHECK_EQUAL(k.folders.size(), 2u);
  CAF_CHECK_EQUAL(k.folders["/m/x"], "h3");
  write_request req;
  writes::append(req, writes::forget_scan_folders({"/m"}));
  writes::append(req, writes::forget_scan_errors({"/nothing"}));
  CAF_CHECK_EQUAL(req.statements.size(), 2u);
  apply(req);
  k = read_scan_state(db);
  CAF_CHECK_EQUAL(k.folders.size(), 1u);
  CAF_CHECK_EQUAL(k.folders.count("/m"), 0u);
}

CAF_TEST(long lists go out as multi row statements of 64 rows) {
  std::vector<std::string> paths, hashes;
  std::vector<scan_error_dto> errs;
  for (int i = 0; i < 130; ++i) {
    paths.push_back("/m/" + std::to_string(i));
    hashes.push_back("h" + std::to_string(i));
    errs.push_back(scan_error_dto{paths.back(), "why", 1, 1, false});
  }
  auto folders = writes::record_scan_folders(paths, hashes, 100);
  CAF_CHECK_EQUAL(folders.statements.size(), 3u); // 64 + 64 + 2
  apply(folders);
  apply(writes::record_scan_errors(errs, 100));
  auto k = read_scan_state(db);
  CAF_REQUIRE_EQUAL(k.folders.size(), 130u);
  CAF_CHECK_EQUAL(k.folders["/m/129"], "h129");
  CAF_CHECK_EQUAL(db.query_int("SELECT COUNT(*) FROM scan_folders WHERE "
                               "scanned_at = 100")
                    .value_or(0),
                  130);
  // Forget all but the first one of each list.
  std::vector<std::string> most(paths.begin() + 1, paths.end());
  auto forget = writes::forget_scan_errors(most);
  CAF_CHECK_EQUAL(forget.statements.size(), 3u); // 64 + 64 + 1
  apply(forget);
  apply(writes::forget_scan_folders(most));
  k = read_scan_state(db);
  CAF_CHECK_EQUAL(k.errors.size(), 1u);
  CAF_CHECK_EQUAL(k.errors.count("/m/0"), 1u);
  CAF_CHECK_EQUAL(k.folders.size(), 1u);
  CAF_CHECK_EQUAL(k.folders.count("/m/0"), 1u);
  CAF_CHECK(writes::forget_scan_errors({}).statements.empty());
  CAF_CHECK(writes::record_scan_folders({}, {}, 1).statements.empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
