// /api/library/playlists: the synced playlists (SPEC §3) and their sync mode.
//   GET /api/library/playlists        every playlist with its fields
//   GET /api/library/playlists/{id}   one playlist with its tracks in order
//                                     (position, track, owned flag)
//   PUT /api/library/playlists/{id}   {"sync_mode": "reference_only" |
//                                     "auto_own_tracks" | "disabled"}
#pragma once

#include "http/api/route.hpp"

namespace discotheque::http {

/// Adds the playlist routes to the read side's table.
void add_playlist_routes(reader_router& r);

} // namespace discotheque::http
