// The download worker's test scaffolding, shared by the suites of its
// files (worker, search, transfer): a real store on a temporary database
// holding one pending track, slskd as the worker sees it through its
// gateway (searches complete at once, transfers succeed at the first look
// and write a real tagged MP3), and a run of the task to its end.
#pragma once

#include "fixture.hpp"

#include "actors/downloads/worker.hpp"
#include "actors/store.hpp"
#include "messages/error.hpp"
#include "scan/pictures.hpp"
#include "scan/tags.hpp"
#include "storage/database.hpp"

#include <nlohmann/json.hpp>

#include <sys/stat.h>

namespace discotheque::test::dl {

using namespace discotheque;
using nlohmann::json;
namespace fs = std::filesystem;

/// A file one peer offers, and what the peer really sends for it.
struct offer {
  std::string user;
  std::string path; ///< remote, with backslashes
  std::string tag_artist;
  std::string tag_title;
  bool fast = true; ///< ranks first
};

/// slskd as the worker sees it through its gateway: searches complete at
/// once, transfers succeed at the first look and write the file.
struct fake_slskd {
  fs::path downloads;
  std::vector<offer> offers;
  std::vector<std::string> calls;
  std::map<std::string, json> transfers; // id -> Transfer
  int searches = 0;
  int enqueues = 0;

  static std::string folder_and_file(const std::string& remote) {
    auto last = remote.rfind('\\');
    auto prev = remote.rfind('\\', last - 1);
    return remote.substr(prev + 1, last - prev - 1) + "/"
           + remote.substr(last + 1);
  }

  void write_file(const offer& o) {
    test::tagged_mp3(downloads / folder_and_file(o.path), o.tag_artist,
                     o.tag_title);
  }

  http_reply answer(const http_call& c) {
    calls.push_back(c.method + " " + c.url);
    http_reply r;
    r.status = 200;
    auto path = c.url.substr(c.url.find("/api/v0") + 7);
    if (c.method == "POST" && path == "/searches") {
      ++searches;
      auto b = json::parse(c.body);
      r.body
        = json{{"id", b["id"]}, {"state", "InProgress"}, {"isComplete", false}}
            .dump();
    } else if (c.method == "GET" && path.rfind("/searches/", 0) == 0
               && path.find("/responses") != std::string::npos) {
      json out = json::array();
      for (const auto& o : offers)
        out.push_back({{"username", o.user},
                       {"hasFreeUploadSlot", o.fast},
                       {"uploadSpeed", o.fast ? 5000000 : 1000},
                       {"queueLength", o.fast ? 0 : 50},
                       {"files",
                        {{{"filename", o.path},
                          {"size", 4000},
                          {"extension", "mp3"},
                          {"bitRate", 320}}}}});
      r.body = out.dump();
    } else if (c.method == "GET" && path.rfind("/searches/", 0) == 0) {
      r.body = json{
        {"id", path.substr(10)},
        {"state", "Completed, TimedOut"},
        {"isComplete",
         true}}.dump();
    } else if (c.method == "POST"
               && path.rfind("/transfers/downloads/", 0) == 0) {
      ++enqueues;
      auto user = path.substr(21);
      auto items = json::parse(c.body);
      auto id = "t" + std::to_string(transfers.size() + 1);
      json t{{"id", id},
             {"username", user},
             {"filename", items[0]["filename"]},
             {"size", items[0]["size"]},
             {"state", "Requested"},
             {"bytesTransferred", 0}};
      transfers[id] = t;
      r.status = 201;
      r.body = json{{"enqueued", {t}}, {"failed", json::array()}}.dump();
    } else if (c.method == "GET" && path == "/transfers/downloads") {
      json users = json::array();
      for (auto& [id, t] : transfers) {
        if (t["state"] != "Completed, Succeeded") {
          for (const auto& o : offers)
            if (o.user == t["username"] && o.path == t["filename"])
              write_file(o);
          t["state"] = "Completed, Succeeded";
          t["bytesTransferred"] = t["size"];
        }
        users.push_back(
          {{"username", t["username"]},
           {"directories", {{{"directory", "x"}, {"files", {t}}}}}});
      }
      r.body = users.dump();
    } else {
      r.status = 404;
    }
    return r;
  }
};

inline provider_gateway_actor::behavior_type
gateway(provider_gateway_actor::pointer, std::shared_ptr<fake_slskd> fake) {
  return {
    [fake](atom::pfetch, http_call& c) -> caf::result<http_reply> {
      return fake->answer(c);
    },
    [](atom::gw_retry, uint64_t) {},
    [](atom::status) { return provider_status{}; },
    [](atom::inspect_atom) { return actor_summary{}; },
  };
}

struct fixture : test::fixture_base {
  test::temp_dir dir;
  store_actor st;
  task_env env;
  std::shared_ptr<fake_slskd> fake = std::make_shared<fake_slskd>();
  int64_t length_ms = 0;

