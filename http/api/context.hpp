// What the api actor's own handlers (http/api/status.cpp, tasks.cpp) need:
// the actors they ask, how long they wait, and the cached status snapshot.
// The api actor owns one api_context in its state and passes it with its
// self pointer; handlers answer through the exchange's responder.
#pragma once

#include "http/api/route.hpp"
#include "http/api/router.hpp"
#include "http/exchange.hpp"
#include "messages/error.hpp"
#include "messages/interfaces.hpp"
#include "messages/status.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace discotheque::inspection {
class directory;
} // namespace discotheque::inspection

namespace discotheque::http {

struct api_context {
  supervisor_actor supervisor;
  reader_actor reader;
  /// How long a handler waits for another actor before answering 504.
  std::chrono::milliseconds timeout{5000};
  /// When the service started (epoch ms), for uptime.
  int64_t started_at = 0;
  /// The named live actors (GET /api/system/actors); may be null.
  std::shared_ptr<inspection::directory> directory;
  /// The latest status snapshot from the reader (none before the first), so
  /// that the status endpoint never waits for a database query.
  std::optional<library_snapshot> snapshot;
  int64_t snapshot_version = 0;
  /// The last status response and what it was made from: with the same
  /// supervisor version, snapshot and uptime second it is sent again as is.
  /// (The one status cache: the supervisor only bumps its version.)
  struct {
    int64_t supervisor_version = -1;
    int64_t snapshot_version = -1;
    int64_t uptime_s = -1;
    std::string body;
  } status_cache;
};

/// The api actor as its handlers see it.
using api_self = api_actor::pointer;

/// One of the api actor's own endpoints (the key was checked before).
struct api_call {
  api_self self;
  api_context& ctx;
  http_exchange& ex;
  const path_params& params;
};
using api_handler = std::function<void(const api_call&)>;

/// Maps an actor's error to an HTTP status.
response error_to_response(const caf::error& err);

/// Seconds since the service started.
int64_t uptime_s(const api_context& ctx);

/// Asks the supervisor and answers its typed reply `R`, rendered by
/// `render`, as JSON with `status`.
template <class R, class Render, class... Ts>
void forward(api_self self, const api_context& ctx, const responder& reply,
             int status, Render render, Ts&&... xs) {
  self->request(ctx.supervisor, ctx.timeout, std::forward<Ts>(xs)...)
    .then([reply, status,
           render](const R& x) { reply(json_ok(render(x), status)); },
          [reply](const caf::error& err) { reply(error_to_response(err)); });
}

} // namespace discotheque::http
