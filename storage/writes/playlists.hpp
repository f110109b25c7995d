// The writes of sync_playlists: a playlist's row (SPEC §3 fields) and its
// ordered track links.
#pragma once

#include "messages/cloud.hpp"
#include "messages/types.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace discotheque::storage {

/// The playlist upsert (keeps sync_mode) for `p`. is_owner is taken from
/// `p` when `owner_known`, else an existing row keeps its value.
write_request upsert_playlist(const playlist_dto& p, int64_t now,
                              bool owner_known = true);

/// Replaces the playlist's track links by `track_ids` in order (0-based
/// positions) and records the sync time / error.
write_request link_playlist_tracks(const playlist_dto& p,
                                   const std::vector<int64_t>& track_ids,
                                   int64_t now, const std::string& error);

} // namespace discotheque::storage
