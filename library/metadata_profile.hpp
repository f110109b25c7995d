// Metadata profiles (issue 13, like Lidarr's): which release groups of an
// artist count for its discography, by their primary type (Album, EP,
// Single, Broadcast, Other) and secondary types (Compilation, Live ...).
// Plain code: parsing and validating the JSON form the settings API and
// the per-artist override take, and the filter the expand tasks apply.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace discotheque::library {

struct metadata_profile {
  std::set<std::string> primary;   ///< canonical spellings ("Album", "EP")
  std::set<std::string> secondary; ///< canonical ("Compilation", "DJ-mix")
};

/// The known type names, in MusicBrainz's spelling and order.
const std::vector<std::string>& primary_types();
const std::vector<std::string>& secondary_types();

/// Album and EP, no secondary type: studio albums and EPs only.
metadata_profile default_profile();

/// The result of parsing: a profile, or why the value is none.
struct profile_parse {
  std::optional<metadata_profile> profile;
  std::string error;
};

/// `{"primary_types": [...], "secondary_types": [...]}`; both keys are
/// required (an empty list is allowed: no secondary type), names are
/// matched without regard to case ("ep", "dj-mix"), an unknown name, an
/// unknown key or another shape is an error naming it.
profile_parse parse_profile(const nlohmann::json& v);

/// The same from JSON text; an empty text is the default profile.
profile_parse parse_profile_text(std::string_view text);

/// The canonical JSON form.
nlohmann::json to_json(const metadata_profile& p);

/// Whether a release group of these types counts: its primary type (empty:
/// "Other") is in the profile and every secondary type is too (a live
/// compilation needs both Live and Compilation).
bool counts(const metadata_profile& p, std::string_view primary,
            const std::vector<std::string>& secondary);

} // namespace discotheque::library
