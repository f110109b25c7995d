// The user's actions on the library (SPEC §1, §4; issue 14), all POST:
//   /api/library/{artists|albums|tracks}/{id}/own       a claim (source
//        `user`): the row owned, an album with its tracks, and what holds
//        it (a track's album and artists, an album's artists)
//   .../unown     SPEC's "delete": the row and what lies under it (an
//        artist's albums and their tracks, an album's tracks) lose every
//        claim and become discovered; what holds it stays owned only if
//        something else owned or a claim still holds it
//   .../ignore    the row and what lies under it ignored (claims kept):
//        no sync, scan or playlist owns it again
//   .../unignore  ignored rows back to what their claims say
//   /api/library/tracks/{id}/download    one track pending (owned), the
//        rest of its album untouched
//   /api/library/albums/{id}/download    the album owned, its tracks pending
//   /api/library/artists/{id}/download   the tracks of its owned albums
//   /api/library/tracks/{id}/retry       a failed download pending again
//   /api/library/playlists/{id}/own-all        every track owned
//   /api/library/playlists/{id}/download-owned its owned tracks pending
// Each answers the new state and `changed` (rows whose state changes; a
// downloaded track stays downloaded). 404 for a wrong id, 400 for an action
// the entity type has not, 409 for an impossible transition.
#pragma once

#include "http/api/route.hpp"

namespace discotheque::http {

/// Adds the action routes to the read side's table.
void add_action_routes(reader_router& r);

} // namespace discotheque::http
