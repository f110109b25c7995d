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

/// Every album not ignored and not yet identified (no MBID source: no
/// MBID, or one from the tags not confirmed yet; a user's choice is never
/// looked at again) whose first album artist has an MBID, with its tracks
/// (not ignored) by disc and number.
std::vector<album_to_identify> albums_to_identify(database& db);

std::vector<album_to_identify>
load_albums_to_identify(const std::filesystem::path& db_path);

/// The tracks without a confirmed recording MBID (no MBID source): those
/// on an identified album (by the album's release MBID), and those with an
/// ISRC whose album is not identified.
tracks_to_identify tracks_to_identify_of(database& db);

tracks_to_identify
load_tracks_to_identify(const std::filesystem::path& db_path);

/// The artist's identification state and its decisions, newest first (at
/// most `limit`): null when there is no such artist.
std::optional<nlohmann::json> artist_matches(database& db, int64_t artist_id,
                                             int64_t limit = 10);

/// The same for `type` artist, album (with its release group) or track
/// (with its track on the release); throws std::invalid_argument on
/// another type.
std::optional<nlohmann::json> entity_matches(database& db,
                                             const std::string& type,
                                             int64_t id, int64_t limit = 10);

/// The rows of `type` (artist, album, track) without an MBID that are not
/// ignored, with their newest decision's outcome and why, by id:
/// {"items", "total", "limit", "offset"}.
nlohmann::json unidentified(database& db, const std::string& type,
                            int64_t limit, int64_t offset);

/// A MusicBrainz lookup answer in the response cache for an entity's
/// MBID (artist or release lookups; none is cached for a recording).
struct cached_lookup {
  int32_t status = 0; ///< 200 or 404
  std::string body;
};
std::optional<cached_lookup> cached_mb_lookup(database& db,
                                              const std::string& type,
                                              const std::string& mbid);

/// The id of another row of `type` that carries `mbid`, if any.
std::optional<int64_t> other_with_mbid(database& db, const std::string& type,
                                       const std::string& mbid, int64_t id);

} // namespace discotheque::storage
