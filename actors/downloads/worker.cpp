#include "actors/downloads/worker.hpp"

#include "actors/downloads/loader.hpp"
#include "actors/gateway/provider_hub.hpp"
#include "messages/error.hpp"
#include "storage/writes/downloads.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <random>

namespace discotheque {

using nlohmann::json;

namespace download_steps {

namespace {

/// Tracks read per load; a full load is followed by another once done.
constexpr int64_t load_batch = 500;

/// Groups the pending tracks: the wanted tracks of one album together (in
/// the order of the first of them), a track without album alone.
std::deque<std::vector<downloads::wanted_track>>
group_tracks(std::vector<downloads::wanted_track> tracks) {
  std::deque<std::vector<downloads::wanted_track>> out;
  std::map<std::pair<std::string, std::string>, size_t> album_group;
  for (auto& t : tracks) {
    if (t.album.empty()) {
      out.push_back({std::move(t)});
      continue;
    }
    auto key = std::make_pair(t.album_artist, t.album);
    auto it = album_group.find(key);
    if (it == album_group.end()) {
      album_group.emplace(key, out.size());
      out.push_back({std::move(t)});
    } else {
      out[it->second].push_back(std::move(t));
    }
  }
  return out;
}

bool idle(const download_worker_state& st) {
  return !st.loading && st.groups.empty() && !st.search && st.grabs.empty()
         && st.to_enqueue.empty() && !st.enqueuing && st.writes_in_flight == 0;
}

void load(download_worker_ptr self);

void finish(download_worker_ptr self) {
  auto& st = self->state;
  auto now = now_ms();
  auto stats = st.run.stats();
  stats["search_budget"] = st.budget.budget();
  stats["search_window_s"] = st.budget.window_ms() / 1000;
  stats["searches_in_window"] = st.budget.used(now);
  if (st.first_search_ms >= 0)
    stats["first_search_ms"] = st.first_search_ms;
  if (st.client_down)
    stats["degraded"] = "slskd could not be reached; the rest stays pending";
  st.log->info("download_queue: {}", stats.dump());
  auto r = st.run.result(run_status::succeeded);
  r.stats_json = task_run::dump(stats);
  st.run.finish(std::move(r));
}

void take(download_worker_ptr self, download_work w) {
  auto& st = self->state;
  st.loading = false;
  for (size_t i = 0; i < w.blocked_users.size() && i < w.blocked_paths.size();
       ++i)
    st.blocked.emplace(w.blocked_users[i], w.blocked_paths[i]);
  auto now = now_ms();
  // Reconcile what a previous run (or a crash) left in downloading.
  for (auto& h : w.held) {
    if (st.grabs.count(h.track.track_id) > 0)
      continue; // followed by this run already
    ++st.run.count("reconciled");
    // A held (user, file): its transfer is looked up by id, or by the
    // file when the crash came before slskd's answer to the enqueue.
    if (h.client == slskd::provider_name && !h.username.empty()
        && !h.remote_path.empty()) {
      download_worker_state::grab g;
      g.track = h.track;
      g.file.username = h.username;
      g.file.filename = h.remote_path;
      g.file.size = h.size;
      g.transfer_id = h.transfer_id;
      g.enqueued = true;
      g.reconciled = true;
      g.phase_since = g.progress_at = g.enqueued_at = now;
      st.grabs.emplace(h.track.track_id, std::move(g));
    } else {
      // No transfer held: back to pending, searched again in this run.
      auto id = h.track.track_id;
      write(self,
            storage::release_download(id, "restart: no transfer held", now),
            [self, t = h.track](const write_ack&) {
              self->state.groups.push_back({t});
            });
    }
  }
  st.more = static_cast<int64_t>(w.pending.size()) >= load_batch;
  auto groups = group_tracks(std::move(w.pending));
  for (auto& g : groups)
    st.groups.push_back(std::move(g));
  pump(self);
}

void load(download_worker_ptr self) {
  auto& st = self->state;
  st.loading = true;
  auto fail = [self](const caf::error& err) {
    auto& st = self->state;
    st.loading = false;
    st.run.note_error("loading the queue failed: " + render(err));
    st.log->error("download_queue: loading the queue failed: {}", render(err));
    pump(self);
  };
  // Failed tracks whose retry time came go back to pending first.
  self
    ->request(st.env.store, std::chrono::minutes(1), atom::write_v,
              storage::requeue_due_downloads(now_ms()))
    .then(
      [self, fail](const write_ack& ack) {
        auto& st = self->state;
        // The first statement's count: the tracks moved back.
        if (!ack.changes.empty())
          st.run.count("requeued") += ack.changes.front();
        auto loader
          = st.env.detached
              ? self->spawn<caf::detached>(download_loader, st.env.db_path,
                                           std::string{slskd::provider_name})
              : self->spawn(download_loader, st.env.db_path,
                            std::string{slskd::provider_name});
        self
          ->request(loader, std::chrono::minutes(2), atom::dl_load_v,
                    load_batch)
          .then([self](download_work& w) { take(self, std::move(w)); }, fail);
      },
      fail);
}

void schedule_tick(download_worker_ptr self) {
  auto& st = self->state;
  if (st.tick_scheduled)
    return;
  st.tick_scheduled = true;
  self->delayed_send(self, std::chrono::milliseconds(st.dc.poll_interval_ms),
                     atom::dl_tick_v);
}

} // namespace

std::string new_search_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  auto a = rng();
  auto b = rng();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx",
                static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff),
                static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

void write(download_worker_ptr self, write_request req,
           std::function<void(const write_ack&)> then) {
  auto& st = self->state;
  ++st.writes_in_flight;
  self
    ->request(st.env.store, std::chrono::minutes(1), atom::write_v,
              std::move(req))
    .then(
      [self, then = std::move(then)](const write_ack& ack) {
        --self->state.writes_in_flight;
        if (then)
          then(ack);
        pump(self);
      },
      [self](const caf::error& err) {
        auto& st = self->state;
        --st.writes_in_flight;
        st.run.note_error("a write failed: " + render(err));
        st.log->error("download_queue: a write failed: {}", render(err));
        pump(self);
      });
}

void call(download_worker_ptr self, std::string method, std::string path,
          std::string body, std::function<void(const http_reply&)> ok,
          std::function<void(const caf::error&)> failed) {
  auto& st = self->state;
  http_call c;
  c.method = std::move(method);
  c.url = st.sk.api_base + path;
  if (!body.empty())
    c.headers.push_back("Content-Type: application/json");
  c.body = std::move(body);
  c.timeout_ms = st.sk.timeout_ms;
  self
    ->request(st.gateway, std::chrono::milliseconds(st.sk.timeout_ms * 6),
              atom::pfetch_v, std::move(c))
    .then(
      [self, ok = std::move(ok)](const http_reply& r) {
        ok(r);
        pump(self);
      },
      [self, failed = std::move(failed)](const caf::error& err) {
        failed(err);
        pump(self);
      });
}

void pump(download_worker_ptr self) {
  auto& st = self->state;
  if (!st.run.running())
    return;
  if (st.client_down && !st.groups.empty()) {
    // slskd is out of reach: what was not searched stays pending.
    for (const auto& g : st.groups)
      st.run.count("left_pending") += static_cast<int64_t>(g.size());
    st.groups.clear();
  }
  start_search(self);
  start_enqueue(self);
  if (st.search || !st.grabs.empty() || (!st.groups.empty() && !st.client_down))
    schedule_tick(self);
  if (!idle(st))
    return;
  if (st.more && !st.client_down) {
    load(self);
    return;
  }
  finish(self);
}

} // namespace download_steps

