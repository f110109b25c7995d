// GET /api/system/events: the live event stream (Server-Sent Events) of the
// event bus (actors/events.*), for the web dashboard and the console's
// `tail`. Behind the API key like every /api/ route (X-Api-Key or
// ?apikey=, which EventSource needs); `?filter=a,b` keeps the events whose
// name or JSON contains one of the terms. A heartbeat comment every 15 s;
// a client that does not keep up loses events (at most 256 are queued for
// it), it never slows the service down.
#pragma once

#include "http/api/context.hpp"

namespace discotheque::http {

/// GET /api/system/events
void get_events(const api_call& call);

} // namespace discotheque::http
