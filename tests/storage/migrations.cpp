#define CAF_SUITE storage.migrations
#include "fixture.hpp"

#include "storage/migrations.hpp"

#include <set>

using namespace discotheque;
using namespace discotheque::storage;

namespace {

std::set<std::string> tables(database& db) {
  std::set<std::string> result;
  auto st = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' "
                       "AND name NOT LIKE 'sqlite_%'");
  while (st.step())
    result.insert(st.text(0));
  return result;
}

struct fixture {
  test::temp_dir dir;
  database db = database::open(dir / "library.db");
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(migration_tests, fixture)

CAF_TEST(a fresh database gets every table) {
  CAF_CHECK_EQUAL(schema_version(db), 0);
  CAF_CHECK_EQUAL(migrate(db), latest_schema_version());
  CAF_CHECK_EQUAL(schema_version(db), latest_schema_version());
  std::set<std::string> expected{
    "artists",         "albums",           "album_artists", "tracks",
    "track_artists",   "ownership_claims", "playlists",     "playlist_tracks",
    "images",          "settings",         "task_runs",     "provider_state",
    "provider_errors", "provider_tokens",  "scan_folders",  "scan_errors"};
  auto actual = tables(db);
  for (const auto& t : expected)
    CHECK_MSG(actual.count(t) == 1, "missing table " << t);
  CAF_CHECK_EQUAL(db.query_text("PRAGMA journal_mode").value_or(""), "wal");
  CAF_CHECK_EQUAL(db.query_int("PRAGMA foreign_keys").value_or(0), 1);
  CAF_CHECK_EQUAL(db.query_text("SELECT value FROM settings WHERE key = "
                                "'library.auto_queue_downloads'")
                    .value_or(""),
                  "false");
  CAF_CHECK_EQUAL(db.query_text("SELECT value FROM settings WHERE key = "
                                "'library.image_download_concurrency'")
                    .value_or(""),
                  "5");
}

CAF_TEST(migrating twice is a no - op) {
  migrate(db);
  auto before = tables(db);
  CAF_CHECK_EQUAL(migrate(db), 0);
  CAF_CHECK_EQUAL(schema_version(db), latest_schema_version());
  CAF_CHECK(tables(db) == before);
  // A reopened connection sees the same version and migrates nothing.
  auto again = database::open(dir / "library.db");
  CAF_CHECK_EQUAL(migrate(again), 0);
}

CAF_TEST(a database newer than the binary is refused) {
  migrate(db);
  db.exec("PRAGMA user_version = "
          + std::to_string(latest_schema_version() + 1));
  bool refused = false;
  try {
    migrate(db);
  } catch (const std::runtime_error& e) {
    refused = std::string{e.what()}.find("newer Discotheque")
              != std::string::npos;
  }
  CAF_CHECK(refused);
}

CAF_TEST(check constraints reject invalid enum values) {
  migrate(db);
  auto insert = [&](const std::string& state) {
    try {
      db.run({"INSERT INTO artists(name, normalized_name, ownership_state) "
              "VALUES ('A', 'a', ?1)",
              {sql_value::of(state)}});
      return true;
    } catch (const sqlite_error& e) {
      CAF_CHECK(e.is_constraint());
      return false;
    }
  };
  CAF_CHECK(insert("owned"));
  CAF_CHECK(!insert("maybe"));
  CAF_CHECK_EQUAL(db.query_int("SELECT count(*) FROM artists").value_or(-1), 1);
  bool rejected = false;
  try {
    db.run({"INSERT INTO tracks(title, normalized_title, download_state) "
            "VALUES ('t', 't', 'lost')",
            {}});
  } catch (const sqlite_error& e) {
    rejected = e.is_constraint();
  }
  CAF_CHECK(rejected);
}

CAF_TEST(a failing migration leaves the database at its old version) {
  // Simulate a half-applied schema: a table that migration 1 creates exists.
  db.exec("CREATE TABLE artists(x)");
  bool failed = false;
  try {
    migrate(db);
  } catch (const sqlite_error&) {
    failed = true;
  }
  CAF_CHECK(failed);
  CAF_CHECK_EQUAL(schema_version(db), 0);
  CAF_CHECK_EQUAL(tables(db).count("albums"), 0u);
}

CAF_TEST_FIXTURE_SCOPE_END()
