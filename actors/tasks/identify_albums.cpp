#include "actors/tasks/identify_albums.hpp"

#include "actors/gateway/provider_hub.hpp"
#include "actors/gateway/response_cache.hpp"
#include "actors/tasks/identify_artists.hpp"
#include "identify/album_library.hpp"
#include "messages/error.hpp"
#include "storage/queries/identify.hpp"
#include "storage/writes/identify.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/event_based_actor.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace discotheque {

using nlohmann::json;
namespace mb = musicbrainz;

void identify_albums_state::reset() {
  queue.clear();
  jobs.clear();
  groups.clear();
  writes_in_flight = 0;
  loaded = false;
}

namespace {

using self_ptr = task_actor::stateful_pointer<identify_albums_state>;

void pump(self_ptr self);

caf::behavior album_reader(caf::event_based_actor* self,
                           std::filesystem::path db_path) {
  return {
    [self, db_path](atom::id_load) {
      self->quit();
      return storage::load_albums_to_identify(db_path);
    },
  };
}

void fetch(self_ptr self, mb::request req,
           std::function<void(mb_answer)> then) {
  mb_fetch(self, self->state.config.gateway, std::move(req), std::move(then),
           [self] { pump(self); });
}

identify_albums_state::job* job_of(self_ptr self, int64_t id) {
  auto it = self->state.jobs.find(id);
  return it == self->state.jobs.end() ? nullptr : &it->second;
}

void done(self_ptr self, int64_t id) {
  self->state.jobs.erase(id);
  pump(self);
}

void store_decision(self_ptr self, storage::identify_decision d) {
  auto& st = self->state;
  d.entity_type = "album";
  ++st.writes_in_flight;
  self
    ->request(st.config.env.store, std::chrono::seconds{60}, atom::write_v,
              storage::record_album_decision(d))
    .then(
      [self, d](const write_ack& ack) {
        auto& st = self->state;
        --st.writes_in_flight;
        // 0 rows: a user's choice, or another album has that release
        if (d.outcome == "identified" && ack.changes.size() > 1
            && ack.changes[1] == 0)
          ++st.run.count("not_written");
        pump(self);
      },
      [self](const caf::error& err) {
        auto& st = self->state;
        --st.writes_in_flight;
        st.run.note_error("storing a decision: " + render(err));
        pump(self);
      });
}

/// Every request of the album is answered: decide.
void decide(self_ptr self, int64_t id) {
  auto& st = self->state;
  auto* j = job_of(self, id);
  if (j == nullptr)
    return;
  if (j->unreachable) {
    ++st.run.count("unreachable");
    return done(self, id);
  }
  auto lib = identify::library_album_of(j->album);
  auto dec = identify::decide_album(lib, j->candidates, st.config.decide);
  storage::identify_decision d;
  d.entity_id = id;
  d.decided_at = now_ms();
  d.source = "browse";
  d.stale = j->stale;
  d.confidence = dec.confidence;
  d.margin = dec.margin;
  d.why = dec.why;
  d.candidates_json = identify::album_candidates_json(dec);
  if (dec.release_group) {
    d.outcome = "identified";
    d.chosen_mbid = dec.release;
    d.secondary_mbid = dec.release_group;
  } else if (j->candidates.empty()) {
    d.outcome = "not_found";
    d.why = "no release group of " + j->album.artist_mbid + " titled like \""
            + j->album.title + "\"";
  } else {
    d.outcome = "uncertain";
  }
  ++st.run.count(d.outcome);
  store_decision(self, std::move(d));
  done(self, id);
}

void finish_one(self_ptr self, int64_t id) {
  auto* j = job_of(self, id);
  if (j != nullptr && --j->pending == 0)
    decide(self, id);
}

/// The track list of the most likely release of candidate `i`.
void look_up(self_ptr self, int64_t id, size_t i, std::string release) {
  auto& st = self->state;
  fetch(self, release_lookup(st.mb, release),
        [self, id, i, release](mb_answer a) {
          auto& st = self->state;
          auto* j = job_of(self, id);
          if (j == nullptr)
            return;
          if (!a.ok) {
            j->unreachable = true;
            return finish_one(self, id);
          }
          j->stale = j->stale || a.stale;
          if (a.status == 200) {
            try {
              auto full = identify::parse_release(json::parse(a.body));
              auto& rs = j->candidates[i].releases;
              for (auto& r : rs)
                if (r.mbid == release) {
                  if (full.group.mbid.empty())
                    full.group = j->candidates[i].group;
                  r = std::move(full);
                  break;
                }
            } catch (const std::exception& e) {
              st.run.note_error("release " + release + ": " + e.what());
            }
          }
          finish_one(self, id);
        });
}

/// The releases of candidate `i` (a group titled like the album).
void releases_of(self_ptr self, int64_t id, size_t i) {
  auto& st = self->state;
  auto* j = job_of(self, id);
  auto group = j->candidates[i].group.mbid;
  fetch(self, release_browse(st.mb, group), [self, id, i, group](mb_answer a) {
    auto& st = self->state;
    auto* j = job_of(self, id);
    if (j == nullptr)
      return;
    if (!a.ok) {
      j->unreachable = true;
      return finish_one(self, id);
    }
    j->stale = j->stale || a.stale;
    if (a.status == 200) {
      try {
        auto page = identify::parse_release_list(json::parse(a.body));
        j->candidates[i].releases = std::move(page.releases);
      } catch (const std::exception& e) {
        st.run.note_error("releases of " + group + ": " + e.what());
      }
    }
    auto lib = identify::library_album_of(j->album);
    if (const auto* r = identify::release_to_look_up(lib,
                                                     j->candidates[i].releases))
      return look_up(self, id, i, r->mbid);
    finish_one(self, id);
  });
}

/// The artist's release groups are known: fetch the related ones.
void with_groups(self_ptr self, int64_t id) {
  auto& st = self->state;
  auto* j = job_of(self, id);
  if (j == nullptr)
    return;
  const auto& g = st.groups[j->album.artist_mbid];
  if (g.unreachable) {
    j->unreachable = true;
    return decide(self, id);
  }
  j->stale = j->stale || g.stale;
  auto related = identify::groups_to_fetch(identify::library_album_of(j->album),
                                           g.groups);
  if (related.size() > st.config.max_groups)
    related.resize(st.config.max_groups);
  for (const auto& mbid : related)
    for (const auto& rg : g.groups)
      if (rg.mbid == mbid) {
        j->candidates.push_back(identify::album_candidate{rg, {}});
        break;
      }
  if (j->candidates.empty())
    return decide(self, id);
  j->pending = j->candidates.size();
  for (size_t i = 0; i < j->candidates.size(); ++i)
    releases_of(self, id, i);
}

void groups_done(self_ptr self, const std::string& artist) {
  auto& g = self->state.groups[artist];
  g.done = true;
  auto waiting = std::move(g.waiting);
  g.waiting.clear();
  for (auto id : waiting)
    with_groups(self, id);
}

void browse_groups(self_ptr self, std::string artist, int offset, int page) {
  auto& st = self->state;
  fetch(
    self, mb::release_group_browse(st.mb, artist, offset),
    [self, artist, offset, page](mb_answer a) {
      auto& st = self->state;
      auto& g = st.groups[artist];
      if (!a.ok) {
        g.unreachable = true;
        return groups_done(self, artist);
      }
      g.stale = g.stale || a.stale;
      if (a.status == 200) {
        try {
          auto p = identify::parse_release_group_browse(json::parse(a.body));
          auto n = static_cast<int>(p.groups.size());
          g.groups.insert(g.groups.end(), p.groups.begin(), p.groups.end());
          if (n > 0 && offset + n < p.total
              && page + 1 < st.config.max_browse_pages)
            return browse_groups(self, artist, offset + n, page + 1);
        } catch (const std::exception& e) {
          st.run.note_error("release groups of " + artist + ": " + e.what());
        }
      }
      groups_done(self, artist);
    });
}

void need_groups(self_ptr self, int64_t id) {
  auto& st = self->state;
  auto artist = st.jobs[id].album.artist_mbid;
  auto& g = st.groups[artist];
  if (g.done)
    return with_groups(self, id);
  g.waiting.push_back(id);
  if (g.waiting.size() == 1)
    browse_groups(self, artist, 0, 0);
}

/// A release MBID from the tags: checked by one lookup (it must exist and
/// credit the album's artist), a merge followed.
void check_tags(self_ptr self, int64_t id) {
  auto& st = self->state;
  auto mbid = st.jobs[id].album.mbid;
  fetch(self, release_lookup(st.mb, mbid), [self, id, mbid](mb_answer a) {
    auto& st = self->state;
    auto* j = job_of(self, id);
    if (j == nullptr)
      return;
    if (!a.ok) {
      ++st.run.count("unreachable");
      return done(self, id);
    }
    storage::identify_decision d;
    d.entity_id = id;
    d.decided_at = now_ms();
    d.source = "tags";
    d.stale = a.stale;
    if (a.status == 404) {
      d.outcome = "not_found";
      d.why = "the release MBID " + mbid + " of the tags does not exist";
      ++st.run.count("bad_tags");
      ++st.run.count("not_found");
      store_decision(self, std::move(d));
      return done(self, id);
    }
    identify::mb_release rel;
    try {
      rel = identify::parse_release(json::parse(a.body));
    } catch (const std::exception& e) {
      st.run.note_error("release " + mbid + ": " + e.what());
      return done(self, id);
    }
    const auto& artist = j->album.artist_mbid;
    bool credited = rel.credit.empty()
                    || std::any_of(rel.credit.begin(), rel.credit.end(),
                                   [&](const identify::mb_credit& c) {
                                     return c.artist_mbid == artist;
                                   });
    if (!credited) {
      std::string names;
      for (const auto& c : rel.credit)
        names += c.name + c.joinphrase;
      d.outcome = "uncertain";
      d.why = "the release MBID " + mbid + " of the tags credits " + names
              + ", not " + j->album.artist + " (" + artist + ")";
      ++st.run.count("bad_tags");
      ++st.run.count("uncertain");
      store_decision(self, std::move(d));
      return done(self, id);
    }
    d.outcome = "identified";
    d.confidence = 1;
    d.margin = 1;
    d.chosen_mbid = rel.mbid.empty() ? mbid : rel.mbid;
    if (!rel.group.mbid.empty())
      d.secondary_mbid = rel.group.mbid;
    d.why = "release MBID from the tags, credits the artist";
    if (*d.chosen_mbid != mbid) {
      d.why += ", merged into " + *d.chosen_mbid;
      ++st.run.count("merged");
    }
    ++st.run.count("identified");
    ++st.run.count("from_tags");
    store_decision(self, std::move(d));
    done(self, id);
  });
}

void finish(self_ptr self) {
  auto& st = self->state;
  auto stats = st.run.stats();
  stats["degraded"] = stats.value("unreachable", int64_t{0}) > 0;
  auto r = st.run.result(run_status::succeeded);
  r.stats_json = task_run::dump(stats);
  log::get(st.config.task)->info("IDENTIFY: albums done: {}", r.stats_json);
  st.reset();
  st.run.finish(std::move(r));
}

void pump(self_ptr self) {
  auto& st = self->state;
  if (!st.run.running() || !st.loaded)
    return;
  while (!st.queue.empty() && st.jobs.size() < st.config.max_in_flight) {
    auto a = std::move(st.queue.front());
    st.queue.pop_front();
    auto id = a.id;
    bool tagged = !a.mbid.empty();
    st.jobs[id].album = std::move(a);
    if (tagged)
      check_tags(self, id);
    else
      need_groups(self, id);
    if (!st.run.running())
      return;
  }
  if (st.queue.empty() && st.jobs.empty() && st.writes_in_flight == 0)
    finish(self);
}

void start(self_ptr self) {
  auto& st = self->state;
  const auto& env = st.config.env;
  for (const char* k : {"albums", "requests", "cache_hits", "stale_answers",
                        "identified", "uncertain", "not_found", "unreachable"})
    st.run.count(k) = 0;
  auto reader = env.detached
                  ? self->spawn<caf::detached>(album_reader, env.db_path)
                  : self->spawn(album_reader, env.db_path);
  self->request(reader, caf::infinite, atom::id_load_v)
    .then(
      [self](std::vector<album_to_identify>& all) {
        auto& st = self->state;
        bool scheduled = st.run.request().trigger == "schedule";
        auto now = now_ms();
        for (auto& a : all) {
          if (scheduled && !recheck_due(a.checked_at, a.attempts, now)) {
            ++st.run.count("not_due");
            continue;
          }
          st.queue.push_back(std::move(a));
        }
        st.run.count("albums") = static_cast<int64_t>(st.queue.size());
        log::get(st.config.task)
          ->info("IDENTIFY: {} albums to identify with MusicBrainz ({})",
                 st.queue.size(), st.run.request().trigger);
        st.loaded = true;
        pump(self);
      },
      [self](const caf::error& err) {
        auto& st = self->state;
        st.reset();
        st.run.finish(err);
      });
}

} // namespace

task_actor::behavior_type
identify_albums(task_actor::stateful_pointer<identify_albums_state> self,
                identify_albums_config config) {
  if (auto min = config.env.cfg.identify_min_confidence)
    config.decide.min_confidence = *min;
  return identify_task<identify_albums_state>(self, std::move(config),
                                              [](auto* s) { start(s); });
}

} // namespace discotheque
