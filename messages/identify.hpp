// Message types of identification (issue 12): a cached provider answer and
// the library's view of an artist to identify.
#pragma once

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace discotheque {

/// One stored answer of a metadata provider, by request URL.
struct cached_answer {
  std::string url;
  std::string provider;
  bool found = false; ///< false: nothing stored for `url`
  int32_t status = 0; ///< 200 or 404
  std::string body;
  int64_t fetched_at = 0; ///< epoch ms
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cached_answer& x) {
  return f(caf::meta::type_name("cached_answer"), x.url, x.provider, x.found,
           x.status, x.body, x.fetched_at);
}

/// An artist the identify task looks at, with its evidence.
struct artist_to_identify {
  int64_t id = 0;
  std::string name;
  std::string mbid;       ///< from the tags (mbid_source unset) or empty
  int64_t checked_at = 0; ///< last identification attempt, epoch ms
  int64_t attempts = 0;   ///< unsuccessful attempts so far
  std::vector<std::string> album_titles;
  std::vector<std::string> isrcs;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, artist_to_identify& x) {
  return f(caf::meta::type_name("artist_to_identify"), x.id, x.name, x.mbid,
           x.checked_at, x.attempts, x.album_titles, x.isrcs);
}

/// A library track of an album (or on its own) to identify.
struct track_to_identify {
  int64_t id = 0;
  int64_t album_id = 0; ///< 0 when none
  std::string title;
  int32_t disc = 0;      ///< 0 when unknown
  int32_t position = 0;  ///< 0 when unknown
  int64_t length_ms = 0; ///< 0 when unknown
  std::string isrc;
  std::string mbid;        ///< recording MBID (tags or earlier) or empty
  std::string mbid_source; ///< tags, auto, user or empty (unconfirmed)
  std::string artist_mbid; ///< the track artist's, when identified
  int64_t checked_at = 0;
  int64_t attempts = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, track_to_identify& x) {
  return f(caf::meta::type_name("track_to_identify"), x.id, x.album_id, x.title,
           x.disc, x.position, x.length_ms, x.isrc, x.mbid, x.mbid_source,
           x.artist_mbid, x.checked_at, x.attempts);
}

/// An album of an identified artist the identify task looks at.
struct album_to_identify {
  int64_t id = 0;
  std::string title;
  int64_t artist_id = 0;
  std::string artist;      ///< its (first) album artist's name
  std::string artist_mbid; ///< that artist's MBID
  std::string mbid;        ///< a release MBID from the tags (unconfirmed)
  std::string release_date;
  std::string upc;
  int32_t total_tracks = 0; ///< 0 when unknown
  int64_t checked_at = 0;
  int64_t attempts = 0;
  std::vector<track_to_identify> tracks;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, album_to_identify& x) {
  return f(caf::meta::type_name("album_to_identify"), x.id, x.title,
           x.artist_id, x.artist, x.artist_mbid, x.mbid, x.release_date, x.upc,
           x.total_tracks, x.checked_at, x.attempts, x.tracks);
}

/// What identify_tracks looks at: the tracks of identified albums (with
/// their album's release MBID) and the tracks with an ISRC elsewhere.
struct tracks_to_identify {
  std::vector<std::pair<std::string, std::vector<track_to_identify>>>
    by_release;
  std::vector<track_to_identify> by_isrc;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tracks_to_identify& x) {
  return f(caf::meta::type_name("tracks_to_identify"), x.by_release, x.by_isrc);
}

} // namespace discotheque
