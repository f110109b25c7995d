// The generic cloud SOURCE actor and what a provider plugs into it: its wire
// format (first-page URLs, page parsing into the common DTOs, the next-page
// cursor). Every cloud source is this actor with its provider's wire (from
// the provider's descriptor, actors/sources/providers.hpp).
#pragma once

#include "messages/interfaces.hpp"

#include <caf/expected.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace discotheque {

/// A provider's wire format. Parsers never throw on bad input: wrong types
/// and missing fields make an item skipped (counted, with a message), a
/// malformed document makes the whole page an error.
struct source_wire {
  std::string provider;
  /// Sent as the Accept header.
  std::string accept = "application/json";
  /// The URL of the first page of `req.list` (api_base without trailing /).
  std::string (*first_url)(const std::string& api_base, const page_request& req)
    = nullptr;
  /// Maps one page document. `out.next` becomes an absolute URL (or empty).
  /// Returns an error message if the document as a whole is unusable.
  std::string (*parse)(const std::string& api_base, const page_request& req,
                       const nlohmann::json& doc, source_page& out)
    = nullptr;
  /// For a non-2xx answer to `url`: another URL to try (e.g. Spotify's
  /// /playlists/{id}/tracks for /items), or "" to give up.
  std::string (*fallback_url)(const std::string& url, int status) = nullptr;
};

/// A page may hold at most this many items; more is a hostile answer.
constexpr size_t max_items_per_page = 10'000;
/// Longer strings are cut (at a UTF-8 boundary).
constexpr size_t max_string_bytes = 2'000;

/// Replaces invalid UTF-8 sequences by U+FFFD.
std::string sanitize_utf8(std::string_view in);

/// Sanitizes, parses and maps a response body for `req`.
caf::expected<source_page>
parse_body(const source_wire& wire, const std::string& api_base,
           const page_request& req, std::string_view body);

/// `next` from a provider, made absolute against `api_base` and forced onto
/// api_base's origin (a hostile `next` must not take our token elsewhere).
std::string resolve_next(const std::string& api_base, const std::string& next);

/// Sets (or replaces) query parameter `name` of `url` to `value`.
std::string with_query_param(const std::string& url, const std::string& name,
                             const std::string& value);

/// For the first page of an offset-paged list: the cursors of all further
/// pages (from `next`, replacing `param` = offset/index), or nothing if the
/// numbers are missing or implausible. Clears `page.next` when it fills in.
void offset_siblings(source_page& page, const std::string& param,
                     int64_t offset, int64_t limit, int64_t total);

/// Counts an item of `out` that could not be mapped, keeping the first 20
/// reasons.
void skip_item(source_page& out, const std::string& why);

namespace wire {

/// Safe accessors: the default when the key is missing or of another type.
std::string str(const nlohmann::json& obj, const char* key);
int64_t integer(const nlohmann::json& obj, const char* key);
const nlohmann::json& member(const nlohmann::json& obj, const char* key);
/// The array under `key`, or an empty array.
const nlohmann::json& array(const nlohmann::json& obj, const char* key);
/// The id as text whether the provider sends a string or a number.
std::string id(const nlohmann::json& obj, const char* key = "id");

} // namespace wire

struct source_config {
  source_wire wire;
  std::string api_base;
  bool enabled = false;
  bool authenticated = false;
  provider_gateway_actor gateway;
};

struct source_state {
  static inline const char* name = "source";
  source_config config;
  int64_t pages = 0;
};

source_actor::behavior_type
cloud_source(source_actor::stateful_pointer<source_state> self,
             source_config config);

/// The wires of the three providers.
const source_wire& spotify_wire();
const source_wire& deezer_wire();
const source_wire& tidal_wire();

} // namespace discotheque
