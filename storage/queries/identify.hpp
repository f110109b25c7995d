// The reads of identification: the artists to look at with their library
// evidence, and an entity's decisions for the matches API.
#pragma once

#include "messages/identify.hpp"
#include "storage/database.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <vector>

namespace discotheque::storage {

/// Every artist not ignored whose MBID is unknown, or came from the tags and
/// was not confirmed yet, with its album titles and (up to 50) ISRCs.
std::vector<artist_to_identify> artists_to_identify(database& db);

/// Opens `db_path` read-only and reads them; throws on a database error.
std::vector<artist_to_identify>
load_artists_to_identify(const std::filesystem::path& db_path);

/// The artist's identification state and its decisions, newest first (at
/// most `limit`): null when there is no such artist.
std::optional<nlohmann::json> artist_matches(database& db, int64_t artist_id,
                                             int64_t limit = 10);

} // namespace discotheque::storage
