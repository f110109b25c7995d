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

CAF_TEST(credentials from the settings API win and a respawn applies them) {
  // The config file knows deezer with an old token but leaves it off.
  env.cfg.providers["deezer"].access_token = "from-config";
  auto settings = [&](const std::string& sql) {
    auto db = storage::database::open(env.db_path);
    db.exec(sql);
  };
  settings("INSERT INTO settings(key, value) VALUES"
           " ('providers.deezer.enabled', 'true'),"
           " ('providers.deezer.access_token', '\"from-api\"')");
  auto hub = provider_hub::start(sys, env);
  auto first = hub->find("deezer");
  CAF_REQUIRE(first.has_value());
  CAF_REQUIRE(first->tokens);
  auto token = std::make_shared<std::string>();
  auto token_of = [&](const provider_actors& p) {
    sys.spawn([=, h = p.tokens](caf::event_based_actor* self) {
      self->request(h, caf::infinite, atom::tok_get_v)
        .then([=](const std::string& t) { *token = t; });
    });
    sched.run();
    return *token;
  };
  auto t1 = token_of(*first);
  CAF_CHECK_EQUAL(t1, "from-api");
  // a new token: the respawned actors carry it, the hub hands them out
  settings("UPDATE settings SET value = '\"newer\"'"
           " WHERE key = 'providers.deezer.access_token'");
  auto second = hub->respawn("deezer");
  CAF_REQUIRE(second.has_value());
  CAF_CHECK(second->gateway != first->gateway);
  CAF_CHECK(hub->find("deezer")->gateway == second->gateway);
  auto t2 = token_of(*second);
  CAF_CHECK_EQUAL(t2, "newer");
  // switched off: no actors any more
  settings("UPDATE settings SET value = 'false'"
           " WHERE key = 'providers.deezer.enabled'");
  CAF_CHECK(!hub->respawn("deezer").has_value());
  CAF_CHECK(!hub->find("deezer").has_value());
  // a provider that had no actors gets them once enabled with a token
  CAF_CHECK(!hub->find("tidal").has_value());
  settings("INSERT INTO settings(key, value) VALUES"
           " ('providers.tidal.enabled', 'true')");
  settings("INSERT INTO provider_tokens(provider, refresh_token)"
           " VALUES ('tidal', 'ref')");
  auto tidal = hub->respawn("tidal");
  CAF_REQUIRE(tidal.has_value());
  CAF_CHECK(tidal->authenticated);
  CAF_CHECK(hub->find("tidal").has_value());
  hub.reset();
  sched.run();
}

CAF_TEST(with_persisted overrides only what was stored) {
  provider_config pc;
  pc.client_id = "cfg-id";
  pc.client_secret = "cfg-secret";
  pc.access_token = "cfg-token";
  std::map<std::string, std::string> stored{{"client_id", "\"api-id\""},
                                            {"api_key", "\"api-key\""},
                                            {"enabled", "false"},
                                            {"client_secret",
                                             "\"\""}, // empty: not a value
                                            {"unknown", "\"x\""}};
  auto out = with_persisted(pc, stored);
  CAF_CHECK_EQUAL(out.client_id, "api-id");
  CAF_CHECK_EQUAL(out.client_secret, "cfg-secret");
  CAF_CHECK_EQUAL(out.access_token, "api-key");
  CAF_CHECK(out.enabled_set);
  CAF_CHECK(!out.enabled);
  CAF_CHECK(!deezer_provider().enabled_in(out));
}

CAF_TEST(the credentials of each provider follow its auth) {
  auto fields = [](const provider_descriptor& d) {
    std::string out;
    for (const auto& c : d.credentials())
      out += (out.empty() ? "" : ",") + c.field;
    return out;
  };
  auto spotify = fields(spotify_provider());
  auto tidal = fields(tidal_provider());
  auto deezer = fields(deezer_provider());
  auto slskd = fields(slskd_provider());
  auto musicbrainz = fields(musicbrainz_provider());
  CAF_CHECK_EQUAL(spotify, "client_id,client_secret,refresh_token");
  CAF_CHECK_EQUAL(tidal, "client_id,refresh_token");
  CAF_CHECK_EQUAL(deezer, "access_token");
  CAF_CHECK_EQUAL(slskd, "api_key");
  CAF_CHECK_EQUAL(musicbrainz, "");
  CAF_CHECK(!musicbrainz_provider().user_enabled());
  CAF_CHECK(slskd_provider().user_enabled());
}

CAF_TEST_FIXTURE_SCOPE_END()
