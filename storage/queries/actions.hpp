// The reads behind the user's actions (http/api/actions.cpp): which rows an
// own, unown, ignore or download touches, with their current state, so that
// the API can answer the new state and how many rows changed before the
// store commits the write.
#pragma once

#include "storage/database.hpp"
#include "storage/queries/library.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace discotheque::storage::queries {

/// One row an action touches.
struct row_state {
  int64_t id = 0;
  std::string ownership_state;
  std::string download_state; ///< tracks only
};

/// "artist", "album" or "track".
std::string type_name(entity e);

/// The row's state, or nullopt if there is no such row.
std::optional<row_state> row_state_of(database& db, entity e, int64_t id);

/// What lies under a row (SPEC §4): an artist's albums (album_artists) and
/// the tracks of those albums plus the tracks it is the artist of; an
/// album's tracks; nothing under a track.
std::vector<row_state> albums_under(database& db, entity e, int64_t id);
std::vector<row_state> tracks_under(database& db, entity e, int64_t id);

/// What holds a row: a track's album and artists (its artist_id and main
/// credits, and its album's artists); an album's artists; none for an
/// artist. Ids ascending.
std::vector<int64_t> albums_over(database& db, entity e, int64_t id);
std::vector<int64_t> artists_over(database& db, entity e, int64_t id);

/// Whether a claim of any source is on the row.
bool has_claim(database& db, entity e, int64_t id);

/// An owned album of an artist with its album_type ("" when unknown).
struct typed_album {
  int64_t id = 0;
  std::string album_type;
};

/// The artist's owned albums, ids ascending (Download Discography takes
/// the tracks of those its metadata profile counts).
std::vector<typed_album> owned_albums_of(database& db, int64_t artist_id);

/// The metadata profile that applies to the artist, as stored: its own
/// override, else the setting library.metadata_profile, else "" (the
/// default profile).
std::string metadata_profile_of(database& db, int64_t artist_id);

/// A playlist's distinct tracks, or nullopt if there is no such playlist.
std::optional<std::vector<row_state>> playlist_track_states(database& db,
                                                            int64_t id);

} // namespace discotheque::storage::queries
