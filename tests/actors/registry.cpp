#define CAF_SUITE actors.registry
#include "fixture.hpp"

#include "actors/registry.hpp"
#include "actors/tasks/task_env.hpp"
#include "messages/error.hpp"

#include <algorithm>
#include <chrono>
#include <set>

using namespace discotheque;
using namespace std::chrono_literals;

namespace {

task_def def(std::string name, std::vector<std::string> deps = {}) {
  return task_def{std::move(name), "x", std::move(deps), 1h, true, 1h, {}};
}

std::vector<std::string> names(const task_registry& reg) {
  std::vector<std::string> out;
  for (const auto& t : reg.tasks())
    out.push_back(t.name);
  return out;
}

std::set<std::string> as_set(const std::vector<std::string>& xs) {
  return {xs.begin(), xs.end()};
}

} // namespace

CAF_TEST(dependencies come first and the earliest defined ready task next) {
  auto reg = task_registry::make({def("d", {"b", "c"}), def("c", {"a"}),
                                  def("b", {"a"}), def("a"), def("e")});
  CAF_REQUIRE(reg);
  // a and e are ready at first; a goes first (defined earlier) and makes c
  // and b ready, which were defined before e, and so on.
  CAF_CHECK_EQUAL(names(*reg),
                  (std::vector<std::string>{"a", "c", "b", "d", "e"}));
  CAF_CHECK_EQUAL(reg->index_of("a"), 0);
  CAF_CHECK_EQUAL(reg->index_of("d"), 3);
  CAF_CHECK_EQUAL(reg->index_of("nope"), -1);
  CAF_REQUIRE(reg->find("c") != nullptr);
  CAF_CHECK_EQUAL(reg->find("c")->depends_on, (std::vector<std::string>{"a"}));
  CAF_CHECK(reg->find("nope") == nullptr);
  // the same definitions give the same order every time
  auto again = task_registry::make({def("d", {"b", "c"}), def("c", {"a"}),
                                    def("b", {"a"}), def("a"), def("e")});
  CAF_REQUIRE(again);
  CAF_CHECK_EQUAL(names(*again), names(*reg));
}

CAF_TEST(an empty table is a valid registry) {
  auto reg = task_registry::make({});
  CAF_REQUIRE(reg);
  CAF_CHECK(reg->tasks().empty());
}

CAF_TEST(an unknown dependency is refused naming both tasks) {
  auto reg = task_registry::make({def("a"), def("b", {"a", "ghost"})});
  CAF_REQUIRE(!reg);
  auto msg = render(reg.error());
  CHECK_MSG(msg.find("task 'b' depends on unknown task 'ghost'")
              != std::string::npos,
            msg);
}

CAF_TEST(a cycle is refused naming the tasks on it) {
  auto reg = task_registry::make({def("free"), def("x", {"z"}), def("y", {"x"}),
                                  def("z", {"y"}), def("after", {"x"})});
  CAF_REQUIRE(!reg);
  auto msg = render(reg.error());
  // "after" waits on the cycle, so it is left over with it
  CHECK_MSG(msg.find("cycle among: x, y, z, after") != std::string::npos, msg);
  CAF_CHECK(msg.find("free") == std::string::npos);
  auto self_loop = task_registry::make({def("me", {"me"})});
  CAF_REQUIRE(!self_loop);
  auto self_msg = render(self_loop.error());
  CHECK_MSG(self_msg.find("cycle among: me") != std::string::npos, self_msg);
}

CAF_TEST(a duplicate name is refused naming it) {
  auto reg = task_registry::make({def("a"), def("b"), def("a", {"b"})});
  CAF_REQUIRE(!reg);
  auto msg = render(reg.error());
  CHECK_MSG(msg.find("task 'a' is defined twice") != std::string::npos, msg);
}

CAF_TEST(the default tasks are the SPEC table) {
  task_env env;
  auto defs = default_tasks(env);
  auto reg = task_registry::make(defs);
  CAF_REQUIRE(reg);
  struct row {
    std::string name;
    std::string phase;
    std::vector<std::string> deps;
    std::chrono::seconds interval;
    bool enabled;
    bool implemented;
  };
  std::vector<std::string> syncs{"sync_spotify_likes", "sync_deezer_favorites",
                                 "sync_tidal_favorites"};
  std::vector<std::string> library{"scan_local_library", "sync_spotify_likes",
                                   "sync_deezer_favorites",
                                   "sync_tidal_favorites"};
  std::vector<row> spec{
    {"scan_local_library", "discover", {}, 1h, true, true},
    {"sync_spotify_likes", "discover", {}, 30min, true, true},
    {"sync_deezer_favorites", "discover", {}, 30min, true, true},
    {"sync_tidal_favorites", "discover", {}, 30min, true, true},
    {"sync_playlists", "discover", syncs, 1h, true, true},
    {"identify_artists", "identify", library, 2h, true, true},
    {"identify_albums", "identify", {"identify_artists"}, 2h, true, true},
    {"identify_tracks", "identify", {"identify_albums"}, 2h, true, true},
    {"enrich_metadata",
     "enrich",
     {"identify_artists", "identify_albums", "identify_tracks"},
     3h,
     true,
     false},
    {"expand_discography", "expand", {"enrich_metadata"}, 6h, true, true},
    {"enrich_images",
     "imagery",
     {"identify_artists", "identify_albums"},
     2h,
     true,
     true},
    {"cleanup_library",
     "cleanup",
     {"enrich_metadata", "enrich_images"},
     24h,
     true,
     true},
    {"health_check", "system", {}, 5min, true, true},
    {"download_queue", "download", {}, 5min, true, true},
    {"sync_new_releases", "discover", {"identify_artists"}, 24h, false, true},
  };
  CAF_CHECK_EQUAL(reg->tasks().size(), spec.size());
  for (const auto& r : spec) {
    const auto* t = reg->find(r.name);
    CHECK_MSG(t != nullptr, r.name << " is missing");
    if (t == nullptr)
      continue;
    CHECK_MSG(t->phase == r.phase, r.name << ": phase " << t->phase);
    CHECK_MSG(as_set(t->depends_on) == as_set(r.deps),
              r.name << ": other dependencies");
    CHECK_MSG(t->interval == r.interval,
              r.name << ": interval " << t->interval.count() << " s");
    CHECK_MSG(t->enabled_by_default == r.enabled, r.name << ": enabled");
    CHECK_MSG(static_cast<bool>(t->spawn) == r.implemented,
              r.name << ": implemented");
    CAF_CHECK(t->time_limit.count() > 0);
    for (const auto& dep : t->depends_on)
      CHECK_MSG(reg->index_of(dep) < reg->index_of(r.name),
                dep << " comes after " << r.name);
  }
}
