// An artist's expand settings (issue 13): PUT /api/library/artists/{id}
// with {"metadata_profile": {...} | null, "monitor_new_albums": bool}
// (either or both; null: the library's profile applies again) and
// GET /api/library/artists/{id}/settings. Validated (400 naming what is
// wrong, nothing changed), 404 for an unknown artist; written through the
// store.
#pragma once

#include "http/api/route.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace discotheque::http {

void add_artist_settings_routes(reader_router& r);

/// A validated body: what to set (nullopt: not named; an empty profile
/// text: clear it), or the error.
struct artist_settings_change {
  std::optional<std::string> profile;
  std::optional<bool> monitor;
  std::string error;
};
artist_settings_change parse_artist_settings(const std::string& body);

} // namespace discotheque::http