  fixture() {
    store_config cfg;
    cfg.db_path = dir / "library.db";
    cfg.retry_delay = std::chrono::milliseconds(5);
    st = sys.spawn(store, cfg);
    sched.run();
    env.cfg.data_dir = dir.path;
    env.cfg.music_dirs = {dir / "music"};
    provider_config slskd;
    slskd.enabled = true;
    slskd.enabled_set = true;
    slskd.api_base = "http://127.0.0.1:5030/api/v0";
    slskd.downloads_dir = (dir / "slskd").string();
    env.cfg.providers["slskd"] = slskd;
    env.cfg.downloads.poll_interval_ms = 100;
    env.db_path = cfg.db_path;
    env.store = st;
    env.detached = false;
    fake->downloads = dir / "slskd";
    // The length of the corpus file every peer sends.
    auto probe = dir / "probe.mp3";
    test::corpus_copy(".mp3", probe);
    struct stat s {};
    ::stat(probe.c_str(), &s);
    length_ms = scan::read_tags(probe.string(), static_cast<int64_t>(s.st_size),
                                0)
                  .track.duration_ms;
    auto db = storage::database::open(dir / "library.db");
    db.exec("INSERT INTO artists(id, name, normalized_name) VALUES"
            " (1, 'Daft Punk', 'daft punk');"
            "INSERT INTO albums(id, title, normalized_title, release_date)"
            " VALUES (1, 'Discovery', 'discovery', '2001-03-12');"
            "INSERT INTO album_artists(album_id, artist_id) VALUES (1, 1);"
            "INSERT INTO tracks(id, title, normalized_title, album_id,"
            " artist_id, track_number, duration_ms, ownership_state,"
            " download_state, download_state_updated_at) VALUES"
            " (1, 'One More Time', 'one more time', 1, 1, 1, "
            + std::to_string(length_ms) + ", 'owned', 'pending', 10)");
  }

  ~fixture() {
    anon_send_exit(st, caf::exit_reason::user_shutdown);
    sched.run();
  }

  std::string text(const std::string& sql) {
    auto db = storage::database::open(dir / "library.db");
    return db.query_text(sql).value_or("<null>");
  }

  /// Runs the task to its end (the timer fired as often as it asks).
  json run_to_end(provider_gateway_actor gw) {
    auto w = sys.spawn(download_worker, env, std::move(gw));
    std::optional<task_result> result;
    auto client = sys.spawn([&](caf::event_based_actor* me) {
      me->request(w, caf::infinite, atom::run_v, task_request{})
        .then([&](const task_result& r) { result = r; });
    });
    for (int i = 0; i < 2000 && !result; ++i) {
      sched.run();
      if (!result)
        sched.trigger_timeouts();
    }
    anon_send_exit(w, caf::exit_reason::user_shutdown);
    sched.run();
    if (!result)
      return json{{"error", "the run did not end"}};
    auto j = json::parse(result->stats_json);
    j["status"] = result->status == run_status::succeeded ? "succeeded"
                  : result->status == run_status::skipped ? "skipped"
                                                          : "failed";
    return j;
  }
};

} // namespace discotheque::test::dl
