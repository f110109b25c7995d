// The sync_playlists task: the user's playlists from every source. Each
// playlist is stored with the fields of SPEC §3 and its tracks linked with
// their positions. What happens to the tracks depends on the playlist's
// sync_mode: reference_only (default: tracks merged as known, ownership
// untouched), auto_own_tracks (tracks claimed: source = provider, reason
// "auto_own"), disabled (not synced).
#pragma once

#include "actors/tasks/task_env.hpp"
#include "actors/tasks/task_run.hpp"
#include "messages/interfaces.hpp"

#include <caf/typed_response_promise.hpp>

#include <deque>
#include <map>

namespace discotheque {

struct sync_playlists_config {
  task_env env;
  std::vector<std::pair<std::string, source_actor>> sources;
};

struct sync_playlists_state {
  static inline const char* name = "sync_playlists";
  sync_playlists_config config;
  /// The current run: running flag, promise, counters, listed errors.
  task_run run{"sync_playlists"};
  size_t source_index = 0;
  // the current provider
  std::deque<playlist_dto> playlists;
  /// The user's id at the provider (its `me` list); empty when that could
  /// not be read: then is_owner is left as stored.
  std::string me;
  bool playlists_complete = true;
  bool auto_own_complete = true;
  bool any_auto_own = false;
  // the current playlist
  playlist_dto current;
  std::string mode;
  /// sync_mode by provider_id for the current provider (read once).
  std::map<std::string, std::string> modes;
  std::vector<int64_t> track_ids;
  bool current_complete = true;
  std::vector<std::string> unavailable;
};

task_actor::behavior_type
sync_playlists(task_actor::stateful_pointer<sync_playlists_state> self,
               sync_playlists_config config);

/// Is `p` the user's own playlist? `me` is the user's id at the provider
/// (empty when unknown: then no playlist counts as owned).
bool owned_by(const playlist_dto& p, const std::string& me);

/// The sync mode of playlist `provider_id` in `modes` (stored modes of one
/// provider); reference_only when it has none stored.
std::string playlist_mode(const std::map<std::string, std::string>& modes,
                          const std::string& provider_id);

} // namespace discotheque
