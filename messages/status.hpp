// What the reader answers about the library for the status API (SPEC §8):
// the totals and each provider's state, as typed values. http/api/status.cpp
// renders them.
#pragma once

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace discotheque {

/// The library totals of the status API.
struct library_totals {
  int64_t artists = 0;
  int64_t albums = 0;
  int64_t tracks = 0;
  int64_t playlists = 0;
  int64_t owned_artists = 0;
  int64_t owned_albums = 0;
  int64_t owned_tracks = 0;
  int64_t pending_downloads = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, library_totals& x) {
  return f(caf::meta::type_name("library_totals"), x.artists, x.albums,
           x.tracks, x.playlists, x.owned_artists, x.owned_albums,
           x.owned_tracks, x.pending_downloads);
}

/// One provider as the status API shows it: settings, persisted breaker
/// state and recent errors, as read when the snapshot was taken.
struct provider_state_view {
  std::string name;
  bool metadata = false;   ///< a public catalogue (kind "metadata"), no account
  bool needs_auth = false; ///< a credential is needed to call it
  bool enabled = false;
  bool authenticated = false; ///< shown as null for metadata providers
  /// closed, open, half_open
  std::string circuit_breaker = "closed";
  int64_t blocked_until = 0;        ///< epoch ms; 0: not blocked (then)
  int64_t last_successful_call = 0; ///< epoch ms; 0: never
  std::string last_error;           ///< empty: none
  int64_t errors_24h = 0;

  bool circuit_breaker_open() const {
    return circuit_breaker != "closed";
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, provider_state_view& x) {
  return f(caf::meta::type_name("provider_state_view"), x.name, x.metadata,
           x.needs_auth, x.enabled, x.authenticated, x.circuit_breaker,
           x.blocked_until, x.last_successful_call, x.last_error, x.errors_24h);
}

/// The reader's status snapshot. With a non-empty `error` (the database
/// cannot be read) the other fields mean nothing.
struct library_snapshot {
  std::string error;
  library_totals totals;
  std::vector<provider_state_view> providers;
  int64_t taken_at = 0; ///< epoch ms
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, library_snapshot& x) {
  return f(caf::meta::type_name("library_snapshot"), x.error, x.totals,
           x.providers, x.taken_at);
}

} // namespace discotheque
