// The messages of the image pool (actors/images/): one download job per
// artist, album or playlist, and what became of it.
#pragma once

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace discotheque {

/// One entity's image to fetch. The candidates are tried in order: one that
/// is absent (HTTP 404, no such local file) hands over to the next; any
/// other failure ends the job as `failed`.
struct image_job {
  std::string entity_type; ///< artist, album, playlist
  int64_t entity_id = 0;
  /// http(s) URLs, or for sources `local` and `embedded` a file of the
  /// music folders (a cover file; an audio file with a picture).
  std::vector<std::string> urls;
  /// Per URL: a provider's name (coverartarchive, an account's), local,
  /// embedded.
  std::vector<std::string> sources;
  /// What the file on disk came from: a request for the same URL carries
  /// them as If-None-Match / If-Modified-Since (304: kept as it is).
  std::string have_url;
  std::string have_path;
  std::string etag;
  std::string last_modified;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, image_job& x) {
  return f(caf::meta::type_name("image_job"), x.entity_type, x.entity_id,
           x.urls, x.sources, x.have_url, x.have_path, x.etag, x.last_modified);
}

/// What became of an image_job.
struct image_outcome {
  std::string entity_type;
  int64_t entity_id = 0;
  /// downloaded, unchanged (304 or the same local file), none (every
  /// candidate absent), failed (see error).
  std::string state;
  std::string url; ///< the candidate that answered (or failed)
  std::string source;
  std::string path; ///< the file written (absolute)
  std::string content_type;
  std::string etag;
  std::string last_modified;
  std::string error;
  int64_t bytes = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, image_outcome& x) {
  return f(caf::meta::type_name("image_outcome"), x.entity_type, x.entity_id,
           x.state, x.url, x.source, x.path, x.content_type, x.etag,
           x.last_modified, x.error, x.bytes);
}

/// What enrich_images knows of one entity before it looks for its image
/// (read by storage/queries/images.*).
struct image_work {
  std::string entity_type;
  int64_t entity_id = 0;
  std::string mbid;               ///< albums: the release
  std::string release_group_mbid; ///< albums
  /// False when a cached MusicBrainz release says it has no front cover.
  bool caa_front = true;
  /// Albums: the folder of one of its local files ("" if none).
  std::string local_folder;
  /// One of its local audio files (whose embedded picture is the cover),
  /// replaced by a cover file of that folder when the task's loader finds
  /// one (cover.jpg, folder.jpg ...).
  std::string local_cover;
  /// An image link a provider gave (the stored images row, a playlist's
  /// cover_url) and that provider.
  std::string provider_url;
  std::string provider_source;
  // the images row as it is
  std::string url;
  std::string source;
  std::string path;
  std::string state; ///< "" when there is no row yet
  std::string etag;
  std::string last_modified;
  int64_t attempts = 0;
  int64_t next_attempt_at = 0;
  int64_t fetched_at = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, image_work& x) {
  return f(caf::meta::type_name("image_work"), x.entity_type, x.entity_id,
           x.mbid, x.release_group_mbid, x.caa_front, x.local_folder,
           x.local_cover, x.provider_url, x.provider_source, x.url, x.source,
           x.path, x.state, x.etag, x.last_modified, x.attempts,
           x.next_attempt_at, x.fetched_at);
}

/// Everything enrich_images reads at the start of a run.
struct image_plan {
  std::vector<image_work> work;
  /// The setting library.image_download_concurrency (0: not set).
  int64_t concurrency = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, image_plan& x) {
  return f(caf::meta::type_name("image_plan"), x.work, x.concurrency);
}

} // namespace discotheque
