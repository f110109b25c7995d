// The settings API's messages (SPEC §8, issue 14): what the database holds
// of the settings (the reader answers it) and one validated change, which the
// supervisor commits in one transaction and then applies.
#pragma once

#include "messages/tasks.hpp"
#include "messages/types.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace discotheque {

/// One playlist's sync mode, as the settings list shows it.
struct playlist_setting {
  int64_t id = 0;
  std::string name;
  std::string provider;
  std::string sync_mode;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, playlist_setting& x) {
  return f(caf::meta::type_name("playlist_setting"), x.id, x.name, x.provider,
           x.sync_mode);
}

/// The settings table (key -> JSON text) and the playlists' sync modes.
/// Provider credentials are write-only: their rows never travel in
/// `values`; `credentials_set` names the credential keys that have a value
/// (from the database, or from the config file).
struct settings_snapshot {
  std::map<std::string, std::string> values;
  std::vector<playlist_setting> playlists;
  std::vector<std::string> credentials_set;
  /// Non-empty: the database could not be read (the rest is empty).
  std::string error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, settings_snapshot& x) {
  return f(caf::meta::type_name("settings_snapshot"), x.values, x.playlists,
           x.credentials_set, x.error);
}

/// One task's part of a settings change.
struct task_settings_entry {
  std::string task;
  task_settings_patch patch;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_settings_entry& x) {
  return f(caf::meta::type_name("task_settings_entry"), x.task, x.patch);
}

/// A validated PUT /api/settings: the task settings (applied by the
/// supervisor once committed) and every other statement (library keys,
/// playlist modes, provider credentials), committed together with them in
/// one write. `providers`: the providers whose credentials or enablement
/// change, respawned once the change is committed.
struct settings_change {
  std::vector<task_settings_entry> tasks;
  write_request other;
  std::vector<std::string> providers;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, settings_change& x) {
  return f(caf::meta::type_name("settings_change"), x.tasks, x.other,
           x.providers);
}

} // namespace discotheque
