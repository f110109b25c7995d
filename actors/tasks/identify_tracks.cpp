#include "actors/tasks/identify_tracks.hpp"

#include "actors/gateway/provider_hub.hpp"
#include "actors/gateway/response_cache.hpp"
#include "actors/tasks/identify_artists.hpp"
#include "identify/album_match.hpp"
#include "identify/mb_json.hpp"
#include "identify/text.hpp"
#include "messages/error.hpp"
#include "storage/queries/identify.hpp"
#include "storage/writes/identify.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/event_based_actor.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace discotheque {

using nlohmann::json;
namespace mb = musicbrainz;

std::vector<isrc_recording> parse_isrc(const json& body) {
  using namespace identify::mb_json;
  require_object(body, "isrc");
  std::vector<isrc_recording> out;
  for (const auto& r : required_array(body, "recordings", "isrc")) {
    if (!r.is_object())
      continue;
    isrc_recording rec;
    rec.mbid = required_str(r, "id", "isrc recording");
    rec.title = str(r, "title");
    if (auto it = r.find("artist-credit"); it != r.end() && it->is_array())
      for (const auto& c : *it)
        if (c.is_object())
          if (auto a = c.find("artist"); a != c.end() && a->is_object())
            if (auto id = str(*a, "id"); !id.empty())
              rec.artists.push_back(id);
    out.push_back(std::move(rec));
  }
  return out;
}

isrc_choice choose_isrc_recording(const track_to_identify& track,
                                  const std::vector<isrc_recording>& recs,
                                  double min_title) {
  isrc_choice c;
  auto key = identify::title_key(track.title);
  std::vector<std::pair<const isrc_recording*, double>> fit;
  for (const auto& r : recs) {
    if (!track.artist_mbid.empty() && !r.artists.empty()
        && std::find(r.artists.begin(), r.artists.end(), track.artist_mbid)
             == r.artists.end())
      continue;
    auto sim = identify::similarity(key, identify::title_key(r.title));
    if (sim >= min_title)
      fit.emplace_back(&r, sim);
  }
  // MusicBrainz often lists one song twice under an ISRC (a duplicate
  // recording not merged yet): the same title is still two candidates.
  if (fit.empty()) {
    c.why = std::to_string(recs.size()) + " recording(s) carry ISRC "
            + track.isrc + ", none by the track's artist titled like \""
            + track.title + "\"";
    return c;
  }
  if (fit.size() > 1) {
    c.why = std::to_string(fit.size()) + " recordings with ISRC " + track.isrc
            + " fit \"" + track.title + "\": nothing separates them";
    return c;
  }
  c.recording = fit[0].first->mbid;
  c.confidence = fit[0].second;
  c.why = "the only recording with ISRC " + track.isrc + " titled like \""
          + track.title + "\"";
  if (track.artist_mbid.empty())
    c.why += " (the track's artist is not identified)";
  return c;
}

void identify_tracks_state::reset() {
  queue.clear();
  in_flight = 0;
  writes_in_flight = 0;
  loaded = false;
}

