// The library's side of album identification, as plain functions: an
// album as the identify_albums task reads it, turned into what
// decide_album compares; which release of a group is worth a lookup; the
// candidates as stored with a decision.
#pragma once

#include "identify/album_match.hpp"
#include "messages/identify.hpp"

#include <string>
#include <vector>

namespace discotheque::identify {

/// The library's view of an album for decide_album.
library_album library_album_of(const album_to_identify& a);

/// The release of a group worth a lookup for `album`: the track count
/// closest to the library's, then Official, then the year; null if none.
const mb_release* release_to_look_up(const library_album& album,
                                     const std::vector<mb_release>& releases);

/// The candidates as stored with a decision: [{release_group, release,
/// title, score, gate, features}], best first.
std::string album_candidates_json(const album_decision& d);

} // namespace discotheque::identify
