// One MusicBrainz request with the response cache in front, shared by the
// identify tasks (identify_artists, identify_albums, identify_tracks): a
// fresh cached answer is used as is; else the request goes to the gateway
// (its limiter spaces every task's requests) and its answer is stored; if
// no answer comes, a stale cached one serves, counted as `stale_answers`.
//
// The task state must have: `cache` (response_cache_actor), `mb`
// (musicbrainz::settings), `run` (task_run) and `writes_in_flight` (the
// cache writes count, so the run ends only once they are committed).
#pragma once

#include "actors/gateway/provider_hub.hpp"
#include "actors/gateway/response_cache.hpp"
#include "actors/sources/musicbrainz.hpp"
#include "actors/tasks/task_run.hpp"
#include "messages/error.hpp"
#include "messages/interfaces.hpp"
#include "support/time.hpp"

#include <functional>
#include <string>

namespace discotheque {

/// Where one answer came from.
struct mb_answer {
  bool ok = false;    ///< false: no answer at all (unreachable, no cache)
  bool stale = false; ///< a cached answer past its TTL
  int32_t status = 0; ///< 200 or 404
  std::string body;
};

/// `GET /release/MBID?inc=recordings+isrcs+artist-credits+release-groups`:
/// the lookup that identifies an album's release and every one of its
/// tracks (identify_albums and identify_tracks ask the same URL, so the
/// second one is a cache hit).
inline musicbrainz::request release_lookup(const musicbrainz::settings& s,
                                           const std::string& mbid) {
  return {s.api_base + "/release/" + mbid
            + "?inc=recordings%2Bisrcs%2Bartist-credits%2Brelease-groups"
              "&fmt=json",
          musicbrainz::request_kind::lookup};
}

/// `GET /release?release-group=MBID&inc=media+artist-credits&limit=100`:
/// the releases of a group with their track counts and credits.
inline musicbrainz::request release_browse(const musicbrainz::settings& s,
                                           const std::string& group) {
  return {s.api_base + "/release?release-group=" + group
            + "&inc=media%2Bartist-credits&limit=100&fmt=json",
          musicbrainz::request_kind::browse};
}

/// `GET /isrc/ISRC?inc=artist-credits`: the recordings with that ISRC.
inline musicbrainz::request isrc_lookup(const musicbrainz::settings& s,
                                        const std::string& isrc) {
  return {s.api_base + "/isrc/" + isrc + "?inc=artist-credits&fmt=json",
          musicbrainz::request_kind::lookup};
}

/// Sends `req` through the cache; `then` gets the answer; `written` runs
/// once a fresh answer was stored (the caller's pump).
template <class Self>
void mb_fetch(Self self, provider_gateway_actor gateway,
              musicbrainz::request req, std::function<void(mb_answer)> then,
              std::function<void()> written) {
  auto& st = self->state;
  self->request(st.cache, caf::infinite, atom::cache_get_v, req.url)
    .then(
      [self, gateway, req, then, written](const cached_answer& cached) {
        auto& st = self->state;
        auto ttl = st.mb.ttl(req.kind).count();
        if (cached.found && now_ms() - cached.fetched_at < ttl) {
          ++st.run.count("cache_hits");
          then(mb_answer{true, false, cached.status, cached.body});
          return;
        }
        auto fallback = [self, cached, then](const std::string& why) {
          auto& st = self->state;
          if (cached.found) {
            ++st.run.count("stale_answers");
            then(mb_answer{true, true, cached.status, cached.body});
            return;
          }
          st.run.note_error(why);
          then(mb_answer{});
        };
        if (!gateway) {
          fallback("musicbrainz is not available");
          return;
        }
        ++st.run.count("requests");
        self
          ->request(gateway, caf::infinite, atom::pfetch_v,
                    musicbrainz::make_call(req, st.mb))
          .then(
            [self, req, then, fallback, written](const http_reply& r) {
              auto& st = self->state;
              if (r.status != 200 && r.status != 404) {
                fallback("HTTP " + std::to_string(r.status) + " for "
                         + req.url);
                return;
              }
              cached_answer a;
              a.url = req.url;
              a.provider = musicbrainz::provider_name;
              a.found = true;
              a.status = r.status;
              a.body = r.body;
              a.fetched_at = now_ms();
              ++st.writes_in_flight;
              self->request(st.cache, caf::infinite, atom::cache_put_v, a)
                .then(
                  [self, written](atom::ok_atom) {
                    --self->state.writes_in_flight;
                    written();
                  },
                  [self, written](const caf::error& err) {
                    --self->state.writes_in_flight;
                    self->state.run.note_error("cache write: " + render(err));
                    written();
                  });
              then(mb_answer{true, false, r.status, r.body});
            },
            [fallback](const caf::error& err) { fallback(render(err)); });
      },
      [then](const caf::error&) { then(mb_answer{}); });
}

/// The behaviour every identify task shares: its MusicBrainz settings, its
/// run helper and its response cache (detached with a real database); on
/// (run) it asks the provider hub for the current gateway (the node may
/// have restarted the provider), is skipped as `provider_unavailable`
/// without one, else resets its state, begins the run and calls
/// `start(self)`; (progress) answers the live counters. The state must have
/// `config` (`env`, `task`, `gateway`), `mb`, `run`, `cache` and `reset()`.
template <class State, class Config, class Start>
task_actor::behavior_type
identify_task(task_actor::stateful_pointer<State> self, Config config,
              Start start) {
  auto& st = self->state;
  st.config = std::move(config);
  st.mb = musicbrainz::settings_of(st.config.env.cfg);
  st.run = task_run{st.config.task};
  response_cache_config cc{st.config.env.db_path, st.config.env.store};
  st.cache = st.config.env.detached
               ? self->template spawn<caf::detached>(response_cache, cc)
               : self->spawn(response_cache, cc);
  self->link_to(st.cache);
  return {
    [self, start](atom::run,
                  const task_request& req) -> caf::result<task_result> {
      auto& st = self->state;
      if (st.run.running())
        return st.run.refusal();
      if (st.config.env.providers)
        if (auto p = st.config.env.providers->find(musicbrainz::provider_name))
          st.config.gateway = p->gateway;
      if (!st.mb.enabled || !st.config.gateway) {
        auto r = task_result::skipped(req.task.empty() ? st.config.task
                                                       : req.task,
                                      skip_reason::provider_unavailable);
        r.error = "musicbrainz is not enabled";
        return r;
      }
      st.reset();
      st.run.begin(self, req);
      start(self);
      return st.run.promise();
    },
    [self](atom::progress) -> std::string {
      return self->state.run.progress_json(true);
    },
  };
}

} // namespace discotheque
