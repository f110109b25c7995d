#include "actors/sources/musicbrainz.hpp"

#include "actors/sources/providers.hpp"

#include <nlohmann/json.hpp>

namespace discotheque {

reply_class classify_musicbrainz(const http_reply& r) {
  if (r.status == 503)
    return reply_class::rate_limited;
  return classify_http(r);
}

namespace musicbrainz {

namespace {

/// The project's contact when the config names none.
constexpr const char* default_contact
  = "https://github.com/discotheque/discotheque";

std::chrono::hours days(int64_t configured, std::chrono::hours fallback) {
  return configured > 0 ? std::chrono::hours{configured * 24} : fallback;
}

/// Percent-encodes a path segment (an MBID is plain, user text is not).
std::string encode_segment(std::string_view s) {
  // add_query_param's encoding, without its "?name=" around it
  auto q = add_query_param("", "x", std::string{s});
  return q.substr(3);
}

} // namespace

std::chrono::milliseconds settings::ttl(request_kind k) const {
  switch (k) {
    case request_kind::search:
      return ttl_search;
    case request_kind::browse:
      return ttl_browse;
    case request_kind::lookup:
      break;
  }
  return ttl_lookup;
}

settings settings_of(const config& cfg) {
  const auto& d = musicbrainz_provider();
  provider_config pc;
  if (auto it = cfg.providers.find(d.name); it != cfg.providers.end())
    pc = it->second;
  settings s;
  s.enabled = d.enabled_in(pc);
  s.api_base = trim_slash(pc.api_base.empty() ? d.defaults.api_base
                                              : pc.api_base);
  s.contact = pc.contact.empty() ? default_contact : pc.contact;
  s.ttl_lookup = days(pc.cache_ttl_lookup_days, s.ttl_lookup);
  s.ttl_search = days(pc.cache_ttl_search_days, s.ttl_search);
  s.ttl_browse = days(pc.cache_ttl_browse_days, s.ttl_browse);
  return s;
}

std::string user_agent(const std::string& contact) {
  return std::string{"Discotheque/"} + DISCOTHEQUE_VERSION + " ( "
         + (contact.empty() ? std::string{default_contact} : contact) + " )";
}

std::string lucene_escape(std::string_view text) {
  static constexpr std::string_view specials = "+-!(){}[]^\"~*?:\\/&|";
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    // && and || are the operators; a single & or | is escaped all the same
    if (specials.find(c) != std::string_view::npos)
      out += '\\';
    out += c;
  }
  return out;
}

std::string lucene_phrase(std::string_view field, std::string_view text) {
  std::string out{field};
  out += ":\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

request artist_search(const settings& s, std::string_view name, int limit) {
  auto url = add_query_param(s.api_base + "/artist", "query",
                             lucene_phrase("artist", name));
  url = add_query_param(url, "limit", std::to_string(limit));
  return {add_query_param(url, "fmt", "json"), request_kind::search};
}

request artist_lookup(const settings& s, std::string_view mbid) {
  return {s.api_base + "/artist/" + encode_segment(mbid) + "?fmt=json",
          request_kind::lookup};
}

request release_group_browse(const settings& s, std::string_view artist_mbid,
                             int offset, int limit) {
  auto url = add_query_param(s.api_base + "/release-group", "artist",
                             std::string{artist_mbid});
  url = add_query_param(url, "limit", std::to_string(limit));
  url = add_query_param(url, "offset", std::to_string(offset));
  return {add_query_param(url, "fmt", "json"), request_kind::browse};
}

http_call make_call(const request& r, const settings& s) {
  http_call c;
  c.method = "GET";
  c.url = r.url;
  // A header replaces libcurl's own User-Agent.
  c.headers = {"User-Agent: " + user_agent(s.contact),
               "Accept: application/json"};
  c.timeout_ms = call_timeout_ms;
  return c;
}

std::string answered_id(const nlohmann::json& lookup_body) {
  if (!lookup_body.is_object())
    return {};
  auto it = lookup_body.find("id");
  if (it == lookup_body.end() || !it->is_string())
    return {};
  return it->get<std::string>();
}

bool is_mbid(std::string_view s) {
  if (s.size() != 36)
    return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-')
        return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

} // namespace musicbrainz

const provider_descriptor& musicbrainz_provider() {
  static const provider_descriptor d = [] {
    provider_descriptor x;
    x.name = musicbrainz::provider_name;
    x.kind = provider_kind::metadata;
    // 1 request/s per IP on musicbrainz.org (a mirror may set more)
    x.defaults = {"https://musicbrainz.org/ws/2", "", "", 1};
    x.enabled_by_default = true;
    x.auth = auth_mode::none;
    x.classify = classify_musicbrainz;
    return x;
  }();
  return d;
}

} // namespace discotheque
