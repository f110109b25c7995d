// The cleanup_library task (SPEC §4, exactly): owned rows nothing holds any
// more go back to discovered (what the user deleted, what was unliked),
// broken references are cleared and re-attached, downloads failed for more
// than 7 days become not_needed. Never a deleted row, never a row touched
// for being incomplete. The SQL is storage/writes/cleanup.*: one write, so
// the library never shows half a cleanup. Stats by scenario.
#pragma once

#include "actors/tasks/task_env.hpp"
#include "actors/tasks/task_run.hpp"
#include "messages/interfaces.hpp"
#include "messages/types.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <vector>

namespace discotheque {

struct cleanup_library_state {
  static inline const char* name = "cleanup_library";
  task_env env;
  std::shared_ptr<spdlog::logger> log;
  task_run run{"cleanup_library"};
};

/// The stats of a cleanup: `names` (storage::writes::cleanup_plan) paired
/// with the store's change counts, as {"scenario": {"counter": n}} plus
/// "changed", their sum.
nlohmann::json cleanup_stats(const std::vector<std::string>& names,
                             const write_ack& ack);

task_actor::behavior_type
cleanup_library(task_actor::stateful_pointer<cleanup_library_state> self,
                task_env env);

} // namespace discotheque
