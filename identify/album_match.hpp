// Identifying a library album with MusicBrainz, as plain functions: the
// releases a lookup, search or browse answers, an album distance in the
// spirit of beets (title, artist, track count, track lengths, year,
// barcode, track titles) behind hard gates, the decision (release group
// and release, or none and why), and the recording of every library track
// on the chosen release. No actors, no SQLite, no HTTP.
#pragma once

#include "identify/artist_match.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace discotheque::identify {

/// One element of an artist credit.
struct mb_credit {
  std::string artist_mbid;
  std::string name; ///< as credited
  std::string joinphrase;
};

/// One track of a release medium.
struct mb_track {
  std::string track_mbid;
  std::string recording_mbid; ///< the id ISRCs and AcoustIDs belong to
  std::string title;          ///< as on this release
  std::string recording_title;
  std::string number; ///< "1", "A1": a string
  int disc = 1;       ///< the medium's position
  int position = 0;   ///< on the medium
  std::optional<int64_t> length_ms;
  std::vector<std::string> isrcs; ///< only with inc=isrcs
  std::vector<mb_credit> credit;  ///< the track's (else the recording's)
};

struct mb_medium {
  int position = 1;
  std::string format;
  std::string title;
  int track_count = 0; ///< also when the tracks are not included
  std::vector<mb_track> tracks;
};

/// A release: a lookup with inc=recordings+isrcs+artist-credits+
/// release-groups, or one hit of a release search or browse (then the
/// media may only carry their track counts).
struct mb_release {
  std::string mbid;
  std::string title;
  std::string status; ///< "Official", "Bootleg", ... or empty
  std::string date;   ///< partial date or empty
  std::string country;
  std::string barcode;
  std::string disambiguation;
  mb_release_group group; ///< id empty when not included
  std::vector<mb_credit> credit;
  std::vector<mb_medium> media;
  int track_count = 0;     ///< total over the media (or the hit's own)
  bool has_tracks = false; ///< the media list their tracks
  /// Every track, medium by medium.
  std::vector<mb_track> tracks() const;
};

struct mb_release_page {
  std::vector<mb_release> releases;
  int total = 0;
  int offset = 0;
};

/// `GET /ws/2/release/{mbid}?inc=...`: throws std::invalid_argument when
/// the body is not a release.
mb_release parse_release(const nlohmann::json& body);

/// `GET /ws/2/release?query=...` (count/offset) or
/// `GET /ws/2/release?release-group=MBID&inc=...` (release-count/-offset).
mb_release_page parse_release_list(const nlohmann::json& body);

/// What the library knows of one track of an album.
struct library_track {
  int64_t id = 0;
  std::string title;
  int disc = 0;     ///< 0 when unknown
  int position = 0; ///< on its disc (or on the album when disc is 0)
  std::optional<int64_t> length_ms;
  std::string isrc; ///< empty when unknown
};

/// What the library knows of one album of an identified artist.
struct library_album {
  int64_t id = 0;
  std::string title;
  std::string artist;      ///< the artist's name
  std::string artist_mbid; ///< the identified artist
  std::optional<int> year;
  std::string barcode;            ///< UPC/EAN when a provider said so
  std::optional<int> track_count; ///< when known, else tracks.size()
  std::vector<library_track> tracks;
};

/// A release group of the artist and the releases fetched for it (none
/// when only the browse of release groups is known).
struct album_candidate {
  mb_release_group group;
  std::vector<mb_release> releases;
};

struct album_settings {
  double min_confidence = 0.85; ///< identify.min_album_confidence
  double min_margin = 0.1;      ///< to the best of another release group
  /// When the title cannot decide (self-titled, a substring of another
  /// title): the share of the library's tracks that must match by title.
  double min_track_share = 0.8;
};

/// One (release group, release) scored; `release` empty for a group
/// scored on its title and year alone.
struct scored_album {
  std::string release_group;
  std::string release;
  std::string title;
  double score = 0; ///< 1 - distance, 0..1; 0 when a gate failed
  std::map<std::string, double> features;
  std::string gate; ///< the gate that failed, empty when none
};

struct album_decision {
  std::optional<std::string> release_group;
  std::optional<std::string> release; ///< may be empty with a group chosen
  double confidence = 0;
  double margin = 0;
  std::vector<scored_album> candidates; ///< best first
  std::string why;
};

/// Scores every candidate and decides. The best release group must beat
/// the best of every other group by `min_margin`; within the group the best
/// release is chosen (ties: barcode, track count, Official, year).
album_decision decide_album(const library_album& album,
                            const std::vector<album_candidate>& candidates,
                            const album_settings& settings = {});

/// The release groups worth fetching releases for: those whose title
/// matches the album's, is close to it, contains it or is contained in it
/// (the latter two must be decided by tracks).
std::vector<std::string>
groups_to_fetch(const library_album& album,
                const std::vector<mb_release_group>& groups);

/// One library track's match on a release.
struct track_match {
  int64_t track_id = 0;
  std::optional<std::string> recording; ///< recording MBID
  std::optional<std::string> track;     ///< track MBID on the release
  double score = 0;                     ///< 0..1
};

/// Matches library tracks to the release's tracks one to one, by position,
/// title and length, or by an ISRC both have (the release's come with
/// inc=isrcs); a track without a convincing counterpart gets none.
/// The result is in the order of `tracks`.
std::vector<track_match> match_tracks(const std::vector<library_track>& tracks,
                                      const mb_release& release);

} // namespace discotheque::identify
