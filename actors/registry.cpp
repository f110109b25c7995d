#include "actors/registry.hpp"

#include "actors/downloads/worker.hpp"
#include "actors/gateway/provider_hub.hpp"
#include "actors/sources/providers.hpp"
#include "actors/tasks/cleanup_library.hpp"
#include "actors/tasks/enrich_images.hpp"
#include "actors/tasks/expand_discography.hpp"
#include "actors/tasks/health_check.hpp"
#include "actors/tasks/identify_albums.hpp"
#include "actors/tasks/identify_artists.hpp"
#include "actors/tasks/identify_tracks.hpp"
#include "actors/tasks/scan_local_library.hpp"
#include "actors/tasks/sync_playlists.hpp"
#include "actors/tasks/sync_source.hpp"
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

namespace {

/// The task definition of a provider task: a sync_source run bound to the
/// provider's source actor.
task_def provider_task_def(const task_env& env, const provider_descriptor& d,
                           const provider_task& t) {
  task_def def{t.name,       t.phase, {}, t.interval, t.enabled_by_default,
               t.time_limit, {}};
  def.spawn = [env, provider = d.name, t](caf::actor_system& sys) {
    sync_source_config sc;
    sc.env = env;
    sc.task = t.name;
    sc.source = provider;
    sc.lists = t.lists;
    sc.expand_followed = t.expand_followed;
    if (env.providers)
      if (auto p = env.providers->find(provider))
        sc.src = p->source;
    return task_actor{sys.spawn(sync_source, sc)};
  };
  return def;
}

task_factory sync_playlists_factory(const task_env& env) {
  return [env](caf::actor_system& sys) {
    sync_playlists_config pc;
    pc.env = env;
    for (const auto& d : providers())
      if (d.playlists) {
        source_actor src;
        if (env.providers)
          if (auto p = env.providers->find(d.name))
            src = p->source;
        pc.sources.emplace_back(d.name, src);
      }
    return task_actor{sys.spawn(sync_playlists, pc)};
  };
}

task_factory identify_artists_factory(const task_env& env) {
  return [env](caf::actor_system& sys) {
    identify_artists_config ic;
    ic.env = env;
    if (env.providers)
      if (auto p = env.providers->find(musicbrainz::provider_name))
        ic.gateway = p->gateway;
    return task_actor{sys.spawn(identify_artists, ic)};
  };
}

task_factory identify_albums_factory(const task_env& env) {
  return [env](caf::actor_system& sys) {
    identify_albums_config ic;
    ic.env = env;
    return task_actor{sys.spawn(identify_albums, ic)};
  };
}

task_factory identify_tracks_factory(const task_env& env) {
  return [env](caf::actor_system& sys) {
    identify_tracks_config ic;
    ic.env = env;
    return task_actor{sys.spawn(identify_tracks, ic)};
  };
}

task_factory download_queue_factory(const task_env& env) {
  return [env](caf::actor_system& sys) {
    provider_gateway_actor gateway;
    if (env.providers)
      if (auto p = env.providers->find(slskd::provider_name))
        gateway = p->gateway;
    // Coordinates only: its loader and importers are the detached ones.
    return task_actor{sys.spawn(download_worker, env, gateway)};
  };
}

/// expand_discography, or with `new_releases` sync_new_releases: the same
/// actor, the second only adding what was released since its last run.
task_factory expand_factory(const task_env& env, std::string task,
                            bool new_releases) {
  return [env, task, new_releases](caf::actor_system& sys) {
    expand_discography_config ec;
    ec.env = env;
    ec.task = task;
    ec.new_releases = new_releases;
    // Coordinates only: its reader is detached.
    return task_actor{sys.spawn(expand_discography, ec)};
  };
}

} // namespace

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
  // The provider tasks come from the descriptors (actors/sources/).
  std::vector<task_def> defs{
    {"scan_local_library",
     "discover",
     {},
     hours(1),
     true,
     hours(6),
     scan_factory},
  };
  std::vector<std::string> library_tasks{"scan_local_library"};
  std::vector<std::string> playlist_inputs;
  for (const auto& d : providers())
    for (const auto& t : d.tasks) {
      defs.push_back(provider_task_def(env, d, t));
      if (t.library)
        library_tasks.push_back(t.name);
      if (t.feeds_playlists)
        playlist_inputs.push_back(t.name);
    }
  std::vector<task_def> rest{
    {"sync_playlists", "discover", playlist_inputs, hours(1), true, hours(2),
     sync_playlists_factory(env)},
    {"identify_artists", "identify", library_tasks, hours(2), true, hours(6),
     identify_artists_factory(env)},
    {"identify_albums",
     "identify",
     {"identify_artists"},
     hours(2),
     true,
     hours(6),
     identify_albums_factory(env)},
    {"identify_tracks",
     "identify",
     {"identify_albums"},
     hours(2),
     true,
     hours(6),
     identify_tracks_factory(env)},
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
     expand_factory(env, "expand_discography", false)},
    {"enrich_images",
     "imagery",
     {"identify_artists", "identify_albums"},
     hours(2),
     true,
     hours(6),
     [env](caf::actor_system& sys) -> task_actor {
       // Coordinates only: its loader and the pool's workers are detached.
       return sys.spawn(enrich_images, env);
     }},
    {"cleanup_library",
     "cleanup",
     {"enrich_metadata", "enrich_images"},
     hours(24),
     true,
     hours(2),
     [env](caf::actor_system& sys) -> task_actor {
       // Only sends one write to the store: never blocks.
       return sys.spawn(cleanup_library, env);
     }},
    {"health_check",
     "system",
     {},
     minutes(5),
     true,
     minutes(2),
     health_factory},
    // SPEC §6: separate from the library's phases; it skips itself while
    // slskd is not enabled.
    {"download_queue",
     "download",
     {},
     minutes(5),
     true,
     hours(6),
     download_queue_factory(env)},
    {"sync_new_releases",
     "discover",
     {"identify_artists"},
     hours(24),
     false,
     hours(2),
     expand_factory(env, "sync_new_releases", true)},
  };
  defs.insert(defs.end(), std::make_move_iterator(rest.begin()),
              std::make_move_iterator(rest.end()));
  return defs;
}

} // namespace discotheque
