// Named write builders for what the user changes through the API: a
// playlist's sync mode, ownership (own, unown, ignore, unignore) and
// download requests (SPEC §1, §4). The API reads which rows an action
// touches (storage/queries/actions.hpp) and hands their ids here; each
// builder appends to one write_request for the store actor.
#pragma once

#include "messages/types.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace discotheque::storage::writes {

/// Sets the sync_mode (reference_only, auto_own_tracks, disabled) of one
/// playlist; `now_ms` becomes its updated_at.
write_request set_playlist_sync_mode(int64_t playlist_id,
                                     const std::string& mode, int64_t now_ms);

/// `type`: artist, album or track (the table is its plural).
/// A claim (source `user`, reason `manual`) on each row: no sync's
/// reconcile ever releases it.
void add_user_claims(write_request& req, const std::string& type,
                     const std::vector<int64_t>& ids);
/// Removes every claim (any source) on the rows.
void drop_claims(write_request& req, const std::string& type,
                 const std::vector<int64_t>& ids);
/// Sets ownership_state to `state` on the rows whose state is one of `from`
/// (empty: any state).
void set_ownership(write_request& req, const std::string& type,
                   const std::vector<int64_t>& ids, const std::string& state,
                   const std::vector<std::string>& from, int64_t now_ms);
/// Ignored rows go back to what their claims say: owned if the row (or,
/// for albums and artists, an owned track or album under it) is claimed,
/// else discovered. Run for tracks, then albums, then artists.
void unignore(write_request& req, const std::string& type,
              const std::vector<int64_t>& ids, int64_t now_ms);
/// not_needed or failed -> pending, never for an ignored track; a
/// downloaded, downloading or pending track stays as it is.
void queue_downloads(write_request& req, const std::vector<int64_t>& tracks,
                     int64_t now_ms);
/// failed -> pending (a retry).
void retry_download(write_request& req, int64_t track, int64_t now_ms);
/// pending -> not_needed (a track that left the library is not fetched).
void unqueue_downloads(write_request& req, const std::vector<int64_t>& tracks,
                       int64_t now_ms);
/// One row of ownership_changes.
void log_ownership_change(write_request& req, const std::string& action,
                          const std::string& type, int64_t id, int64_t now_ms);

} // namespace discotheque::storage::writes
