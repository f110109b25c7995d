#define CAF_SUITE actors.node
#include "fixture.hpp"

#include "actors/node.hpp"
#include "messages/error.hpp"

#include <caf/event_based_actor.hpp>

#include <memory>

#include <nlohmann/json.hpp>
#include <vector>

using namespace discotheque;

namespace {

/// A stand-in for a supervised actor (spawned with an argument: CAF 0.17
/// dereferences an empty argument tuple).
caf::behavior dummy(caf::event_based_actor*, int) {
  return {[](int) {}};
}

struct fixture : test::fixture_base {
  caf::actor store_hdl;
  caf::actor reader_hdl;
  std::shared_ptr<std::vector<std::string>> fatal
    = std::make_shared<std::vector<std::string>>();
  std::shared_ptr<std::vector<caf::strong_actor_ptr>> replacements
    = std::make_shared<std::vector<caf::strong_actor_ptr>>();
  node_actor n;

  fixture() {
    store_hdl = sys.spawn(dummy, 0);
    reader_hdl = sys.spawn(dummy, 0);
    node_config cfg;
    cfg.components.push_back({"store",
                              caf::actor_cast<caf::strong_actor_ptr>(store_hdl),
                              {},
                              {},
                              {},
                              {}});
    cfg.components.push_back(
      {"reader",
       caf::actor_cast<caf::strong_actor_ptr>(reader_hdl),
       [this] {
         return caf::actor_cast<caf::strong_actor_ptr>(sys.spawn(dummy, 0));
       },
       [r = replacements](const caf::strong_actor_ptr& h) { r->push_back(h); },
       {},
       {}});
    cfg.max_restarts = 2;
    cfg.on_fatal = [f = fatal](const std::string& why) { f->push_back(why); };
    n = sys.spawn(node, std::move(cfg));
    sched.run();
  }

  ~fixture() {
    anon_send_exit(n, caf::exit_reason::user_shutdown);
    for (auto& r : *replacements)
      anon_send_exit(r, caf::exit_reason::user_shutdown);
    anon_send_exit(store_hdl, caf::exit_reason::user_shutdown);
    sched.run();
  }

  std::vector<node_health> health() {
    auto result = std::make_shared<std::vector<node_health>>();
    sys.spawn(
      [=, n = n](caf::event_based_actor* self, int) {
        self->request(n, caf::infinite, atom::status_v)
          .then([=](const std::vector<node_health>& h) { *result = h; });
      },
      0);
    sched.run();
    return *result;
  }

