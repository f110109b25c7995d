#define CAF_SUITE actors.sources.providers
#include "fixture.hpp"

#include "actors/registry.hpp"
#include "actors/sources/providers.hpp"
#include "actors/tasks/task_env.hpp"
#include "config/config.hpp"

#include <algorithm>
#include <set>

using namespace discotheque;

namespace {

bool contains(const std::vector<std::string>& xs, const std::string& x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

} // namespace

CAF_TEST(the descriptor list is complete and consistent) {
  const auto& all = providers();
  CAF_REQUIRE(!all.empty());
  std::set<std::string> names;
  std::set<std::string> tasks;
  for (const auto& d : all) {
    CAF_MESSAGE("provider " << d.name);
    CHECK_MSG(!d.name.empty(), "a provider without a name");
    auto fresh_name = names.insert(d.name).second;
    CHECK_MSG(fresh_name, d.name << " is listed twice");
    CHECK_MSG(contains(known_providers(), d.name),
              d.name << " is not an accepted config key");
    CAF_CHECK(find_provider(d.name) == &d);
    // defaults: absolute https bases (a download client: a daemon on this
    // machine) without trailing slash, a real rate
    auto scheme = d.kind == provider_kind::download_client ? "http://127.0.0.1"
                                                           : "https://";
    CHECK_MSG(d.defaults.api_base.rfind(scheme, 0) == 0,
              d.name << " api_base " << d.defaults.api_base);
    CAF_CHECK_EQUAL(trim_slash(d.defaults.api_base), d.defaults.api_base);
    CAF_CHECK_EQUAL(trim_slash(d.defaults.auth_base), d.defaults.auth_base);
    CHECK_MSG(d.defaults.rate_per_second > 0
                && d.defaults.rate_per_second <= 100,
              d.name << " rate " << d.defaults.rate_per_second);
    CAF_CHECK(d.classify != nullptr);
    // OAuth refresh needs a token endpoint on an auth host and a flow
    if (d.refreshable()) {
      CHECK_MSG(d.defaults.auth_base.rfind("https://", 0) == 0,
                d.name << " auth_base " << d.defaults.auth_base);
      CAF_CHECK(d.defaults.token_path.rfind("/", 0) == 0);
      CAF_CHECK(d.oauth.has_value());
      CAF_CHECK(d.needs_auth());
    }
    if (d.oauth) {
      CAF_CHECK(!d.oauth->display.empty());
      CAF_CHECK(!d.oauth->scopes.empty());
      CAF_CHECK(!d.oauth->authorize_path.empty()
                || d.oauth->authorize_url.rfind("https://", 0) == 0);
    }
    if (d.auth == auth_mode::query_token || d.auth == auth_mode::header_key)
      CHECK_MSG(!d.auth_param.empty(), d.name << " names no auth parameter");
    // its source speaks for it; a task or playlists need a source
    if (d.wire)
      CAF_CHECK_EQUAL(d.wire->provider, d.name);
    if (!d.tasks.empty() || d.playlists)
      CHECK_MSG(d.wire != nullptr, d.name << " has tasks but no source");
    for (const auto& t : d.tasks) {
      auto fresh_task = tasks.insert(t.name).second;
      CHECK_MSG(fresh_task, t.name << " is defined twice");
      CAF_CHECK(!t.lists.empty());
      CAF_CHECK(t.interval.count() > 0);
      CAF_CHECK(t.time_limit.count() > 0);
      CAF_CHECK(!t.phase.empty());
    }
  }
}

CAF_TEST(the registry takes the provider tasks from the descriptors) {
  task_env env;
  auto defs = default_tasks(env);
  auto find = [&](const std::string& name) -> const task_def* {
    for (const auto& d : defs)
      if (d.name == name)
        return &d;
    return nullptr;
  };
  const auto* playlists = find("sync_playlists");
  const auto* identify = find("identify_artists");
  CAF_REQUIRE(playlists != nullptr);
  CAF_REQUIRE(identify != nullptr);
  CAF_CHECK(contains(identify->depends_on, "scan_local_library"));
  for (const auto& d : providers())
    for (const auto& t : d.tasks) {
      const auto* def = find(t.name);
      CHECK_MSG(def != nullptr, t.name << " is not in the registry");
      if (!def)
        continue;
      CAF_CHECK_EQUAL(def->phase, t.phase);
      CAF_CHECK(def->interval == t.interval);
      CAF_CHECK(static_cast<bool>(def->spawn));
      CAF_CHECK_EQUAL(contains(playlists->depends_on, t.name),
                      t.feeds_playlists);
      CAF_CHECK_EQUAL(contains(identify->depends_on, t.name), t.library);
    }
  // today's table, spelled out once
  std::vector<std::string> feeds{"sync_spotify_likes", "sync_deezer_favorites",
                                 "sync_tidal_favorites"};
  CAF_CHECK(playlists->depends_on == feeds);
  CAF_CHECK(find("sync_spotify_likes")->interval == std::chrono::minutes(30));
  CAF_CHECK(find("sync_deezer_favorites")->time_limit == std::chrono::hours(2));
}
