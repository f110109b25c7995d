#include "storage/queries/actions.hpp"

#include <algorithm>

namespace discotheque::storage::queries {

namespace {

std::vector<row_state> rows(database& db, const std::string& sql, int64_t id,
                            bool tracks) {
  std::vector<row_state> out;
  auto s = db.prepare(sql);
  s.bind(1, id);
  while (s.step())
    out.push_back({s.int64(0), s.text(1), tracks ? s.text(2) : std::string{}});
  return out;
}

std::vector<int64_t> ids(database& db, const std::string& sql, int64_t id) {
  std::vector<int64_t> out;
  auto s = db.prepare(sql);
  s.bind(1, id);
  while (s.step())
    out.push_back(s.int64(0));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

const char* track_cols = "SELECT id, ownership_state, download_state FROM "
                         "tracks ";

} // namespace

std::string type_name(entity e) {
  switch (e) {
    case entity::artist:
      return "artist";
    case entity::album:
      return "album";
    default:
      return "track";
  }
}

std::optional<row_state> row_state_of(database& db, entity e, int64_t id) {
  bool track = e == entity::track;
  auto found = rows(db,
                    track ? std::string{track_cols} + "WHERE id = ?1"
                          : "SELECT id, ownership_state FROM " + type_name(e)
                              + "s WHERE id = ?1",
                    id, track);
  if (found.empty())
    return std::nullopt;
  return found.front();
}

std::vector<row_state> albums_under(database& db, entity e, int64_t id) {
  if (e != entity::artist)
    return {};
  return rows(db,
              "SELECT id, ownership_state FROM albums WHERE id IN (SELECT "
              "album_id FROM album_artists WHERE artist_id = ?1) ORDER BY id",
              id, false);
}

std::vector<row_state> tracks_under(database& db, entity e, int64_t id) {
  if (e == entity::album)
    return rows(db, std::string{track_cols} + "WHERE album_id = ?1 ORDER BY id",
                id, true);
  if (e != entity::artist)
    return {};
  return rows(db,
              std::string{track_cols}
                + "WHERE artist_id = ?1 OR album_id IN (SELECT album_id FROM "
                  "album_artists WHERE artist_id = ?1) ORDER BY id",
              id, true);
}

std::vector<int64_t> albums_over(database& db, entity e, int64_t id) {
  if (e != entity::track)
    return {};
  return ids(db,
             "SELECT album_id FROM tracks WHERE id = ?1 AND album_id IS NOT "
             "NULL",
             id);
}

std::vector<int64_t> artists_over(database& db, entity e, int64_t id) {
  if (e == entity::album)
    return ids(db, "SELECT artist_id FROM album_artists WHERE album_id = ?1",
               id);
  if (e != entity::track)
    return {};
  return ids(db,
             "SELECT artist_id FROM tracks WHERE id = ?1 AND artist_id IS NOT "
             "NULL UNION SELECT artist_id FROM track_artists WHERE track_id = "
             "?1 AND role = 'main' UNION SELECT aa.artist_id FROM "
             "album_artists aa JOIN tracks t ON t.album_id = aa.album_id "
             "WHERE t.id = ?1",
             id);
}

bool has_claim(database& db, entity e, int64_t id) {
  auto s = db.prepare("SELECT 1 FROM ownership_claims WHERE entity_type = ?1 "
                      "AND entity_id = ?2 LIMIT 1");
  s.bind(1, std::string_view{type_name(e)});
  s.bind(2, id);
  return s.step();
}

std::vector<typed_album> owned_albums_of(database& db, int64_t artist_id) {
  std::vector<typed_album> out;
  auto st = db.prepare(
    "SELECT a.id, coalesce(a.album_type, '') FROM albums a JOIN album_artists"
    " aa ON aa.album_id = a.id WHERE aa.artist_id = ?1 AND a.ownership_state"
    " = 'owned' GROUP BY a.id ORDER BY a.id");
  st.bind(1, artist_id);
  while (st.step())
    out.push_back(typed_album{st.int64(0), st.text(1)});
  return out;
}

std::string metadata_profile_of(database& db, int64_t artist_id) {
  if (auto own = db.query_text(
        "SELECT metadata_profile FROM artists WHERE id = ?1 AND"
        " metadata_profile IS NOT NULL AND metadata_profile != ''",
        {sql_value::of(artist_id)}))
    return *own;
  return db
    .query_text("SELECT value FROM settings WHERE key ="
                " 'library.metadata_profile'")
    .value_or("");
}

std::optional<std::vector<row_state>> playlist_track_states(database& db,
                                                            int64_t id) {
  auto p = db.prepare("SELECT 1 FROM playlists WHERE id = ?1");
  p.bind(1, id);
  if (!p.step())
    return std::nullopt;
  return rows(db,
              std::string{track_cols}
                + "WHERE id IN (SELECT track_id FROM playlist_tracks WHERE "
                  "playlist_id = ?1) ORDER BY id",
              id, true);
}

} // namespace discotheque::storage::queries
