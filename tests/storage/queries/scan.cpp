#define CAF_SUITE storage.queries.scan
#include "fixture.hpp"

#include "storage/migrations.hpp"
#include "storage/queries/scan.hpp"

using namespace discotheque;
using namespace discotheque::storage;

CAF_TEST(the known state lists local tracks errors and folders) {
  test::temp_dir dir;
  {
    auto db = database::open(dir / "library.db");
    migrate(db);
    db.exec("INSERT INTO tracks(title, normalized_title, local_path, "
            "file_size, file_mtime) VALUES ('a', 'a', '/m/a.flac', 10, 20), "
            "('b', 'b', NULL, NULL, NULL), ('c', 'c', '/m/c.flac', NULL, "
            "NULL)");
    db.exec("INSERT INTO scan_errors(path, reason, file_size, seen_at, "
            "file_mtime) VALUES ('/m/e.mp3', 'empty file', 0, 1, 2)");
    db.exec("INSERT INTO scan_folders(path, hash, scanned_at) VALUES ('/m', "
            "'abc', 1)");
  }
  auto k = load_scan_state(dir / "library.db");
  CAF_REQUIRE_EQUAL(k.files.size(), 2u);
  CAF_CHECK_EQUAL(k.files["/m/a.flac"].size, 10);
  CAF_CHECK_EQUAL(k.files["/m/a.flac"].mtime, 20);
  CAF_CHECK_EQUAL(k.files["/m/c.flac"].size, -1);
  CAF_REQUIRE_EQUAL(k.errors.size(), 1u);
  CAF_CHECK_EQUAL(k.errors["/m/e.mp3"].mtime, 2);
  CAF_CHECK(!k.errors["/m/e.mp3"].transient); // the column's default
  CAF_CHECK_EQUAL(k.folders["/m"], "abc");
}
