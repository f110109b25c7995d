// The EVENT BUS interface (actors/events.*): what happens in the service as
// a live stream, for GET /api/system/events (the web dashboard's live
// updates, the console's `tail`) and the task counters of GET /metrics.
//
// Events are a name ("task_started", "task_finished", "progress",
// "message") and one JSON object (with at least "type" and "time"; task
// events carry "task"). The supervisor publishes task starts and ends,
// inspection's counting wrapper the messages actors handle (only while
// someone listens, and sampled), the bus itself the running tasks' progress.
#pragma once

#include "http/stream.hpp"
#include "messages/interfaces.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/type_id.hpp>

#include <cstdint>
#include <memory>
#include <string>

CAF_ADD_ATOM(discotheque, discotheque::atom, ev_publish, "ev_pub")
CAF_ADD_ATOM(discotheque, discotheque::atom, ev_subscribe, "ev_sub")
CAF_ADD_ATOM(discotheque, discotheque::atom, ev_metrics, "ev_metrics")

namespace discotheque {

/// A listener: the events whose name or JSON contains one of the filter's
/// comma-separated terms (all when empty) go into `channel` as SSE text.
struct event_subscription {
  std::shared_ptr<http::stream_channel> channel;
  std::string filter;
};

/// The EVENT BUS actor interface.
///
/// - `(ev_publish, type, json)`: an event (the JSON object's text).
/// - `(ev_publish, actor_id, message, time_ms)`: an actor handled a message
///   (from inspection's counting wrapper), published as a `message` event
///   with the actor's directory name.
/// - `(ev_subscribe, event_subscription)`: adds a listener until its
///   channel closes.
/// - `(ev_metrics) -> json`: task runs by task and status, task durations
///   (histograms), events published and dropped, listeners.
/// - `(tick)`: the 15 s heartbeat; `(progress)`: samples running tasks.
using event_bus_actor = caf::typed_actor<
  caf::reacts_to<atom::ev_publish, std::string, std::string>,
  caf::reacts_to<atom::ev_publish, uint64_t, std::string, int64_t>,
  caf::reacts_to<atom::ev_subscribe, event_subscription>,
  caf::replies_to<atom::ev_metrics>::with<std::string>,
  caf::reacts_to<atom::tick_atom>,
  caf::reacts_to<atom::progress>>::extend_with<inspectable_actor>;

} // namespace discotheque

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(discotheque::event_subscription)