  void kill(const caf::strong_actor_ptr& h) {
    anon_send_exit(h, caf::exit_reason::kill);
    sched.run();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(node_tests, fixture)

CAF_TEST(a reader that dies is restarted and its users get the new one) {
  kill(caf::actor_cast<caf::strong_actor_ptr>(reader_hdl));
  CAF_REQUIRE_EQUAL(replacements->size(), 1u);
  CAF_CHECK(replacements->front() != nullptr);
  CAF_CHECK(fatal->empty());
  // the replacement is supervised too
  kill(replacements->front());
  CAF_CHECK_EQUAL(replacements->size(), 2u);
  sched.run();
  auto h = health();
  CAF_REQUIRE_EQUAL(h.size(), 2u);
  CAF_CHECK_EQUAL(h[1].name, "reader");
  CAF_CHECK_EQUAL(h[1].restarts, 2);
  CAF_CHECK(h[1].running);
  CAF_CHECK(h[0].running);
}

CAF_TEST(a component that keeps dying is fatal) {
  kill(caf::actor_cast<caf::strong_actor_ptr>(reader_hdl));
  kill(replacements->back());
  CAF_CHECK(fatal->empty());
  kill(replacements->back()); // the third death within the window
  CAF_REQUIRE_EQUAL(fatal->size(), 1u);
  CAF_CHECK(fatal->front().find("reader") != std::string::npos);
  CAF_CHECK_EQUAL(replacements->size(), 2u);
}

CAF_TEST(the store dying is fatal and reported once) {
  kill(caf::actor_cast<caf::strong_actor_ptr>(store_hdl));
  CAF_REQUIRE_EQUAL(fatal->size(), 1u);
  CAF_CHECK(fatal->front().find("store") != std::string::npos);
  auto h = health();
  CAF_CHECK(!h[0].running);
}

CAF_TEST(a group whose member dies is stopped and spawned again) {
  // A provider's actors: the gateway (handle) and the others (members).
  auto spawned = std::make_shared<std::vector<caf::strong_actor_ptr>>();
  auto make = [this] {
    return caf::actor_cast<caf::strong_actor_ptr>(sys.spawn(dummy, 0));
  };
  node_component group{"provider x", make(), {}, {}, {}, {}};
  group.members = {make(), make()};
  group.restart_group = [spawned, make] {
    std::vector<caf::strong_actor_ptr> fresh{make(), make(), make()};
    spawned->insert(spawned->end(), fresh.begin(), fresh.end());
    return fresh;
  };
  auto old = group.members;
  old.push_back(group.handle);
  node_config cfg;
  cfg.components.push_back(std::move(group));
  cfg.on_fatal = [f = fatal](const std::string& why) { f->push_back(why); };
  auto gn = sys.spawn(node, std::move(cfg));
  sched.run();
  // Who sees the old ones end.
  auto downs = std::make_shared<size_t>(0);
  auto watcher = sys.spawn(
    [=](caf::event_based_actor* self, int) -> caf::behavior {
      for (const auto& h : old)
        self->monitor(h);
      self->set_down_handler([=](caf::down_msg&) { ++*downs; });
      return {[](int) {}};
    },
    0);
  sched.run();
  kill(old[0]);                // one member dies
  CAF_CHECK_EQUAL(*downs, 3u); // the dead one and the two stopped
  CAF_REQUIRE_EQUAL(spawned->size(), 3u);
  CAF_CHECK(fatal->empty());
  // the new group is supervised as one again
  kill(spawned->at(2));
  CAF_CHECK_EQUAL(spawned->size(), 6u);
  auto result = std::make_shared<std::vector<node_health>>();
  sys.spawn(
    [=](caf::event_based_actor* self, int) {
      self->request(gn, caf::infinite, atom::status_v)
        .then([=](const std::vector<node_health>& h) { *result = h; });
    },
    0);
  sched.run();
  CAF_REQUIRE_EQUAL(result->size(), 1u);
  CAF_CHECK_EQUAL(result->front().restarts, 2);
  CAF_CHECK(result->front().running);
  anon_send_exit(gn, caf::exit_reason::user_shutdown);
  anon_send_exit(watcher, caf::exit_reason::user_shutdown);
  for (auto& h : *spawned)
    anon_send_exit(h, caf::exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(inspect lists the components and their restarts) {
  kill(caf::actor_cast<caf::strong_actor_ptr>(reader_hdl));
  auto got = std::make_shared<actor_summary>();
  sys.spawn(
    [=, n = n](caf::event_based_actor* self, int) {
      self->request(n, caf::infinite, atom::inspect_atom_v)
        .then([=](const actor_summary& s) { *got = s; });
    },
    0);
  sched.run();
  CAF_CHECK_EQUAL(got->name, "node");
  CAF_CHECK_EQUAL(got->summary, "2 of 2 components running, 1 restarts");
  auto details = nlohmann::json::parse(got->details);
  CAF_REQUIRE_EQUAL(details["components"].size(), 2u);
  CAF_CHECK_EQUAL(details["components"][0]["name"], "store");
  CAF_CHECK_EQUAL(details["components"][0]["restartable"], false);
  CAF_CHECK_EQUAL(details["components"][1]["name"], "reader");
  CAF_CHECK_EQUAL(details["components"][1]["restarts"], 1);
  CAF_CHECK_EQUAL(details["fatal"], false);
}

CAF_TEST(an ordered shutdown is no failure) {
  anon_send_exit(n, caf::exit_reason::user_shutdown);
  sched.run();
  anon_send_exit(store_hdl, caf::exit_reason::user_shutdown);
  sched.run();
  CAF_CHECK(fatal->empty());
}

CAF_TEST(a respawn after a settings change replaces a provider on purpose) {
  auto spawned = std::make_shared<std::vector<caf::strong_actor_ptr>>();
  auto make = [this] {
    return caf::actor_cast<caf::strong_actor_ptr>(sys.spawn(dummy, 0));
  };
  // What the hub answers: two actors, or none once the provider is disabled.
  auto enabled = std::make_shared<bool>(true);
  auto restart = [spawned, make, enabled] {
    if (!*enabled)
      return std::vector<caf::strong_actor_ptr>{};
    std::vector<caf::strong_actor_ptr> fresh{make(), make()};
    spawned->insert(spawned->end(), fresh.begin(), fresh.end());
    return fresh;
  };
  node_component group{"provider x", make(), {}, {}, {}, {}};
  group.members = {make()};
  group.restart_group = restart;
  auto old = group.members;
  old.push_back(group.handle);
  node_config cfg;
  cfg.components.push_back(std::move(group));
  cfg.on_fatal = [f = fatal](const std::string& why) { f->push_back(why); };
  cfg.provider_component
    = [restart](const std::string& name) -> std::optional<node_component> {
    if (name != "y")
      return std::nullopt;
    node_component c{"provider y", {}, {}, {}, {}, {}};
    c.restart_group = restart;
    return c;
  };
  auto gn = sys.spawn(node, std::move(cfg));
  sched.run();
  auto answer = std::make_shared<std::vector<bool>>();
  auto respawn = [&](const std::string& name) {
    sys.spawn(
      [=](caf::event_based_actor* self, int) {
        self->request(gn, caf::infinite, atom::respawn_v, name)
          .then([=](bool b) { answer->push_back(b); });
      },
      0);
    sched.run();
  };
  respawn("x");
  CAF_REQUIRE_EQUAL(answer->size(), 1u);
  CAF_CHECK(answer->back());
  CAF_REQUIRE_EQUAL(spawned->size(), 2u);
  // the hub stops the old ones: no failure, no restart
  for (auto& h : old)
    kill(h);
  CAF_CHECK_EQUAL(spawned->size(), 2u);
  CAF_CHECK(fatal->empty());
  // the new ones are supervised: one dying is a restart
  kill(spawned->at(1));
  CAF_CHECK_EQUAL(spawned->size(), 4u);
  // a provider that had no actors gets its component; an unknown one none
  respawn("y");
  CAF_CHECK_EQUAL(spawned->size(), 6u);
  respawn("z");
  CAF_REQUIRE_EQUAL(answer->size(), 3u);
  CAF_CHECK(answer->at(1));
  CAF_CHECK(!answer->at(2));
  // disabled: no actors, and nothing to supervise
  *enabled = false;
  respawn("x");
  CAF_CHECK(!answer->back());
  auto result = std::make_shared<std::vector<node_health>>();
  sys.spawn(
    [=](caf::event_based_actor* self, int) {
      self->request(gn, caf::infinite, atom::status_v)
        .then([=](const std::vector<node_health>& h) { *result = h; });
    },
    0);
  sched.run();
  CAF_REQUIRE_EQUAL(result->size(), 2u);
  CAF_CHECK_EQUAL(result->at(0).name, "provider x");
  auto x_restarts = result->at(0).restarts;
  CAF_CHECK_EQUAL(x_restarts, 1);
  CAF_CHECK(!result->at(0).running);
  CAF_CHECK(result->at(1).running);
  CAF_CHECK(fatal->empty());
  anon_send_exit(gn, caf::exit_reason::user_shutdown);
  for (auto& h : *spawned)
    anon_send_exit(h, caf::exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST_FIXTURE_SCOPE_END()
