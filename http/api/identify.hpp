// The read API of identification:
//   GET /api/library/artists/{id}/matches   the artist's MBID, how it was
//       found (tags, auto, user) and how sure, when it was last checked, and
//       its decisions newest first: outcome (identified, uncertain,
//       not_found), the candidates with their scores and features, what was
//       chosen and why, whether it was decided on stale cached answers.
//   GET /api/library/{albums|tracks}/{id}/matches   the same for an album
//       (with its release group; the MBID is the release) or a track (with
//       its track on the release; the MBID is the recording).
//   PUT /api/library/{artists|albums|tracks}/{id}/mbid   {"mbid": "..."}
//       sets the MBID by hand (decided_by `user`, never overwritten by a
//       later run): checked against the MusicBrainz answers the response
//       cache holds (422 for a cached "no such entity", 409 when another row
//       has it), else accepted and marked `unverified`; {"mbid": null}
//       clears it and stops auto-identification of that row.
//   GET /api/library/unidentified?type=artist|album|track[&limit&offset]
//       the rows without an MBID (not ignored) with their last decision.
#pragma once

#include "http/api/route.hpp"

namespace discotheque::http {

/// Adds the identification routes to the read side's table.
void add_identify_routes(reader_router& r);

} // namespace discotheque::http
