#include "actors/registry.hpp"

#include "actors/cloud.hpp"

#include "actors/tasks/health_check.hpp"
#include "actors/tasks/scan_local_library.hpp"
#include "actors/tasks/task_env.hpp"
#include "messages/error.hpp"

#include <set>

namespace discotheque {

caf::expected<task_registry> task_registry::make(std::vector<task_def> defs) {
  std::map<std::string, size_t> position;
  for (size_t i = 0; i < defs.size(); ++i)
    if (!position.emplace(defs[i].name, i).second)
      return make_error(ec::invalid_config,
                        "task '" + defs[i].name + "' is defined twice");
  for (const auto& d : defs)
    for (const auto& dep : d.depends_on)
      if (position.count(dep) == 0)
        return make_error(ec::invalid_config, "task '" + d.name
                                                + "' depends on unknown task '"
                                                + dep + "'");
  // Kahn's algorithm; among ready tasks the earliest definition goes first.
  std::vector<size_t> in_degree(defs.size(), 0);
  std::vector<std::vector<size_t>> dependents(defs.size());
  for (size_t i = 0; i < defs.size(); ++i)
    for (const auto& dep : defs[i].depends_on) {
      ++in_degree[i];
      dependents[position[dep]].push_back(i);
    }
  std::set<size_t> ready;
  for (size_t i = 0; i < defs.size(); ++i)
    if (in_degree[i] == 0)
      ready.insert(i);
  std::vector<size_t> order;
  while (!ready.empty()) {
    auto i = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(i);
    for (auto j : dependents[i])
      if (--in_degree[j] == 0)
        ready.insert(j);
  }
  if (order.size() != defs.size()) {
    std::string names;
    for (size_t i = 0; i < defs.size(); ++i)
      if (in_degree[i] > 0)
        names += (names.empty() ? "" : ", ") + defs[i].name;
    return make_error(ec::invalid_config,
                      "task dependencies form a cycle among: " + names);
  }
  task_registry result;
  for (auto i : order) {
    result.index_[defs[i].name] = static_cast<int>(result.tasks_.size());
    result.tasks_.push_back(std::move(defs[i]));
  }
  return result;
}

int task_registry::index_of(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? -1 : it->second;
}

const task_def* task_registry::find(const std::string& name) const {
  auto i = index_of(name);
  return i < 0 ? nullptr : &tasks_[static_cast<size_t>(i)];
}

std::vector<task_def> default_tasks(const task_env& env) {
  using namespace std::chrono_literals;
  using std::chrono::hours;
  using std::chrono::minutes;
  auto detached = env.detached;
  auto health_factory = [env, detached](caf::actor_system& sys) -> task_actor {
    if (detached)
      return sys.spawn<caf::detached>(health_check, env);
    return sys.spawn(health_check, env);
  };
  auto scan_factory = [env, detached](caf::actor_system& sys) -> task_actor {
    // The task actor itself only coordinates (never blocks): its walker and
    // tag readers are the detached ones.
    (void) detached;
    return sys.spawn(scan_local_library, env);
  };
  const std::vector<std::string> syncs{
    "sync_spotify_likes", "sync_deezer_favorites", "sync_tidal_favorites"};
  std::vector<std::string> library_tasks{"scan_local_library"};
  library_tasks.insert(library_tasks.end(), syncs.begin(), syncs.end());
  std::vector<task_def> defs{
    {"scan_local_library",
     "discover",
     {},
     hours(1),
     true,
     hours(6),
     scan_factory},
    {"sync_spotify_likes", "discover", {}, minutes(30), true, hours(2), {}},
    {"sync_deezer_favorites", "discover", {}, minutes(30), true, hours(2), {}},
    {"sync_tidal_favorites", "discover", {}, minutes(30), true, hours(2), {}},
    {"sync_playlists", "discover", syncs, hours(1), true, hours(2), {}},
    {"identify_artists",
     "identify",
     library_tasks,
     hours(2),
     true,
     hours(6),
     {}},
    {"identify_albums",
     "identify",
     {"identify_artists"},
     hours(2),
     true,
     hours(6),
     {}},
    {"identify_tracks",
     "identify",
     {"identify_albums"},
     hours(2),
     true,
     hours(6),
     {}},
    {"enrich_metadata",
     "enrich",
     {"identify_artists", "identify_albums", "identify_tracks"},
     hours(3),
     true,
     hours(6),
     {}},
    {"expand_discography",
     "expand",
     {"enrich_metadata"},
     hours(6),
     true,
     hours(6),
     {}},
    {"enrich_images",
     "imagery",
     {"identify_artists", "identify_albums"},
     hours(2),
     true,
     hours(6),
     {}},
    {"cleanup_library",
     "cleanup",
     {"enrich_metadata", "enrich_images"},
     hours(24),
     true,
     hours(2),
     {}},
    {"health_check",
     "system",
     {},
     minutes(5),
     true,
     minutes(2),
     health_factory},
    {"sync_new_releases",
     "discover",
     {"identify_artists"},
     hours(24),
     false,
     hours(2),
     {}},
  };
  attach_cloud_tasks(defs, env); // sync_* tasks (actors/cloud.cpp)
  return defs;
}

} // namespace discotheque
