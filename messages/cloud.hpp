// Message types and atoms of the cloud-provider layer: outbound HTTP calls,
// rate limiter, circuit breaker, provider gateway, token refresher and the
// source actors. Kept in its own type-ID block (registered in
// configure_actor_system) so it merges cleanly with the other blocks.
#pragma once

#include "messages/library.hpp"

#include <caf/meta/type_name.hpp>
#include <caf/type_id.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace discotheque {

/// One outbound HTTP request (to a provider or an OAuth token endpoint).
struct http_call {
  std::string method = "GET";
  std::string url;
  /// "Name: value" lines.
  std::vector<std::string> headers;
  std::string body;
  /// Total time allowed for this call; 0 = the client's default.
  int64_t timeout_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_call& x) {
  return f(caf::meta::type_name("http_call"), x.method, x.url, x.headers,
           x.body, x.timeout_ms);
}

/// The answer to an http_call. `status == 0` means no HTTP answer at all
/// (connection refused, timeout, TLS error ...): see `error`.
struct http_reply {
  int32_t status = 0;
  std::string body;
  std::string content_type;
  /// The raw Retry-After header, if any.
  std::string retry_after;
  /// CURLcode of the transfer (0 = CURLE_OK).
  int32_t curl_code = 0;
  bool timed_out = false;
  std::string error;
  int64_t elapsed_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, http_reply& x) {
  return f(caf::meta::type_name("http_reply"), x.status, x.body, x.content_type,
           x.retry_after, x.curl_code, x.timed_out, x.error, x.elapsed_ms);
}

/// A provider's health as the status API shows it (SPEC §8).
struct provider_status {
  std::string provider;
  bool enabled = false;
  bool authenticated = false;
  /// closed, open, half_open
  std::string breaker_state = "closed";
  int32_t consecutive_failures = 0;
  int64_t opened_at = 0;       ///< epoch ms, 0 = never
  int64_t last_success_at = 0; ///< epoch ms, 0 = never
  int64_t errors_24h = 0;
  int64_t blocked_until = 0; ///< epoch ms, 0 = not blocked
  std::string last_error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, provider_status& x) {
  return f(caf::meta::type_name("provider_status"), x.provider, x.enabled,
           x.authenticated, x.breaker_state, x.consecutive_failures,
           x.opened_at, x.last_success_at, x.errors_24h, x.blocked_until,
           x.last_error);
}

/// A playlist as a source sees it (SPEC §3 fields).
struct playlist_dto {
  std::string provider;
  std::string provider_id;
  std::string name;
  std::string description;
  bool is_followed = false;
  bool is_owner = false;
  std::string cover_url;
  int64_t track_count = 0;
  std::string snapshot_id;
  /// The provider's id of the playlist's owner (compared with the user's own
  /// id, the `me` list, to set is_owner).
  std::string owner_id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, playlist_dto& x) {
  return f(caf::meta::type_name("playlist_dto"), x.provider, x.provider_id,
           x.name, x.description, x.is_followed, x.is_owner, x.cover_url,
           x.track_count, x.snapshot_id, x.owner_id);
}

/// The stored sync modes of one provider's playlists (by provider_id), read
/// for sync_playlists off the scheduler threads.
struct playlist_modes {
  std::string provider;
  std::map<std::string, std::string> modes;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, playlist_modes& x) {
  return f(caf::meta::type_name("playlist_modes"), x.provider, x.modes);
}

/// What a sync asks a source for: one page of one list.
struct page_request {
  /// followed (artists), saved (albums), liked (tracks), playlists,
  /// playlist_items (parent = playlist id), artist_albums (parent = artist
  /// id), album_tracks (parent = album id), me (the user's profile: only
  /// source_page::user_id is filled).
  std::string list;
  /// Empty for the first page, else the `next` of the previous page.
  std::string cursor;
  std::string parent;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, page_request& x) {
  return f(caf::meta::type_name("page_request"), x.list, x.cursor, x.parent);
}

/// One page of a source's list, already mapped to the common DTOs.
struct source_page {
  std::string list;
  std::vector<artist_dto> artists;
  std::vector<album_dto> albums;
  std::vector<track_dto> tracks;
  std::vector<playlist_dto> playlists;
  /// The `me` list: the provider's id of the authenticated user.
  std::string user_id;
  /// The cursor of the next page; empty = this was the last page.
  std::string next;
  /// Offset-paged lists, first page only: the cursors of every other page,
  /// which may be fetched concurrently (then `next` is empty).
  std::vector<std::string> siblings;
  /// Total items of the whole list as the provider reports it (-1 unknown).
  int64_t total = -1;
  /// Items of this page that could not be mapped (and why).
  int64_t skipped = 0;
  std::vector<std::string> errors;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, source_page& x) {
  return f(caf::meta::type_name("source_page"), x.list, x.artists, x.albums,
           x.tracks, x.playlists, x.user_id, x.next, x.siblings, x.total,
           x.skipped, x.errors);
}

/// Whether a source can be used at all (configured and authenticated).
struct source_info {
  std::string name;
  bool enabled = false;
  bool authenticated = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, source_info& x) {
  return f(caf::meta::type_name("source_info"), x.name, x.enabled,
           x.authenticated);
}

} // namespace discotheque

// Their atoms and type IDs are in the one type-ID block (messages/atoms.hpp).
