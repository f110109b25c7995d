#include "storage/writes/expand.hpp"

namespace discotheque::storage {

sql_stmt mark_album_added(int64_t id, const std::string& by, int64_t at) {
  // The album was made from that release: its MBIDs are identified, so
  // identify_albums does not check them as if from tags, and
  // identify_tracks gives its tracks their recordings (a cache hit).
  return {"UPDATE albums SET added_by = ?2, added_at = ?3, mbid_source ="
          " coalesce(mbid_source, 'auto'), mbid_confidence ="
          " coalesce(mbid_confidence, 1) WHERE id = ?1 AND added_by IS NULL",
          {sql_value::of(id), sql_value::of(by), sql_value::of(at)}};
}

write_request
set_artist_expand_settings(int64_t id,
                           const std::optional<std::string>& profile,
                           std::optional<bool> monitor, int64_t now_ms) {
  write_request req;
  if (profile)
    req.statements.push_back(
      {"UPDATE artists SET metadata_profile = ?2, updated_at = ?3 WHERE id = "
       "?1",
       {sql_value::of(id),
        profile->empty() ? sql_value::null() : sql_value::of(*profile),
        sql_value::of(now_ms)}});
  if (monitor)
    req.statements.push_back(
      {"UPDATE artists SET auto_add_albums = ?2, updated_at = ?3 WHERE id = ?1",
       {sql_value::of(id), sql_value::of(*monitor ? 1 : 0),
        sql_value::of(now_ms)}});
  return req;
}

} // namespace discotheque::storage
