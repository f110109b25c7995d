#define CAF_SUITE actors.gateway.provider_hub
#include "fixture.hpp"

#include "actors/gateway/provider_hub.hpp"
#include "storage/migrations.hpp"
#include "storage/writes/provider_state.hpp"
#include "support/time.hpp"

#include <caf/event_based_actor.hpp>

using namespace discotheque;

namespace {

struct fixture : test::fixture_base {
  test::temp_dir dir;
  task_env env;

  fixture() {
    env.detached = false; // stay on the deterministic coordinator
    env.db_path = dir / "library.db";
    auto db = storage::database::open(env.db_path);
    storage::migrate(db);
  }

  template <class Handle, class... Ts>
  auto ask(Handle h, Ts... xs) {
    using reply = std::conditional_t<std::is_same_v<Handle, source_actor>,
                                     source_info, provider_status>;
    auto out = std::make_shared<reply>();
    sys.spawn([=](caf::event_based_actor* self) {
      self->request(h, caf::infinite, xs...).then([=](const reply& r) {
        *out = r;
      });
    });
    sched.run();
    return *out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(provider_hub_tests, fixture)

CAF_TEST(a provider starts from its persisted state and its config) {
  provider_config pc;
  pc.enabled = true;
  pc.access_token = "static";
  env.cfg.providers["deezer"] = pc;
  storage::provider_record saved;
  saved.has_state = true;
  saved.status.breaker_state = "open";
  saved.status.opened_at = now_ms(); // just opened: stays open
  saved.status.blocked_until = 4'000'000'000'000;
  saved.errors = {1, 2};
  auto p = spawn_provider(sys, env, deezer_provider(), saved);
  CAF_CHECK(p.descriptor == &deezer_provider());
  CAF_CHECK(p.authenticated);
  CAF_REQUIRE(p.source);
  auto info = ask(p.source, atom::src_info_v);
  CAF_CHECK_EQUAL(info.name, "deezer");
  CAF_CHECK(info.enabled);
  CAF_CHECK(info.authenticated);
  auto s = ask(p.gateway, atom::status_v);
  CAF_CHECK_EQUAL(s.provider, "deezer");
  CAF_CHECK_EQUAL(s.breaker_state, "open");
  CAF_CHECK_EQUAL(s.blocked_until, 4'000'000'000'000);
  CAF_CHECK(s.authenticated);
  provider_hub hub{std::vector<provider_actors>{p}}; // stops them at the end
}

CAF_TEST(the hub spawns every enabled provider and reads tokens before) {
  {
    auto db = storage::database::open(env.db_path);
    for (const auto& s :
         storage::persist_tokens("spotify", "acc", "ref", 4'000'000'000'000, "")
           .statements)
      db.run(s);
  }
  env.cfg.providers["spotify"].enabled = true;
  env.cfg.providers["tidal"].enabled = false;
  env.cfg.providers["tidal"].enabled_set = true;
  auto hub = provider_hub::start(sys, env);
  size_t enabled = 0;
  for (const auto& d : providers()) {
    auto c = env.cfg.providers.find(d.name);
    auto on = d.enabled_in(c != env.cfg.providers.end() ? c->second
                                                        : provider_config{});
    auto p = hub->find(d.name);
    CAF_CHECK_EQUAL(p.has_value(), on);
    if (!on || !p)
      continue;
    ++enabled;
    CAF_CHECK(p->descriptor == &d);
    CAF_CHECK(p->gateway);
    CAF_CHECK_EQUAL(static_cast<bool>(p->source), d.wire != nullptr);
  }
  CAF_CHECK_EQUAL(hub->all().size(), enabled);
  CAF_REQUIRE(hub->find("spotify").has_value());
  CAF_CHECK(hub->find("spotify")->authenticated);
  // not enabled (deezer by default, tidal by the config): no actors
  CAF_CHECK(!hub->find("tidal").has_value());
  CAF_CHECK(!hub->find("deezer").has_value());
  CAF_CHECK(!hub->find("nope").has_value());
  auto info = ask(hub->find("spotify")->source, atom::src_info_v);
  CAF_CHECK(info.enabled);
  CAF_CHECK(info.authenticated);
  hub.reset();
  sched.run();
}

CAF_TEST(a respawned provider starts from the state persisted since) {
  env.cfg.providers["deezer"].enabled = true;
  auto hub = provider_hub::start(sys, env);
  auto old = hub->find("deezer");
  CAF_REQUIRE(old.has_value());
  CAF_CHECK_EQUAL(ask(old->gateway, atom::status_v).breaker_state, "closed");
  {
    // what the old breaker wrote before it died
    auto db = storage::database::open(env.db_path);
    db.exec("INSERT INTO provider_state(provider, breaker_state, opened_at) "
            "VALUES ('deezer', 'open', "
            + std::to_string(now_ms()) + ")");
  }
  auto fresh = hub->respawn("deezer");
  CAF_REQUIRE(fresh.has_value());
  CAF_CHECK(fresh->gateway != old->gateway);
  CAF_CHECK(fresh->source != old->source);
  // the hub hands out the new actors from now on
  CAF_CHECK(hub->find("deezer")->gateway == fresh->gateway);
  auto count = hub->all().size();
  CAF_CHECK(count >= 1 && count <= providers().size());
  CAF_CHECK_EQUAL(ask(fresh->gateway, atom::status_v).breaker_state, "open");
  CAF_CHECK(ask(hub->find("deezer")->source, atom::src_info_v).enabled);
  CAF_CHECK(!hub->respawn("nope").has_value());
  hub.reset();
  sched.run();
}

CAF_TEST_FIXTURE_SCOPE_END()
