// The read API for the library the scan and the syncs produce:
//   GET /api/library/{artists|albums|tracks}   paged lists with filters
//   GET /api/library/{artists|albums|tracks}/{id}  one entity, all ids and
//                                                  relations
//   GET /api/library/scan/errors               files the scan could not read
// Parameters: limit (1..500, default 50), offset, q (name search, accent and
// case insensitive), ownership_state, source (primary_source), and for
// tracks download_state, album_id, artist_id; for albums artist_id.
#pragma once

#include "http/api/route.hpp"

namespace discotheque::http {

/// Adds the library routes to the read side's table.
void add_library_routes(reader_router& r);

} // namespace discotheque::http
