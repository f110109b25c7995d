// Writes of the expand phase (issue 13): which task added an album, and an
// artist's expand settings (its own metadata profile, its monitor flag).
#pragma once

#include "messages/types.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace discotheque::storage {

/// Records that `by` (discography, new_release) added album `id` at `at`,
/// its MBIDs identified (mbid_source `auto`); an album that already says
/// who added it keeps that.
sql_stmt mark_album_added(int64_t id, const std::string& by, int64_t at);

/// Sets what the request names of artist `id`: `profile` (JSON text; an
/// empty text clears it: the library's profile applies again) and the
/// monitor flag (auto_add_albums). No statement for what is not named.
write_request
set_artist_expand_settings(int64_t id,
                           const std::optional<std::string>& profile,
                           std::optional<bool> monitor, int64_t now_ms);

} // namespace discotheque::storage
