#include "library/metadata_profile.hpp"

#include <algorithm>

namespace discotheque::library {

using nlohmann::json;

namespace {

std::string lower(std::string_view s) {
  std::string out{s};
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

/// The canonical spelling of `name` among `known`; empty if unknown.
std::string canonical(std::string_view name,
                      const std::vector<std::string>& known) {
  auto key = lower(name);
  for (const auto& k : known)
    if (lower(k) == key)
      return k;
  return {};
}

std::string list(const std::vector<std::string>& known) {
  std::string out;
  for (const auto& k : known)
    out += (out.empty() ? "" : ", ") + k;
  return out;
}

/// Reads `v[key]` into `out`; an error text, empty on success.
std::string read_types(const json& v, const char* key,
                       const std::vector<std::string>& known,
                       std::set<std::string>& out) {
  auto it = v.find(key);
  if (it == v.end())
    return std::string{"needs \""} + key + "\"";
  if (!it->is_array())
    return std::string{"\""} + key + "\" must be a list of type names";
  for (const auto& item : *it) {
    if (!item.is_string())
      return std::string{"\""} + key + "\" must be a list of type names";
    auto name = item.get<std::string>();
    auto c = canonical(name, known);
    if (c.empty())
      return std::string{"\""} + key + "\": unknown type '" + name
             + "' (known: " + list(known) + ")";
    out.insert(c);
  }
  return {};
}

} // namespace

const std::vector<std::string>& primary_types() {
  static const std::vector<std::string> types{"Album", "EP", "Single",
                                              "Broadcast", "Other"};
  return types;
}

const std::vector<std::string>& secondary_types() {
  static const std::vector<std::string> types{
    "Compilation",    "Live", "Remix",      "Soundtrack", "DJ-mix",
    "Mixtape/Street", "Demo", "Spokenword", "Interview",  "Audiobook"};
  return types;
}

metadata_profile default_profile() {
  return metadata_profile{{"Album", "EP"}, {}};
}

profile_parse parse_profile(const json& v) {
  profile_parse r;
  if (!v.is_object()) {
    r.error = "must be an object {\"primary_types\": [...], "
              "\"secondary_types\": [...]}";
    return r;
  }
  for (const auto& [key, value] : v.items()) {
    (void) value;
    if (key != "primary_types" && key != "secondary_types") {
      r.error = "unknown key \"" + key + "\"";
      return r;
    }
  }
  metadata_profile p;
  r.error = read_types(v, "primary_types", primary_types(), p.primary);
  if (r.error.empty())
    r.error = read_types(v, "secondary_types", secondary_types(), p.secondary);
  if (r.error.empty() && p.primary.empty())
    r.error = "\"primary_types\" must name at least one type";
  if (r.error.empty())
    r.profile = std::move(p);
  return r;
}

profile_parse parse_profile_text(std::string_view text) {
  if (text.empty())
    return profile_parse{default_profile(), {}};
  auto v = json::parse(text, nullptr, false);
  if (v.is_discarded())
    return profile_parse{std::nullopt, "not valid JSON"};
  return parse_profile(v);
}

json to_json(const metadata_profile& p) {
  auto ordered = [](const std::set<std::string>& s,
                    const std::vector<std::string>& known) {
    auto out = json::array();
    for (const auto& k : known)
      if (s.count(k) != 0)
        out.push_back(k);
    return out;
  };
  return json{{"primary_types", ordered(p.primary, primary_types())},
              {"secondary_types", ordered(p.secondary, secondary_types())}};
}

bool counts(const metadata_profile& p, std::string_view primary,
            const std::vector<std::string>& secondary) {
  auto pt = primary.empty() ? std::string{"Other"}
                            : canonical(primary, primary_types());
  if (pt.empty() || p.primary.count(pt) == 0)
    return false;
  return std::all_of(secondary.begin(), secondary.end(),
                     [&](const std::string& s) {
                       auto c = canonical(s, secondary_types());
                       return !c.empty() && p.secondary.count(c) != 0;
                     });
}

} // namespace discotheque::library
