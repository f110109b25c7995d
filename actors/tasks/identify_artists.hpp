// The IDENTIFY_ARTISTS task (SPEC §2 phase 2, issue 12): gives library
// artists their MusicBrainz id when the match is certain, and records every
// decision with its candidates, scores and reasons.
//
// - An artist with an MBID from its tags is identified (confidence 1,
//   source `tags`) after one lookup that follows a merged id to the new one.
// - The others: an artist search by name, then a browse of the release
//   groups of the top few candidates (the album evidence), then
//   identify::decide_artist; the MBID is written only when it decides.
// - Every MusicBrainz answer goes through the response cache (TTLs per
//   kind of request): a second identification of an unchanged library sends
//   no request. MusicBrainz unreachable or its breaker open: cached answers
//   serve (stale ones too, counted), artists that cannot be decided are
//   left as they are and counted as `unreachable`; the run then reports
//   `degraded` and still succeeds. Nothing identified is ever cleared.
// - Unidentified artists are checked again after 1, 7, then 30 days on
//   scheduled runs; a run by hand (Run Now, `discotheque run`) checks them
//   all (the cache answers what is still fresh).
#pragma once

#include "actors/sources/musicbrainz.hpp"
#include "actors/tasks/identify_fetch.hpp"
#include "actors/tasks/task_env.hpp"
#include "actors/tasks/task_run.hpp"
#include "identify/artist_match.hpp"
#include "messages/interfaces.hpp"

#include <deque>
#include <map>

namespace discotheque {

struct identify_artists_config {
  task_env env;
  std::string task = "identify_artists";
  /// The MusicBrainz gateway (null: the provider is not there; skipped).
  provider_gateway_actor gateway;
  /// How many search candidates (those named like the artist, best first:
  /// identify::candidates_to_browse) get their release groups browsed.
  size_t browse_candidates = 5;
  /// Browse pages (100 groups each) at most per candidate.
  int max_browse_pages = 3;
  /// Artists worked on at once (the gateway's limiter spaces the requests).
  size_t max_in_flight = 4;
  identify::identify_settings decide;
};

/// Whether an unidentified artist checked at `checked_at` after `attempts`
/// unsuccessful attempts is due again at `now` (1, 7, then 30 days).
bool recheck_due(int64_t checked_at, int64_t attempts, int64_t now);

struct identify_artists_state {
  static inline const char* name = "identify_artists";

  struct job {
    artist_to_identify artist;
    bool stale = false;
    bool unreachable = false;
    bool failed = false;
    std::vector<identify::mb_artist> candidates;
    std::map<std::string, std::vector<identify::mb_release_group>> groups;
    size_t pending = 0; ///< browses outstanding
  };

  identify_artists_config config;
  musicbrainz::settings mb;
  task_run run;
  response_cache_actor cache;
  std::deque<artist_to_identify> queue;
  std::map<int64_t, job> jobs;
  size_t writes_in_flight = 0;
  bool loaded = false;

  void reset();
};

task_actor::behavior_type
identify_artists(task_actor::stateful_pointer<identify_artists_state> self,
                 identify_artists_config config);

/// The candidates as stored with a decision: [{mbid, name, score,
/// features}], best first.
std::string candidates_json(const identify::artist_decision& d);

} // namespace discotheque
