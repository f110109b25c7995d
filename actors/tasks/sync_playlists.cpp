#include "actors/tasks/sync_playlists.hpp"

#include "actors/gateway/provider_hub.hpp"

#include "messages/error.hpp"
#include "storage/database.hpp"
#include "storage/queries/playlists.hpp"
#include "storage/writes/playlists.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

namespace discotheque {

std::string playlist_mode(const std::map<std::string, std::string>& modes,
                          const std::string& provider_id) {
  auto it = modes.find(provider_id);
  return it == modes.end() ? "reference_only" : it->second;
}

bool owned_by(const playlist_dto& p, const std::string& me) {
  return !me.empty() && p.owner_id == me;
}

namespace {

using self_ptr = task_actor::stateful_pointer<sync_playlists_state>;

void next_source(self_ptr self);
void next_playlist(self_ptr self);

void note_error(self_ptr self, std::string what) {
  log::get("sync_playlists")->warn("{}", what);
  self->state.run.note_error(std::move(what));
}

const std::string& provider_name(self_ptr self) {
  return self->state.config.sources[self->state.source_index].first;
}

void finish(self_ptr self) {
  auto& st = self->state;
  auto r = st.run.result(run_status::succeeded);
  auto stats = st.run.stats();
  stats["unavailable"] = st.unavailable;
  r.stats_json = task_run::dump(stats);
  if (st.unavailable.size() == st.config.sources.size()) {
    r.status = run_status::skipped;
    r.reason = skip_reason::provider_unavailable;
  }
  st.run.finish(std::move(r));
}

/// A one-shot reader of a provider's stored playlist modes: SQLite blocks,
/// so in production it runs detached, off the scheduler threads.
caf::behavior mode_reader(caf::event_based_actor* self,
                          std::filesystem::path db_path, std::string provider) {
  return {
    [self, db_path, provider](atom::get_atom) {
      playlist_modes out;
      out.provider = provider;
      self->quit();
      if (db_path.empty() || !std::filesystem::exists(db_path))
        return out;
      try {
        auto db = storage::database::open(db_path,
                                          storage::database::mode::read_only);
        out.modes = storage::read_playlist_modes(db, provider);
      } catch (const std::exception& e) {
        log::get("sync_playlists")
          ->warn("{} playlist modes unreadable (reference_only assumed): {}",
                 provider, e.what());
      }
      return out;
    },
  };
}

/// Reads the stored sync modes of the current provider's playlists once
/// (a playlist without a row gets the schema's default), then `then`.
void load_modes(self_ptr self, std::function<void()> then) {
  auto& st = self->state;
  st.modes.clear();
  const auto& env = st.config.env;
  auto reader = env.detached
                  ? self->spawn<caf::detached>(mode_reader, env.db_path,
                                               provider_name(self))
                  : self->spawn(mode_reader, env.db_path, provider_name(self));
  self->request(reader, caf::infinite, atom::get_atom_v)
    .then(
      [self, then](playlist_modes& m) {
        self->state.modes = std::move(m.modes);
        then();
      },
      [then](const caf::error&) { then(); });
}

void write(self_ptr self, write_request req, std::function<void()> then) {
  auto& st = self->state;
  if (!st.config.env.store) {
    then();
    return;
  }
  self
    ->request(st.config.env.store, caf::infinite, atom::write_v, std::move(req))
    .then([then](const write_ack&) { then(); },
          [self, then](const caf::error& err) {
            note_error(self, "playlist write failed: " + render(err));
            then();
          });
}

void finish_playlist(self_ptr self, const std::string& error) {
  auto& st = self->state;
  if (!error.empty()) {
    note_error(self, error);
    if (st.mode == "auto_own_tracks")
      st.auto_own_complete = false;
  }
  ++st.run.count("playlists_synced");
  write(self,
        storage::link_playlist_tracks(st.current, st.track_ids, now_ms(),
                                      error),
        [self] { next_playlist(self); });
}

void items_page(self_ptr self, std::string cursor) {
  auto& st = self->state;
  page_request req{"playlist_items", std::move(cursor), st.current.provider_id};
  auto src = st.config.sources[st.source_index].second;
  self->request(src, caf::infinite, atom::src_page_v, req)
    .then(
      [self](source_page& page) {
        auto& st = self->state;
        if (page.skipped > 0)
          st.run.count("items_skipped") += page.skipped;
        auto next = page.next;
        ingest_batch batch;
        batch.source = provider_name(self);
        batch.reason = st.mode == "auto_own_tracks" ? "auto_own" : "";
        batch.run_id = st.run.request().run_id;
        batch.tracks = std::move(page.tracks);
        if (batch.tracks.empty()) {
          if (next.empty())
            finish_playlist(self, "");
          else
            items_page(self, next);
          return;
        }
        st.run.count("tracks") += static_cast<int64_t>(batch.tracks.size());
        self
          ->request(st.config.env.dedup, caf::infinite, atom::merge_v,
                    std::move(batch))
          .then(
            [self, next](const ingest_result& r) {
              auto& ids = self->state.track_ids;
              ids.insert(ids.end(), r.track_ids.begin(), r.track_ids.end());
              if (next.empty())
                finish_playlist(self, "");
              else
                items_page(self, next);
            },
            [self](const caf::error& err) {
              finish_playlist(self, "merge failed: " + render(err));
            });
      },
      [self](const caf::error& err) {
        auto& st = self->state;
        finish_playlist(self, provider_name(self) + " playlist "
                                + st.current.provider_id + ": " + render(err));
      });
}

void next_playlist(self_ptr self) {
  auto& st = self->state;
  if (st.playlists.empty()) {
    // every auto_own playlist of this provider came through: release claims
    // of tracks no longer in any of them
    if (st.any_auto_own && st.auto_own_complete && st.playlists_complete
        && st.config.env.dedup) {
      self
        ->request(st.config.env.dedup, caf::infinite, atom::reconcile_v,
                  provider_name(self), std::string{"auto_own"},
                  st.run.request().run_id)
        .then(
          [self](int64_t released) {
            self->state.run.count("released") += released;
            ++self->state.source_index;
            next_source(self);
          },
          [self](const caf::error& err) {
            note_error(self, "reconcile auto_own: " + render(err));
            ++self->state.source_index;
            next_source(self);
          });
      return;
    }
    ++st.source_index;
    next_source(self);
    return;
  }
  st.current = std::move(st.playlists.front());
  st.playlists.pop_front();
  st.track_ids.clear();
  write(self, storage::upsert_playlist(st.current, now_ms(), !st.me.empty()),
        [self] {
          auto& st = self->state;
          st.mode = playlist_mode(st.modes, st.current.provider_id);
          ++st.run.count(st.mode);
          if (st.mode == "disabled") {
            next_playlist(self);
            return;
          }
          if (st.mode == "auto_own_tracks")
            st.any_auto_own = true;
          items_page(self, "");
        });
}

void list_page(self_ptr self, std::string cursor) {
  auto& st = self->state;
  auto src = st.config.sources[st.source_index].second;
  self
    ->request(src, caf::infinite, atom::src_page_v,
              page_request{"playlists", std::move(cursor), ""})
    .then(
      [self](source_page& page) {
        auto& st = self->state;
        if (page.skipped > 0)
          st.playlists_complete = false;
        st.run.count("playlists")
          += static_cast<int64_t>(page.playlists.size());
        for (auto& p : page.playlists) {
          p.is_owner = owned_by(p, st.me);
          st.playlists.push_back(std::move(p));
        }
        if (!page.next.empty()) {
          list_page(self, page.next);
          return;
        }
        load_modes(self, [self] { next_playlist(self); });
      },
      [self](const caf::error& err) {
        auto& st = self->state;
        note_error(self, provider_name(self) + " playlists: " + render(err));
        st.playlists_complete = false;
        // sync what was listed so far
        load_modes(self, [self] { next_playlist(self); });
      });
}

/// Reads the user's id (to tell own playlists from followed ones), then
/// lists the playlists. Without it the playlists still sync.
void who_am_i(self_ptr self) {
  auto src = self->state.config.sources[self->state.source_index].second;
  self
    ->request(src, caf::infinite, atom::src_page_v, page_request{"me", "", ""})
    .then(
      [self](source_page& page) {
        self->state.me = std::move(page.user_id);
        list_page(self, "");
      },
      [self](const caf::error& err) {
        note_error(self, provider_name(self)
                           + " profile (is_owner left as "
                             "stored): "
                           + render(err));
        list_page(self, "");
      });
}

/// The current provider cannot be synced (not configured, not authenticated,
/// not answering): note it and go on with the next one.
void skip_source(self_ptr self) {
  auto& st = self->state;
  st.unavailable.push_back(provider_name(self));
  ++st.source_index;
  next_source(self);
}

void next_source(self_ptr self) {
  auto& st = self->state;
  if (st.source_index >= st.config.sources.size()) {
    finish(self);
    return;
  }
  st.playlists.clear();
  st.me.clear();
  st.playlists_complete = true;
  st.auto_own_complete = true;
  st.any_auto_own = false;
  auto src = st.config.sources[st.source_index].second;
  if (!src) {
    skip_source(self);
    return;
  }
  self->request(src, std::chrono::seconds{30}, atom::src_info_v)
    .then(
      [self](const source_info& info) {
        auto& st = self->state;
        if (!info.enabled || !info.authenticated || !st.config.env.dedup) {
          skip_source(self);
          return;
        }
        who_am_i(self);
      },
      [self](const caf::error&) { skip_source(self); });
}

} // namespace

task_actor::behavior_type
sync_playlists(task_actor::stateful_pointer<sync_playlists_state> self,
               sync_playlists_config config) {
  self->state.config = std::move(config);
  return {
    [self](atom::run, const task_request& req) -> caf::result<task_result> {
      auto& st = self->state;
      if (!st.run.begin(self, req))
        return st.run.refusal();
      st.source_index = 0;
      st.unavailable.clear();
      // The providers' current sources (the node may have restarted one, a
      // settings change switched one off: none then).
      if (st.config.env.providers)
        for (auto& [name, src] : st.config.sources) {
          auto p = st.config.env.providers->find(name);
          src = p ? p->source : source_actor{};
        }
      next_source(self);
      return st.run.promise();
    },
    [self](atom::progress) -> std::string {
      return self->state.run.progress_json(false);
    },
  };
}

} // namespace discotheque
