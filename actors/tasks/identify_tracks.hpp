// The IDENTIFY_TRACKS task (SPEC §2 phase 2, issue 12): gives library
// tracks their MusicBrainz recording MBID when the match is certain, and
// records every decision (identify_decisions, entity type `track`).
//
// - Tracks of an identified album: the album's release lookup
//   (inc=recordings+isrcs+artist-credits+release-groups, the URL
//   identify_albums asked, so a cache hit) and identify::match_tracks: one
//   lookup identifies every track of the album. A recording MBID from the
//   tags is confirmed when the release has it at the matched position, and
//   reported (not confirmed) when the release disagrees.
// - Tracks with an ISRC and no identified album: `/isrc/{isrc}` (cached),
//   one request for all tracks sharing that ISRC; the recording is chosen
//   only when exactly one of them is credited to the track's artist (when
//   known) with a title like the track's.
// - Cache, outage (`degraded`, nothing cleared) and the re-check backoff
//   (1, 7, 30 days) as identify_artists.
#pragma once

#include "actors/tasks/identify_fetch.hpp"
#include "actors/tasks/task_env.hpp"
#include "actors/tasks/task_run.hpp"
#include "messages/identify.hpp"
#include "messages/interfaces.hpp"

#include <deque>
#include <map>
#include <optional>

#include <nlohmann/json_fwd.hpp>

namespace discotheque {

struct identify_tracks_config {
  task_env env;
  std::string task = "identify_tracks";
  /// The MusicBrainz gateway; the provider hub's current one is taken at
  /// every run when `env.providers` is set.
  provider_gateway_actor gateway;
  /// Releases or ISRCs asked at once (the gateway's limiter spaces them).
  size_t max_in_flight = 4;
  /// The title similarity an ISRC's recording needs.
  double min_title = 0.8;
};

/// One recording of an `/isrc/{isrc}` answer.
struct isrc_recording {
  std::string mbid;
  std::string title;
  std::vector<std::string> artists; ///< credited artist MBIDs
};

/// Parses `GET /isrc/{isrc}`; throws std::invalid_argument on another body.
std::vector<isrc_recording> parse_isrc(const nlohmann::json& body);

/// The recording of an ISRC for `track`: exactly one recording credited to
/// the track's artist (when its MBID is known) with a title like the
/// track's (similarity of title keys >= min_title); else none and why.
struct isrc_choice {
  std::optional<std::string> recording;
  double confidence = 0;
  std::string why;
};
isrc_choice choose_isrc_recording(const track_to_identify& track,
                                  const std::vector<isrc_recording>& recs,
                                  double min_title = 0.8);

struct identify_tracks_state {
  static inline const char* name = "identify_tracks";

  /// One request's worth: a release and the library tracks on it, or an
  /// ISRC and the tracks that carry it.
  struct work {
    std::string key; ///< the release MBID or the ISRC
    bool by_isrc = false;
    std::vector<track_to_identify> tracks;
  };

  identify_tracks_config config;
  musicbrainz::settings mb;
  task_run run;
  response_cache_actor cache;
  std::deque<work> queue;
  size_t in_flight = 0;
  size_t writes_in_flight = 0;
  bool loaded = false;

  void reset();
};

task_actor::behavior_type
identify_tracks(task_actor::stateful_pointer<identify_tracks_state> self,
                identify_tracks_config config);

} // namespace discotheque
