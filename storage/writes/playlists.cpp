#include "storage/writes/playlists.hpp"

#include <algorithm>

namespace discotheque::storage {

write_request upsert_playlist(const playlist_dto& p, int64_t now,
                              bool owner_known) {
  auto opt = [](const std::string& s) {
    return s.empty() ? sql_value::null() : sql_value::of(s);
  };
  return write_request{{sql_stmt{
    "INSERT INTO playlists(name, provider, provider_id, description,"
    " is_followed, is_owner, cover_url, track_count, snapshot_id, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, COALESCE(?6, 0), ?7, ?8, ?9, ?10)"
    " ON CONFLICT(provider, provider_id) DO UPDATE SET name = excluded.name,"
    " description = excluded.description, is_followed = excluded.is_followed,"
    " is_owner = COALESCE(?6, is_owner), cover_url = excluded.cover_url,"
    " track_count = excluded.track_count, snapshot_id = excluded.snapshot_id,"
    " updated_at = excluded.updated_at",
    {sql_value::of(p.name), sql_value::of(p.provider),
     sql_value::of(p.provider_id), opt(p.description),
     sql_value::of(int64_t{p.is_followed ? 1 : 0}),
     owner_known ? sql_value::of(int64_t{p.is_owner ? 1 : 0})
                 : sql_value::null(),
     opt(p.cover_url), sql_value::of(std::max<int64_t>(0, p.track_count)),
     opt(p.snapshot_id), sql_value::of(now)}}}};
}

write_request link_playlist_tracks(const playlist_dto& p,
                                   const std::vector<int64_t>& track_ids,
                                   int64_t now, const std::string& error) {
  const std::string pid = "(SELECT id FROM playlists WHERE provider = ?1 AND "
                          "provider_id = ?2)";
  write_request req;
  auto key = [&] {
    return std::vector<sql_value>{sql_value::of(p.provider),
                                  sql_value::of(p.provider_id)};
  };
  if (error.empty()) {
    req.statements.push_back(
      {"DELETE FROM playlist_tracks WHERE playlist_id = " + pid, key()});
    for (size_t i = 0; i < track_ids.size(); ++i) {
      auto params = key();
      params.push_back(sql_value::of(static_cast<int64_t>(i)));
      params.push_back(sql_value::of(track_ids[i]));
      req.statements.push_back(
        {"INSERT INTO playlist_tracks(playlist_id, position, track_id)"
         " SELECT id, ?3, ?4 FROM playlists WHERE provider = ?1 AND"
         " provider_id = ?2",
         std::move(params)});
    }
    auto params = key();
    params.push_back(sql_value::of(now));
    params.push_back(sql_value::of(static_cast<int64_t>(track_ids.size())));
    req.statements.push_back(
      {"UPDATE playlists SET last_synced_at = ?3, last_error = NULL,"
       " track_count = ?4 WHERE provider = ?1 AND provider_id = ?2",
       std::move(params)});
  } else {
    auto params = key();
    params.push_back(sql_value::of(error));
    req.statements.push_back(
      {"UPDATE playlists SET last_error = ?3 WHERE provider = ?1 AND "
       "provider_id = ?2",
       std::move(params)});
  }
  return req;
}

} // namespace discotheque::storage
