// The download worker's searches: one at a time and within the account's
// search budget; polled until complete, the responses fetched once, the
// files gated and ranked, every decision stored, each chosen file handed
// to the enqueue step.
#include "actors/downloads/worker.hpp"

#include "downloads/decision_json.hpp"
#include "downloads/text.hpp"
#include "messages/error.hpp"
#include "storage/writes/downloads.hpp"
#include "storage/writes/scan.hpp"
#include "support/time.hpp"

#include <nlohmann/json.hpp>

namespace discotheque::download_steps {

namespace {

using nlohmann::json;
using grab = download_worker_state::grab;

/// A search still incomplete this long after its timeout is read as it is.
constexpr int64_t search_grace_ms = 30'000;

/// Why no file was taken: how many were offered and the commonest reasons.
std::string none_reason(const downloads::decision& d) {
  if (d.candidates.empty())
    return "no peer offered a file for \"" + d.query + "\"";
  std::map<std::string, int> by_reason;
  for (const auto& c : d.candidates)
    ++by_reason[c.rejected];
  std::string out = "no acceptable file: " + std::to_string(d.candidates.size())
                    + " offered, rejected as";
  int listed = 0;
  for (const auto& [why, n] : by_reason) {
    if (listed++ == 3)
      break;
    out += (listed > 1 ? "; " : " ") + why + " (" + std::to_string(n) + ")";
  }
  return out;
}

/// The search of `tracks` is over: release them (slskd could not be asked).
void give_back(download_worker_ptr self,
               const std::vector<downloads::wanted_track>& tracks,
               const std::string& reason) {
  write_request req;
  auto now = now_ms();
  for (const auto& t : tracks)
    storage::writes::append(req,
                            storage::release_download(t.track_id, reason, now));
  write(self, std::move(req));
}

void search_failed(download_worker_ptr self, const std::string& why,
                   bool client_down) {
  auto& st = self->state;
  st.run.note_error("search \"" + st.search->query + "\": " + why);
  give_back(self, st.search->tracks, "search failed: " + why);
  st.search.reset();
  if (client_down)
    st.client_down = true;
}

void decide(download_worker_ptr self,
            const std::vector<downloads::peer_file>& files) {
  auto& st = self->state;
  auto job = std::move(*st.search);
  st.search.reset();
  ++st.run.count("searches");
  st.run.count("responses_files") += static_cast<int64_t>(files.size());
  std::vector<downloads::decision> decisions;
  if (job.for_album)
    decisions = downloads::decide_album(files, job.tracks, st.prefs, st.blocked,
                                        job.query, st.avoided);
  else
    decisions.push_back(downloads::decide_track(
      files, job.tracks.front(), st.prefs, st.blocked, job.query, st.avoided));
  auto now = now_ms();
  write_request req;
  auto add = [&req](write_request r) {
    storage::writes::append(req, std::move(r));
  };
  for (size_t i = 0; i < decisions.size() && i < job.tracks.size(); ++i) {
    const auto& d = decisions[i];
    const auto& t = job.tracks[i];
    const auto* chosen = d.choice();
    add(storage::record_decision(t.track_id, slskd::provider_name, d.query,
                                 chosen ? chosen->file.username : std::string{},
                                 chosen ? chosen->file.filename : std::string{},
                                 d.margin, downloads::to_json(d).dump(), now));
    if (!chosen) {
      ++st.run.count("no_candidate");
      ++st.run.count("failed");
      add(storage::fail_download(t.track_id, none_reason(d), now));
      continue;
    }
    grab g;
    g.track = t;
    g.file = chosen->file;
    for (size_t c = 0; c < d.candidates.size(); ++c)
      if (static_cast<int>(c) != d.chosen && d.candidates[c].rejected.empty())
        g.rest.push_back(d.candidates[c]);
    st.grabs[t.track_id] = std::move(g);
    st.to_enqueue.push_back(t.track_id);
  }
  write(self, std::move(req));
}

void fetch_responses(download_worker_ptr self) {
  auto& st = self->state;
  st.search->in_flight = true;
  call(
    self, "GET", "/searches/" + st.search->id + "/responses", {},
    [self](const http_reply& r) {
      auto& st = self->state;
      if (!st.search)
        return;
      st.search->in_flight = false;
      auto j = json::parse(r.body, nullptr, false);
      if (r.status != 200 || j.is_discarded() || !j.is_array()) {
        search_failed(
          self, "responses answered HTTP " + std::to_string(r.status), false);
        return;
      }
      decide(self, slskd::parse_responses(j));
    },
    [self](const caf::error& err) {
      if (self->state.search)
        search_failed(self, render(err), true);
    });
}

} // namespace

void start_search(download_worker_ptr self) {
  auto& st = self->state;
  if (st.search || st.groups.empty())
    return;
  if (static_cast<int64_t>(st.grabs.size()) >= st.dc.max_transfers)
    return;
  auto now = now_ms();
  if (!st.budget.allows(now)) {
    ++st.run.count("budget_waits");
    return; // the timer comes back
  }
  auto tracks = std::move(st.groups.front());
  st.groups.pop_front();
  download_worker_state::search_job job;
  job.for_album = tracks.size() > 1;
  const auto& first = tracks.front();
  job.query = downloads::search_text(first.artist, first.album_artist,
                                     first.album, first.title, job.for_album);
  job.tracks = std::move(tracks);
  st.search = std::move(job);
  // pending -> downloading for each track of the search; a track that is
  // no longer pending (the user changed it) drops out.
  write_request req;
  for (const auto& t : st.search->tracks)
    storage::writes::append(req,
                            storage::start_download(t.track_id, "search", now));
  st.search->in_flight = true;
  write(self, std::move(req), [self](const write_ack& ack) {
    auto& st = self->state;
    if (!st.search)
      return;
    std::vector<downloads::wanted_track> kept;
    for (size_t i = 0; i < st.search->tracks.size(); ++i)
      if (3 * i < ack.changes.size() && ack.changes[3 * i] > 0)
        kept.push_back(st.search->tracks[i]);
    st.search->tracks = std::move(kept);
    if (st.search->tracks.empty()) {
      st.search.reset();
      return;
    }
    st.search->for_album = st.search->tracks.size() > 1;
    auto now = now_ms();
    if (!st.budget.allows(now)) {
      // Spent while the write was on its way: wait for the window.
      st.search->in_flight = false;
      give_back(self, st.search->tracks, "search budget spent");
      st.groups.push_front(st.search->tracks);
      st.search.reset();
      return;
    }
    st.budget.spend(now);
    if (st.first_search_ms < 0)
      st.first_search_ms = now - st.run.started_at();
    st.search->id = new_search_id();
    st.search->started_at = now;
    call(
      self, "POST", "/searches",
      slskd::search_body(st.search->id, st.search->query,
                         st.dc.search_timeout_s * 1000),
      [self](const http_reply& r) {
        auto& st = self->state;
        if (!st.search)
          return;
        st.search->in_flight = false;
        if (r.status < 200 || r.status >= 300)
          search_failed(self, "slskd answered HTTP " + std::to_string(r.status),
                        r.status == 401 || r.status == 403);
      },
      [self](const caf::error& err) {
        if (self->state.search)
          search_failed(self, render(err), true);
      });
  });
}

void poll_search(download_worker_ptr self) {
  auto& st = self->state;
  auto now = now_ms();
  if (now - st.search->started_at
      > st.dc.search_timeout_s * 1000 + search_grace_ms) {
    fetch_responses(self);
    return;
  }
  st.search->in_flight = true;
  call(
    self, "GET", "/searches/" + st.search->id, {},
    [self](const http_reply& r) {
      auto& st = self->state;
      if (!st.search)
        return;
      st.search->in_flight = false;
      auto j = json::parse(r.body, nullptr, false);
      auto s = j.is_discarded() ? std::nullopt : slskd::parse_search(j);
      if (r.status != 200 || !s) {
        search_failed(self,
                      "search state answered HTTP " + std::to_string(r.status),
                      false);
        return;
      }
      if (s->complete)
        fetch_responses(self);
    },
    [self](const caf::error& err) {
      if (self->state.search)
        search_failed(self, render(err), true);
    });
}

} // namespace discotheque::download_steps
