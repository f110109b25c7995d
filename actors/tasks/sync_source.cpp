#include "actors/tasks/sync_source.hpp"

#include "actors/gateway/provider_hub.hpp"

#include "messages/error.hpp"
#include "storage/database.hpp"
#include "storage/queries/providers.hpp"
#include "storage/writes/provider_state.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

namespace discotheque {

bool read_auto_queue(const std::filesystem::path& db_path) {
  if (db_path.empty() || !std::filesystem::exists(db_path))
    return false;
  try {
    auto db = storage::database::open(db_path,
                                      storage::database::mode::read_only);
    return storage::read_auto_queue(db);
  } catch (const std::exception&) {
    return false;
  }
}

void sync_source_state::reset() {
  jobs.clear();
  pages_in_flight = 0;
  merges_in_flight = 0;
  incomplete.clear();
  aborted = false;
  abort_error.clear();
  reconciling = false;
}

std::string sync_source_state::progress_json() const {
  return run.progress_json(true);
}

namespace {

using self_ptr = task_actor::stateful_pointer<sync_source_state>;

void pump(self_ptr self);
void fetch_page(self_ptr self, sync_source_state::job job);

/// Records an entity-level error on the entity's row (if it exists yet).
void record_entity_error(self_ptr self, storage::provider_entity kind,
                         const std::string& provider_id,
                         const std::string& error) {
  auto& st = self->state;
  if (!st.config.env.store || provider_id.empty())
    return;
  auto req = storage::record_entity_error(kind, st.config.source, provider_id,
                                          error);
  self->request(st.config.env.store, caf::infinite, atom::write_v, req)
    .then([](const write_ack&) {}, [](const caf::error&) {});
}

void note_error(self_ptr self, std::string what) {
  auto& st = self->state;
  log::get(st.config.task)->warn("{}", what);
  if (!st.run.note_error(std::move(what)))
    ++st.run.count("errors_not_listed");
}

void finish(self_ptr self) {
  auto& st = self->state;
  auto r = st.run.result(run_status::succeeded);
  auto stats = st.run.stats();
  std::vector<std::string> inc(st.incomplete.begin(), st.incomplete.end());
  stats["not_reconciled"] = inc;
  stats["auto_queue"] = st.auto_queue;
  r.stats_json = task_run::dump(stats);
  if (st.aborted) {
    r.status = run_status::skipped;
    r.reason = skip_reason::provider_unavailable;
    r.error = st.abort_error;
  } else if (st.run.count("pages") == 0 && !st.run.errors().empty()) {
    r.status = run_status::failed;
    r.error = st.run.errors().front();
  }
  log::get(st.config.task)
    ->info("{}: {} pages, {} artists, {} albums, {} tracks, {} errors",
           to_string(r.status), st.run.count("pages"), st.run.count("artists"),
           st.run.count("albums"), st.run.count("tracks"),
           st.run.errors().size());
  st.reset();
  st.run.finish(std::move(r));
}

void reconcile(self_ptr self) {
  auto& st = self->state;
  st.reconciling = true;
  std::vector<std::string> reasons;
  for (const auto& list : st.config.lists)
    if (st.incomplete.count(list) == 0)
      reasons.push_back(list); // list name == claim reason
  if (reasons.empty()) {
    finish(self);
    return;
  }
  auto left = std::make_shared<size_t>(reasons.size());
  for (const auto& reason : reasons)
    self
      ->request(st.config.env.dedup, caf::infinite, atom::reconcile_v,
                st.config.source, reason, st.run.request().run_id)
      .then(
        [self, left](int64_t released) {
          self->state.run.count("released") += released;
          if (--*left == 0)
            finish(self);
        },
        [self, left, reason](const caf::error& err) {
          note_error(self, "reconcile " + reason + ": " + render(err));
          if (--*left == 0)
            finish(self);
        });
}

void merge(self_ptr self, const std::string& reason, source_page page) {
  auto& st = self->state;
  ingest_batch batch;
  batch.source = st.config.source;
  batch.reason = reason;
  batch.run_id = st.run.request().run_id;
  batch.auto_queue = st.auto_queue;
  batch.artists = std::move(page.artists);
  batch.albums = std::move(page.albums);
  batch.tracks = std::move(page.tracks);
  if (batch.artists.empty() && batch.albums.empty() && batch.tracks.empty())
    return;
  st.run.count("artists") += static_cast<int64_t>(batch.artists.size());
  st.run.count("albums") += static_cast<int64_t>(batch.albums.size());
  st.run.count("tracks") += static_cast<int64_t>(batch.tracks.size());
  ++st.merges_in_flight;
  self
    ->request(st.config.env.dedup, caf::infinite, atom::merge_v,
              std::move(batch))
    .then(
      [self](const ingest_result& r) {
        auto& st = self->state;
        --st.merges_in_flight;
        st.run.count("created") += r.created;
        st.run.count("merged") += r.merged;
        pump(self);
      },
      [self, reason](const caf::error& err) {
        auto& st = self->state;
        --st.merges_in_flight;
        st.incomplete.insert(reason);
        note_error(self,
                   "merge of a " + reason + " page failed: " + render(err));
        pump(self);
      });
}

void on_page(self_ptr self, sync_source_state::job job, source_page page) {
  auto& st = self->state;
  ++st.run.count("pages");
  if (page.skipped > 0) {
    st.run.count("items_skipped") += page.skipped;
    st.incomplete.insert(job.reason);
    for (auto& e : page.errors)
      note_error(self, st.config.source + " " + e);
  }
  if (!page.next.empty() && job.follow) {
    auto more = job;
    more.req.cursor = page.next;
    st.jobs.push_front(std::move(more));
  }
  if (job.follow)
    for (auto it = page.siblings.rbegin(); it != page.siblings.rend(); ++it) {
      auto sib = job;
      sib.req.cursor = *it;
      sib.follow = false;
      st.jobs.push_front(std::move(sib));
    }
  if (st.config.expand_followed && job.reason == "followed") {
    // followed artists -> their albums -> those albums' tracks
    if (job.req.list == "followed")
      for (const auto& a : page.artists) {
        const auto& pid = provider_id(a, st.config.source);
        if (!pid.empty())
          st.jobs.push_back({{"artist_albums", "", pid}, "followed"});
      }
    if (job.req.list == "artist_albums")
      for (const auto& al : page.albums) {
        const auto& pid = provider_id(al, st.config.source);
        if (!pid.empty())
          st.jobs.push_back({{"album_tracks", "", pid}, "followed"});
      }
  }
  merge(self, job.reason, std::move(page));
}

void pump(self_ptr self) {
  auto& st = self->state;
  if (!st.run.running() || st.reconciling)
    return;
  if (st.aborted) {
    if (st.pages_in_flight == 0 && st.merges_in_flight == 0)
      finish(self);
    return;
  }
  if (st.jobs.empty()) {
    if (st.pages_in_flight == 0 && st.merges_in_flight == 0)
      reconcile(self);
    return;
  }
  while (!st.jobs.empty()
         && st.pages_in_flight
              < std::max<size_t>(1, st.config.max_pages_in_flight)
         && st.merges_in_flight < st.config.max_merges_in_flight) {
    auto job = std::move(st.jobs.front());
    st.jobs.pop_front();
    ++st.pages_in_flight;
    fetch_page(self, std::move(job));
  }
}

void fetch_page(self_ptr self, sync_source_state::job job) {
  auto& st = self->state;
  self->request(st.config.src, caf::infinite, atom::src_page_v, job.req)
    .then(
      [self, job](source_page& page) {
        --self->state.pages_in_flight;
        on_page(self, job, std::move(page));
        pump(self);
      },
      [self, job](const caf::error& err) {
        auto& st = self->state;
        --st.pages_in_flight;
        auto what = st.config.source + " " + job.req.list
                    + (job.req.parent.empty() ? "" : " " + job.req.parent)
                    + ": " + render(err);
        if (err.category() == error_category()
            && static_cast<ec>(err.code()) == ec::provider_unavailable) {
          // Breaker open, blocked or not authenticated: stop this run; it
          // counts as skipped so that other tasks' dependents still run.
          st.aborted = true;
          st.abort_error = what;
          st.jobs.clear();
          note_error(self, what);
        } else {
          st.incomplete.insert(job.reason);
          note_error(self, what);
          if (job.req.list == "artist_albums")
            record_entity_error(self, storage::provider_entity::artist,
                                job.req.parent, what);
          else if (job.req.list == "album_tracks")
            record_entity_error(self, storage::provider_entity::album,
                                job.req.parent, what);
        }
        pump(self);
      });
}

/// A one-shot reader of the auto-queue setting: SQLite blocks, so in
/// production it runs detached, off the scheduler threads.
caf::behavior auto_queue_reader(caf::event_based_actor* self,
                                std::filesystem::path db_path) {
  return {
    [self, db_path](atom::get_atom) {
      self->quit();
      return read_auto_queue(db_path);
    },
  };
}

void list_all(self_ptr self) {
  auto& st = self->state;
  for (const auto& list : st.config.lists)
    st.jobs.push_back({{list, "", ""}, list});
  log::get(st.config.task)
    ->info("DISCOVER: syncing {} ({}), auto_queue={}", st.config.source,
           st.run.request().trigger, st.auto_queue);
  pump(self);
}

/// Reads auto_queue (off the scheduler when there is a database), then
/// queues the first page of every list.
void start_listing(self_ptr self) {
  auto& st = self->state;
  const auto& env = st.config.env;
  st.auto_queue = false;
  if (env.db_path.empty()) {
    list_all(self);
    return;
  }
  auto reader = env.detached
                  ? self->spawn<caf::detached>(auto_queue_reader, env.db_path)
                  : self->spawn(auto_queue_reader, env.db_path);
  self->request(reader, caf::infinite, atom::get_atom_v)
    .then(
      [self](bool auto_queue) {
        self->state.auto_queue = auto_queue;
        list_all(self);
      },
      [self](const caf::error&) { list_all(self); });
}

} // namespace

task_actor::behavior_type
sync_source(task_actor::stateful_pointer<sync_source_state> self,
            sync_source_config config) {
  self->state.config = std::move(config);
  self->state.run = task_run{self->state.config.task};
  return {
    [self](atom::run, const task_request& req) -> caf::result<task_result> {
      auto& st = self->state;
      if (st.run.running())
        return st.run.refusal();
      // The provider's current source (the node may have restarted it, a
      // settings change switched it off: none then).
      if (st.config.env.providers) {
        auto p = st.config.env.providers->find(st.config.source);
        st.config.src = p ? p->source : source_actor{};
      }
      if (!st.config.src)
        return task_result::skipped(req.task,
                                    skip_reason::provider_unavailable);
      st.reset();
      st.run.begin(self, req);
      self->request(st.config.src, std::chrono::seconds{30}, atom::src_info_v)
        .then(
          [self](const source_info& info) {
            auto& st = self->state;
            if (!info.enabled || !info.authenticated) {
              auto r = st.run.result(run_status::skipped);
              r.reason = skip_reason::provider_unavailable;
              r.error = info.name
                        + (info.enabled ? " is not authenticated"
                                        : " is not enabled");
              st.reset();
              st.run.finish(std::move(r));
              return;
            }
            if (!st.config.env.dedup) {
              st.reset();
              st.run.finish(
                make_error(ec::invalid_config, "no dedup store to merge into"));
              return;
            }
            start_listing(self);
          },
          [self](const caf::error& err) {
            auto& st = self->state;
            st.reset();
            st.run.finish(err);
          });
      return st.run.promise();
    },
    [self](atom::progress) -> std::string {
      return self->state.progress_json();
    },
  };
}

} // namespace discotheque
