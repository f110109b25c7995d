#define CAF_SUITE actors.inspect
#include "fixture.hpp"

#include "actors/inspect.hpp"
#include "messages/interfaces.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

using namespace discotheque;

namespace {

/// A small inspectable actor: counts ticks, answers stats and inspect.
using probe_actor = caf::typed_actor<
  caf::replies_to<atom::stats>::with<int>,
  caf::reacts_to<atom::tick_atom>>::extend_with<inspectable_actor>;

struct probe_state {
  static inline const char* name = "probe";
  int ticks = 0;
};

probe_actor::behavior_type
probe(probe_actor::stateful_pointer<probe_state> self, int start) {
  self->state.ticks = start;
  return {
    [self](atom::stats) { return self->state.ticks; },
    [self](atom::tick_atom) { ++self->state.ticks; },
    [self](atom::inspect_atom) {
      return inspection::summarize(
        self, "probe", std::to_string(self->state.ticks) + " ticks",
        nlohmann::json{{"ticks", self->state.ticks}});
    },
  };
}

struct fixture : test::fixture_base {
  /// Asks `p` with a regular (event-based) asker, so the answer comes back
  /// under the test coordinator.
  actor_summary inspect(const probe_actor& p) {
    auto got = std::make_shared<actor_summary>();
    sys.spawn(
      [got, p](caf::event_based_actor* asker, int) {
        asker->request(p, caf::infinite, atom::inspect_atom_v)
          .then([got](const actor_summary& s) { *got = s; });
      },
      0);
    sched.run();
    return *got;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(inspect_tests, fixture)

CAF_TEST(a counted actor reports what it handled and its last message) {
  auto p = sys.spawn(inspection::counting(probe), 10);
  sched.run();
  auto first = inspect(p);
  CAF_CHECK_EQUAL(first.name, "probe");
  CAF_CHECK_EQUAL(first.kind, "probe");
  CAF_CHECK_EQUAL(first.id, p.id());
  CAF_CHECK_EQUAL(first.handled, 0u);
  CAF_CHECK_EQUAL(first.last_message, "");
  CAF_CHECK(first.started_at > 0);
  CAF_CHECK_EQUAL(first.summary, "10 ticks");
  auto details = nlohmann::json::parse(first.details);
  CAF_CHECK_EQUAL(details["ticks"], 10);
  caf::anon_send(p, atom::tick_atom_v);
  caf::anon_send(p, atom::tick_atom_v);
  sched.run();
  auto second = inspect(p);
  // the first inspect and the two ticks; not the inspect being answered
  CAF_CHECK_EQUAL(second.handled, 3u);
  CAF_CHECK_EQUAL(second.last_message, "tick");
  CAF_CHECK_EQUAL(second.summary, "12 ticks");
  caf::anon_send(p, atom::tick_atom_v);
  sched.run();
  auto third = inspect(p);
  CAF_CHECK_EQUAL(third.handled, 5u);
  CAF_CHECK_EQUAL(third.last_message, "tick");
  auto fourth = inspect(p);
  CAF_CHECK_EQUAL(fourth.handled, 6u);
  CAF_CHECK_EQUAL(fourth.last_message, "inspect");
  anon_send_exit(p, caf::exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(the mailbox size is what waits behind the inspect request) {
  auto p = sys.spawn(inspection::counting(probe), 0);
  sched.run();
  auto got = std::make_shared<actor_summary>();
  sys.spawn(
    [got, p](caf::event_based_actor* asker, int) {
      asker->request(p, caf::infinite, atom::inspect_atom_v)
        .then([got](const actor_summary& s) { *got = s; });
      asker->send(p, atom::tick_atom_v);
      asker->send(p, atom::tick_atom_v);
      asker->send(p, atom::tick_atom_v);
    },
    0);
  sched.run();
  CAF_CHECK_EQUAL(got->mailbox, 3u);
  CAF_CHECK_EQUAL(got->summary, "0 ticks");
  anon_send_exit(p, caf::exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(an actor spawned without counting still answers with zero counters) {
  auto p = sys.spawn(probe, 1);
  sched.run();
  caf::anon_send(p, atom::tick_atom_v);
  sched.run();
  auto s = inspect(p);
  CAF_CHECK_EQUAL(s.handled, 0u);
  CAF_CHECK_EQUAL(s.started_at, 0);
  CAF_CHECK_EQUAL(s.summary, "2 ticks");
  anon_send_exit(p, caf::exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(the directory lists live actors by name and forgets dead ones) {
  inspection::directory dir;
  auto a = sys.spawn(probe, 0);
  auto b = sys.spawn(probe, 0);
  auto c = sys.spawn(probe, 0);
  sched.run();
  auto strong = [](const probe_actor& h) {
    return caf::actor_cast<caf::strong_actor_ptr>(h);
  };
  dir.add("a", "probe", strong(a));
  dir.add("b", "probe", strong(b));
  dir.add("null", "probe", nullptr); // ignored
  auto listed = dir.list();
  CAF_REQUIRE_EQUAL(listed.size(), 2u);
  CAF_CHECK_EQUAL(listed[0].name, "a");
  CAF_CHECK_EQUAL(listed[1].name, "b");
  CAF_CHECK(listed[0].handle == strong(a));
  // a respawn is listed under the same name, in the same place
  dir.add("a", "probe2", strong(c));
  listed = dir.list();
  CAF_REQUIRE_EQUAL(listed.size(), 2u);
  CAF_CHECK_EQUAL(listed[0].name, "a");
  CAF_CHECK_EQUAL(listed[0].kind, "probe2");
  CAF_CHECK(listed[0].handle == strong(c));
  CAF_CHECK(dir.find("b").has_value());
  CAF_CHECK(!dir.find("nobody").has_value());
  // an actor that is gone is no longer listed (the directory holds no
  // strong reference that would keep it alive)
  listed.clear();
  anon_send_exit(b, caf::exit_reason::user_shutdown);
  sched.run();
  b = nullptr;
  listed = dir.list();
  CAF_REQUIRE_EQUAL(listed.size(), 1u);
  CAF_CHECK_EQUAL(listed[0].name, "a");
  CAF_CHECK(!dir.find("b").has_value());
  listed.clear();
  anon_send_exit(a, caf::exit_reason::user_shutdown);
  anon_send_exit(c, caf::exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST_FIXTURE_SCOPE_END()
