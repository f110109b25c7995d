#define CAF_SUITE actors.api
#include "fixture.hpp"

#include "actors/api.hpp"
#include "messages/error.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

#include <optional>

using namespace discotheque;
using nlohmann::json;

namespace {

constexpr const char* key = "s3cret-key";

/// What the stand-ins were asked.
struct seen {
  std::vector<std::string> reader_requests; ///< "METHOD path"
  std::vector<std::string> task_asked;      ///< names of (status, name)
  std::vector<settings_change> changes;     ///< settings changes received
  /// The health check's last stats.
  std::string health_stats = R"({"state":"healthy","problems":[]})";
};

task_status
health_task(const std::string& stats = R"({"state":"healthy","problems":[]})") {
  task_status t;
  t.name = "health_check";
  t.implemented = true;
  t.last_run = 1700000000000;
  t.last_success = 1700000000000;
  t.last_status = run_status::succeeded;
  t.stats_json = stats;
  return t;
}

/// A supervisor that knows one task, health_check.
supervisor_actor::behavior_type stand_in_supervisor(supervisor_actor::pointer,
                                                    std::shared_ptr<seen> s) {
  return {
    [](atom::cycle, const std::string& trigger) {
      cycle_report r;
      r.trigger = trigger;
      return r;
    },
    [](atom::cycle) { return atom::ok_atom_v; },
    [](atom::run, const std::vector<std::string>&, const std::string& trigger) {
      cycle_report r;
      r.trigger = trigger;
      return r;
    },
    [](atom::run, const std::string& name) -> caf::result<run_started> {
      if (name != "health_check")
        return make_error(ec::unknown_task, name);
      return run_started{name, 1};
    },
    [](atom::status) {
      supervisor_status st;
      st.tasks.push_back(health_task());
      st.version = 1;
      return st;
    },
    [s](atom::status, const std::string& name) -> caf::result<task_status> {
      s->task_asked.push_back(name);
      if (name != "health_check")
        return make_error(ec::unknown_task, name);
      return health_task(s->health_stats);
    },
    [](atom::put_atom, const std::string& name,
       const task_settings_patch&) -> caf::result<task_status> {
      if (name != "health_check")
        return make_error(ec::unknown_task, name);
      return health_task();
    },
    [s](atom::put_atom, const settings_change& c) {
      s->changes.push_back(c);
      supervisor_status st;
      auto t = health_task();
      for (const auto& e : c.tasks)
        if (e.patch.set_interval)
          t.interval_s = e.patch.interval_s;
      st.tasks.push_back(t);
      return st;
    },
    [](atom::tick_atom) {},
    [](atom::inspect_atom) { return actor_summary{}; },
  };
}

/// A reader answering every request with 200 and "reader: METHOD path".
reader_actor::behavior_type stand_in_reader(reader_actor::pointer,
                                            std::shared_ptr<seen> s) {
  return {
    [s](atom::http, http_exchange& ex) {
      auto what = ex.request.method + " " + ex.request.path;
      s->reader_requests.push_back(what);
      http::response r;
      r.body = json{{"reader", what}}.dump();
      ex.reply(std::move(r));
    },
    [](atom::status) {
      library_snapshot snap;
      snap.totals.artists = 3;
      snap.taken_at = 1767225600000; // 2026-01-01T00:00:00Z
      return snap;
    },
    [](atom::settings) {
      settings_snapshot snap;
      snap.values["library.auto_queue_downloads"] = "false";
      snap.playlists.push_back(
        playlist_setting{4, "Mix", "spotify", "disabled"});
      return snap;
    },
    [](atom::inspect_atom) { return actor_summary{}; },
  };
}

struct fixture : test::fixture_base {
  std::shared_ptr<seen> asked = std::make_shared<seen>();
  supervisor_actor sup;
  reader_actor rd;
  api_actor ap;

  fixture() {
    sup = sys.spawn(stand_in_supervisor, asked);
    rd = sys.spawn(stand_in_reader, asked);
    api_config cfg;
    cfg.supervisor = sup;
    cfg.reader = rd;
    cfg.api_key = key;
    cfg.started_at = 1;
    ap = sys.spawn(api, cfg);
    sched.run();
  }

  ~fixture() {
    anon_send_exit(ap, caf::exit_reason::user_shutdown);
    anon_send_exit(rd, caf::exit_reason::user_shutdown);
    anon_send_exit(sup, caf::exit_reason::user_shutdown);
    sched.run();
  }

