// The settings API (SPEC §8, issue 14): GET /api/settings lists every
// setting with its value, default, type and description; PUT /api/settings
// with {"key": value, …} validates every key first (an unknown key or a wrong
// value is a 400 naming it, and nothing changes) and then applies them all at
// once, in one transaction, without a restart.
//
// The keys: `library.auto_queue_downloads`,
// `library.image_download_concurrency`, `tasks.<task>.enabled`,
// `tasks.<task>.interval_seconds`, `playlists.<id>.sync_mode`, and per
// provider `providers.<name>.enabled` and its credentials
// (`providers.<name>.<field>`, from its descriptor's credentials()). The
// library keys live in the settings table (read by the tasks at each run),
// the task keys are the supervisor's (it commits and applies them), a
// playlist's mode is its row. A provider's keys are settings rows too (a
// refresh token replaces its stored tokens); once committed, the node
// respawns the provider's actors with them, and only then is the PUT
// answered. Credentials are write-only: the list shows "set" or "unset".
#pragma once

#include "http/api/context.hpp"
#include "messages/settings.hpp"
#include "messages/tasks.hpp"

#include <caf/expected.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace discotheque::http {

/// Every setting as the GET answer lists it ({"settings": [...]}), from the
/// supervisor's tasks and the database's settings and playlists.
nlohmann::json settings_json(const supervisor_status& tasks,
                             const settings_snapshot& db);

/// Validates a PUT body against the settings that exist and turns it into
/// one change; `now_ms` becomes the playlists' updated_at. An error
/// (invalid_config) names every bad key.
caf::expected<settings_change>
parse_settings_change(const std::string& body, const supervisor_status& tasks,
                      const settings_snapshot& db, int64_t now_ms);

/// GET /api/settings
void get_settings(const api_call& call);
/// PUT /api/settings: answers the new list once committed.
void put_settings(const api_call& call);

} // namespace discotheque::http
