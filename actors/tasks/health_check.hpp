// The health_check task: is the database writable and consistent, is there
// disk space for the data and music folders, which providers' circuit
// breakers are open. Its stats carry the overall state (healthy, degraded,
// error) that /api/library/status reports.
#pragma once

#include "actors/tasks/task_env.hpp"
#include "actors/tasks/task_run.hpp"
#include "messages/interfaces.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include <cstdint>
#include <memory>

namespace discotheque {

struct health_check_state {
  static inline const char* name = "health_check";
  task_env env;
  std::shared_ptr<spdlog::logger> log;
  task_run run{"health_check"};
};

/// A folder with less free space than the configured `health.min_free_mb` is
/// degraded; the data folder is an error when it also has less than this
/// (the database can hardly grow any more).
inline constexpr uint64_t disk_error_bytes = 64ull << 20; // 64 MiB

/// The synchronous part of the check (disk, consistency, provider breakers),
/// given what the store said. Returns the stats object with "state".
nlohmann::json evaluate_health(const task_env& env, const store_stats& store,
                               const std::string& write_error);

task_actor::behavior_type
health_check(task_actor::stateful_pointer<health_check_state> self,
             task_env env);

} // namespace discotheque
