#include "actors/tasks/identify_artists.hpp"

#include "actors/gateway/provider_hub.hpp"
#include "actors/gateway/response_cache.hpp"
#include "actors/tasks/identify_fetch.hpp"
#include "messages/error.hpp"
#include "storage/queries/identify.hpp"
#include "storage/writes/identify.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/event_based_actor.hpp>

#include <nlohmann/json.hpp>

#include <functional>

namespace discotheque {

using nlohmann::json;
namespace mb = musicbrainz;

bool recheck_due(int64_t checked_at, int64_t attempts, int64_t now) {
  if (checked_at <= 0)
    return true;
  constexpr int64_t day = 24 * 3600 * 1000;
  int64_t delay = attempts <= 1 ? day : attempts == 2 ? 7 * day : 30 * day;
  return now - checked_at >= delay;
}

std::string candidates_json(const identify::artist_decision& d) {
  auto out = json::array();
  for (const auto& c : d.candidates) {
    auto features = json::object();
    for (const auto& [k, v] : c.features)
      features[k] = v;
    out.push_back({{"mbid", c.mbid},
                   {"name", c.name},
                   {"score", c.score},
                   {"features", features}});
  }
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

void identify_artists_state::reset() {
  queue.clear();
  jobs.clear();
  writes_in_flight = 0;
  loaded = false;
}

namespace {

using self_ptr = task_actor::stateful_pointer<identify_artists_state>;

void pump(self_ptr self);

/// A one-shot reader of the artists to identify: SQLite blocks, so in
/// production it runs detached, off the scheduler threads.
caf::behavior library_reader(caf::event_based_actor* self,
                             std::filesystem::path db_path) {
  return {
    [self, db_path](atom::id_load) {
      self->quit();
      return storage::load_artists_to_identify(db_path);
    },
  };
}

void fetch(self_ptr self, mb::request req,
           std::function<void(mb_answer)> then) {
  mb_fetch(self, self->state.config.gateway, std::move(req), std::move(then),
           [self] { pump(self); });
}

void store_decision(self_ptr self, storage::identify_decision d) {
  auto& st = self->state;
  ++st.writes_in_flight;
  self
    ->request(st.config.env.store, std::chrono::seconds{60}, atom::write_v,
              storage::record_artist_decision(d))
    .then(
      [self, d](const write_ack& ack) {
        auto& st = self->state;
        --st.writes_in_flight;
        // the MBID update is the second statement: 0 rows = another artist
        // has that MBID (a re-merge, not ours to do) or a user's choice
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

identify::library_artist library_of(const artist_to_identify& a) {
  identify::library_artist la;
  la.id = a.id;
  la.name = a.name;
  la.album_titles = a.album_titles;
  la.isrcs = a.isrcs;
  return la;
}

void done(self_ptr self, int64_t id) {
  self->state.jobs.erase(id);
  pump(self);
}

/// The search candidates and their release groups are in: decide.
void decide(self_ptr self, int64_t id) {
  auto& st = self->state;
  auto it = st.jobs.find(id);
  if (it == st.jobs.end())
    return;
  auto& j = it->second;
  if (j.unreachable) {
    ++st.run.count("unreachable");
    return done(self, id);
  }
  if (j.failed)
    return done(self, id);
  storage::identify_decision d;
  d.entity_id = id;
  d.decided_at = now_ms();
  d.source = "search";
  d.stale = j.stale;
  if (j.candidates.empty()) {
    d.outcome = "not_found";
    d.why = "no MusicBrainz artist named \"" + j.artist.name + "\"";
    ++st.run.count("not_found");
  } else {
    auto dec = identify::decide_artist(library_of(j.artist), j.candidates,
                                       j.groups, st.config.decide);
    d.outcome = dec.chosen ? "identified" : "uncertain";
    d.chosen_mbid = dec.chosen;
    d.confidence = dec.confidence;
    d.margin = dec.margin;
    d.why = dec.why;
    d.candidates_json = candidates_json(dec);
    ++st.run.count(dec.chosen ? "identified" : "uncertain");
  }
  store_decision(self, std::move(d));
  done(self, id);
}

void browse(self_ptr self, int64_t id, std::string mbid, int offset, int page) {
  auto& st = self->state;
  fetch(self, mb::release_group_browse(st.mb, mbid, offset),
        [self, id, mbid, offset, page](mb_answer a) {
          auto& st = self->state;
          auto it = st.jobs.find(id);
          if (it == st.jobs.end())
            return;
          auto& j = it->second;
          auto finish_one = [&] {
            if (--j.pending == 0)
              decide(self, id);
          };
          if (!a.ok) {
            j.unreachable = true;
            return finish_one();
          }
          j.stale = j.stale || a.stale;
          if (a.status != 200)
            return finish_one(); // the candidate is gone: no evidence
          try {
            auto p = identify::parse_release_group_browse(json::parse(a.body));
            auto& groups = j.groups[mbid];
            auto n = static_cast<int>(p.groups.size());
            groups.insert(groups.end(), p.groups.begin(), p.groups.end());
            if (n > 0 && offset + n < p.total
                && page + 1 < st.config.max_browse_pages) {
              browse(self, id, mbid, offset + n, page + 1);
              return;
            }
          } catch (const std::exception& e) {
            st.run.note_error("release groups of " + mbid + ": " + e.what());
            j.failed = true;
          }
          finish_one();
        });
}

void search(self_ptr self, int64_t id) {
  auto& st = self->state;
  auto name = st.jobs[id].artist.name;
  fetch(self, mb::artist_search(st.mb, name), [self, id](mb_answer a) {
    auto& st = self->state;
    auto it = st.jobs.find(id);
    if (it == st.jobs.end())
      return;
    auto& j = it->second;
    if (!a.ok) {
      j.unreachable = true;
      return decide(self, id);
    }
    j.stale = a.stale;
    try {
      if (a.status == 200)
        j.candidates = identify::parse_artist_search(json::parse(a.body));
    } catch (const std::exception& e) {
      st.run.note_error("search for " + j.artist.name + ": " + e.what());
      j.failed = true;
      return decide(self, id);
    }
    // Album evidence needs albums: without any, browsing tells nothing.
    if (j.candidates.empty() || j.artist.album_titles.empty())
      return decide(self, id);
    // the same-name candidates, best first: what evidence can separate
    auto ids = identify::candidates_to_browse(
      library_of(j.artist), j.candidates, st.config.browse_candidates);
    if (ids.empty())
      return decide(self, id);
    j.pending = ids.size();
    for (auto& mbid : ids)
      browse(self, id, std::move(mbid), 0, 0);
  });
}

/// An MBID from the tags: one lookup, following a merge to the new id.
void confirm_tags(self_ptr self, int64_t id) {
  auto& st = self->state;
  auto mbid = st.jobs[id].artist.mbid;
  fetch(self, mb::artist_lookup(st.mb, mbid), [self, id, mbid](mb_answer a) {
    auto& st = self->state;
    if (st.jobs.count(id) == 0)
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
    d.confidence = 1;
    d.margin = 1;
    if (a.status == 404) {
      d.outcome = "not_found";
      d.why = "the MBID " + mbid + " of the tags does not exist";
      ++st.run.count("not_found");
    } else {
      auto answered = mb::answered_id(json::parse(a.body, nullptr, false));
      d.outcome = "identified";
      d.chosen_mbid = mbid;
      d.why = "MBID from the tags";
      if (!answered.empty() && answered != mbid && mb::is_mbid(answered)) {
        d.chosen_mbid = answered;
        d.why = "MBID from the tags, merged into " + answered;
        ++st.run.count("merged");
      }
      ++st.run.count("identified");
      ++st.run.count("from_tags");
    }
    store_decision(self, std::move(d));
    done(self, id);
  });
}

void finish(self_ptr self) {
  auto& st = self->state;
  auto stats = st.run.stats();
  auto unreachable = stats.value("unreachable", int64_t{0});
  stats["degraded"] = unreachable > 0;
  auto r = st.run.result(run_status::succeeded);
  r.stats_json = task_run::dump(stats);
  log::get(st.config.task)->info("IDENTIFY: artists done: {}", r.stats_json);
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
    st.jobs[id].artist = std::move(a);
    if (tagged)
      confirm_tags(self, id);
    else
      search(self, id);
    if (!st.run.running())
      return;
  }
  if (st.queue.empty() && st.jobs.empty() && st.writes_in_flight == 0)
    finish(self);
}

void start(self_ptr self) {
  auto& st = self->state;
  const auto& env = st.config.env;
  for (const char* k : {"artists", "requests", "cache_hits", "stale_answers",
                        "identified", "uncertain", "not_found", "unreachable"})
    st.run.count(k) = 0;
  auto reader = env.detached
                  ? self->spawn<caf::detached>(library_reader, env.db_path)
                  : self->spawn(library_reader, env.db_path);
  self->request(reader, caf::infinite, atom::id_load_v)
    .then(
      [self](std::vector<artist_to_identify>& all) {
        auto& st = self->state;
        bool scheduled = st.run.request().trigger == "schedule";
        auto now = now_ms();
        for (auto& a : all) {
          if (scheduled && a.mbid.empty()
              && !recheck_due(a.checked_at, a.attempts, now)) {
            ++st.run.count("not_due");
            continue;
          }
          st.queue.push_back(std::move(a));
        }
        st.run.count("artists") = static_cast<int64_t>(st.queue.size());
        log::get(st.config.task)
          ->info("IDENTIFY: {} artists to identify with MusicBrainz at {} "
                 "({})",
                 st.queue.size(), st.mb.api_base, st.run.request().trigger);
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
identify_artists(task_actor::stateful_pointer<identify_artists_state> self,
                 identify_artists_config config) {
  if (auto min = config.env.cfg.identify_min_confidence)
    config.decide.min_confidence = *min;
  return identify_task<identify_artists_state>(self, std::move(config),
                                               [](auto* s) { start(s); });
}

} // namespace discotheque
