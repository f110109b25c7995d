// `discotheque console`: the actor inspection console, a terminal program
// for debugging a running service. It talks to the service over its
// loopback HTTP API with the API key (GET /api/system/actors[/{name}],
// /api/system/events, /api/library/tasks, /api/library/status, Run Now),
// so it can do nothing the API's own authentication does not allow.
//
// Commands: actors, inspect NAME, tail [FILTER], tasks, run TASK,
// breakers, help, quit. Interactive (a terminal): readline editing and
// history (~/.discotheque_history). `--once CMD`, or commands on a stdin
// that is no terminal: plain mode for scripts, no prompt.
#pragma once

#include "config/config.hpp"

#include <cstdint>
#include <string>

namespace discotheque {

struct console_options {
  /// HOST:PORT of the service; empty: the config's `listen`.
  std::string connect;
  /// Empty: $DISCOTHEQUE_API_KEY, else <data_dir>/api_key.
  std::string api_key;
  /// One command to run, then exit (plain mode).
  std::string once;
  /// `tail` ends after this many events (bounded) ...
  int64_t tail_limit = 1000;
  /// ... or after this many seconds (0: no time limit; Ctrl-C or `q` end
  /// it too).
  int64_t tail_seconds = 0;
};

/// Exit codes: 0 fine, 1 a command failed, 3 the API key was refused (or
/// none found), 4 the service could not be reached.
int run_console(const config& cfg, const console_options& opts);

} // namespace discotheque
