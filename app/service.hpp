// Wiring of the long-running service: the actor system, the store, the API
// actor and the HTTP server, and their orderly shutdown on SIGINT/SIGTERM.
#pragma once

#include "app/config.hpp"

#include <caf/actor_system_config.hpp>

namespace discotheque {

/// Blocks SIGINT and SIGTERM in the calling thread (and so in every thread it
/// starts later): they are taken with sigwait by the main thread instead.
void block_shutdown_signals();

/// Registers Discotheque's message types and error category.
void configure_actor_system(caf::actor_system_config& cfg);

/// Runs the service until SIGINT/SIGTERM; returns the process exit code.
int serve(const config& cfg);

} // namespace discotheque
