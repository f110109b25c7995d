#define CAF_SUITE actors.downloads.worker
#include "fixture.hpp"

#include "actors/downloads/worker.hpp"
#include "actors/store.hpp"
#include "messages/error.hpp"
#include "scan/pictures.hpp"
#include "scan/tags.hpp"
#include "storage/database.hpp"

#include <taglib/fileref.h>
#include <taglib/tag.h>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

using namespace discotheque;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

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
    auto p = downloads / folder_and_file(o.path);
    test::corpus_copy(".mp3", p);
    TagLib::FileRef f{p.c_str()};
    f.tag()->setArtist(TagLib::String{o.tag_artist, TagLib::String::UTF8});
    f.tag()->setTitle(TagLib::String{o.tag_title, TagLib::String::UTF8});
    f.save();
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

provider_gateway_actor::behavior_type
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

} // namespace

CAF_TEST_FIXTURE_SCOPE(worker_tests, fixture)

CAF_TEST(without slskd the task skips itself) {
  auto j = run_to_end(provider_gateway_actor{});
  CAF_CHECK_EQUAL(j["status"], "skipped");
  CAF_CHECK_EQUAL(text("SELECT download_state FROM tracks"), "pending");
}

CAF_TEST(a pending track is searched enqueued followed and imported) {
  fake->offers
    = {{"peer1", "Music\\Daft Punk\\Discovery\\01 - One More Time.mp3",
        "Daft Punk", "One More Time"}};
  auto gw = sys.spawn(gateway, fake);
  auto j = run_to_end(gw);
  CAF_CHECK_EQUAL(j["status"], "succeeded");
  CAF_CHECK_EQUAL(j["downloaded"], 1);
  CAF_CHECK_EQUAL(j["searches"], 1);
  CAF_CHECK_EQUAL(fake->searches, 1);
  CAF_CHECK_EQUAL(fake->enqueues, 1);
  auto want = (dir / "music" / "Daft Punk" / "Discovery (2001)"
               / "01 - One More Time.mp3")
                .string();
  CAF_CHECK_EQUAL(
    text("SELECT download_state || '|' || local_path FROM tracks"),
    "downloaded|" + want);
  CAF_CHECK(fs::exists(want));
  // Every transition recorded, the decision stored.
  CAF_CHECK_EQUAL(text("SELECT group_concat(to_state, ',') FROM (SELECT"
                       " to_state FROM download_events ORDER BY id)"),
                  "downloading,downloaded");
  CAF_CHECK_EQUAL(text("SELECT chosen_user FROM download_decisions"), "peer1");
  // A second run has nothing to do: nothing searched again.
  auto again = run_to_end(sys.spawn(gateway, fake));
  CAF_CHECK_EQUAL(again["status"], "succeeded");
  CAF_CHECK_EQUAL(fake->searches, 1);
}

CAF_TEST(a wrong file is quarantined and blocklisted and the next one taken) {
  fake->offers = {
    {"liar", "Music\\Daft Punk\\Discovery\\01 - One More Time.mp3",
     "Someone Else", "Another Song", true},
    {"honest", "Share\\Daft Punk\\Discovery\\01 - One More Time.mp3",
     "Daft Punk", "One More Time", false},
  };
  auto j = run_to_end(sys.spawn(gateway, fake));
  CAF_CHECK_EQUAL(j["status"], "succeeded");
  CAF_CHECK_EQUAL(j["quarantined"], 1);
  CAF_CHECK_EQUAL(j["next_candidate"], 1);
  CAF_CHECK_EQUAL(j["downloaded"], 1);
  CAF_CHECK_EQUAL(fake->enqueues, 2);
  CAF_CHECK_EQUAL(text("SELECT download_state FROM tracks"), "downloaded");
  CAF_CHECK_EQUAL(text("SELECT username || '|' || reason FROM"
                       " download_blocklist")
                    .substr(0, 21),
                  "liar|wrong file: its ");
  // The wrong file is kept in the quarantine, not deleted.
  int quarantined = 0;
  for (const auto& e : fs::directory_iterator(dir / "quarantine"))
    quarantined += e.is_regular_file() ? 1 : 0;
  CAF_CHECK_EQUAL(quarantined, 1);
}

CAF_TEST(no acceptable file fails the track with the reason and a retry) {
  fake->offers
    = {{"peer1", "Music\\Daft Punk\\Homework\\03 - Revolution 909.mp3",
        "Daft Punk", "Revolution 909"}};
  auto j = run_to_end(sys.spawn(gateway, fake));
  CAF_CHECK_EQUAL(j["status"], "succeeded");
  CAF_CHECK_EQUAL(j["failed"], 1);
  CAF_CHECK_EQUAL(fake->enqueues, 0);
  auto row = text("SELECT t.download_state || '|' || (j.retry_at IS NOT NULL)"
                  " FROM tracks t JOIN download_jobs j ON j.track_id = t.id");
  CAF_CHECK_EQUAL(row, "failed|1");
  CAF_CHECK(text("SELECT last_error FROM tracks").find("no acceptable file")
            == 0);
}

CAF_TEST_FIXTURE_SCOPE_END()
