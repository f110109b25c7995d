// The Cover Art Archive (coverartarchive.org) as a metadata provider: no
// account, no auth, its own limiter and breaker through the provider hub.
// Everything there is a 307 redirect into the Internet Archive; absence of
// art is a 404. We ask for a release's JSON index (its front image and the
// thumbnail URLs), then the release group's (the release chosen for it),
// and hand the chosen image URL to the image pool. Its specifics live here:
// URLs, the thumbnail choice with the fallbacks older entries need, the
// MusicBrainz `cover-art-archive.front` flag, and 503 = rate limited.
#pragma once

#include "actors/gateway/provider_gateway.hpp"
#include "config/config.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace discotheque {

/// 503 is the archive's rate limit: back off, not a failing service.
reply_class classify_coverartarchive(const http_reply& r);

namespace coverartarchive {

inline constexpr const char* provider_name = "coverartarchive";

/// The effective settings of providers.coverartarchive.
struct settings {
  bool enabled = true;
  std::string api_base; ///< without trailing slash
  /// Thumbnail edge in pixels: 500 or 1200 (providers.coverartarchive.
  /// thumbnail; 0 = the original image).
  int thumbnail = 500;
  int64_t timeout_ms = 30'000;
};

settings settings_of(const config& cfg);

/// GET {base}/release/{mbid} (307 -> index.json).
std::string release_index_url(const settings& s, std::string_view mbid);
/// GET {base}/release-group/{mbid} (307 -> the chosen release's index).
std::string release_group_index_url(const settings& s, std::string_view mbid);

/// The http_call of an index URL: GET, JSON, the timeout.
http_call make_call(const std::string& url, const settings& s);

/// False only when a MusicBrainz release body says
/// `cover-art-archive.front: false` (no request needed then); true when it
/// says true or does not say.
bool release_may_have_front(const nlohmann::json& mb_release);

/// The front image of an index at `thumbnail` px: the approved image marked
/// front (else any front one), its thumbnail "1200" -> "large"/"500" ->
/// "small"/"250" -> the image itself, as far as the entry has them; http://
/// coverartarchive.org URLs become https. "" when the index has no front.
std::string front_image(const nlohmann::json& index, int thumbnail);

} // namespace coverartarchive

} // namespace discotheque
