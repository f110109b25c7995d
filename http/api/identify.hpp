// The read API of identification:
//   GET /api/library/artists/{id}/matches   the artist's MBID, how it was
//       found (tags, auto, user) and how sure, when it was last checked, and
//       its decisions newest first: outcome (identified, uncertain,
//       not_found), the candidates with their scores and features, what was
//       chosen and why, whether it was decided on stale cached answers.
#pragma once

#include "http/api/route.hpp"

namespace discotheque::http {

/// Adds the identification routes to the read side's table.
void add_identify_routes(reader_router& r);

} // namespace discotheque::http
