#include "storage/queries/settings.hpp"

namespace discotheque::storage {

settings_snapshot read_settings(database& db) {
  settings_snapshot s;
  auto kv = db.prepare("SELECT key, value FROM settings ORDER BY key");
  while (kv.step())
    s.values.emplace(kv.text(0), kv.text(1));
  auto pl = db.prepare(
    "SELECT id, name, provider, sync_mode FROM playlists ORDER BY id");
  while (pl.step())
    s.playlists.push_back(
      playlist_setting{pl.int64(0), pl.text(1), pl.text(2), pl.text(3)});
  return s;
}

} // namespace discotheque::storage
