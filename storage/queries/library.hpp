// The named read queries of the library API (http/api/library.cpp and
// http/api/playlists.cpp) and of the status snapshot's totals. Each runs on a
// read-only connection and answers rows as JSON objects keyed by column name,
// raw as stored (epoch ms, 0/1); http/api/ renders them for the client.
#pragma once

#include "messages/status.hpp"
#include "storage/database.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace discotheque::storage::queries {

/// The three entity tables of the library.
enum class entity { artist, album, track };

/// Filters of a list request; empty / 0 = not filtered.
struct list_filter {
  std::string ownership_state;
  std::string source; ///< primary_source
  std::string download_state;
  int64_t album_id = 0;
  int64_t artist_id = 0;
  /// A name search: the normalized name (normalized as the names are) or
  /// the display name (ASCII case ignored) must contain it.
  std::string name_contains;
  std::string display_contains;
};

/// How a list is ordered: by id, name (or title), created_at or updated_at.
enum class list_order { id, name, created, updated };

struct list_sort {
  list_order by = list_order::id;
  bool descending = false;
};

/// Number of rows of `e` that pass `f`.
int64_t count_entities(database& db, entity e, const list_filter& f);

/// One page of rows of `e` that pass `f`, ordered by `sort` (ties by id).
/// Albums carry `artist_name` (their first album artist), tracks
/// `artist_name` and `album_title`.
nlohmann::json list_entities(database& db, entity e, const list_filter& f,
                             int64_t limit, int64_t offset,
                             list_sort sort = {});

/// The row of `e` with `id`, every column the API shows.
std::optional<nlohmann::json> entity_row(database& db, entity e, int64_t id);

/// An artist's albums (id, title, mbid, ownership_state, release_date).
nlohmann::json artist_albums(database& db, int64_t artist_id);
/// How many tracks credit the artist, and how many of those are owned.
int64_t artist_track_count(database& db, int64_t artist_id);
int64_t artist_owned_track_count(database& db, int64_t artist_id);

/// An album's artists in credit order, and its tracks in disc/track order.
nlohmann::json album_artists(database& db, int64_t album_id);
nlohmann::json album_tracks(database& db, int64_t album_id);

/// A track's artists (main and featured) in credit order, and its album.
nlohmann::json track_artists(database& db, int64_t track_id);
std::optional<nlohmann::json> track_album(database& db, int64_t track_id);

/// The ownership claims on an entity (source, reason, created_at).
nlohmann::json claims(database& db, entity e, int64_t id);

/// Files the scan could not read, ordered by path.
int64_t count_scan_errors(database& db);
nlohmann::json scan_errors(database& db, int64_t limit, int64_t offset);

/// Every playlist, ordered by provider, name and id.
nlohmann::json playlists(database& db);
/// One playlist, or nullopt.
std::optional<nlohmann::json> playlist(database& db, int64_t id);
/// A playlist's tracks in position order, with the track's ids and state and
/// the name of its first artist (`artist`).
nlohmann::json playlist_tracks(database& db, int64_t playlist_id);

/// The library totals of the status API (SPEC §8; messages/status.hpp).
using discotheque::library_totals;
library_totals totals(database& db);

} // namespace discotheque::storage::queries
