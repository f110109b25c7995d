// The console's `tail`: GET /api/system/events read over a plain loopback
// socket, so that it can stop at once (Ctrl-C, `q` + Enter, its event
// limit or time limit) without a thread; and the one-line form of an event.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace discotheque {

struct console_endpoint {
  std::string host;
  uint16_t port = 0;
  std::string api_key;
};

/// "HOST:PORT" (a port 1-65535); none when malformed.
std::optional<console_endpoint> parse_endpoint(const std::string& host_port);

/// Installs the console's SIGINT handler (it only sets a flag, and does not
/// restart system calls, so a waiting tail wakes up).
void console_interrupts();

enum class tail_outcome { ok, failed, auth_failed, unreachable };

/// Prints the events (one line each) until `limit` events, `seconds` (0:
/// none), Ctrl-C, `q` on a terminal, or the end of the stream.
tail_outcome tail_events(const console_endpoint& where,
                         const std::string& filter, int64_t limit,
                         int64_t seconds, std::ostream& out);

/// One event as tail prints it: time, name, and what matters of its JSON
/// (`message`: actor and message; task events: task, status, duration).
std::string tail_line(const std::string& type, const std::string& data);

} // namespace discotheque