download_worker_actor::behavior_type
download_worker(download_worker_ptr self, task_env env,
                provider_gateway_actor gateway) {
  using namespace download_steps;
  auto& st = self->state;
  st.env = std::move(env);
  st.gateway = std::move(gateway);
  st.sk = slskd::settings_of(st.env.cfg);
  st.dc = st.env.cfg.downloads;
  st.prefs = downloads::preferences::from(
    st.dc.formats, static_cast<int>(st.dc.min_bitrate_kbps),
    static_cast<int>(st.dc.duration_tolerance_s));
  st.budget = downloads::search_budget{st.dc.search_budget,
                                       st.dc.search_window_s * 1000};
  st.log = log::get("download_queue");
  return {
    [self](atom::run, const task_request& req) -> caf::result<task_result> {
      auto& st = self->state;
      if (!st.run.begin(self, req))
        return st.run.refusal();
      // The hub's current actors (a credential changed through the
      // settings API respawns them); only an enabled slskd has any.
      if (st.env.providers) {
        auto p = st.env.providers->find(slskd::provider_name);
        st.gateway = p ? p->gateway : provider_gateway_actor{};
      }
      if (!st.gateway) {
        auto r = st.run.result(run_status::skipped);
        r.reason = skip_reason::provider_unavailable;
        r.stats_json
          = json{{"skipped", "providers.slskd is not enabled"}}.dump();
        st.run.finish(std::move(r));
        return st.run.promise();
      }
      st.avoided.clear();
      st.stalls.clear();
      st.client_down = false;
      st.first_search_ms = -1;
      load(self);
      return st.run.promise();
    },
    [self](atom::progress) {
      auto& st = self->state;
      if (!st.run.running())
        return std::string{"{}"};
      auto j = json::parse(st.run.progress_json(true));
      auto now = now_ms();
      j["queued"] = [&] {
        int64_t n = 0;
        for (const auto& g : st.groups)
          n += static_cast<int64_t>(g.size());
        return n;
      }();
      j["searching"] = st.search ? st.search->tracks.size() : 0;
      j["transferring"] = st.grabs.size();
      j["search_budget"] = st.budget.budget();
      j["search_window_s"] = st.budget.window_ms() / 1000;
      j["searches_in_window"] = st.budget.used(now);
      return j.dump();
    },
    [self](atom::dl_tick) {
      auto& st = self->state;
      st.tick_scheduled = false;
      if (!st.run.running())
        return;
      if (st.search && !st.search->in_flight && !st.search->id.empty())
        poll_search(self);
      if (!st.polling && !st.grabs.empty())
        poll_transfers(self);
      pump(self);
    },
  };
}

} // namespace discotheque
