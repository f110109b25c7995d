#include "actors/tasks/enrich_images.hpp"

#include "actors/gateway/provider_hub.hpp"
#include "actors/images/image_pool.hpp"
#include "actors/sources/musicbrainz.hpp"
#include "messages/error.hpp"
#include "scan/tags.hpp"
#include "storage/queries/images.hpp"
#include "storage/writes/images.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <nlohmann/json.hpp>

#include <system_error>

namespace discotheque {

namespace fs = std::filesystem;
using nlohmann::json;

std::string image_skip_reason(const image_work& w, int64_t now) {
  if (w.state == "failed") {
    if (w.next_attempt_at == 0 && w.attempts >= storage::image_max_attempts)
      return "gave_up";
    if (w.next_attempt_at > now)
      return "backoff";
  }
  if (w.state == "none" && w.next_attempt_at > now)
    return "none_recently";
  if (w.state == "downloaded" && !w.path.empty()
      && now - w.fetched_at < image_fresh_ms) {
    // The same link as the file came from (the archive's link is only known
    // by asking it: a young file from there is kept as it is).
    bool same = w.source == "coverartarchive"
                || (w.source == "local" && w.local_cover == w.url)
                || (w.local_cover.empty() && !w.provider_url.empty()
                    && w.provider_url == w.url);
    if (same)
      return "fresh";
  }
  return {};
}

std::string find_local_cover(const fs::path& folder) {
  if (folder.empty())
    return {};
  static const char* stems[] = {"cover", "folder", "front",
                                "Cover", "Folder", "Front"};
  static const char* exts[] = {".jpg", ".jpeg", ".png", ".webp", ".JPG"};
  std::error_code ec;
  for (const char* s : stems)
    for (const char* e : exts) {
      auto p = folder / (std::string{s} + e);
      if (fs::is_regular_file(p, ec))
        return p.string();
    }
  return {};
}

std::string local_source(const std::string& path) {
  return scan::is_audio_extension(fs::path{path}.extension().string())
           ? "embedded"
           : "local";
}

bool wants_caa(const image_work& w) {
  return w.entity_type == "album"
         && (!w.mbid.empty() || !w.release_group_mbid.empty()) && w.caa_front;
}

namespace {

using self_ptr = task_actor::stateful_pointer<enrich_images_state>;
using item = enrich_images_state::item;

/// The one-shot reader of what to work on: SQLite and stat() block, so in
/// production it runs detached.
caf::behavior work_loader(caf::event_based_actor* self, fs::path db_path,
                          std::string mb_api_base) {
  return {
    [self, db_path, mb_api_base](atom::img_load) {
      self->quit();
      auto plan = storage::load_image_work(db_path, mb_api_base);
      std::error_code ec;
      for (auto& w : plan.work) {
        if (!w.path.empty() && !fs::exists(w.path, ec))
          w.path.clear(); // the file is gone: fetch it again
        // A cover file in the album's folder, else the picture embedded in
        // the album's file that the query named (local_cover).
        if (!w.local_folder.empty())
          if (auto cover = find_local_cover(w.local_folder); !cover.empty())
            w.local_cover = std::move(cover);
      }
      return plan;
    },
  };
}

void pump(self_ptr self);

void done(self_ptr self) {
  --self->state.in_flight;
  pump(self);
}

void note(self_ptr self, const item& it, const std::string& what) {
  self->state.run.note_error(it.work.entity_type + " "
                             + std::to_string(it.work.entity_id) + ": " + what);
}

void count_outcome(self_ptr self, const item& it, const image_outcome& o) {
  auto& st = self->state;
  ++st.run.count(o.state);
  if (o.state == "failed")
    note(self, it, o.url + ": " + o.error);
  if (o.state == "downloaded")
    st.run.count("bytes") += o.bytes;
}

/// Step 2: the pool downloads (and records what became of it).
void download(self_ptr self, item it, image_job job) {
  auto& st = self->state;
  if (!st.env.images) {
    done(self);
    return;
  }
  self->request(st.env.images, caf::infinite, atom::img_get_v, std::move(job))
    .then(
      [self, it](const image_outcome& o) {
        count_outcome(self, it, o);
        done(self);
      },
      [self, it](const caf::error& err) {
        ++self->state.run.count("failed");
        note(self, it, "image pool: " + render(err));
        done(self);
      });
}

void record(self_ptr self, const item& it, write_request req,
            std::function<void()> then) {
  auto& st = self->state;
  self
    ->request(st.env.store, std::chrono::minutes(1), atom::write_v,
              std::move(req))
    .then([then](const write_ack&) { then(); },
          [self, it](const caf::error& err) {
            note(self, it, "store: " + render(err));
            done(self);
          });
}

/// Step 1 is over for `it`: the URL is stored, then downloaded.
void found(self_ptr self, item it, bool caa_asked) {
  auto& st = self->state;
  const auto& w = it.work;
  image_job job;
  job.entity_type = w.entity_type;
  job.entity_id = w.entity_id;
  auto add = [&](const std::string& url, const std::string& source) {
    if (url.empty())
      return;
    for (const auto& u : job.urls)
      if (u == url)
        return;
    job.urls.push_back(url);
    job.sources.push_back(source);
  };
  add(w.local_cover, local_source(w.local_cover));
  add(it.caa_url, coverartarchive::provider_name);
  add(w.provider_url, w.provider_source);
  if (job.urls.empty()) {
    if (!caa_asked) {
      ++st.run.count("no_source");
      done(self);
      return;
    }
    // The archive has none and nobody else offers one.
    image_outcome none;
    none.entity_type = w.entity_type;
    none.entity_id = w.entity_id;
    none.state = "none";
    ++st.run.count("none");
    record(self, it, storage::record_image_outcome(none, now_ms()),
           [self] { done(self); });
    return;
  }
  if (w.state == "downloaded" && !w.path.empty()) {
    job.have_url = w.url;
    job.have_path = w.path;
    job.etag = w.etag;
    job.last_modified = w.last_modified;
  }
  ++st.run.count("url_found");
  auto req = storage::set_image_url(w.entity_type, w.entity_id, job.urls[0],
                                    job.sources[0], now_ms());
  record(self, it, std::move(req), [self, it, job = std::move(job)]() mutable {
    download(self, std::move(it), std::move(job));
  });
}

/// Asks the archive for the release's index, then the release group's.
void ask_caa(self_ptr self, item it, bool group) {
  auto& st = self->state;
  const auto& w = it.work;
  const auto& mbid = group ? w.release_group_mbid : w.mbid;
  if (mbid.empty()) {
    if (!group)
      return ask_caa(self, std::move(it), true);
    found(self, std::move(it), true);
    return;
  }
  auto url = group ? coverartarchive::release_group_index_url(st.caa, mbid)
                   : coverartarchive::release_index_url(st.caa, mbid);
  ++st.run.count("caa_requests");
  self
    ->request(st.caa_gateway, caf::infinite, atom::pfetch_v,
              coverartarchive::make_call(url, st.caa))
    .then(
      [self, it, group, url](const http_reply& r) mutable {
        auto& st = self->state;
        if (r.status == 404) {
          ++st.run.count("caa_not_found");
          if (!group)
            return ask_caa(self, std::move(it), true);
          return found(self, std::move(it), true);
        }
        if (r.status == 200) {
          try {
            it.caa_url = coverartarchive::front_image(json::parse(r.body),
                                                      st.caa.thumbnail);
          } catch (const std::exception& e) {
            ++st.run.count("caa_errors");
            note(self, it, "unreadable index " + url + ": " + e.what());
          }
          if (it.caa_url.empty() && !group)
            return ask_caa(self, std::move(it), true);
          return found(self, std::move(it), true);
        }
        ++st.run.count("caa_errors");
        note(self, it, "HTTP " + std::to_string(r.status) + " for " + url);
        found(self, std::move(it), false);
      },
      [self, it](const caf::error& err) mutable {
        // breaker open, unreachable: the other sources still serve
        ++self->state.run.count("caa_errors");
        note(self, it, "cover art archive: " + render(err));
        found(self, std::move(it), false);
      });
}

void finish(self_ptr self) {
  auto& st = self->state;
  auto stats = st.run.stats();
  if (st.env.images) {
    self->request(st.env.images, std::chrono::seconds(10), atom::img_stats_v)
      .then(
        [self, stats](int32_t limit, int32_t, int32_t,
                      int32_t max_active) mutable {
          auto& st = self->state;
          stats["download_concurrency"] = limit;
          stats["max_downloads_at_once"] = max_active;
          st.log->info("images: {}", stats.dump());
          auto r = st.run.result(run_status::succeeded);
          r.stats_json = task_run::dump(stats);
          st.run.finish(std::move(r));
        },
        [self, stats](const caf::error&) {
          auto r = self->state.run.result(run_status::succeeded);
          r.stats_json = task_run::dump(stats);
          self->state.run.finish(std::move(r));
        });
    return;
  }
  auto r = st.run.result(run_status::succeeded);
  r.stats_json = task_run::dump(stats);
  st.run.finish(std::move(r));
}

void pump(self_ptr self) {
  auto& st = self->state;
  if (!st.run.running() || !st.loaded)
    return;
  while (st.in_flight < st.max_in_flight && !st.queue.empty()) {
    auto it = std::move(st.queue.front());
    st.queue.pop_front();
    ++st.in_flight;
    if (wants_caa(it.work) && st.caa.enabled && st.caa_gateway)
      ask_caa(self, std::move(it), false);
    else {
      if (it.work.entity_type == "album" && !it.work.caa_front)
        ++st.run.count("caa_skipped_no_front");
      found(self, std::move(it), false);
    }
  }
  if (st.queue.empty() && st.in_flight == 0) {
    st.loaded = false;
    finish(self);
  }
}

void start(self_ptr self) {
  auto& st = self->state;
  caf::actor loader
    = st.env.detached
        ? self->spawn<caf::detached>(work_loader, st.env.db_path,
                                     st.mb_api_base)
        : self->spawn(work_loader, st.env.db_path, st.mb_api_base);
  self->request(loader, std::chrono::minutes(5), atom::img_load_v)
    .then(
      [self](image_plan& plan) {
        auto& st = self->state;
        auto now = now_ms();
        int64_t limit = plan.concurrency > 0
                          ? plan.concurrency
                          : st.env.cfg.image_download_concurrency;
        if (st.env.images)
          self
            ->request(st.env.images, std::chrono::seconds(10),
                      atom::img_limit_v, clamp_image_limit(limit))
            .then([](int32_t) {}, [](const caf::error&) {});
        st.max_in_flight = static_cast<size_t>(2 * clamp_image_limit(limit));
        for (auto& w : plan.work) {
          ++st.run.count(w.entity_type + "s");
          if (auto why = image_skip_reason(w, now); !why.empty()) {
            ++st.run.count("skipped_" + why);
            continue;
          }
          st.queue.push_back(item{std::move(w), {}});
        }
        st.log->info("IMAGERY: {} entities to look at ({})", st.queue.size(),
                     st.run.request().trigger);
        st.loaded = true;
        pump(self);
      },
      [self](const caf::error& err) { self->state.run.finish(err); });
}

} // namespace

task_actor::behavior_type
enrich_images(task_actor::stateful_pointer<enrich_images_state> self,
              task_env env) {
  auto& st = self->state;
  st.env = std::move(env);
  st.log = log::get("enrich_images");
  return {
    [self](atom::run, const task_request& req) -> caf::result<task_result> {
      auto& st = self->state;
      if (!st.run.begin(self, req))
        return st.run.refusal();
      st.queue.clear();
      st.in_flight = 0;
      st.loaded = false;
      st.caa = coverartarchive::settings_of(st.env.cfg);
      auto mb = musicbrainz::settings_of(st.env.cfg);
      st.mb_api_base = mb.api_base;
      st.caa_gateway = nullptr;
      // Asked at every run: the node may have restarted the provider.
      if (st.env.providers)
        if (auto p = st.env.providers->find(coverartarchive::provider_name))
          st.caa_gateway = p->gateway;
      start(self);
      return st.run.promise();
    },
    [self](atom::progress) -> std::string {
      return self->state.run.progress_json(true);
    },
  };
}

} // namespace discotheque
