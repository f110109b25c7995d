// The ENRICH_IMAGES task (SPEC §3 phase 5, issue 14): an image per artist,
// album and playlist.
//
// Step 1 finds a URL per entity, best first: for local albums a cover file
// of their folder (cover.jpg, folder.jpg ...); for albums with a release or
// release-group MBID the Cover Art Archive's front image (its JSON index
// through the archive's gateway: limiter, breaker; a 404 hands over to the
// release group, then to the providers; a cached MusicBrainz release saying
// `cover-art-archive.front: false` skips the request); else the link a
// provider gave (each provider's mapper says which of its images).
// The URL is stored (image_url, state url_found) before step 2 hands the
// job to the image pool, which downloads, checks and stores the file.
//
// Not fetched again: an image downloaded less than 30 days ago whose link is
// the same (older ones are revalidated with ETag / Last-Modified); a failed
// one before its retry time (1 day, then 7 days; after 3 failures only a
// new URL is tried); an entity without image before 7 days.
#pragma once

#include "actors/sources/coverartarchive.hpp"
#include "actors/tasks/task_env.hpp"
#include "actors/tasks/task_run.hpp"
#include "messages/interfaces.hpp"

#include <spdlog/logger.h>

#include <deque>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace discotheque {

/// A downloaded image younger than this is not looked at again while its
/// link is unchanged.
inline constexpr int64_t image_fresh_ms = int64_t{30} * 24 * 3600 * 1000;

/// Why an entity is not worked on now ("" if it is): backoff, gave_up,
/// none_recently, fresh.
std::string image_skip_reason(const image_work& w, int64_t now);

/// The cover file of a music folder (cover, folder, front; jpg, jpeg, png,
/// webp; lower or capitalised), or "" if none. Blocking (stat).
std::string find_local_cover(const std::filesystem::path& folder);

/// How the image pool reads a local candidate: "embedded" for an audio
/// file (its embedded picture), "local" for a cover file. Both are stored
/// as source `local`.
std::string local_source(const std::string& path);

/// Whether the archive should be asked for this entity (an album with an
/// MBID whose release does not say it has no front).
bool wants_caa(const image_work& w);

struct enrich_images_state {
  static inline const char* name = "enrich_images";
  struct item {
    image_work work;
    /// The archive's image URL once resolved ("" none).
    std::string caa_url;
  };
  task_env env;
  coverartarchive::settings caa;
  std::string mb_api_base;
  provider_gateway_actor caa_gateway;
  std::shared_ptr<spdlog::logger> log;
  task_run run{"enrich_images"};
  std::deque<item> queue;
  size_t in_flight = 0;
  size_t max_in_flight = 10;
  bool loaded = false;
};

task_actor::behavior_type
enrich_images(task_actor::stateful_pointer<enrich_images_state> self,
              task_env env);

} // namespace discotheque
