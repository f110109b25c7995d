#include "storage/writes/user.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace discotheque::storage::writes {

namespace {

std::string table_of(const std::string& type) {
  if (type == "artist" || type == "album" || type == "track")
    return type + "s";
  throw std::invalid_argument("not an entity type: " + type);
}

sql_value id_list(const std::vector<int64_t>& ids) {
  return sql_value::of(nlohmann::json(ids).dump());
}

void add(write_request& req, std::string sql, std::vector<sql_value> ps) {
  req.statements.push_back(sql_stmt{std::move(sql), std::move(ps)});
}

} // namespace

write_request set_playlist_sync_mode(int64_t playlist_id,
                                     const std::string& mode, int64_t now_ms) {
  return write_request{{sql_stmt{
    "UPDATE playlists SET sync_mode = ?1, updated_at = ?2 WHERE id = ?3",
    {sql_value::of(mode), sql_value::of(now_ms), sql_value::of(playlist_id)}}}};
}

void add_user_claims(write_request& req, const std::string& type,
                     const std::vector<int64_t>& ids) {
  table_of(type);
  if (ids.empty())
    return;
  add(req,
      "INSERT OR IGNORE INTO ownership_claims(entity_type, entity_id, source, "
      "reason) SELECT ?1, value, 'user', 'manual' FROM json_each(?2)",
      {sql_value::of(type), id_list(ids)});
}

void drop_claims(write_request& req, const std::string& type,
                 const std::vector<int64_t>& ids) {
  table_of(type);
  if (ids.empty())
    return;
  add(req,
      "DELETE FROM ownership_claims WHERE entity_type = ?1 AND entity_id IN "
      "(SELECT value FROM json_each(?2))",
      {sql_value::of(type), id_list(ids)});
}

void set_ownership(write_request& req, const std::string& type,
                   const std::vector<int64_t>& ids, const std::string& state,
                   const std::vector<std::string>& from, int64_t now_ms) {
  if (ids.empty())
    return;
  std::string sql = "UPDATE " + table_of(type)
                    + " SET ownership_state = ?1, updated_at = ?2 WHERE id IN "
                      "(SELECT value FROM json_each(?3)) AND ownership_state "
                      "<> ?1";
  if (!from.empty())
    sql += " AND ownership_state IN (SELECT value FROM json_each(?4))";
  std::vector<sql_value> ps{sql_value::of(state), sql_value::of(now_ms),
                            id_list(ids)};
  if (!from.empty())
    ps.push_back(sql_value::of(nlohmann::json(from).dump()));
  add(req, std::move(sql), std::move(ps));
}

void unignore(write_request& req, const std::string& type,
              const std::vector<int64_t>& ids, int64_t now_ms) {
  if (ids.empty())
    return;
  // What holds a row besides its own claims (the release rules of SPEC §4).
  std::string held;
  if (type == "album")
    held = " OR EXISTS (SELECT 1 FROM tracks t WHERE t.album_id = x.id AND "
           "t.ownership_state = 'owned')";
  else if (type == "artist")
    held = " OR EXISTS (SELECT 1 FROM tracks t WHERE t.artist_id = x.id AND "
           "t.ownership_state = 'owned') OR EXISTS (SELECT 1 FROM "
           "album_artists aa JOIN albums a ON a.id = aa.album_id WHERE "
           "aa.artist_id = x.id AND a.ownership_state = 'owned')";
  add(req,
      "UPDATE " + table_of(type)
        + " AS x SET ownership_state = CASE WHEN EXISTS (SELECT 1 FROM "
          "ownership_claims c WHERE c.entity_type = ?1 AND c.entity_id = "
          "x.id)"
        + held
        + " THEN 'owned' ELSE 'discovered' END, updated_at = ?2 WHERE x.id IN "
          "(SELECT value FROM json_each(?3)) AND x.ownership_state = "
          "'ignored'",
      {sql_value::of(type), sql_value::of(now_ms), id_list(ids)});
}

void queue_downloads(write_request& req, const std::vector<int64_t>& tracks,
                     int64_t now_ms) {
  if (tracks.empty())
    return;
  add(req,
      "UPDATE tracks SET download_state = 'pending', "
      "download_state_updated_at = ?1, updated_at = ?1 WHERE id IN (SELECT "
      "value FROM json_each(?2)) AND ownership_state <> 'ignored' AND "
      "download_state IN ('not_needed', 'failed')",
      {sql_value::of(now_ms), id_list(tracks)});
}

void retry_download(write_request& req, int64_t track, int64_t now_ms) {
  add(req,
      "UPDATE tracks SET download_state = 'pending', last_error = NULL, "
      "download_state_updated_at = ?1, updated_at = ?1 WHERE id = ?2 AND "
      "download_state = 'failed'",
      {sql_value::of(now_ms), sql_value::of(track)});
}

void unqueue_downloads(write_request& req, const std::vector<int64_t>& tracks,
                       int64_t now_ms) {
  if (tracks.empty())
    return;
  add(req,
      "UPDATE tracks SET download_state = 'not_needed', "
      "download_state_updated_at = ?1, updated_at = ?1 WHERE id IN (SELECT "
      "value FROM json_each(?2)) AND download_state = 'pending'",
      {sql_value::of(now_ms), id_list(tracks)});
}

void log_ownership_change(write_request& req, const std::string& action,
                          const std::string& type, int64_t id, int64_t now_ms) {
  add(
    req,
    "INSERT INTO ownership_changes(action, entity_type, entity_id, at) VALUES "
    "(?1, ?2, ?3, ?4)",
    {sql_value::of(action), sql_value::of(type), sql_value::of(id),
     sql_value::of(now_ms)});
}

} // namespace discotheque::storage::writes
