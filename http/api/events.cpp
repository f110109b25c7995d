#include "http/api/events.hpp"

#include "actors/inspect.hpp"
#include "http/stream.hpp"
#include "messages/events.hpp"
#include "support/time.hpp"

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

namespace discotheque::http {

void get_events(const api_call& call) {
  std::optional<inspection::directory::entry> bus;
  if (call.ctx.directory)
    bus = call.ctx.directory->find("events");
  if (!bus)
    return call.ex.reply(
      json_error(503, "service_unavailable", "no event bus is running"));
  auto ch = open_stream(256);
  std::string filter;
  if (auto f = call.ex.request.query.find("filter");
      f != call.ex.request.query.end())
    filter = f->second;
  // The first lines: how long a browser waits before it reconnects, and a
  // comment that tells a client the stream is open.
  ch->push("retry: 3000\n: connected " + iso8601(now_ms())
           + (filter.empty() ? "" : " filter " + filter) + "\n\n");
  auto reply = stream_response(*ch);
  caf::anon_send(caf::actor_cast<event_bus_actor>(bus->handle),
                 atom::ev_subscribe_v, event_subscription{ch, filter});
  call.ex.reply(std::move(reply));
}

} // namespace discotheque::http
