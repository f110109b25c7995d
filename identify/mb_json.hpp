// Small readers of MusicBrainz JSON shared by the identify parsers: a field
// that may be missing or null reads as empty, a required one throws
// std::invalid_argument naming the field and the context.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace discotheque::identify::mb_json {

/// The string at `key`, "" when missing, null or not a string.
std::string str(const nlohmann::json& obj, std::string_view key);

/// The string at `key`; throws when missing or not a string.
std::string required_str(const nlohmann::json& obj, std::string_view key,
                         std::string_view context);

/// The integer at `key` (also accepts a numeric string, as very old search
/// answers had "score":"100"); nullopt when missing or null.
std::optional<int64_t> integer(const nlohmann::json& obj, std::string_view key);

/// The array at `key`; throws when missing or not an array.
const nlohmann::json& required_array(const nlohmann::json& obj,
                                     std::string_view key,
                                     std::string_view context);

/// Where one page of a browse or search stands: a browse says
/// `<entity>-count` / `<entity>-offset`, a search `count` / `offset`. A
/// missing total is taken as offset + `items` (this page is the last).
struct page_position {
  int total = 0;
  int offset = 0;
};
page_position page_of(const nlohmann::json& body, std::string_view entity,
                      size_t items);

/// Throws unless `j` is an object.
void require_object(const nlohmann::json& j, std::string_view context);

} // namespace discotheque::identify::mb_json
