// Named write builders for what the user changes through the API (a
// playlist's sync mode today; own, ignore and downloads later). Each returns
// a write_request for the store actor.
#pragma once

#include "messages/types.hpp"

#include <cstdint>
#include <string>

namespace discotheque::storage::writes {

/// Sets the sync_mode (reference_only, auto_own_tracks, disabled) of one
/// playlist; `now_ms` becomes its updated_at.
write_request set_playlist_sync_mode(int64_t playlist_id,
                                     const std::string& mode, int64_t now_ms);

} // namespace discotheque::storage::writes
