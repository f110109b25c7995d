// GET /api/library/{artists|albums|playlists}/{id}/image: the stored image
// file with its content type and caching headers (ETag, Last-Modified,
// Cache-Control; If-None-Match answered 304), 404 when there is none.
#pragma once

#include "http/api/route.hpp"

namespace discotheque::http {

void add_image_routes(reader_router& r);

} // namespace discotheque::http
