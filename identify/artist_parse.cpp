// Parsers of the artist search and the release-group browse (the two
// bodies artist identification reads).
#include "identify/artist_match.hpp"
#include "identify/mb_json.hpp"

#include <algorithm>

namespace discotheque::identify {

using namespace mb_json;

namespace {

void add_unique(std::vector<std::string>& xs, std::string x) {
  if (!x.empty() && std::find(xs.begin(), xs.end(), x) == xs.end())
    xs.push_back(std::move(x));
}

mb_release_group parse_release_group(const nlohmann::json& j) {
  constexpr std::string_view ctx = "release group";
  require_object(j, ctx);
  mb_release_group rg;
  rg.mbid = required_str(j, "id", ctx);
  rg.title = required_str(j, "title", ctx);
  rg.primary_type = str(j, "primary-type");
  if (auto it = j.find("secondary-types"); it != j.end() && it->is_array())
    for (const auto& t : *it)
      if (t.is_string())
        rg.secondary_types.push_back(t.get<std::string>());
  rg.first_release_date = str(j, "first-release-date");
  return rg;
}

} // namespace

std::vector<mb_artist> parse_artist_search(const nlohmann::json& body) {
  constexpr std::string_view ctx = "artist search";
  require_object(body, ctx);
  std::vector<mb_artist> out;
  for (const auto& hit : required_array(body, "artists", ctx)) {
    require_object(hit, "artist search hit");
    mb_artist a;
    a.mbid = required_str(hit, "id", "artist search hit");
    a.name = required_str(hit, "name", "artist search hit");
    a.sort_name = str(hit, "sort-name");
    a.type = str(hit, "type");
    a.country = str(hit, "country");
    a.disambiguation = str(hit, "disambiguation");
    a.mb_score = static_cast<int>(integer(hit, "score").value_or(0));
    if (auto it = hit.find("aliases"); it != hit.end() && it->is_array()) {
      for (const auto& alias : *it) {
        add_unique(a.aliases, str(alias, "name"));
        add_unique(a.aliases, str(alias, "sort-name"));
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

mb_release_group_page parse_release_group_browse(const nlohmann::json& body) {
  constexpr std::string_view ctx = "release-group browse";
  require_object(body, ctx);
  mb_release_group_page page;
  for (const auto& j : required_array(body, "release-groups", ctx))
    page.groups.push_back(parse_release_group(j));
  auto pos = page_of(body, "release-group", page.groups.size());
  page.total = pos.total;
  page.offset = pos.offset;
  return page;
}

} // namespace discotheque::identify
