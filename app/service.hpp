// Wiring of the service: the actor system, the store, the supervisor with its
// tasks, the reader and API actors and the HTTP server, and their orderly
// shutdown on SIGINT/SIGTERM. Also the one-shot commands (run, cycle).
#pragma once

#include "config/config.hpp"

#include <caf/actor_system_config.hpp>

#include <string>
#include <vector>

namespace discotheque {

/// Blocks SIGINT and SIGTERM in the calling thread (and so in every thread it
/// starts later): they are taken with sigwait by the main thread instead.
void block_shutdown_signals();

/// Registers Discotheque's message types and error category.
void configure_actor_system(caf::actor_system_config& cfg);

/// Runs the service until SIGINT/SIGTERM; returns the process exit code.
int serve(const config& cfg);

/// `discotheque run TASK…`: runs the tasks once in DAG order, prints the
/// report as JSON; exit code 0 if none failed, 1 otherwise, 2 on bad names.
int run_tasks(const config& cfg, const std::vector<std::string>& tasks);

/// The names of every task (SPEC §2), in dependency order.
std::vector<std::string> task_names();
bool is_task_name(const std::string& name);

/// `discotheque cycle`: one full cycle (due rules apply), printed as JSON.
int run_cycle(const config& cfg);

} // namespace discotheque
