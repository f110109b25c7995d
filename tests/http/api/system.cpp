#define CAF_SUITE http.api.system
#include "fixture.hpp"

#include "actors/api.hpp"
#include "actors/inspect.hpp"
#include "http/api/system.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

#include <optional>

using namespace discotheque;
using nlohmann::json;

namespace {

constexpr const char* key = "k3y";

reader_actor::behavior_type quiet_reader(reader_actor::pointer, int) {
  return {
    [](atom::http, http_exchange& ex) {
      ex.reply(http::json_error(404, "not_found", "stand-in"));
    },
    [](atom::status) { return library_snapshot{}; },
    [](atom::settings) { return settings_snapshot{}; },
    [](atom::inspect_atom) {
      actor_summary s;
      s.name = "reader";
      s.kind = "reader";
      s.started_at = 1767225600000; // 2026-01-01T00:00:00Z
      s.handled = 7;
      s.last_message = "status";
      s.summary = "stand-in reader";
      s.details = R"({"database":true})";
      return s;
    },
  };
}

/// Takes the inspect request and never answers it.
caf::behavior silent(caf::event_based_actor* self, int) {
  return {
    [self](atom::inspect_atom) {
      // answered later, that is never (the promise is dropped)
      return self->make_response_promise();
    },
  };
}

/// A task actor: answers progress, knows nothing of inspect.
caf::behavior busy_task(caf::event_based_actor*, int) {
  return {
    [](atom::progress) { return std::string{R"({"files":12})"}; },
  };
}

struct fixture : test::fixture_base {
  reader_actor rd;
  caf::actor mute;
  caf::actor task;
  api_actor ap;
  std::shared_ptr<inspection::directory> dir
    = std::make_shared<inspection::directory>();

  fixture() {
    rd = sys.spawn(quiet_reader, 0);
    mute = sys.spawn(silent, 0);
    task = sys.spawn(busy_task, 0);
    api_config cfg;
    cfg.reader = rd;
    cfg.api_key = key;
    cfg.started_at = 1;
    cfg.directory = dir;
    ap = sys.spawn(inspection::counting(api), cfg);
    sched.run();
    auto strong = [](const auto& h) {
      return caf::actor_cast<caf::strong_actor_ptr>(h);
    };
    dir->add("reader", "reader", strong(rd));
    dir->add("api", "api", strong(ap));
    dir->add("mute", "store", strong(mute));
    dir->add("task.scan_local_library", "task", strong(task));
  }

  ~fixture() {
    for (auto h : {caf::actor_cast<caf::actor>(ap),
                   caf::actor_cast<caf::actor>(rd), mute, task})
      anon_send_exit(h, caf::exit_reason::user_shutdown);
    sched.run();
  }

  std::optional<http::response> call(const std::string& path,
                                     bool with_key = true) {
    auto got = std::make_shared<std::optional<http::response>>();
    http_exchange ex;
    ex.request.method = "GET";
    ex.request.path = path;
    ex.request.target = path;
    if (with_key)
      ex.request.headers["x-api-key"] = key;
    ex.reply
      = http::responder{[got](http::response r) { *got = std::move(r); }};
    caf::anon_send(ap, atom::http_v, std::move(ex));
    sched.run();
    if (!*got) {
      // someone did not answer: let the request timeouts fire
      sched.trigger_timeouts();
      sched.run();
    }
    return *got;
  }

