// The task endpoints of the api actor and the JSON of them and of
// `discotheque run` / `cycle`: the one place where the supervisor's typed
// answers become documents, and where a settings body becomes a typed patch.
#pragma once

#include "http/api/context.hpp"
#include "messages/tasks.hpp"

#include <caf/expected.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace discotheque::http {

/// A task's run counters as a JSON object; text that is not an object is
/// kept under "raw".
nlohmann::json stats_json(const std::string& text);

/// One task (GET /api/library/tasks/{name} and each entry of "tasks").
nlohmann::json task_json(const task_status& t);

/// A cycle report (also what `discotheque run` and `cycle` print).
nlohmann::json cycle_json(const cycle_report& r);

/// The supervisor's part of the status: tasks, cycle_running,
/// check_interval_seconds, last_cycle.
nlohmann::json supervisor_json(const supervisor_status& s);

/// The tasks alone (GET /api/library/tasks).
nlohmann::json tasks_json(const supervisor_status& s);

/// The answer to Run Now.
nlohmann::json run_started_json(const run_started& r);

/// The answer to POST /api/library/cycle.
nlohmann::json cycle_started_json();

/// Parses and validates a PUT body: `enabled` (bool) and/or
/// `interval_seconds` (1 s to 30 days); anything else is invalid_config.
caf::expected<task_settings_patch> parse_settings(const std::string& body);

// The api actor's task endpoints: each asks the supervisor.

/// GET /api/library/tasks
void get_tasks(const api_call& call);
/// GET /api/library/tasks/{name}
void get_task(const api_call& call);
/// PUT /api/library/tasks/{name}: the body is validated here; an unknown
/// task still answers 404 before a bad body answers 400.
void put_task(const api_call& call);
/// POST /api/library/tasks/{name}/run (Run Now)
void run_task(const api_call& call);
/// POST /api/library/cycle
void start_cycle(const api_call& call);

} // namespace discotheque::http
