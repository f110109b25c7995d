// The actors of the running service, for debugging and the inspection
// console: GET /api/system/actors (every live actor of the directory, its
// one-line summary, asked of all of them in parallel with a timeout) and
// GET /api/system/actors/{name} (one, with its state in full; 404 unknown).
// Behind the API key like every /api/ route.
#pragma once

#include "http/api/context.hpp"
#include "messages/inspect.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace discotheque::http {

/// One actor of the list: its directory name and kind, and what it answered
/// (`summary` null: it did not answer, `error` says why). With `full`, its
/// details too.
nlohmann::json actor_json(const std::string& name, const std::string& kind,
                          uint64_t id, const actor_summary* summary,
                          const std::string& error, bool full, int64_t now);

/// GET /api/system/actors.
void get_actors(const api_call& call);

/// GET /api/system/actors/{name}.
void get_actor(const api_call& call);

} // namespace discotheque::http
