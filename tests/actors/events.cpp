#define CAF_SUITE actors.events
#include "fixture.hpp"

#include "actors/events.hpp"
#include "actors/inspect.hpp"

#include <caf/send.hpp>

#include <nlohmann/json.hpp>

using namespace discotheque;

namespace {

struct fixture : test::fixture_base {
  std::shared_ptr<inspection::directory> dir
    = std::make_shared<inspection::directory>();
  event_bus_actor bus;

  fixture() {
    event_bus_config cfg;
    cfg.directory = dir;
    bus = sys.spawn(event_bus, cfg);
    sched.run();
  }

  ~fixture() {
    anon_send_exit(bus, caf::exit_reason::user_shutdown);
    sched.run();
  }

  std::shared_ptr<http::stream_channel> subscribe(const std::string& filter) {
    auto ch = http::open_stream(8);
    caf::anon_send(bus, atom::ev_subscribe_v, event_subscription{ch, filter});
    sched.run();
    return ch;
  }

  void publish(const std::string& type, const nlohmann::json& data) {
    caf::anon_send(bus, atom::ev_publish_v, type, data.dump());
    sched.run();
  }

  nlohmann::json metrics() {
    auto got = std::make_shared<std::string>();
    sys.spawn(
      [got, b = bus](caf::event_based_actor* asker, int) {
        asker->request(b, caf::infinite, atom::ev_metrics_v)
          .then([got](const std::string& s) { *got = s; });
      },
      0);
    sched.run();
    return nlohmann::json::parse(*got);
  }

  /// Every chunk queued in `ch` so far, concatenated.
  static std::string drain(http::stream_channel& ch) {
    std::string all;
    while (auto c = ch.pop())
      all += *c;
    return all;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(events_tests, fixture)

CAF_TEST(an event reaches a listener as one SSE event) {
  auto ch = subscribe("");
  publish("task_started", {{"type", "task_started"}, {"task", "health_check"}});
  auto text = drain(*ch);
  CHECK_MSG(text.find("event: task_started\n") != std::string::npos, text);
  CHECK_MSG(text.find("data: {") != std::string::npos, text);
  CHECK_MSG(text.find("\"task\":\"health_check\"") != std::string::npos, text);
  CAF_CHECK(text.size() >= 2 && text.substr(text.size() - 2) == "\n\n");
}

CAF_TEST(a filter keeps only the events that mention one of its terms) {
  auto all = subscribe("");
  auto tasks = subscribe("task_,nothing");
  publish("task_finished", {{"task", "scan_local_library"}});
  publish("message", {{"actor", "store"}, {"message", "write"}});
  auto a = drain(*all);
  auto t = drain(*tasks);
  CAF_CHECK(a.find("event: message") != std::string::npos);
  CAF_CHECK(t.find("event: task_finished") != std::string::npos);
  CHECK_MSG(t.find("event: message") == std::string::npos, t);
}

CAF_TEST(finished tasks are counted by task and status with their durations) {
  publish("task_started", {{"task", "health_check"}});
  publish("task_finished", {{"task", "health_check"},
                            {"status", "succeeded"},
                            {"duration_ms", 1500}});
  publish("task_finished", {{"task", "health_check"},
                            {"status", "failed"},
                            {"duration_ms", 20}});
  auto m = metrics();
  auto runs = m["task_runs"];
  CAF_REQUIRE_EQUAL(runs.size(), 2u);
  auto h = m["task_duration_seconds"]["health_check"];
  auto count = h["count"].get<int>();
  CAF_CHECK_EQUAL(count, 2);
  auto sum = h["sum"].get<double>();
  CAF_CHECK(sum > 1.51 && sum < 1.53);
}

CAF_TEST(a closed listener is let go) {
  auto ch = subscribe("");
  auto before = metrics()["listeners"].get<int>();
  CAF_CHECK_EQUAL(before, 1);
  ch->close();
  publish("message", {{"x", 1}});
  auto after = metrics()["listeners"].get<int>();
  CAF_CHECK_EQUAL(after, 0);
}

CAF_TEST(message events name the actor as the directory does) {
  auto other = sys.spawn([](caf::event_based_actor*,
                            int) -> caf::behavior { return {[](int) {}}; },
                         0);
  dir->add("store", "store", caf::actor_cast<caf::strong_actor_ptr>(other));
  auto ch = subscribe("");
  caf::anon_send(bus, atom::ev_publish_v, uint64_t{other.id()},
                 std::string{"write"}, int64_t{1700000000000});
  sched.run();
  auto text = drain(*ch);
  CHECK_MSG(text.find("\"actor\":\"store\"") != std::string::npos, text);
  CHECK_MSG(text.find("\"message\":\"write\"") != std::string::npos, text);
  anon_send_exit(other, caf::exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(the process wide taps reach the running bus only while it listens) {
  // the tap points at the last bus spawned: this fixture's
  auto ch = subscribe("");
  events::publish("task_started", {{"task", "x"}});
  events::message_handled(12345, "tick");
  sched.run();
  auto text = drain(*ch);
  CHECK_MSG(text.find("\"task\":\"x\"") != std::string::npos, text);
  CHECK_MSG(text.find("\"time\":\"") != std::string::npos, text);
  CHECK_MSG(text.find("\"message\":\"tick\"") != std::string::npos, text);
  ch->close();
  publish("message", {}); // the bus notices, the tap learns: nobody listens
  events::message_handled(12345, "tick");
  sched.run();
  auto published = metrics()["events_published"].get<int>();
  CAF_CHECK_EQUAL(published, 3);
}

CAF_TEST(a slow listener loses events instead of holding the bus) {
  auto ch = subscribe(""); // room for 8 chunks
  for (int i = 0; i < 20; ++i)
    publish("progress", {{"i", i}});
  CAF_CHECK_EQUAL(ch->dropped(), 12u);
  auto dropped = metrics()["listener_dropped"].get<int>();
  CAF_CHECK_EQUAL(dropped, 12);
}

CAF_TEST(matching and the SSE text) {
  CAF_CHECK(event_matches("", "message", "{}"));
  CAF_CHECK(event_matches("store", "message", R"({"actor":"store"})"));
  CAF_CHECK(event_matches("x,task_", "task_started", "{}"));
  CAF_CHECK(!event_matches("gateway", "message", R"({"actor":"store"})"));
  CAF_CHECK_EQUAL(sse_chunk(7, "message", "{}"),
                  "id: 7\nevent: message\ndata: {}\n\n");
}

CAF_TEST_FIXTURE_SCOPE_END()
