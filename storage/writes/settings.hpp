// Writes to the settings table (key -> JSON value).
#pragma once

#include "messages/tasks.hpp"
#include "messages/types.hpp"

#include <string>

namespace discotheque::storage {

/// Sets `key` to the JSON text `value_json` (insert or replace).
sql_stmt upsert_setting(const std::string& key, const std::string& value_json);

/// Stores what `patch` changes of `task` (tasks.TASK.enabled,
/// tasks.TASK.interval_seconds); no statements when it changes nothing.
write_request set_task_settings(const std::string& task,
                                const task_settings_patch& patch);

} // namespace discotheque::storage
