#include "actors/tasks/scan_local_library.hpp"

#include "messages/error.hpp"
#include "scan/tags.hpp"
#include "scan/walk.hpp"
#include "storage/writes/scan.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/exit_reason.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <string_view>
#include <thread>

#if defined(__GLIBC__)
#  include <malloc.h>
#endif

namespace discotheque {

walker_actor::behavior_type walker(walker_actor::pointer,
                                   std::shared_ptr<spdlog::logger> log) {
  return {
    [log](atom::scan_walk,
          const walk_request& req) -> caf::result<walk_result> {
      try {
        return scan::walk(req);
      } catch (const std::exception& e) {
        log->error("walk failed: {}", e.what());
        return make_error(ec::database_error, e.what());
      }
    },
  };
}

tag_reader_actor::behavior_type tag_reader(tag_reader_actor::pointer,
                                           std::shared_ptr<spdlog::logger> log,
                                           int64_t max_file_ms) {
  scan::read_options opts;
  opts.max_file_time = std::chrono::milliseconds{max_file_ms};
  return {
    [log, opts](atom::scan_read, const std::vector<scan_file>& files) {
      log->debug("reading {} files", files.size());
      read_result out;
      for (auto& f : files) {
        ++out.opened;
        auto r = scan::read_tags(f.path, f.size, f.mtime, opts);
        if (r.ok) {
          if (!r.album_artist_tagged && !r.track.album.title.empty())
            out.no_album_artist.push_back(
              static_cast<int32_t>(out.tracks.size()));
          out.tracks.push_back(std::move(r.track));
        } else
          out.errors.push_back(
            scan_error_dto{f.path, r.error, f.size, f.mtime, r.transient});
      }
      return out;
    },
  };
}

std::string scan_state::stats_json(bool with_errors) const {
  auto elapsed
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
        .count();
  nlohmann::json j{
    {"running", run.running()},
    {"files_seen", files_seen},
    {"files_unchanged", files_unchanged},
    {"files_to_read", files_to_read},
    {"files_opened", files_opened},
    {"files_read", files_read},
    {"errors", static_cast<int64_t>(errors.size())},
    {"tracks_added", tracks_added},
    {"tracks_updated", tracks_updated},
    {"files_gone", files_gone},
    {"files_outside_roots", walk.files_outside_roots},
    {"folders_seen", folders_seen},
    {"folders_skipped", folders_skipped},
    {"albums_inferred", static_cast<int64_t>(folders.inferred())},
    {"elapsed_ms", static_cast<int64_t>(elapsed * 1000)},
    {"files_per_second",
     elapsed > 0 ? static_cast<int64_t>(files_opened / elapsed) : 0},
  };
  if (with_errors) {
    auto list = nlohmann::json::array();
    for (size_t i = 0; i < errors.size() && i < 100; ++i)
      list.push_back({{"path", errors[i].path}, {"reason", errors[i].reason}});
    j["error_files"] = std::move(list);
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

using self_ptr = task_actor::stateful_pointer<scan_state>;

void pump(self_ptr self);

/// Hands the heap's free pages back to the system. glibc keeps memory freed
/// in the arena of the thread that allocated it, and gives back only what
/// lies at an arena's top: the walk's list of paths (the walker's thread)
/// and the tag readers' results stayed resident long after they were freed
/// (peak RSS 212 MB at 200,000 files; trimmed as the scan goes, 143 MB, at
/// the same CPU time). A few milliseconds per call, no I/O.
void give_back_memory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

/// Merge batches between two give_back_memory() calls (2,000 files).
constexpr size_t merges_per_trim = 4;

void stop_helpers(self_ptr self) {
  auto& st = self->state;
  for (auto& r : st.readers) {
    self->unlink_from(r);
    self->send_exit(r, caf::exit_reason::user_shutdown);
  }
  st.readers.clear();
}

void finish(self_ptr self) {
  auto& st = self->state;
  stop_helpers(self);
  if (st.walker) {
    self->unlink_from(st.walker);
    self->send_exit(st.walker, caf::exit_reason::user_shutdown);
    st.walker = nullptr;
  }
  st.run.end();
  auto r = st.run.result(st.failure.empty() ? run_status::succeeded
                                            : run_status::failed);
  r.stats_json = st.stats_json(true);
  r.error = st.failure;
  st.log->info("scan {}: {} files seen, {} unchanged, {} opened, {} read, "
               "{} errors, {} tracks added, {} updated, {} gone in {} ms",
               to_string(r.status), st.files_seen, st.files_unchanged,
               st.files_opened, st.files_read, st.errors.size(),
               st.tracks_added, st.tracks_updated, st.files_gone,
               r.finished_at - r.started_at);
  // Free the run's memory before answering.
  st.walk = walk_result{};
  std::vector<track_dto>{}.swap(st.pending);
  give_back_memory();
  st.run.finish(std::move(r));
}

/// Everything is merged: record folder hashes (only now, so a crash before
/// this point makes the next scan look at those folders again) and clean up
/// scan errors of files that are gone or readable again.
void finalize(self_ptr self) {
  auto& st = self->state;
  stop_helpers(self); // also keeps pump() from finalizing twice
  write_request req;
  // Only files that had an error recorded can have one to forget (none on a
  // cold scan): the ones among them that failed again keep theirs.
  std::vector<std::string> readable;
  if (!st.walk.error_paths.empty()) {
    std::set<std::string_view> failed;
    for (auto& e : st.errors)
      failed.insert(e.path);
    for (auto& p : st.walk.error_paths)
      if (!failed.count(p))
        readable.push_back(std::move(p));
  }
  storage::writes::append(
    req, storage::writes::forget_scan_errors(std::move(st.walk.gone_errors)));
  storage::writes::append(
    req, storage::writes::forget_scan_errors(std::move(readable)));
  if (st.failure.empty()) {
    storage::writes::append(req, storage::writes::record_scan_folders(
                                   std::move(st.walk.folder_paths),
                                   std::move(st.walk.folder_hashes), now_ms()));
    storage::writes::append(req, storage::writes::forget_scan_folders(
                                   std::move(st.walk.gone_folders)));
  }
  // The folders that were there are scanned and committed; a music folder
  // that was not is still a failed run, named so it can be fixed.
  if (st.failure.empty() && !st.walk.unavailable_roots.empty()) {
    st.failure = "music folder unavailable:";
    for (auto& r : st.walk.unavailable_roots)
      st.failure += " " + r;
  }
  if (req.statements.empty()) {
    finish(self);
    return;
  }
  self->request(st.env.store, caf::infinite, atom::write_v, std::move(req))
    .then([self](const write_ack&) { finish(self); },
          [self](const caf::error& err) {
            if (self->state.failure.empty())
              self->state.failure = "cannot record scan state: "
                                    + to_string(err);
            finish(self);
          });
}

bool all_done(scan_state& st) {
  return st.walk.to_read.empty() && st.chunks_in_flight == 0
         && st.folders.held() == 0 && st.pending.empty()
         && st.merges_in_flight == 0 && st.writes_in_flight == 0;
}

void send_merge(self_ptr self) {
  auto& st = self->state;
  ingest_batch batch;
  batch.source = "local";
  batch.reason = "file";
  batch.run_id = st.run.request().run_id;
  auto n = std::min(st.pending.size(), st.options.batch_size);
  batch.tracks.assign(std::make_move_iterator(st.pending.begin()),
                      std::make_move_iterator(st.pending.begin() + n));
  st.pending.erase(st.pending.begin(), st.pending.begin() + n);
  ++st.merges_in_flight;
  self->request(st.env.dedup, caf::infinite, atom::merge_v, std::move(batch))
    .then(
      [self](const ingest_result& r) {
        auto& st = self->state;
        --st.merges_in_flight;
        st.tracks_added += r.tracks_created;
        st.tracks_updated += r.tracks_merged;
        if (++st.merges_done % merges_per_trim == 0)
          give_back_memory();
        pump(self);
      },
      [self](const caf::error& err) {
        auto& st = self->state;
        --st.merges_in_flight;
        st.log->error("merge failed: {}", to_string(err));
        if (st.failure.empty())
          st.failure = "merge failed: " + to_string(err);
        pump(self);
      });
}

void record_errors(self_ptr self, const std::vector<scan_error_dto>& errs) {
  auto& st = self->state;
  if (errs.empty())
    return;
  for (auto& e : errs) {
    st.log->warn("cannot read {}: {}", e.path, e.reason);
    st.errors.push_back(e);
  }
  auto req = storage::writes::record_scan_errors(errs, now_ms());
  ++st.writes_in_flight;
  self->request(st.env.store, caf::infinite, atom::write_v, std::move(req))
    .then(
      [self](const write_ack&) {
        --self->state.writes_in_flight;
        pump(self);
      },
      [self](const caf::error& err) {
        --self->state.writes_in_flight;
        self->state.log->error("cannot record scan errors: {}", to_string(err));
        pump(self);
      });
}

void maybe_log(scan_state& st) {
  auto now = std::chrono::steady_clock::now();
  if (now - st.last_log < std::chrono::seconds(5))
    return;
  st.last_log = now;
  st.log->info("scanning: {} of {} files read, {} errors, {}", st.files_opened,
               st.files_to_read, st.errors.size(), st.stats_json(false));
}

/// Moves work forward: merges what is ready, hands chunks to idle readers
/// while the buffered results leave room, and finishes when all is done.
void pump(self_ptr self) {
  auto& st = self->state;
  bool reading_done = st.walk.to_read.empty() && st.chunks_in_flight == 0;
  if (reading_done && st.folders.held() > 0)
    st.folders.flush(st.pending); // a failed chunk: its folders stay partial
  while (st.merges_in_flight < st.options.max_merges
         && (st.pending.size() >= st.options.batch_size
             || (reading_done && !st.pending.empty())))
    send_merge(self);
  // Credit: each reader may have two chunks out, and what they return must
  // fit in two batches' worth of buffered tracks.
  auto max_chunks = st.readers.size() * 2;
  auto& to_read = st.walk.to_read; // reversed: the next file is the last
  while (!to_read.empty() && st.chunks_in_flight < max_chunks
         && st.pending.size() + st.chunks_in_flight * st.options.chunk_size
              < st.options.max_merges * st.options.batch_size) {
    auto n = std::min(st.options.chunk_size, to_read.size());
    std::vector<scan_file> chunk;
    chunk.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      chunk.push_back(std::move(to_read.back()));
      to_read.pop_back();
    }
    // The walk's list is given back as it goes out, not held to the end.
    if (to_read.capacity() > 4096 && to_read.size() < to_read.capacity() / 2)
      to_read.shrink_to_fit();
    st.next_file += n;
    for (auto& f : chunk)
      st.folders.sent(f.path, st.pending);
    if (to_read.empty())
      st.folders.all_sent(st.pending);
    // Round robin over the pool: chunks are small, so the load evens out.
    auto& reader
      = st.readers[(st.next_file / st.options.chunk_size) % st.readers.size()];
    ++st.chunks_in_flight;
    self->request(reader, caf::infinite, atom::scan_read_v, std::move(chunk))
      .then(
        [self](read_result& r) {
          auto& st = self->state;
          --st.chunks_in_flight;
          st.files_opened += r.opened;
          st.files_read += static_cast<int64_t>(r.tracks.size());
          std::vector<bool> tagged(r.tracks.size(), true);
          for (auto i : r.no_album_artist)
            if (i >= 0 && static_cast<size_t>(i) < tagged.size())
              tagged[i] = false;
          for (size_t i = 0; i < r.tracks.size(); ++i)
            st.folders.arrived(std::move(r.tracks[i]), tagged[i], st.pending);
          for (auto& e : r.errors)
            st.folders.failed(e.path, st.pending);
          record_errors(self, r.errors);
          maybe_log(st);
          pump(self);
        },
        [self](const caf::error& err) {
          auto& st = self->state;
          --st.chunks_in_flight;
          if (st.failure.empty())
            st.failure = "tag reader failed: " + to_string(err);
          pump(self);
        });
  }
  if (all_done(st) && st.run.running() && !st.readers.empty())
    finalize(self);
}

void start_reading(self_ptr self) {
  auto& st = self->state;
  auto n = st.options.readers;
  int64_t max_file_ms = st.env.cfg.scan_max_file_seconds * 1000;
  if (n == 0)
    n = std::max(1u, std::thread::hardware_concurrency());
  for (size_t i = 0; i < n; ++i)
    // Linked: if the task actor dies (say, the supervisor's time limit),
    // its helpers go with it, and a crashed helper fails the run.
    st.readers.push_back(
      st.env.detached
        ? self->spawn<caf::detached + caf::linked>(tag_reader, st.log,
                                                   max_file_ms)
        : self->spawn<caf::linked>(tag_reader, st.log, max_file_ms));
  st.log->info("{} files to read with {} readers ({} unchanged, {} folders "
               "skipped)",
               st.files_to_read, n, st.files_unchanged, st.folders_skipped);
  pump(self);
}

void on_walked(self_ptr self, walk_result w) {
  auto& st = self->state;
  st.walk = std::move(w);
  st.files_to_read = static_cast<int64_t>(st.walk.to_read.size());
  // pump() takes files from the back, so that they leave the list (and free
  // their paths) in walk order.
  std::reverse(st.walk.to_read.begin(), st.walk.to_read.end());
  st.files_seen = st.walk.files_seen;
  st.files_unchanged = st.walk.files_unchanged;
  st.folders_seen = st.walk.folders_seen;
  st.folders_skipped = st.walk.folders_skipped;
  for (auto& warning : st.walk.warnings)
    st.log->warn("{}", warning);
  if (st.walk.gone.empty()) {
    start_reading(self);
    return;
  }
  // Files gone from disk first: a moved file then finds its old track free.
  ingest_batch gone;
  gone.source = "local";
  gone.reason = "file";
  gone.run_id = st.run.request().run_id;
  gone.gone_paths = std::move(st.walk.gone);
  self->request(st.env.dedup, caf::infinite, atom::merge_v, std::move(gone))
    .then(
      [self](const ingest_result& r) {
        self->state.files_gone = r.gone;
        start_reading(self);
      },
      [self](const caf::error& err) {
        self->state.failure = "cannot record gone files: " + to_string(err);
        start_reading(self);
      });
}

} // namespace

task_actor::behavior_type
scan_local_library_with(task_actor::stateful_pointer<scan_state> self,
                        task_env env, scan_options options) {
  auto& st = self->state;
  st.env = std::move(env);
  st.options = options;
  st.log = log::get("scan");
  return {
    [self](atom::run, const task_request& req) -> caf::result<task_result> {
      auto& st = self->state;
      if (!st.run.begin(self, req))
        return st.run.refusal();
      st.started = st.last_log = std::chrono::steady_clock::now();
      st.walk = walk_result{};
      st.files_to_read = 0;
      st.next_file = st.chunks_in_flight = st.merges_in_flight
        = st.writes_in_flight = st.merges_done = 0;
      st.pending.clear();
      st.folders.reset();
      st.errors.clear();
      st.failure.clear();
      st.files_seen = st.files_unchanged = st.files_opened = st.files_read
        = st.tracks_added = st.tracks_updated = st.files_gone = st.folders_seen
        = st.folders_skipped = 0;
      walk_request wr;
      for (auto& d : st.env.cfg.music_dirs)
        wr.roots.push_back(d.string());
      wr.data_dir = st.env.cfg.data_dir.string();
      wr.db_path = st.env.db_path.string();
      st.log->info("phase DISCOVER: scanning {} music folder(s)",
                   wr.roots.size());
      st.walker = st.env.detached
                    ? self->spawn<caf::detached + caf::linked>(walker, st.log)
                    : self->spawn<caf::linked>(walker, st.log);
      self->request(st.walker, caf::infinite, atom::scan_walk_v, std::move(wr))
        .then([self](walk_result& w) { on_walked(self, std::move(w)); },
              [self](const caf::error& err) {
                self->state.failure = "walk failed: " + to_string(err);
                self->state.readers.clear();
                finish(self);
              });
      return st.run.promise();
    },
    [self](atom::progress) -> std::string {
      auto& st = self->state;
      return st.run.ever_started() ? st.stats_json(false) : "{}";
    },
  };
}

task_actor::behavior_type
scan_local_library(task_actor::stateful_pointer<scan_state> self,
                   task_env env) {
  return scan_local_library_with(self, std::move(env), scan_options{});
}

} // namespace discotheque
