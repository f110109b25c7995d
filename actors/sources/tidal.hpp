// tidal_source: the TIDAL API v2 (openapi.tidal.com/v2, JSON:API) behind the
// source interface. Collections are relationship documents: `data` holds
// identifiers, `included` the resources (include=items,...), paging follows
// `links.next` (relative to the API base).
#pragma once

#include "actors/sources/source.hpp"

namespace discotheque {

namespace tidal {
/// ISO-8601 duration ("PT4M12S", "PT1H2M3.5S") in milliseconds; 0 if bad.
int64_t parse_duration_ms(const std::string& iso);
} // namespace tidal

} // namespace discotheque
