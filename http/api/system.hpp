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
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace discotheque::http {

/// One actor of the list: its directory name and kind, and what it answered
/// (`summary` null: it did not answer, `error` says why). With `full`, its
/// details too.
nlohmann::json actor_json(const std::string& name, const std::string& kind,
                          uint64_t id, const actor_summary* summary,
                          const std::string& error, bool full, int64_t now);

/// What one actor of the directory answered to inspect (or why not).
struct actor_answer {
  std::string name;
  std::string kind;
  uint64_t id = 0;
  std::optional<actor_summary> summary;
  std::string error;
};

/// Asks every actor of the directory in parallel (2 s at most each) and
/// calls `done` with all answers, in the directory's order (also GET
/// /metrics).
void inspect_all(api_self self, const api_context& ctx,
                 std::function<void(std::vector<actor_answer>)> done);

/// GET /api/system/actors.
void get_actors(const api_call& call);

/// GET /api/system/actors/{name}.
void get_actor(const api_call& call);

} // namespace discotheque::http
