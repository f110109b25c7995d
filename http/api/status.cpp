#include "http/api/status.hpp"

#include "actors/sources/providers.hpp"
#include "http/api/tasks.hpp"
#include "support/time.hpp"

namespace discotheque::http {

using nlohmann::json;

json totals_json(const library_totals& t) {
  return json{
    {"artists", t.artists},
    {"albums", t.albums},
    {"tracks", t.tracks},
    {"playlists", t.playlists},
    {"owned_artists", t.owned_artists},
    {"owned_albums", t.owned_albums},
    {"owned_tracks", t.owned_tracks},
    {"pending_downloads", t.pending_downloads},
  };
}

namespace {

/// account, metadata or download_client (the descriptor's kind).
const char* kind_of(const provider_state_view& p) {
  if (p.metadata)
    return "metadata";
  const auto* d = find_provider(p.name);
  if (d != nullptr && d->kind == provider_kind::download_client)
    return "download_client";
  return "account";
}

} // namespace

json provider_state_json(const provider_state_view& p) {
  auto iso_or_null = [](int64_t ms) {
    return ms != 0 ? json(iso8601(ms)) : json(nullptr);
  };
  return json{
    {"name", p.name},
    {"kind", kind_of(p)},
    {"needs_auth", p.needs_auth},
    {"enabled", p.enabled},
    // A public catalogue has no account to be authenticated with.
    {"authenticated", p.metadata ? json(nullptr) : json(p.authenticated)},
    {"circuit_breaker", p.circuit_breaker},
    {"circuit_breaker_open", p.circuit_breaker_open()},
    {"blocked_until", iso_or_null(p.blocked_until)},
    {"last_successful_call", iso_or_null(p.last_successful_call)},
    {"last_error", p.last_error.empty() ? json(nullptr) : json(p.last_error)},
    {"errors_24h", p.errors_24h},
  };
}

namespace {

json providers_json(const library_snapshot& s) {
  json list = json::array();
  for (const auto& p : s.providers)
    list.push_back(provider_state_json(p));
  return list;
}

} // namespace

json snapshot_json(const library_snapshot& s) {
  if (!s.error.empty())
    return json{{"error", s.error}};
  return json{{"totals", totals_json(s.totals)},
              {"providers", providers_json(s)},
              {"taken_at", iso8601(s.taken_at)}};
}

std::string overall_state(const json& health_stats,
                          const library_snapshot* snapshot) {
  std::string state = "healthy";
  if (health_stats.is_object() && health_stats.contains("state"))
    state = health_stats["state"].get<std::string>();
  if (snapshot != nullptr && snapshot->error.empty())
    for (const auto& p : snapshot->providers)
      if (p.enabled && p.circuit_breaker_open() && state == "healthy")
        state = "degraded";
  if (snapshot != nullptr && !snapshot->error.empty())
    state = "error";
  return state;
}

json health_stats_of(const task_status& t) {
  if (t.last_run != 0 && t.last_status == run_status::succeeded)
    return stats_json(t.stats_json);
  return nullptr;
}

json health_stats_of(const supervisor_status& s) {
  for (const auto& t : s.tasks)
    if (t.name == "health_check")
      return health_stats_of(t);
  return nullptr;
}

namespace {

/// What anyone may know without the key: the verdict and each problem's
/// summary, without what follows its first ": " (the consistency check's
/// output, a database or file system error's text).
json lean_health_json(const std::string& state, const json& problems) {
  json lean = json::array();
  if (problems.is_array())
    for (const auto& p : problems) {
      if (!p.is_string())
        continue;
      auto text = p.get<std::string>();
      lean.push_back(text.substr(0, text.find(": ")));
    }
  return json{{"state", state}, {"problems", lean}};
}

const library_snapshot* snapshot_of(const api_context& ctx) {
  return ctx.snapshot ? &*ctx.snapshot : nullptr;
}

/// The status document from the supervisor's status and the snapshot.
json status_json(const api_context& ctx, const supervisor_status& sup) {
  const auto* snap = snapshot_of(ctx);
  bool usable = snap != nullptr && snap->error.empty();
  auto s = supervisor_json(sup);
  auto health = health_stats_of(sup);
  json body{
    {"status", overall_state(health, snap)},
    {"version", DISCOTHEQUE_VERSION},
    {"started_at", iso8601(ctx.started_at)},
    {"uptime_seconds", uptime_s(ctx)},
    {"tasks", s["tasks"]},
    {"cycle_running", s["cycle_running"]},
    {"last_cycle", s["last_cycle"]},
    {"providers", usable ? providers_json(*snap) : json::array()},
    {"totals", usable ? totals_json(snap->totals) : json::object()},
    {"totals_taken_at", usable ? json(iso8601(snap->taken_at)) : json(nullptr)},
    {"health", health},
  };
  // The seed's field names too, so a client written against the design
  // document works: `state` next to `status`, the totals at the top level.
  body["state"] = body["status"];
  for (const char* k : {"artists", "albums", "tracks"}) {
    body[std::string{"total_"} + k] = body["totals"].value(k, 0);
    body[std::string{"owned_"} + k]
      = body["totals"].value(std::string{"owned_"} + k, 0);
  }
  body["pending_downloads"] = body["totals"].value("pending_downloads", 0);
  return body;
}

void answer_status(api_context& ctx, const responder& reply,
                   const supervisor_status& sup) {
  auto& cache = ctx.status_cache;
  auto up = uptime_s(ctx);
  if (cache.uptime_s == up && cache.snapshot_version == ctx.snapshot_version
      && cache.supervisor_version == sup.version) {
    response r;
    r.body = cache.body;
    return reply(std::move(r));
  }
  auto res = json_ok(status_json(ctx, sup));
  cache.supervisor_version = sup.version;
  cache.snapshot_version = ctx.snapshot_version;
  cache.uptime_s = up;
  cache.body = res.body;
  reply(std::move(res));
}

} // namespace

void get_status(const api_call& call) {
  auto self = call.self;
  auto& ctx = call.ctx;
  auto reply = call.ex.reply;
  // The context lives in the api actor's state: it outlives every request
  // the actor makes.
  auto ask_supervisor = [self, &ctx, reply] {
    self->request(ctx.supervisor, ctx.timeout, atom::status_v)
      .then([&ctx, reply](
              const supervisor_status& sup) { answer_status(ctx, reply, sup); },
            [reply](const caf::error& err) { reply(error_to_response(err)); });
  };
  if (ctx.snapshot)
    return ask_supervisor();
  // First request before the first snapshot: fetch one now.
  self->request(ctx.reader, ctx.timeout, atom::status_v)
    .then(
      [&ctx, ask_supervisor](const library_snapshot& snap) {
        ctx.snapshot = snap;
        ++ctx.snapshot_version;
        ask_supervisor();
      },
      [reply](const caf::error& err) { reply(error_to_response(err)); });
}

void get_health(api_self self, api_context& ctx, responder reply, bool full) {
  self
    ->request(ctx.supervisor, ctx.timeout, atom::status_v,
              std::string{"health_check"})
    .then(
      [&ctx, reply, full](const task_status& t) {
        auto stats = health_stats_of(t);
        auto last_check = t.last_success > 0 ? json(iso8601(t.last_success))
                                             : json(nullptr);
        auto state = overall_state(stats, snapshot_of(ctx));
        auto problems = stats.is_object() ? stats["problems"] : json::array();
        auto code = state == "error" ? 503 : 200;
        if (!full)
          return reply(json_ok(lean_health_json(state, problems), code));
        reply(json_ok(json{{"status", state},
                           {"version", DISCOTHEQUE_VERSION},
                           {"uptime_seconds", uptime_s(ctx)},
                           {"last_check", last_check},
                           {"problems", problems}},
                      code));
      },
      [&ctx, reply, full](const caf::error& err) {
        if (!full)
          return reply(json_ok(
            lean_health_json("error", json::array({render(err)})), 503));
        reply(json_ok(json{{"status", "error"},
                           {"version", DISCOTHEQUE_VERSION},
                           {"uptime_seconds", uptime_s(ctx)},
                           {"problems", {render(err)}}},
                      503));
      });
}

} // namespace discotheque::http
