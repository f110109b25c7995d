// Identifying a library artist with MusicBrainz, as plain functions: the
// candidates a search answers, the evidence the library has, and the
// decision (which candidate, or none and why). No actors, no SQLite, no
// HTTP: the identify_artists task fetches the bodies and stores the result.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace discotheque::identify {

/// One hit of `GET /ws/2/artist?query=...&fmt=json`.
struct mb_artist {
  std::string mbid;
  std::string name;
  std::string sort_name;
  std::string type;    ///< "Person", "Group", ... or empty
  std::string country; ///< ISO 3166-1 alpha-2 or empty
  std::string disambiguation;
  std::vector<std::string> aliases; ///< alias names (and their sort names)
  int mb_score = 0;                 ///< MusicBrainz's own 0..100 score
};

/// One release group of `GET /ws/2/release-group?artist=MBID&fmt=json`.
struct mb_release_group {
  std::string mbid;
  std::string title;
  std::string primary_type; ///< "Album", "EP", "Single", ... or empty
  std::vector<std::string> secondary_types;
  std::string first_release_date; ///< "", "2001", "2001-03" or "2001-03-04"
};

/// One page of a browse: the groups and the total the server reports.
struct mb_release_group_page {
  std::vector<mb_release_group> groups;
  int total = 0;
  int offset = 0;
};

/// Parsers of the real response bodies. A body of the wrong shape throws
/// std::invalid_argument naming what is missing; unknown fields are ignored.
std::vector<mb_artist> parse_artist_search(const nlohmann::json& body);
mb_release_group_page parse_release_group_browse(const nlohmann::json& body);

/// What the library knows of one artist.
struct library_artist {
  int64_t id = 0;
  std::string name;
  std::vector<std::string> album_titles; ///< its albums in the library
  std::vector<std::string> isrcs;        ///< ISRCs of its tracks, if any
  std::string country;                   ///< when a provider said so
  std::string type; ///< "Person", "Group", ... when a provider said so
};

struct identify_settings {
  double min_confidence = 0.9; ///< identify.min_confidence ("strict")
  double min_margin = 0.15;    ///< to the runner-up
};

/// One candidate with its score and the features behind it (a JSON object
/// of feature name -> value, shown by the matches API).
struct scored_candidate {
  std::string mbid;
  std::string name;
  std::string disambiguation; ///< MusicBrainz's, shown next to the name
  double score = 0;           ///< the confidence, 0..1
  std::map<std::string, double> features;
};

/// The decision: the chosen MBID, or none with the reason why.
struct artist_decision {
  std::optional<std::string> chosen;
  double confidence = 0; ///< the chosen (or best) candidate's score
  double margin = 0;     ///< best minus runner-up
  std::vector<scored_candidate> candidates; ///< best first
  std::string why; ///< e.g. "name and 3 of 4 albums match",
                   ///< "two candidates named X, no evidence separates them"
};

using release_groups_by_artist
  = std::map<std::string, std::vector<mb_release_group>>;

/// ISRC -> MBIDs of the artists credited on the MusicBrainz recordings that
/// carry it (from `/isrc/{isrc}` or a recording search by ISRC).
using artists_by_isrc = std::map<std::string, std::vector<std::string>>;

/// Scores every candidate and decides. `release_groups` maps a candidate's
/// MBID to its release groups when they were fetched (the evidence of album
/// overlap); candidates without an entry get no album evidence. A decision
/// won by evidence is not taken while a same-name runner-up has none
/// fetched (fetch the release groups of every candidates_to_browse()).
artist_decision decide_artist(const library_artist& artist,
                              const std::vector<mb_artist>& candidates,
                              const release_groups_by_artist& release_groups,
                              const identify_settings& settings = {});

/// The same with ISRC evidence: `isrc_artists` covers (some of) the
/// library artist's `isrcs`; a candidate credited on them gains, one
/// credited on none of several resolved ISRCs loses.
artist_decision decide_artist(const library_artist& artist,
                              const std::vector<mb_artist>& candidates,
                              const release_groups_by_artist& release_groups,
                              const artists_by_isrc& isrc_artists,
                              const identify_settings& settings = {});

/// The candidates whose release groups are worth a browse: those whose
/// name (or alias, or sort name) matches the library's, best MB score
/// first, at most `limit`. Browsing them is what lets evidence separate
/// same-name artists.
std::vector<std::string>
candidates_to_browse(const library_artist& artist,
                     const std::vector<mb_artist>& candidates,
                     size_t limit = 5);

} // namespace discotheque::identify