  static json find(const json& list, const std::string& name) {
    for (const auto& a : list)
      if (a["name"] == name)
        return a;
    return json{};
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(system_tests, fixture)

CAF_TEST(the list asks every actor and marks the one that does not answer) {
  auto r = call("/api/system/actors");
  CAF_REQUIRE(r.has_value());
  CAF_CHECK_EQUAL(r->status, 200);
  auto body = json::parse(r->body);
  auto list = body["actors"];
  CAF_REQUIRE_EQUAL(list.size(), 4u);
  // in the directory's order
  CAF_CHECK_EQUAL(list[0]["name"], "reader");
  CAF_CHECK_EQUAL(list[3]["name"], "task.scan_local_library");
  auto reader = find(list, "reader");
  CAF_CHECK_EQUAL(reader["answered"], true);
  CAF_CHECK_EQUAL(reader["kind"], "reader");
  CAF_CHECK_EQUAL(reader["id"], rd.id());
  CAF_CHECK_EQUAL(reader["handled"], 7);
  CAF_CHECK_EQUAL(reader["last_message"], "status");
  CAF_CHECK_EQUAL(reader["summary"], "stand-in reader");
  CAF_CHECK_EQUAL(reader["started_at"], "2026-01-01T00:00:00.000Z");
  CAF_CHECK(reader["uptime_s"].is_number());
  // the list carries no details
  CAF_CHECK(!reader.contains("details"));
  // the api answers about itself, with its counters (it handled the
  // snapshot's replies and the http request at least)
  auto self_entry = find(list, "api");
  CAF_CHECK_EQUAL(self_entry["answered"], true);
  CAF_CHECK_EQUAL(self_entry["actor"], "api");
  CAF_CHECK(self_entry["handled"].get<int>() >= 1);
  CAF_CHECK_EQUAL(self_entry["last_message"], "http");
  auto mute_entry = find(list, "mute");
  CAF_CHECK_EQUAL(mute_entry["answered"], false);
  CAF_CHECK(!mute_entry["error"].get<std::string>().empty());
  auto task_entry = find(list, "task.scan_local_library");
  CAF_CHECK_EQUAL(task_entry["answered"], true);
  CAF_CHECK_EQUAL(task_entry["summary"], "running");
  CAF_CHECK(task_entry["uptime_s"].is_null());
}

CAF_TEST(one actor comes with its details; an unknown one is a 404) {
  auto r = call("/api/system/actors/reader");
  CAF_REQUIRE(r.has_value());
  CAF_CHECK_EQUAL(r->status, 200);
  auto body = json::parse(r->body);
  CAF_CHECK_EQUAL(body["name"], "reader");
  CAF_CHECK_EQUAL(body["details"]["database"], true);
  auto task_r = call("/api/system/actors/task.scan_local_library");
  CAF_REQUIRE(task_r.has_value());
  auto task_body = json::parse(task_r->body);
  CAF_CHECK_EQUAL(task_body["details"]["progress"]["files"], 12);
  auto mute_r = call("/api/system/actors/mute");
  CAF_REQUIRE(mute_r.has_value());
  CAF_CHECK_EQUAL(mute_r->status, 200);
  auto mute_body = json::parse(mute_r->body);
  CAF_CHECK_EQUAL(mute_body["answered"], false);
  auto none = call("/api/system/actors/nobody");
  CAF_REQUIRE(none.has_value());
  CAF_CHECK_EQUAL(none->status, 404);
  auto none_body = json::parse(none->body);
  CAF_CHECK_EQUAL(none_body["error"], "not_found");
}

CAF_TEST(the actors endpoints need the key) {
  auto r = call("/api/system/actors", false);
  CAF_REQUIRE(r.has_value());
  CAF_CHECK_EQUAL(r->status, 401);
  auto one = call("/api/system/actors/reader", false);
  CAF_REQUIRE(one.has_value());
  CAF_CHECK_EQUAL(one->status, 401);
}

CAF_TEST(an actor document without an answer or a start time) {
  auto none = http::actor_json("x", "store", 5, nullptr, "request_timeout",
                               true, 0);
  CAF_CHECK_EQUAL(none["answered"], false);
  CAF_CHECK_EQUAL(none["error"], "request_timeout");
  CAF_CHECK(!none.contains("details"));
  actor_summary s;
  s.name = "store";
  s.started_at = 1000;
  s.details = "not json";
  auto j = http::actor_json("store", "store", 5, &s, "", true, 62'000);
  CAF_CHECK_EQUAL(j["uptime_s"], 61);
  CAF_CHECK(j["last_message"].is_null());
  CAF_CHECK(j["details"].is_object());
  CAF_CHECK(j["details"].empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