  /// Sends one request; with `with_key` the right key goes in X-Api-Key.
  std::optional<http::response>
  call(const std::string& method, const std::string& path, bool with_key = true,
       std::map<std::string, std::string> headers = {},
       std::map<std::string, std::string> query = {}, std::string body = {}) {
    auto got = std::make_shared<std::optional<http::response>>();
    http_exchange ex;
    ex.request.body = std::move(body);
    ex.request.method = method;
    ex.request.path = path;
    ex.request.target = path;
    ex.request.headers = std::move(headers);
    ex.request.query = std::move(query);
    if (with_key)
      ex.request.headers["x-api-key"] = key;
    ex.reply
      = http::responder{[got](http::response r) { *got = std::move(r); }};
    caf::anon_send(ap, atom::http_v, std::move(ex));
    sched.run();
    return *got;
  }

  int status_of(const std::optional<http::response>& r) {
    return r ? r->status : -1;
  }

  std::string allow_of(const std::optional<http::response>& r) {
    if (r)
      for (const auto& [k, v] : r->headers)
        if (k == "Allow")
          return v;
    return "";
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(api_tests, fixture)

CAF_TEST(a missing or wrong API key is a 401) {
  auto none = call("GET", "/api/library/tasks", false);
  CAF_CHECK_EQUAL(status_of(none), 401);
  CAF_REQUIRE(none.has_value());
  auto none_body = json::parse(none->body);
  CAF_CHECK_EQUAL(none_body["error"], "unauthorized");
  CAF_CHECK_EQUAL(status_of(call("GET", "/api/library/tasks", false,
                                 {{"x-api-key", "s3cret-kez"}})),
                  401);
  CAF_CHECK_EQUAL(status_of(call("GET", "/api/library/tasks", false,
                                 {{"x-api-key", "s3cret-key-and-more"}})),
                  401);
  CAF_CHECK_EQUAL(status_of(call("GET", "/api/library/artists", false, {},
                                 {{"apikey", "nope"}})),
                  401);
  // nothing reached the read side
  CAF_CHECK(asked->reader_requests.empty());
  // the key is accepted as a header or as the apikey parameter
  CAF_CHECK_EQUAL(status_of(call("GET", "/api/library/tasks")), 200);
  CAF_CHECK_EQUAL(status_of(call("GET", "/api/library/artists", false, {},
                                 {{"apikey", key}})),
                  200);
}

CAF_TEST(the settings are the api actor own and validated before a change) {
  auto got = call("GET", "/api/settings");
  CAF_REQUIRE_EQUAL(status_of(got), 200);
  auto list = json::parse(got->body)["settings"];
  std::map<std::string, json> by_key;
  for (const auto& e : list)
    by_key[e["key"]] = e["value"];
  CAF_CHECK_EQUAL(by_key["library.auto_queue_downloads"], false);
  CAF_CHECK_EQUAL(by_key["playlists.4.sync_mode"], "disabled");
  CAF_CHECK(by_key.count("tasks.health_check.interval_seconds") == 1);
  // a bad key never reaches the supervisor
  auto bad = call("PUT", "/api/settings", true, {}, {},
                  R"({"tasks.health_check.interval_seconds": -1})");
  CAF_CHECK_EQUAL(status_of(bad), 400);
  CAF_CHECK(asked->changes.empty());
  auto ok = call("PUT", "/api/settings", true, {}, {},
                 R"({"tasks.health_check.interval_seconds": 77,
                     "playlists.4.sync_mode": "auto_own_tracks"})");
  CAF_REQUIRE_EQUAL(status_of(ok), 200);
  CAF_REQUIRE_EQUAL(asked->changes.size(), 1u);
  auto change = asked->changes[0];
  CAF_REQUIRE_EQUAL(change.tasks.size(), 1u);
  CAF_CHECK_EQUAL(change.tasks[0].task, "health_check");
  CAF_CHECK_EQUAL(change.other.statements.size(), 1u);
  auto after = json::parse(ok->body)["settings"];
  for (const auto& e : after)
    if (e["key"] == "tasks.health_check.interval_seconds")
      CAF_CHECK_EQUAL(e["value"], 77);
  // nothing of it went to the read side
  CAF_CHECK(asked->reader_requests.empty());
}

CAF_TEST(the key check is exact) {
  CAF_CHECK(api_key_matches("abc", "abc"));
  CAF_CHECK(!api_key_matches("abd", "abc"));
  CAF_CHECK(!api_key_matches("ab", "abc"));
  CAF_CHECK(!api_key_matches("abcd", "abc"));
  // no key configured: nothing matches, not even the empty key
  CAF_CHECK(!api_key_matches("", ""));
}

CAF_TEST(the health endpoint needs no key) {
  auto res = call("GET", "/api/health", false);
  CAF_REQUIRE(res.has_value());
  CAF_CHECK_EQUAL(res->status, 200);
  auto body = json::parse(res->body);
  CAF_CHECK_EQUAL(body["state"], "healthy");
  CAF_CHECK(body["problems"].is_array());
  CAF_CHECK_EQUAL(asked->task_asked,
                  (std::vector<std::string>{"health_check"}));
  CAF_CHECK_EQUAL(status_of(call("HEAD", "/api/health", false)), 200);
}

CAF_TEST(the health endpoint tells internals only with the key) {
  asked->health_stats = R"({"state":"error","problems":[
    "database consistency check failed: row 7 missing from index x",
    "provider spotify circuit breaker is open"]})";
  auto lean = call("GET", "/api/health", false);
  CAF_REQUIRE(lean.has_value());
  CAF_CHECK_EQUAL(lean->status, 503);
  auto body = json::parse(lean->body);
  CAF_CHECK_EQUAL(body.size(), 2u);
  CAF_CHECK_EQUAL(body["state"], "error");
  auto summaries = json::parse(R"(["database consistency check failed",
                                  "provider spotify circuit breaker is open"])");
  CAF_CHECK(body["problems"] == summaries);
  auto full = call("GET", "/api/health");
  CAF_REQUIRE(full.has_value());
  CAF_CHECK_EQUAL(full->status, 503);
  body = json::parse(full->body);
  CAF_CHECK_EQUAL(body["status"], "error");
  CAF_CHECK(body["last_check"].is_string());
  CAF_CHECK(body.contains("version"));
  CAF_CHECK(body.contains("uptime_seconds"));
  CAF_CHECK(body["problems"][0]
            == "database consistency check failed: row 7 missing from index x");
}

