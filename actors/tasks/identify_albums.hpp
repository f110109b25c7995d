// The IDENTIFY_ALBUMS task (SPEC §2 phase 2, issue 12): gives the albums of
// identified artists their MusicBrainz release group and release when the
// match is certain, and records every decision with its candidates, scores
// and reasons (identify_decisions, entity type `album`).
//
// - One browse of the artist's release groups (paged, 100 a page, shared by
//   all its albums; identify_artists fetched the same URL, so it is usually
//   a cache hit), then for the groups titled like the album
//   (identify::groups_to_fetch) one browse of their releases (track counts,
//   credits), then one lookup of the most likely release of each group
//   (inc=recordings+isrcs+artist-credits+release-groups: its track list),
//   then identify::decide_album: hard gates first (the artist must be
//   credited; a self-titled album or a title that is a substring of another
//   is decided by its tracks, never by its title), then the distance.
// - An album whose tags carry a release MBID is checked, not trusted: one
//   lookup; a release that does not exist or credits another artist is
//   reported in the decision and not confirmed (the value stays unconfirmed,
//   never marked as identified).
// - The cache, the outage behaviour (`degraded`, nothing cleared) and the
//   re-check backoff (1, 7, 30 days) are those of identify_artists.
#pragma once

#include "actors/tasks/identify_fetch.hpp"
#include "actors/tasks/task_env.hpp"
#include "actors/tasks/task_run.hpp"
#include "identify/album_match.hpp"
#include "messages/identify.hpp"
#include "messages/interfaces.hpp"

#include <deque>
#include <map>

namespace discotheque {

struct identify_albums_config {
  task_env env;
  std::string task = "identify_albums";
  /// The MusicBrainz gateway; the provider hub's current one is taken at
  /// every run when `env.providers` is set.
  provider_gateway_actor gateway;
  /// Browse pages (100 release groups each) at most per artist.
  int max_browse_pages = 3;
  /// Release groups titled like the album whose releases are fetched.
  size_t max_groups = 4;
  /// Albums worked on at once (the gateway's limiter spaces the requests).
  size_t max_in_flight = 4;
  identify::album_settings decide;
};

struct identify_albums_state {
  static inline const char* name = "identify_albums";

  /// The release groups of one artist, fetched once per run.
  struct artist_groups {
    bool done = false;
    bool unreachable = false;
    bool stale = false;
    std::vector<identify::mb_release_group> groups;
    std::vector<int64_t> waiting; ///< albums waiting for them
  };

  struct job {
    album_to_identify album;
    bool stale = false;
    bool unreachable = false;
    std::vector<identify::album_candidate> candidates;
    size_t pending = 0; ///< requests outstanding
  };

  identify_albums_config config;
  musicbrainz::settings mb;
  task_run run;
  response_cache_actor cache;
  std::deque<album_to_identify> queue;
  std::map<int64_t, job> jobs;
  std::map<std::string, artist_groups> groups;
  size_t writes_in_flight = 0;
  bool loaded = false;

  void reset();
};

task_actor::behavior_type
identify_albums(task_actor::stateful_pointer<identify_albums_state> self,
                identify_albums_config config);

} // namespace discotheque
