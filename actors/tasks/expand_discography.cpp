#include "actors/tasks/expand_discography.hpp"

#include "identify/discography.hpp"
#include "messages/error.hpp"
#include "storage/queries/expand.hpp"
#include "storage/writes/expand.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/event_based_actor.hpp>

namespace discotheque {

using nlohmann::json;
namespace mb = musicbrainz;

void expand_discography_state::reset() {
  plan = {};
  queue.clear();
  jobs.clear();
  new_list = json::array();
  writes_in_flight = 0;
  loaded = false;
}

namespace {

using self_ptr = task_actor::stateful_pointer<expand_discography_state>;
using artist_job = expand_discography_state::artist_job;

constexpr size_t max_listed_new = 100;
constexpr int64_t day_ms = 86'400'000;

void pump(self_ptr self);

/// A one-shot reader (detached in production: it blocks in SQLite).
caf::behavior plan_reader(caf::event_based_actor* self,
                          std::filesystem::path db_path, std::string task) {
  return {
    [self, db_path, task](atom::id_load) {
      self->quit();
      return storage::load_expand_plan(db_path, task);
    },
  };
}

void fetch(self_ptr self, mb::request req,
           std::function<void(mb_answer)> then) {
  mb_fetch(self, self->state.config.gateway, std::move(req), std::move(then),
           [self] { pump(self); });
}

artist_job* job_of(self_ptr self, int64_t id) {
  auto it = self->state.jobs.find(id);
  return it == self->state.jobs.end() ? nullptr : &it->second;
}

/// One group of the artist is settled.
void group_done(self_ptr self, int64_t artist) {
  auto* j = job_of(self, artist);
  if (j != nullptr && j->pending > 0 && --j->pending == 0 && j->browsed) {
    self->state.jobs.erase(artist);
    pump(self);
  }
}

void write(self_ptr self, write_request req) {
  auto& st = self->state;
  ++st.writes_in_flight;
  self
    ->request(st.config.env.store, std::chrono::seconds{60}, atom::write_v,
              std::move(req))
    .then(
      [self](const write_ack&) {
        --self->state.writes_in_flight;
        pump(self);
      },
      [self](const caf::error& err) {
        auto& st = self->state;
        --st.writes_in_flight;
        st.run.note_error("marking an added album: " + render(err));
        pump(self);
      });
}

/// Adds the missing group as an album (with its tracks) through the dedup
/// store, the only place that creates rows.
void add(self_ptr self, int64_t artist, const identify::mb_release_group& g,
         const identify::mb_release& release) {
  auto& st = self->state;
  auto* j = job_of(self, artist);
  if (j == nullptr)
    return;
  auto dto = identify::album_of(g, release, j->artist.name, j->artist.mbid);
  ingest_batch b;
  b.source = "user";
  b.reason = j->artist.monitor ? "discography" : "";
  b.run_id = st.run.request().run_id;
  b.auto_queue = j->artist.monitor && st.plan.auto_queue;
  b.albums.push_back(std::move(dto.album));
  b.tracks = std::move(dto.tracks);
  bool monitor = j->artist.monitor;
  ++st.writes_in_flight;
  self
    ->request(st.config.env.dedup, std::chrono::seconds{120}, atom::merge_v,
              std::move(b))
    .then(
      [self, artist, g, monitor](const ingest_result& r) {
        auto& st = self->state;
        --st.writes_in_flight;
        auto* j = job_of(self, artist);
        auto id = r.album_ids.empty() ? 0 : r.album_ids.front();
        bool known = j == nullptr || id == 0;
        if (j != nullptr)
          for (const auto& a : j->artist.albums)
            known = known || a.id == id;
        if (known) {
          // The dedup store found it in the library after all.
          ++st.run.count("matched");
        } else {
          ++st.run.count("added");
          if (monitor)
            ++st.run.count("owned");
          auto by = st.config.new_releases ? "new_release" : "discography";
          write_request req;
          req.statements.push_back(storage::mark_album_added(id, by, now_ms()));
          write(self, std::move(req));
          if (st.config.new_releases) {
            ++st.run.count("new");
            if (st.new_list.size() < max_listed_new)
              st.new_list.push_back(
                {{"album_id", id},
                 {"artist", j->artist.name},
                 {"title", g.title},
                 {"first_release_date", g.first_release_date}});
          }
          album_in_library al;
          al.id = id;
          al.title = g.title;
          al.release_group_mbid = g.mbid;
          j->artist.albums.push_back(std::move(al));
        }
        group_done(self, artist);
      },
      [self, artist, g](const caf::error& err) {
        auto& st = self->state;
        --st.writes_in_flight;
        st.run.note_error("adding \"" + g.title + "\": " + render(err));
        group_done(self, artist);
      });
}

/// The representative release's track list is known: decide and add.
void with_release(self_ptr self, int64_t artist,
                  const identify::mb_release_group& g,
                  const identify::group_check& check,
                  const identify::mb_release& release) {
  auto& st = self->state;
  auto* j = job_of(self, artist);
  if (j == nullptr)
    return;
  if (check.standing == identify::group_standing::needs_tracks) {
    int64_t same = 0;
    auto v = identify::compare_by_tracks(g, release, j->artist.albums,
                                         check.related, j->artist.name,
                                         j->artist.mbid, st.config.decide,
                                         same);
    if (v == identify::tracks_verdict::same) {
      ++st.run.count("matched");
      ++st.run.count("matched_by_tracks");
      return group_done(self, artist);
    }
    if (v == identify::tracks_verdict::collision) {
      ++st.run.count("uncertain");
      log::get(st.config.task)
        ->info("EXPAND: \"{}\" ({}) of {} held back: an album of that "
               "title is not shown to be another release group",
               g.title, g.mbid, j->artist.name);
      return group_done(self, artist);
    }
  }
  add(self, artist, g, release);
}

/// A group not in the library: its releases, then one lookup.
void resolve(self_ptr self, int64_t artist, identify::mb_release_group g,
             identify::group_check check) {
  auto& st = self->state;
  fetch(
    self, release_browse(st.mb, g.mbid), [self, artist, g, check](mb_answer a) {
      auto& st = self->state;
      if (!a.ok) {
        ++st.run.count("unreachable");
        return group_done(self, artist);
      }
      std::string chosen;
      if (a.status == 200) {
        try {
          auto page = identify::parse_release_list(json::parse(a.body));
          if (const auto* r = identify::representative_release(page.releases))
            chosen = r->mbid;
        } catch (const std::exception& e) {
          st.run.note_error("releases of " + g.mbid + ": " + e.what());
        }
      }
      if (chosen.empty()) {
        ++st.run.count("no_release");
        return group_done(self, artist);
      }
      fetch(self, release_lookup(st.mb, chosen),
            [self, artist, g, check, chosen](mb_answer a) {
              auto& st = self->state;
              if (!a.ok) {
                ++st.run.count("unreachable");
                return group_done(self, artist);
              }
              if (a.status == 200) {
                try {
                  auto rel = identify::parse_release(json::parse(a.body));
                  if (rel.has_tracks)
                    return with_release(self, artist, g, check, rel);
                } catch (const std::exception& e) {
                  st.run.note_error("release " + chosen + ": " + e.what());
                }
              }
              ++st.run.count("no_release");
              group_done(self, artist);
            });
    });
}

/// Every release group of the artist is known: filter and compare.
void groups_known(self_ptr self, int64_t artist) {
  auto& st = self->state;
  auto* j = job_of(self, artist);
  if (j == nullptr)
    return;
  std::vector<std::pair<identify::mb_release_group, identify::group_check>>
    todo;
  for (const auto& g : j->groups) {
    ++st.run.count("browsed");
    if (!library::counts(j->profile, g.primary_type, g.secondary_types)) {
      ++st.run.count("filtered_out");
      continue;
    }
    if (st.config.new_releases
        && !identify::released_since(g.first_release_date, st.cutoff)) {
      ++st.run.count("not_new");
      continue;
    }
    auto check = identify::check_group(g, j->artist.albums);
    if (check.standing == identify::group_standing::in_library) {
      ++st.run.count("matched");
      continue;
    }
    todo.emplace_back(g, std::move(check));
  }
  j->browsed = true;
  if (todo.empty()) {
    st.jobs.erase(artist);
    return pump(self);
  }
  j->pending = todo.size();
  for (auto& [g, check] : todo)
    resolve(self, artist, g, check);
}

void browse(self_ptr self, int64_t artist, int offset, int page) {
  auto& st = self->state;
  auto* j = job_of(self, artist);
  fetch(
    self, mb::release_group_browse(st.mb, j->artist.mbid, offset),
    [self, artist, offset, page](mb_answer a) {
      auto& st = self->state;
      auto* j = job_of(self, artist);
      if (j == nullptr)
        return;
      if (!a.ok) {
        ++st.run.count("unreachable");
        st.jobs.erase(artist);
        return pump(self);
      }
      if (a.status == 200) {
        try {
          auto p = identify::parse_release_group_browse(json::parse(a.body));
          auto n = static_cast<int>(p.groups.size());
          j->groups.insert(j->groups.end(), p.groups.begin(), p.groups.end());
          if (n > 0 && offset + n < p.total
              && page + 1 < st.config.max_browse_pages)
            return browse(self, artist, offset + n, page + 1);
        } catch (const std::exception& e) {
          st.run.note_error("release groups of " + j->artist.mbid + ": "
                            + e.what());
        }
      }
      groups_known(self, artist);
    });
}

void finish(self_ptr self) {
  auto& st = self->state;
  auto stats = st.run.stats();
  stats["degraded"] = stats.value("unreachable", int64_t{0}) > 0;
  if (st.config.new_releases)
    stats["new_releases"] = st.new_list;
  auto r = st.run.result(run_status::succeeded);
  r.stats_json = task_run::dump(stats);
  log::get(st.config.task)->info("EXPAND: done: {}", r.stats_json);
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
    auto& j = st.jobs[id];
    j.profile = st.profile;
    if (!a.profile.empty()) {
      auto p = library::parse_profile_text(a.profile);
      if (p.profile)
        j.profile = *p.profile;
      else
        st.run.note_error("the metadata profile of " + a.name + ": " + p.error);
    }
    j.artist = std::move(a);
    browse(self, id, 0, 0);
    if (!st.run.running())
      return;
  }
  if (st.queue.empty() && st.jobs.empty() && st.writes_in_flight == 0)
    finish(self);
}

void start(self_ptr self) {
  auto& st = self->state;
  const auto& env = st.config.env;
  std::vector<const char*> keys{"artists",  "browsed",      "matched",
                                "added",    "filtered_out", "uncertain",
                                "requests", "cache_hits"};
  if (st.config.new_releases)
    keys.push_back("new");
  for (const char* k : keys)
    st.run.count(k) = 0;
  auto reader = env.detached
                  ? self->spawn<caf::detached>(plan_reader, env.db_path,
                                               st.config.task)
                  : self->spawn(plan_reader, env.db_path, st.config.task);
  self->request(reader, caf::infinite, atom::id_load_v)
    .then(
      [self](expand_plan& plan) {
        auto& st = self->state;
        auto p = library::parse_profile_text(plan.profile);
        st.profile = p.profile ? *p.profile : library::default_profile();
        if (!p.profile)
          st.run.note_error("library.metadata_profile: " + p.error);
        auto since = plan.last_success_at > 0
                       ? plan.last_success_at
                       : now_ms() - plan.new_release_days * day_ms;
        st.cutoff = iso8601(since).substr(0, 10);
        for (auto& a : plan.artists)
          st.queue.push_back(std::move(a));
        plan.artists.clear();
        st.plan = std::move(plan);
        st.run.count("artists") = static_cast<int64_t>(st.queue.size());
        log::get(st.config.task)
          ->info("EXPAND: {} owned artists with an MBID to compare ({}{})",
                 st.queue.size(), st.run.request().trigger,
                 st.config.new_releases ? ", released since " + st.cutoff
                                        : std::string{});
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
expand_discography(task_actor::stateful_pointer<expand_discography_state> self,
                   expand_discography_config config) {
  if (auto min = config.env.cfg.identify_min_confidence)
    config.decide.min_confidence = *min;
  return identify_task<expand_discography_state>(self, std::move(config),
                                                 [](auto* s) { start(s); });
}

} // namespace discotheque
