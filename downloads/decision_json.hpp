// The stored form of a decision (what GET /api/library/tracks/{id}/downloads
// shows): the query, the best candidates with their breakdowns, the rejected
// ones counted by reason (the first few listed), chosen, runner-up, margin.
#pragma once

#include "downloads/ranking.hpp"

#include <nlohmann/json.hpp>

namespace discotheque::downloads {

/// At most `keep` acceptable and `keep` rejected candidates are listed.
nlohmann::json to_json(const decision& d, size_t keep = 20);

} // namespace discotheque::downloads