CAF_TEST(an unknown path is a 404) {
  auto res = call("GET", "/api/nothing");
  CAF_CHECK_EQUAL(status_of(res), 404);
  CAF_REQUIRE(res.has_value());
  auto body = json::parse(res->body);
  CAF_CHECK_EQUAL(body["error"], "not_found");
  // outside /api/ only the dashboard's files, without the key
  CAF_CHECK_EQUAL(status_of(call("GET", "/no-such-page.html", false)), 404);
  auto page = call("GET", "/", false);
  CAF_CHECK_EQUAL(status_of(page), 200);
  CAF_REQUIRE(page.has_value());
  CAF_CHECK_EQUAL(page->content_type, "text/html; charset=utf-8");
  // a task the supervisor does not know
  CAF_CHECK_EQUAL(status_of(call("GET", "/api/library/tasks/ghost")), 404);
}

CAF_TEST(the rest of api library goes to the reader) {
  auto res = call("GET", "/api/library/artists");
  CAF_REQUIRE(res.has_value());
  CAF_CHECK_EQUAL(res->status, 200);
  auto body = json::parse(res->body);
  CAF_CHECK_EQUAL(body["reader"], "GET /api/library/artists");
  CAF_CHECK_EQUAL(asked->reader_requests,
                  (std::vector<std::string>{"GET /api/library/artists"}));
}

CAF_TEST(HEAD is treated as GET) {
  auto get = call("GET", "/api/library/tasks");
  auto head = call("HEAD", "/api/library/tasks");
  CAF_REQUIRE(get.has_value());
  CAF_REQUIRE(head.has_value());
  CAF_CHECK_EQUAL(head->status, 200);
  CAF_CHECK_EQUAL(head->body, get->body);
  CAF_CHECK_EQUAL(status_of(call("HEAD", "/api/library/tasks/health_check")),
                  200);
  auto status = call("HEAD", "/api/library/status");
  CAF_CHECK_EQUAL(status_of(status), 200);
  CAF_REQUIRE(status.has_value());
  auto body = json::parse(status->body);
  CAF_CHECK_EQUAL(body["totals"]["artists"], 3);
}

CAF_TEST(a wrong method is a 405 naming the allowed ones) {
  auto r = call("POST", "/api/library/status");
  CAF_CHECK_EQUAL(status_of(r), 405);
  // HEAD is allowed wherever GET is (one route table, http/api/router)
  CAF_CHECK_EQUAL(allow_of(r), "GET, HEAD");
  r = call("DELETE", "/api/library/tasks/health_check");
  CAF_CHECK_EQUAL(status_of(r), 405);
  CAF_CHECK_EQUAL(allow_of(r), "GET, HEAD, PUT");
  r = call("GET", "/api/library/tasks/health_check/run");
  CAF_CHECK_EQUAL(status_of(r), 405);
  CAF_CHECK_EQUAL(allow_of(r), "POST");
  r = call("GET", "/api/library/cycle");
  CAF_CHECK_EQUAL(status_of(r), 405);
  CAF_CHECK_EQUAL(allow_of(r), "POST");
  r = call("POST", "/api/health", false);
  CAF_CHECK_EQUAL(status_of(r), 405);
  CAF_CHECK_EQUAL(allow_of(r), "GET, HEAD");
  // the right methods there
  CAF_CHECK_EQUAL(
    status_of(call("POST", "/api/library/tasks/health_check/run")), 202);
  CAF_CHECK_EQUAL(status_of(call("POST", "/api/library/cycle")), 202);
}

CAF_TEST_FIXTURE_SCOPE_END()
