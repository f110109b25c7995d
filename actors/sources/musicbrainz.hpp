// MusicBrainz (musicbrainz.org/ws/2 or a mirror) as a metadata provider: no
// account, no auth, 1 request/s per IP (a mirror may allow more), a
// meaningful User-Agent with a contact, `fmt=json`, generous timeouts. Its
// specifics live here: the request URLs, how long each kind of answer may be
// cached, how its 503s are judged, Lucene escaping of user text, and merged
// MBIDs (a lookup answering another id).
#pragma once

#include "actors/gateway/provider_gateway.hpp"
#include "config/config.hpp"

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace discotheque {

/// 503 is MusicBrainz's answer to going over the rate limit (a JSON body
/// from the web service, an HTML page from a proxy in front of it): back off
/// and retry, honouring Retry-After, without counting it as the service
/// being down. Everything else as classify_http.
reply_class classify_musicbrainz(const http_reply& r);

namespace musicbrainz {

/// The descriptor name (config key, provider hub entry).
inline constexpr const char* provider_name = "musicbrainz";

/// Per-call timeout: answers of 5-30 s were seen under load (2025).
inline constexpr int64_t call_timeout_ms = 30'000;

/// How a request's answer may be cached (the TTL differs per kind).
enum class request_kind { lookup, search, browse };

/// The effective settings of providers.musicbrainz (defaults filled in).
struct settings {
  bool enabled = true;
  std::string api_base; ///< without trailing slash
  std::string contact;
  std::chrono::hours ttl_lookup{30 * 24};
  std::chrono::hours ttl_search{7 * 24};
  std::chrono::hours ttl_browse{24};

  std::chrono::milliseconds ttl(request_kind k) const;
};

settings settings_of(const config& cfg);

/// `Discotheque/<version> ( <contact> )` (MusicBrainz blocks generic ones).
std::string user_agent(const std::string& contact);

/// Backslash-escapes every Lucene special character of `text`
/// (+ - && || ! ( ) { } [ ] ^ " ~ * ? : \ /), for a bare term.
std::string lucene_escape(std::string_view text);

/// `field:"text"` with `"` and `\` escaped inside the phrase (the rest is
/// literal inside quotes).
std::string lucene_phrase(std::string_view field, std::string_view text);

struct request {
  std::string url; ///< the cache key too
  request_kind kind = request_kind::lookup;
};

/// GET /artist?query=artist:"NAME"&limit=N&fmt=json
request artist_search(const settings& s, std::string_view name, int limit = 10);
/// GET /artist/MBID?fmt=json
request artist_lookup(const settings& s, std::string_view mbid);
/// GET /release-group?artist=MBID&limit=N&offset=M&fmt=json
request release_group_browse(const settings& s, std::string_view artist_mbid,
                             int offset = 0, int limit = 100);

/// The http_call of a request: GET, the User-Agent, JSON, the timeout.
http_call make_call(const request& r, const settings& s);

/// The id a lookup answered ("" if the body has none). It differs from the
/// one asked for when the entity was merged into another.
std::string answered_id(const nlohmann::json& lookup_body);

/// Whether `s` has the shape of an MBID (a lowercase 8-4-4-4-12 UUID).
bool is_mbid(std::string_view s);

} // namespace musicbrainz

} // namespace discotheque
