#include "actors/sources/coverartarchive.hpp"

#include "actors/sources/providers.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace discotheque {

reply_class classify_coverartarchive(const http_reply& r) {
  if (r.status == 503)
    return reply_class::rate_limited;
  return classify_http(r);
}

namespace coverartarchive {

using nlohmann::json;

settings settings_of(const config& cfg) {
  const auto& d = coverartarchive_provider();
  provider_config pc;
  if (auto it = cfg.providers.find(d.name); it != cfg.providers.end())
    pc = it->second;
  settings s;
  s.enabled = d.enabled_in(pc);
  s.api_base = trim_slash(pc.api_base.empty() ? d.defaults.api_base
                                              : pc.api_base);
  if (pc.thumbnail_set)
    s.thumbnail = static_cast<int>(pc.thumbnail);
  if (pc.timeout_s > 0)
    s.timeout_ms = pc.timeout_s * 1000;
  return s;
}

std::string release_index_url(const settings& s, std::string_view mbid) {
  return s.api_base + "/release/" + std::string{mbid};
}

std::string release_group_index_url(const settings& s, std::string_view mbid) {
  return s.api_base + "/release-group/" + std::string{mbid};
}

http_call make_call(const std::string& url, const settings& s) {
  http_call c;
  c.url = url;
  c.headers.push_back("Accept: application/json");
  c.timeout_ms = s.timeout_ms;
  return c;
}

bool release_may_have_front(const json& mb_release) {
  if (!mb_release.is_object())
    return true;
  auto it = mb_release.find("cover-art-archive");
  if (it == mb_release.end() || !it->is_object())
    return true;
  auto f = it->find("front");
  return f == it->end() || !f->is_boolean() || f->get<bool>();
}

namespace {

std::string text(const json& obj, const char* key) {
  if (!obj.is_object())
    return {};
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string https(std::string url) {
  static const std::string plain = "http://coverartarchive.org/";
  if (url.rfind(plain, 0) == 0)
    url.insert(4, "s");
  return url;
}

} // namespace

std::string front_image(const json& index, int thumbnail) {
  if (!index.is_object() || !index.contains("images")
      || !index["images"].is_array())
    return {};
  const json* chosen = nullptr;
  for (const auto& img : index["images"]) {
    if (!img.is_object() || !img.value("front", false))
      continue;
    if (img.value("approved", true)) {
      chosen = &img;
      break;
    }
    if (!chosen)
      chosen = &img; // a pending front still beats none
  }
  if (!chosen)
    return {};
  std::vector<const char*> keys;
  if (thumbnail >= 1200)
    keys = {"1200", "large", "500", "small", "250"};
  else if (thumbnail >= 500)
    keys = {"500", "large", "1200", "small", "250"};
  else if (thumbnail > 0)
    keys = {"250", "small", "500", "large"};
  if (auto th = chosen->find("thumbnails");
      th != chosen->end() && th->is_object())
    for (const char* k : keys)
      if (auto u = text(*th, k); !u.empty())
        return https(u);
  return https(text(*chosen, "image"));
}

} // namespace coverartarchive

const provider_descriptor& coverartarchive_provider() {
  static const provider_descriptor d = [] {
    provider_descriptor x;
    x.name = coverartarchive::provider_name;
    x.kind = provider_kind::metadata;
    // no published rate; be gentle with a free service
    x.defaults = {"https://coverartarchive.org", "", "", 5};
    x.enabled_by_default = true;
    x.auth = auth_mode::none;
    x.classify = classify_coverartarchive;
    return x;
  }();
  return d;
}

} // namespace discotheque
