// The download worker's views: GET /api/library/downloads (the queue:
// pending, searching, transferring, failed with their reason, and what was
// downloaded or failed in 24 h, with counts) and
// GET /api/library/tracks/{id}/downloads (a track's transitions and the
// decision record of every grab: query, candidates with score breakdowns,
// chosen, runner-up, margin).
#pragma once

#include "http/api/route.hpp"

namespace discotheque::http {

void add_download_routes(reader_router& r);

/// The queue view as the API serves it.
nlohmann::json download_queue_json(storage::database& ro, int64_t now,
                                   int64_t limit);

} // namespace discotheque::http