namespace {

using self_ptr = task_actor::stateful_pointer<identify_tracks_state>;

void pump(self_ptr self);

caf::behavior track_reader(caf::event_based_actor* self,
                           std::filesystem::path db_path) {
  return {
    [self, db_path](atom::id_load) {
      self->quit();
      return storage::load_tracks_to_identify(db_path);
    },
  };
}

void fetch(self_ptr self, mb::request req,
           std::function<void(mb_answer)> then) {
  mb_fetch(self, self->state.config.gateway, std::move(req), std::move(then),
           [self] { pump(self); });
}

std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

/// identify.min_confidence, 0 when unset (match_tracks' own gates hold).
double min_confidence(self_ptr self) {
  return self->state.config.env.cfg.identify_min_confidence.value_or(0);
}

void store_decision(self_ptr self, storage::identify_decision d) {
  auto& st = self->state;
  d.entity_type = "track";
  d.decided_at = now_ms();
  ++st.run.count(d.outcome);
  ++st.writes_in_flight;
  self
    ->request(st.config.env.store, std::chrono::seconds{60}, atom::write_v,
              storage::record_track_decision(d))
    .then(
      [self](const write_ack&) {
        --self->state.writes_in_flight;
        pump(self);
      },
      [self](const caf::error& err) {
        auto& st = self->state;
        --st.writes_in_flight;
        st.run.note_error("storing a decision: " + render(err));
        pump(self);
      });
}

void done(self_ptr self) {
  --self->state.in_flight;
  pump(self);
}

void on_release(self_ptr self, identify_tracks_state::work w, mb_answer a) {
  auto& st = self->state;
  if (!a.ok) {
    st.run.count("unreachable") += static_cast<int64_t>(w.tracks.size());
    return done(self);
  }
  identify::mb_release rel;
  bool ok = a.status == 200;
  if (ok) {
    try {
      rel = identify::parse_release(json::parse(a.body));
    } catch (const std::exception& e) {
      st.run.note_error("release " + w.key + ": " + e.what());
      return done(self);
    }
  }
  std::vector<identify::library_track> lib;
  for (const auto& t : w.tracks) {
    identify::library_track lt;
    lt.id = t.id;
    lt.title = t.title;
    lt.disc = t.disc;
    lt.position = t.position;
    if (t.length_ms > 0)
      lt.length_ms = t.length_ms;
    lt.isrc = t.isrc;
    lib.push_back(std::move(lt));
  }
  auto matches = ok ? identify::match_tracks(lib, rel)
                    : std::vector<identify::track_match>{};
  for (size_t i = 0; i < w.tracks.size(); ++i) {
    const auto& t = w.tracks[i];
    storage::identify_decision d;
    d.entity_id = t.id;
    d.source = "release";
    d.stale = a.stale;
    if (!ok) {
      d.outcome = "not_found";
      d.why = "the album's release " + w.key + " does not exist";
    } else if (i < matches.size() && matches[i].recording
               && matches[i].score < min_confidence(self)) {
      d.outcome = "uncertain";
      d.confidence = matches[i].score;
      d.why = "the best track of release " + w.key + " matches at "
              + fmt(matches[i].score) + ", below the minimum confidence "
              + fmt(min_confidence(self));
    } else if (i < matches.size() && matches[i].recording) {
      const auto& m = matches[i];
      d.confidence = m.score;
      d.margin = m.score;
      if (!t.mbid.empty() && t.mbid != *m.recording) {
        d.outcome = "uncertain";
        d.why = "the recording MBID " + t.mbid + " of the tags is not "
                + *m.recording + ", the matching track of release " + w.key;
        ++st.run.count("bad_tags");
      } else {
        d.outcome = "identified";
        d.chosen_mbid = m.recording;
        d.secondary_mbid = m.track;
        if (!t.mbid.empty())
          d.source = "tags";
        d.why = "track of release " + w.key + " at " + fmt(m.score);
      }
    } else {
      d.outcome = "uncertain";
      d.why = "no track of release " + w.key + " matches \"" + t.title + "\"";
    }
    store_decision(self, std::move(d));
  }
  done(self);
}

void on_isrc(self_ptr self, identify_tracks_state::work w, mb_answer a) {
  auto& st = self->state;
  if (!a.ok) {
    st.run.count("unreachable") += static_cast<int64_t>(w.tracks.size());
    return done(self);
  }
  std::vector<isrc_recording> recs;
  if (a.status == 200) {
    try {
      recs = parse_isrc(json::parse(a.body));
    } catch (const std::exception& e) {
      st.run.note_error("isrc " + w.key + ": " + e.what());
      return done(self);
    }
  }
  for (const auto& t : w.tracks) {
    storage::identify_decision d;
    d.entity_id = t.id;
    d.source = "isrc";
    d.stale = a.stale;
    if (a.status != 200) {
      d.outcome = "not_found";
      d.why = "MusicBrainz knows no recording with ISRC " + w.key;
    } else {
      auto c = choose_isrc_recording(t, recs, st.config.min_title);
      d.why = c.why;
      d.confidence = c.confidence;
      d.margin = c.confidence;
      auto cands = json::array();
      for (const auto& r : recs)
        cands.push_back({{"mbid", r.mbid}, {"title", r.title}});
      d.candidates_json = cands.dump(-1, ' ', false,
                                     json::error_handler_t::replace);
      if (c.recording && !t.mbid.empty() && t.mbid != *c.recording) {
        d.outcome = "uncertain";
        d.why = "the recording MBID " + t.mbid + " of the tags is not "
                + *c.recording + ": " + c.why;
        ++st.run.count("bad_tags");
      } else if (c.recording && c.confidence < min_confidence(self)) {
        d.outcome = "uncertain";
        d.why += ", below the minimum confidence " + fmt(min_confidence(self));
      } else if (c.recording) {
        d.outcome = "identified";
        d.chosen_mbid = c.recording;
        if (!t.mbid.empty())
          d.source = "tags";
      } else {
        d.outcome = "uncertain";
      }
    }
    store_decision(self, std::move(d));
  }
  done(self);
}

void finish(self_ptr self) {
  auto& st = self->state;
  auto stats = st.run.stats();
  stats["degraded"] = stats.value("unreachable", int64_t{0}) > 0;
  auto r = st.run.result(run_status::succeeded);
  r.stats_json = task_run::dump(stats);
  log::get(st.config.task)->info("IDENTIFY: tracks done: {}", r.stats_json);
  st.reset();
  st.run.finish(std::move(r));
}

void pump(self_ptr self) {
  auto& st = self->state;
  if (!st.run.running() || !st.loaded)
    return;
  while (!st.queue.empty() && st.in_flight < st.config.max_in_flight) {
    auto w = std::move(st.queue.front());
    st.queue.pop_front();
    ++st.in_flight;
    auto req = w.by_isrc ? isrc_lookup(st.mb, w.key)
                         : release_lookup(st.mb, w.key);
    bool by_isrc = w.by_isrc;
    fetch(self, std::move(req), [self, w, by_isrc](mb_answer a) {
      if (!self->state.run.running())
        return;
      if (by_isrc)
        on_isrc(self, w, std::move(a));
      else
        on_release(self, w, std::move(a));
    });
    if (!st.run.running())
      return;
  }
  if (st.queue.empty() && st.in_flight == 0 && st.writes_in_flight == 0)
    finish(self);
}

void start(self_ptr self) {
  auto& st = self->state;
  const auto& env = st.config.env;
  for (const char* k :
       {"tracks", "releases", "isrcs", "requests", "cache_hits",
        "stale_answers", "identified", "uncertain", "not_found", "unreachable"})
    st.run.count(k) = 0;
  auto reader = env.detached
                  ? self->spawn<caf::detached>(track_reader, env.db_path)
                  : self->spawn(track_reader, env.db_path);
  self->request(reader, caf::infinite, atom::id_load_v)
    .then(
      [self](tracks_to_identify& all) {
        auto& st = self->state;
        bool scheduled = st.run.request().trigger == "schedule";
        auto now = now_ms();
        auto due = [&](const track_to_identify& t) {
          if (scheduled && !recheck_due(t.checked_at, t.attempts, now)) {
            ++st.run.count("not_due");
            return false;
          }
          return true;
        };
        int64_t tracks = 0;
        for (auto& [release, list] : all.by_release) {
          identify_tracks_state::work w{release, false, {}};
          for (auto& t : list)
            if (due(t))
              w.tracks.push_back(std::move(t));
          if (w.tracks.empty())
            continue;
          tracks += static_cast<int64_t>(w.tracks.size());
          ++st.run.count("releases");
          st.queue.push_back(std::move(w));
        }
        std::map<std::string, size_t> by_isrc;
        for (auto& t : all.by_isrc) {
          if (!due(t))
            continue;
          ++tracks;
          auto [it, added] = by_isrc.emplace(t.isrc, st.queue.size());
          if (added) {
            st.queue.push_back(identify_tracks_state::work{t.isrc, true, {}});
            ++st.run.count("isrcs");
          }
          st.queue[it->second].tracks.push_back(std::move(t));
        }
        st.run.count("tracks") = tracks;
        log::get(st.config.task)
          ->info("IDENTIFY: {} tracks to identify with MusicBrainz ({})",
                 tracks, st.run.request().trigger);
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
identify_tracks(task_actor::stateful_pointer<identify_tracks_state> self,
                identify_tracks_config config) {
  return identify_task<identify_tracks_state>(self, std::move(config),
                                              [](auto* s) { start(s); });
}

} // namespace discotheque
