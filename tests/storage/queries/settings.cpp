#define CAF_SUITE storage.queries.settings
#include "storage/migrated_db.hpp"

#include "storage/queries/settings.hpp"
#include "storage/writes/settings.hpp"

using namespace discotheque;
using namespace discotheque::storage;

CAF_TEST(the settings rows and playlists are read as stored) {
  test::migrated_db m;
  auto fresh = read_settings(m.db);
  // The schema's own defaults.
  CAF_CHECK_EQUAL(fresh.values["library.auto_queue_downloads"], "false");
  CAF_CHECK(fresh.playlists.empty());
  write_request req;
  req.statements.push_back(upsert_setting("tasks.a.interval_seconds", "90"));
  req.statements.push_back(
    upsert_setting("library.auto_queue_downloads", "true"));
  m.apply(req);
  m.db.exec("INSERT INTO playlists(id, name, provider, provider_id, sync_mode) "
            "VALUES (3, 'B', 'deezer', 'x', 'disabled'), "
            "(2, 'A', 'spotify', 'y', 'auto_own_tracks')");
  auto s = read_settings(m.db);
  CAF_CHECK_EQUAL(s.values["tasks.a.interval_seconds"], "90");
  CAF_CHECK_EQUAL(s.values["library.auto_queue_downloads"], "true");
  CAF_REQUIRE_EQUAL(s.playlists.size(), 2u);
  // by id
  CAF_CHECK_EQUAL(s.playlists[0].id, 2);
  CAF_CHECK_EQUAL(s.playlists[0].sync_mode, "auto_own_tracks");
  CAF_CHECK_EQUAL(s.playlists[1].provider, "deezer");
  CAF_CHECK_EQUAL(s.error, "");
}
