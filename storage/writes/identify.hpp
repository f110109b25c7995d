// The writes of identification: the decisions (kept, newest holds) and the
// MBID of an artist with how it was found.
#pragma once

#include "messages/types.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace discotheque::storage {

/// One decision on one entity, as stored in identify_decisions.
struct identify_decision {
  std::string entity_type = "artist";
  int64_t entity_id = 0;
  int64_t decided_at = 0;
  std::string decided_by = "auto";
  std::string outcome; ///< identified, uncertain, not_found
  std::optional<std::string> chosen_mbid;
  std::string source; ///< tags, search
  double confidence = 0;
  double margin = 0;
  std::string why;
  std::string candidates_json = "[]";
  bool stale = false;
  /// Albums: the release group (chosen_mbid is the release); tracks: the
  /// track on the release (chosen_mbid is the recording).
  std::optional<std::string> secondary_mbid;
};

/// The decision row, and what it means for the artist:
/// - identified: the MBID is written (source `auto`, or `tags` for a tag
///   MBID, possibly replaced by the id it was merged into), unless the row
///   has a user's choice or another artist already carries that MBID;
/// - otherwise: only the check time and the attempt count (for the
///   re-check backoff); an MBID the row has is never cleared.
write_request record_artist_decision(const identify_decision& d);

/// The same for an album: identified writes the release (chosen_mbid, may
/// be empty when only the group is known) and the release group
/// (secondary_mbid), unless the album has a user's choice or another album
/// already carries that release MBID.
write_request record_album_decision(const identify_decision& d);

/// The same for a track: identified writes the recording (chosen_mbid) and
/// the track on the release (secondary_mbid), unless a user chose.
write_request record_track_decision(const identify_decision& d);

/// A user's choice for `d.entity_type` `d.entity_id`: `d.chosen_mbid` set
/// (with `secondary_mbid` for an album's release group when known), or
/// unset: the MBID cleared and auto-identification stopped (source `user`
/// with no MBID). `unverified`: MusicBrainz could not confirm it. The
/// decision row is stored with decided_by `user`.
write_request set_user_mbid(const identify_decision& d, bool unverified);

} // namespace discotheque::storage
