// The status and health endpoints of the api actor and their JSON: the one
// place where the reader's typed snapshot (messages/status.hpp) and the
// supervisor's status become the documents of SPEC §8.
#pragma once

#include "http/api/context.hpp"
#include "messages/status.hpp"
#include "messages/tasks.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace discotheque::http {

/// The snapshot as a document: totals, providers, taken_at (or only
/// `error` when the database could not be read).
nlohmann::json snapshot_json(const library_snapshot& s);

/// One provider of the status response.
nlohmann::json provider_state_json(const provider_state_view& p);

/// The totals of the status response.
nlohmann::json totals_json(const library_totals& t);

/// The overall state: the last health check's verdict (`health_stats`, its
/// counters or null), lowered by open circuit breakers of enabled providers;
/// "error" when the snapshot could not be taken.
std::string overall_state(const nlohmann::json& health_stats,
                          const library_snapshot* snapshot);

/// The stats of the health check's last run when it succeeded, else null.
nlohmann::json health_stats_of(const task_status& t);
nlohmann::json health_stats_of(const supervisor_status& s);

/// GET /api/library/status: supervisor status and the cached snapshot (the
/// context's, fetched first if there is none yet).
void get_status(const api_call& call);

/// GET /api/health. With `full` (the request carried the API key): status,
/// version, uptime, last check and problems; without it only `state` and
/// the problems' summaries (no internals).
void get_health(api_self self, api_context& ctx, responder reply, bool full);

} // namespace discotheque::http
