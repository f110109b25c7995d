// The download worker's transfers: one enqueue at a time with the exact
// remote filename and size; every transfer followed by id through one poll
// of slskd's transfer list, with a timer per state; finished files
// imported; failed, stalled and refused ones handed to the next candidate.
#include "actors/downloads/worker.hpp"

#include "actors/downloads/importer.hpp"
#include "messages/error.hpp"
#include "storage/writes/downloads.hpp"
#include "support/time.hpp"

#include <nlohmann/json.hpp>

namespace discotheque::download_steps {

namespace {

using nlohmann::json;
using grab = download_worker_state::grab;
using slskd::transfer_phase;

/// A transfer slskd does not list this long after its enqueue is gone.
constexpr int64_t vanish_ms = 10'000;
/// A user whose transfers stalled this often is passed over for the run.
constexpr int stalls_to_avoid = 2;
/// Transfer polls failing in a row before the run leaves its transfers.
constexpr int max_poll_failures = 30;

void poll_failed(download_worker_ptr self, const std::string& why) {
  auto& st = self->state;
  st.polling = false;
  if (++st.poll_failures < max_poll_failures)
    return;
  // slskd is gone: the tracks stay downloading with their transfers; the
  // next run reconciles them (nothing is lost, nothing fetched twice).
  st.run.note_error("transfer list: " + why + "; "
                    + std::to_string(st.grabs.size())
                    + " transfers left to the next run");
  st.run.count("left_downloading") += static_cast<int64_t>(st.grabs.size());
  st.grabs.clear();
  st.to_enqueue.clear();
  st.client_down = true;
}

void cancel(download_worker_ptr self, const grab& g) {
  if (g.transfer_id.empty())
    return;
  call(
    self, "DELETE",
    "/transfers/downloads/" + slskd::url_segment(g.file.username) + "/"
      + slskd::url_segment(g.transfer_id) + "?remove=true",
    {}, [](const http_reply&) {}, [](const caf::error&) {});
}

void block(download_worker_ptr self, const grab& g, const std::string& why) {
  auto& st = self->state;
  st.blocked.emplace(g.file.username, g.file.filename);
  write(self,
        storage::block_file(slskd::provider_name, g.file.username,
                            g.file.filename, why, g.track.track_id, now_ms()));
}

/// The track fails (retried later), its grab ends.
void fail(download_worker_ptr self, int64_t track_id,
          const std::string& reason) {
  auto& st = self->state;
  ++st.run.count("failed");
  st.grabs.erase(track_id);
  write(self, storage::fail_download(track_id, reason, now_ms()));
}

void imported(download_worker_ptr self, int64_t track_id,
              const import_result& r) {
  auto& st = self->state;
  auto it = st.grabs.find(track_id);
  if (it == st.grabs.end())
    return;
  if (r.imported) {
    ++st.run.count("downloaded");
    st.grabs.erase(it);
    write(self, storage::finish_download(track_id, r.path, r.size, r.mtime_ns,
                                         now_ms()));
    return;
  }
  if (r.path.empty()) {
    // Not the file's fault (missing, not movable): the track is retried.
    st.run.note_error("track " + std::to_string(track_id) + ": " + r.reason);
    fail(self, track_id, "import failed: " + r.reason);
    return;
  }
  ++st.run.count("quarantined");
  block(self, it->second, "wrong file: " + r.reason);
  next_candidate(self, track_id, "wrong file (quarantined): " + r.reason);
}

void import(download_worker_ptr self, grab& g) {
  auto& st = self->state;
  g.importing = true;
  auto id = g.track.track_id;
  write(self, storage::set_download_phase(id, "importing", "", now_ms()));
  import_request req;
  req.track = g.track;
  req.source_path
    = slskd::local_file_of(st.sk.downloads_dir, g.file.filename).string();
  req.music_dir = st.env.cfg.music_dirs.empty()
                    ? (st.env.cfg.data_dir / "music").string()
                    : st.env.cfg.music_dirs.front().string();
  req.naming_pattern = st.dc.naming_pattern;
  req.quarantine_dir = (st.env.cfg.data_dir / "quarantine").string();
  req.duration_tolerance_s = st.dc.duration_tolerance_s;
  auto importer = st.env.detached
                    ? self->spawn<caf::detached>(download_importer, int32_t{0})
                    : self->spawn(download_importer, int32_t{0});
  ++st.writes_in_flight; // the import holds the run open like a write
  self
    ->request(importer, std::chrono::minutes(5), atom::dl_import_v,
              std::move(req))
    .then(
      [self, id](const import_result& r) {
        --self->state.writes_in_flight;
        imported(self, id, r);
        pump(self);
      },
      [self, id](const caf::error& err) {
        --self->state.writes_in_flight;
        if (self->state.grabs.count(id) > 0)
          fail(self, id, "import failed: " + render(err));
        pump(self);
      });
}

/// One grab against what slskd says of its transfer.
void follow(download_worker_ptr self, grab& g, const slskd::transfer* t,
            int64_t now) {
  auto& st = self->state;
  auto id = g.track.track_id;
  if (t == nullptr) {
    if (now - g.enqueued_at < vanish_ms)
      return;
    if (g.reconciled) {
      // A previous run's transfer slskd does not know: search again.
      ++st.run.count("released");
      auto track = g.track;
      st.grabs.erase(id);
      write(self,
            storage::release_download(id,
                                      "restart: slskd no longer has the"
                                      " transfer",
                                      now),
            [self, track](const write_ack&) {
              self->state.groups.push_back({track});
            });
      return;
    }
    next_candidate(self, id, "the transfer vanished from slskd");
    return;
  }
  if (t->phase != g.phase) {
    g.phase = t->phase;
    g.phase_since = now;
  }
  if (t->bytes_transferred > g.bytes) {
    g.bytes = t->bytes_transferred;
    g.progress_at = now;
  }
  auto since = now - g.phase_since;
  switch (t->phase) {
    case transfer_phase::succeeded:
      import(self, g);
      return;
    case transfer_phase::failed:
      block(self, g, "transfer ended " + t->state);
      next_candidate(self, id,
                     "transfer ended \"" + t->state + "\" after "
                       + std::to_string(t->bytes_transferred) + " bytes");
      return;
    case transfer_phase::requested:
    case transfer_phase::queued_locally:
      if (since > st.dc.requested_timeout_s * 1000) {
        cancel(self, g);
        next_candidate(self, id,
                       "the peer did not take the request in "
                         + std::to_string(st.dc.requested_timeout_s) + " s");
      }
      return;
    case transfer_phase::queued_remotely:
      if (since > st.dc.queued_timeout_s * 1000) {
        cancel(self, g);
        next_candidate(self, id,
                       "queued remotely for more than "
                         + std::to_string(st.dc.queued_timeout_s) + " s");
      }
      return;
    case transfer_phase::in_progress:
      if (now - g.progress_at > st.dc.stalled_timeout_s * 1000) {
        cancel(self, g);
        if (++st.stalls[g.file.username] >= stalls_to_avoid)
          st.avoided.insert(g.file.username);
        next_candidate(self, id,
                       "no progress for "
                         + std::to_string(st.dc.stalled_timeout_s) + " s");
      }
      return;
  }
}

} // namespace

void next_candidate(download_worker_ptr self, int64_t track_id,
                    const std::string& reason) {
  auto& st = self->state;
  auto it = st.grabs.find(track_id);
  if (it == st.grabs.end())
    return;
  auto& g = it->second;
  while (!g.rest.empty()) {
    auto c = std::move(g.rest.front());
    g.rest.erase(g.rest.begin());
    if (st.blocked.count({c.file.username, c.file.filename}) > 0
        || st.avoided.count(c.file.username) > 0)
      continue;
    ++st.run.count("next_candidate");
    g.file = std::move(c.file);
    g.transfer_id.clear();
    g.enqueued = g.importing = g.reconciled = false;
    g.phase = transfer_phase::requested;
    g.bytes = 0;
    write(self,
          storage::set_download_phase(track_id, "searching", reason, now_ms()));
    st.to_enqueue.push_back(track_id);
    return;
  }
  fail(self, track_id, reason);
}

void start_enqueue(download_worker_ptr self) {
  auto& st = self->state;
  if (st.enqueuing || st.to_enqueue.empty())
    return;
  auto id = st.to_enqueue.front();
  st.to_enqueue.pop_front();
  auto it = st.grabs.find(id);
  if (it == st.grabs.end())
    return;
  if (st.avoided.count(it->second.file.username) > 0) {
    next_candidate(self, id, "the peer is passed over for this run");
    return;
  }
  st.enqueuing = true;
  const auto& f = it->second.file;
  // The intent first: a crash between the enqueue and its answer leaves
  // (user, file) behind, by which the restart adopts slskd's transfer
  // instead of enqueueing the file a second time.
  write(self, storage::hold_transfer(id, slskd::provider_name, f.username,
                                     f.filename, f.size, "", now_ms()));
  call(
    self, "POST", "/transfers/downloads/" + slskd::url_segment(f.username),
    slskd::enqueue_body(f.filename, f.size),
    [self, id](const http_reply& r) {
      auto& st = self->state;
      st.enqueuing = false;
      auto it = st.grabs.find(id);
      if (it == st.grabs.end())
        return;
      auto& g = it->second;
      std::optional<slskd::transfer> t;
      if (r.status >= 200 && r.status < 300) {
        auto j = json::parse(r.body, nullptr, false);
        if (!j.is_discarded())
          t = slskd::enqueued_transfer(j, g.file.filename);
      }
      if (!t) {
        auto why = r.status >= 200 && r.status < 300
                     ? std::string{"the peer refused the file"}
                     : "enqueue answered HTTP " + std::to_string(r.status)
                         + (r.body.empty() ? "" : ": " + r.body.substr(0, 200));
        if (r.status >= 500)
          st.avoided.insert(g.file.username); // offline
        next_candidate(self, id, why);
        return;
      }
      auto now = now_ms();
      ++st.run.count("enqueued");
      g.transfer_id = t->id;
      g.enqueued = true;
      g.phase = t->phase;
      g.phase_since = g.progress_at = g.enqueued_at = now;
      write(self, storage::hold_transfer(id, slskd::provider_name,
                                         g.file.username, g.file.filename,
                                         g.file.size, g.transfer_id, now));
    },
    [self, id](const caf::error& err) {
      auto& st = self->state;
      st.enqueuing = false;
      if (st.grabs.count(id) > 0)
        next_candidate(self, id, "enqueue failed: " + render(err));
    });
}

void poll_transfers(download_worker_ptr self) {
  auto& st = self->state;
  st.polling = true;
  call(
    self, "GET", "/transfers/downloads", {},
    [self](const http_reply& r) {
      auto& st = self->state;
      auto j = json::parse(r.body, nullptr, false);
      if (r.status != 200 || j.is_discarded()) {
        poll_failed(self, "HTTP " + std::to_string(r.status));
        return;
      }
      st.polling = false;
      st.poll_failures = 0;
      std::map<std::string, slskd::transfer> by_id;
      std::map<std::pair<std::string, std::string>, std::string> by_file;
      for (auto& t : slskd::parse_transfers(j)) {
        by_file[{t.username, t.filename}] = t.id;
        by_id.emplace(t.id, std::move(t));
      }
      auto now = now_ms();
      std::vector<int64_t> ids;
      for (const auto& [id, g] : st.grabs)
        if (g.enqueued && !g.importing)
          ids.push_back(id);
      for (auto id : ids) {
        auto it = st.grabs.find(id);
        if (it == st.grabs.end())
          continue;
        auto& g = it->second;
        if (g.transfer_id.empty()) {
          // Enqueued by a run that crashed before it heard the answer.
          auto f = by_file.find({g.file.username, g.file.filename});
          if (f != by_file.end()) {
            ++st.run.count("adopted");
            g.transfer_id = f->second;
            write(self, storage::hold_transfer(
                          id, slskd::provider_name, g.file.username,
                          g.file.filename, g.file.size, g.transfer_id, now));
          }
        }
        auto t = by_id.find(g.transfer_id);
        follow(self, it->second, t == by_id.end() ? nullptr : &t->second, now);
      }
    },
    [self](const caf::error& err) { poll_failed(self, render(err)); });
}

} // namespace discotheque::download_steps
