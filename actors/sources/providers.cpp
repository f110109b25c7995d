#include "actors/sources/providers.hpp"

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

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/')
    s.pop_back();
  return s;
}

} // namespace discotheque
