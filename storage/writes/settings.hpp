// Writes to the settings table (key -> JSON value).
#pragma once

#include "messages/tasks.hpp"
#include "messages/types.hpp"

#include <string>

namespace discotheque::storage {

/// Sets `key` to the JSON text `value_json` (insert or replace).
sql_stmt upsert_setting(const std::string& key, const std::string& value_json);

/// Removes `key` (its default, or the config file's value, applies again).
sql_stmt delete_setting(const std::string& key);

/// A refresh token set through the settings API: it replaces the
/// provider's stored tokens (the access token of the old one is dropped, so
/// the next call refreshes with the new one); empty: the stored tokens are
/// removed (the config file's refresh token applies again).
sql_stmt replace_refresh_token(const std::string& provider,
                               const std::string& refresh_token);

/// Stores what `patch` changes of `task` (tasks.TASK.enabled,
/// tasks.TASK.interval_seconds); no statements when it changes nothing.
write_request set_task_settings(const std::string& task,
                                const task_settings_patch& patch);

} // namespace discotheque::storage
