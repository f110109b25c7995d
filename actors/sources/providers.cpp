#include "actors/sources/providers.hpp"

#include <nlohmann/json.hpp>

namespace discotheque {

const std::vector<provider_descriptor>& providers() {
  // A new provider: its file exports a descriptor, and it gets one line here.
  static const std::vector<provider_descriptor> all{
    spotify_provider(),     deezer_provider(),          tidal_provider(),
    musicbrainz_provider(), coverartarchive_provider(), slskd_provider(),
  };
  return all;
}

provider_task account_sync_task(std::string name) {
  return provider_task{.name = std::move(name),
                       .phase = "discover",
                       .interval = std::chrono::minutes{30},
                       .enabled_by_default = true,
                       .time_limit = std::chrono::hours{2},
                       .library = true,
                       .feeds_playlists = true,
                       .lists = {"followed", "saved", "liked"},
                       .expand_followed = true};
}

std::vector<std::string> provider_names() {
  std::vector<std::string> names;
  for (const auto& p : providers())
    if (p.kind == provider_kind::account)
      names.push_back(p.name);
  return names;
}

const provider_descriptor* find_provider(std::string_view name) {
  for (const auto& p : providers())
    if (p.name == name)
      return &p;
  return nullptr;
}

std::string provider_descriptor::api_base_in(const provider_config& pc) const {
  return trim_slash(pc.api_base.empty() ? defaults.api_base : pc.api_base);
}

std::vector<credential_key> provider_descriptor::credentials() const {
  if (!needs_auth())
    return {};
  if (refreshable()) {
    std::vector<credential_key> keys{
      {"client_id", "The client id of the app registered with the provider "
                    "(OAuth)."}};
    if (oauth && oauth->needs_secret)
      keys.push_back({"client_secret", "The client secret of that app."});
    keys.push_back({"refresh_token",
                    "The OAuth refresh token of the account (as `discotheque "
                    "auth` obtains it); replaces the stored tokens."});
    return keys;
  }
  if (auth == auth_mode::header_key)
    return {{"api_key", "The API key the provider accepts."}};
  return {{"access_token", "The account's access token (it does not expire)."}};
}

provider_config
with_persisted(provider_config pc,
               const std::map<std::string, std::string>& stored) {
  for (const auto& [field, text] : stored) {
    auto v = nlohmann::json::parse(text, nullptr, false);
    if (field == "enabled" && v.is_boolean()) {
      pc.enabled = v.get<bool>();
      pc.enabled_set = true;
      continue;
    }
    if (!v.is_string() || v.get<std::string>().empty())
      continue;
    auto value = v.get<std::string>();
    if (field == "client_id")
      pc.client_id = value;
    else if (field == "client_secret")
      pc.client_secret = value;
    else if (field == "access_token" || field == "api_key")
      pc.access_token = value;
  }
  return pc;
}

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/')
    s.pop_back();
  return s;
}

} // namespace discotheque
