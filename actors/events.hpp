// The event bus actor (interface: messages/events.hpp) and the two ways
// into it from anywhere in the process: events::publish (the supervisor's
// task events) and events::message_handled (inspection's counting wrapper).
// Both go to the bus that runs (the one spawned last), or nowhere.
#pragma once

#include "messages/events.hpp"
#include "support/histogram.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace discotheque::inspection {
class directory;
} // namespace discotheque::inspection

namespace discotheque::events {

/// Publishes event `type` with `data` (a JSON object; "type" and "time" are
/// set here) to the running bus; nothing when none runs.
void publish(const std::string& type, nlohmann::json data);

/// Actor `id` handled `message`. One relaxed atomic load when nobody
/// listens; while someone does, at most `max_message_events_per_s` a
/// second are published (the rest are counted as sampled out).
void message_handled(uint64_t id, const std::string& message);

inline constexpr int max_message_events_per_s = 200;

/// Message events left out by the sampling since the start.
uint64_t messages_sampled_out();

} // namespace discotheque::events

namespace discotheque {

struct event_bus_config {
  /// Names actors in message events ("store", "gateway.spotify" ...) and
  /// finds the task handlers whose progress is sampled; may be null.
  std::shared_ptr<inspection::directory> directory;
  std::chrono::milliseconds heartbeat{15000};
  std::chrono::milliseconds progress_interval{1000};
};

struct event_bus_state {
  static inline const char* name = "events";
  event_bus_config config;
  uint64_t id = 0; ///< its own actor id (the process-wide tap points here)
  std::vector<event_subscription> listeners;
  /// Running tasks (from task_started/task_finished), sampled for progress.
  std::set<std::string> running;
  bool progress_armed = false;
  /// Actor names by id, from the directory (renewed when an id is unknown).
  std::map<uint64_t, std::string> names;
  int64_t names_renewed_at = 0;
  uint64_t next_event_id = 1;
  uint64_t published = 0;
  /// Task runs by (task, status), their durations (s) by task.
  std::map<std::pair<std::string, std::string>, uint64_t> runs;
  std::map<std::string, histogram> durations;
  uint64_t last_dropped = 0;

  ~event_bus_state();
};

event_bus_actor::behavior_type
event_bus(event_bus_actor::stateful_pointer<event_bus_state> self,
          event_bus_config config);

/// Whether event `type` with JSON text `data` passes `filter` (comma-
/// separated terms, any of them a substring of the name or the JSON; an
/// empty filter passes everything).
bool event_matches(const std::string& filter, const std::string& type,
                   const std::string& data);

/// The SSE text of one event: `id:`, `event:`, `data:` lines, a blank line.
std::string sse_chunk(uint64_t id, const std::string& type,
                      const std::string& data);

/// The task-duration buckets (seconds).
std::vector<double> task_duration_bounds();

} // namespace discotheque
