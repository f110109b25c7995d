// GET /metrics: the service's numbers in the Prometheus text exposition
// format (version 0.0.4). Made from what the actors already tell: every
// directory actor's inspect answer (mailbox, handled; the store's commits,
// the gateways' requests, errors, 429s, retries, limiter wait and breaker,
// the dedup store's merges), the supervisor's task status (running, the
// scan's files/s), the event bus's task runs and durations, the library
// totals of the cached snapshot. The api actor answers it; it accepts the
// API key or the metrics token (config metrics.token).
#pragma once

#include "http/api/context.hpp"
#include "http/api/system.hpp"
#include "messages/status.hpp"
#include "messages/tasks.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace discotheque::http {

/// Everything one scrape is made from.
struct metrics_input {
  std::vector<actor_answer> actors;
  std::optional<supervisor_status> supervisor;
  /// The event bus's (ev_metrics) answer; null when it did not answer.
  nlohmann::json bus;
  std::optional<library_snapshot> snapshot;
  int64_t uptime_s = 0;
};

/// The exposition text (every family with HELP and TYPE, histograms with
/// cumulative buckets, +Inf, _sum and _count).
std::string render_metrics(const metrics_input& in);

/// Whether the request carries `token` (non-empty) as `Authorization:
/// Bearer TOKEN` or `?token=`.
bool has_metrics_token(const request& req, const std::string& token);

/// GET /metrics (the credentials were checked before).
void get_metrics(const api_call& call);

} // namespace discotheque::http
