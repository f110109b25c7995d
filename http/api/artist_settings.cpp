#include "http/api/artist_settings.hpp"

#include "library/metadata_profile.hpp"
#include "storage/queries/expand.hpp"
#include "storage/writes/expand.hpp"
#include "support/time.hpp"

#include <charconv>

namespace discotheque::http {

using nlohmann::json;

namespace {

std::optional<int64_t> parse_id(const std::string& s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v <= 0)
    return std::nullopt;
  return v;
}

json settings_body(int64_t id, const storage::artist_expand_settings& s) {
  json profile = nullptr;
  if (!s.profile.empty())
    if (auto p = library::parse_profile_text(s.profile); p.profile)
      profile = library::to_json(*p.profile);
  return json{{"id", id},
              {"metadata_profile", profile},
              {"monitor_new_albums", s.monitor}};
}

api_outcome put_settings(const request& req, const path_params& p,
                         storage::database& ro) {
  auto id = parse_id(p.at("id"));
  if (!id)
    return {json_error(400, "bad_request", "not an id: " + p.at("id")),
            std::nullopt};
  auto change = parse_artist_settings(req.body);
  if (!change.error.empty())
    return {json_error(400, "bad_request",
                       change.error + " (nothing was changed)"),
            std::nullopt};
  auto now = storage::artist_expand_settings_of(ro, *id);
  if (!now)
    return {json_error(404, "not_found",
                       "no such artist: " + std::to_string(*id)),
            std::nullopt};
  if (change.profile)
    now->profile = *change.profile;
  if (change.monitor)
    now->monitor = *change.monitor;
  auto w = storage::set_artist_expand_settings(*id, change.profile,
                                               change.monitor, now_ms());
  if (w.statements.empty())
    return {json_ok(settings_body(*id, *now)), std::nullopt};
  return {json_ok(settings_body(*id, *now)), std::move(w)};
}

api_outcome get_settings(const request&, const path_params& p,
                         storage::database& ro) {
  auto id = parse_id(p.at("id"));
  if (!id)
    return {json_error(400, "bad_request", "not an id: " + p.at("id")),
            std::nullopt};
  auto now = storage::artist_expand_settings_of(ro, *id);
  if (!now)
    return {json_error(404, "not_found",
                       "no such artist: " + std::to_string(*id)),
            std::nullopt};
  return {json_ok(settings_body(*id, *now)), std::nullopt};
}

} // namespace

artist_settings_change parse_artist_settings(const std::string& body) {
  artist_settings_change c;
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    c.error = "the body must be a JSON object such as "
              "{\"monitor_new_albums\": true}";
    return c;
  }
  for (const auto& [key, v] : j.items()) {
    if (key == "metadata_profile") {
      if (v.is_null()) {
        c.profile = std::string{};
        continue;
      }
      auto p = library::parse_profile(v);
      if (!p.profile) {
        c.error = "'metadata_profile' " + p.error;
        return c;
      }
      c.profile = library::to_json(*p.profile).dump();
    } else if (key == "monitor_new_albums") {
      if (!v.is_boolean()) {
        c.error = "'monitor_new_albums' must be true or false";
        return c;
      }
      c.monitor = v.get<bool>();
    } else {
      c.error = "unknown field '" + key
                + "' (known: metadata_profile, monitor_new_albums)";
      return c;
    }
  }
  if (!c.profile && !c.monitor)
    c.error = "name metadata_profile or monitor_new_albums";
  return c;
}

void add_artist_settings_routes(reader_router& r) {
  r.add("PUT", "/api/library/artists/{id}", put_settings);
  r.add("GET", "/api/library/artists/{id}/settings", get_settings);
}

} // namespace discotheque::http
