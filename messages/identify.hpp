// Message types of identification (issue 12): a cached provider answer and
// the library's view of an artist to identify.
#pragma once

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
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

} // namespace discotheque
