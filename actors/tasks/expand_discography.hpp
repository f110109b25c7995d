// The EXPAND_DISCOGRAPHY task (SPEC §2 phase 4, issue 13) and, in its
// `new_releases` mode, SYNC_NEW_RELEASES: for owned artists with an MBID,
// the artist's release groups (one paged browse, 100 a page, the response
// cache in front: identify fetched the same pages) are compared with the
// library, and every missing one the artist's metadata profile counts is
// added as an album.
//
// - Filter: the artist's own profile, else library.metadata_profile, else
//   Album + EP without secondary types (library/metadata_profile.hpp).
// - Match (identify/discography.hpp): an album with the group's MBID; else
//   the unidentified albums of a related title are compared by the album
//   distance with the group's representative release (never by title
//   alone); a group whose title an unidentified album has but whose tracks
//   do not show it is the same is held back (`uncertain`): the dedup store
//   could merge it into that album by name.
// - Add: one browse of the group's releases, one lookup of its
//   representative release (Official first, then the earliest, then the
//   lowest MBID), one ingest batch through the dedup store: the album and
//   its tracks `discovered`, or, when the artist's monitor flag
//   (auto_add_albums) is on, `owned` (a user claim, reason `discography`)
//   with the tracks `pending` if library.auto_queue_downloads, else
//   `not_needed`. The album is marked added_by discography / new_release.
// - new_releases: only groups first released on or after the day of the
//   task's last successful run, or within library.new_release_days when it
//   never ran; they are listed in the stats (`new_releases`).
// Stats: artists, browsed, matched, added, filtered_out, uncertain, owned,
// unreachable, requests, cache_hits (and not_new, new in new_releases).
#pragma once

#include "actors/tasks/identify_fetch.hpp"
#include "actors/tasks/task_env.hpp"
#include "actors/tasks/task_run.hpp"
#include "identify/album_match.hpp"
#include "library/metadata_profile.hpp"
#include "messages/expand.hpp"
#include "messages/interfaces.hpp"

#include <nlohmann/json.hpp>

#include <deque>
#include <map>

namespace discotheque {

struct expand_discography_config {
  task_env env;
  std::string task = "expand_discography";
  /// Only release groups new since the last run (sync_new_releases).
  bool new_releases = false;
  /// The MusicBrainz gateway; the provider hub's current one is taken at
  /// every run when `env.providers` is set.
  provider_gateway_actor gateway;
  /// Browse pages (100 release groups each) at most per artist.
  int max_browse_pages = 5;
  /// Artists worked on at once (the gateway's limiter spaces requests).
  size_t max_in_flight = 2;
  identify::album_settings decide;
};

struct expand_discography_state {
  static inline const char* name = "expand_discography";

  struct artist_job {
    artist_to_expand artist;
    library::metadata_profile profile;
    std::vector<identify::mb_release_group> groups;
    size_t pending = 0; ///< groups being resolved
    bool browsed = false;
  };

  expand_discography_config config;
  musicbrainz::settings mb;
  task_run run;
  response_cache_actor cache;
  expand_plan plan;
  library::metadata_profile profile; ///< the library's
  std::string cutoff;                ///< new_releases: "YYYY-MM-DD"
  std::deque<artist_to_expand> queue;
  std::map<int64_t, artist_job> jobs;
  nlohmann::json new_list = nlohmann::json::array();
  size_t writes_in_flight = 0;
  bool loaded = false;

  void reset();
};

task_actor::behavior_type
expand_discography(task_actor::stateful_pointer<expand_discography_state> self,
                   expand_discography_config config);

} // namespace discotheque
