#define CAF_SUITE actors.tasks.sync_source
#include "fixture.hpp"

#include "actors/tasks/sync_source.hpp"
#include "messages/error.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

using namespace discotheque;

namespace {

struct scripted {
  bool enabled = true;
  bool authenticated = true;
  /// key: list|cursor|parent
  std::map<std::string, source_page> pages;
  std::map<std::string, caf::error> errors;
  std::vector<std::string> asked;
};

std::string key(const page_request& r) {
  return r.list + "|" + r.cursor + "|" + r.parent;
}

source_actor::behavior_type scripted_source(source_actor::pointer,
                                            std::shared_ptr<scripted> s) {
  return {
    [s](atom::src_info) {
      return source_info{"spotify", s->enabled, s->authenticated};
    },
    [s](atom::src_page, const page_request& r) -> caf::result<source_page> {
      s->asked.push_back(key(r));
      if (auto e = s->errors.find(key(r)); e != s->errors.end())
        return e->second;
      if (auto p = s->pages.find(key(r)); p != s->pages.end())
        return p->second;
      source_page empty;
      empty.list = r.list;
      return empty;
    },
  };
}

struct recorded {
  std::vector<ingest_batch> batches;
  std::vector<std::string> reconciled;
};

dedup_store_actor::behavior_type recording_dedup(dedup_store_actor::pointer,
                                                 std::shared_ptr<recorded> r) {
  return {
    [r](atom::merge, const ingest_batch& b) {
      r->batches.push_back(b);
      ingest_result res;
      for (size_t i = 0; i < b.tracks.size(); ++i)
        res.track_ids.push_back(static_cast<int64_t>(i + 1));
      res.created = static_cast<int64_t>(b.artists.size() + b.albums.size()
                                         + b.tracks.size());
      return res;
    },
    [r](atom::reconcile, const std::string& source, const std::string& reason,
        int64_t run_id) {
      r->reconciled.push_back(source + "/" + reason + "/"
                              + std::to_string(run_id));
      return int64_t{0};
    },
    [](atom::inspect_atom) { return actor_summary{}; },
  };
}

track_dto track(const std::string& id) {
  track_dto t;
  t.title = "t" + id;
  set_provider_id(t, "spotify", id);
  return t;
}

artist_dto artist(const std::string& id) {
  artist_dto a;
  a.name = "a" + id;
  set_provider_id(a, "spotify", id);
  return a;
}

album_dto album(const std::string& id) {
  album_dto a;
  a.title = "al" + id;
  set_provider_id(a, "spotify", id);
  return a;
}

struct fixture : test::fixture_base {
  std::shared_ptr<scripted> src_script = std::make_shared<scripted>();
  std::shared_ptr<recorded> rec = std::make_shared<recorded>();
  task_actor task;

  fixture() {
    sync_source_config cfg;
    cfg.task = "sync_spotify_likes";
    cfg.source = "spotify";
    cfg.src = sys.spawn(scripted_source, src_script);
    cfg.env.dedup = sys.spawn(recording_dedup, rec);
    src = cfg.src;
    dedup = cfg.env.dedup;
    task = sys.spawn(sync_source, cfg);
  }

  ~fixture() {
    anon_send_exit(task, caf::exit_reason::user_shutdown);
    anon_send_exit(src, caf::exit_reason::user_shutdown);
    anon_send_exit(dedup, caf::exit_reason::user_shutdown);
    sched.run();
  }

  source_actor src;
  dedup_store_actor dedup;

  task_result run() {
    auto out = std::make_shared<task_result>();
    sys.spawn([=, t = task](caf::event_based_actor* self) {
      self
        ->request(t, caf::infinite, atom::run_v,
                  task_request{"sync_spotify_likes", "manual", 42})
        .then([=](const task_result& r) { *out = r; },
              [=](const caf::error& e) {
                out->status = run_status::failed;
                out->error = render(e);
              });
    });
    sched.run();
    return *out;
  }

  /// liked: two pages; saved: one; followed: one artist with one album.
  void script_account() {
    source_page l1;
    l1.tracks = {track("t1"), track("t2")};
    l1.next = "liked-2";
    source_page l2;
    l2.tracks = {track("t3")};
    src_script->pages["liked||"] = l1;
    src_script->pages["liked|liked-2|"] = l2;
    source_page s1;
    s1.albums = {album("al1")};
    src_script->pages["saved||"] = s1;
    source_page f1;
    f1.artists = {artist("ar1")};
    src_script->pages["followed||"] = f1;
    source_page aa;
    aa.albums = {album("al9")};
    src_script->pages["artist_albums||ar1"] = aa;
    source_page at;
    at.tracks = {track("t9")};
    src_script->pages["album_tracks||al9"] = at;
  }

  std::vector<std::string> ids_for(const std::string& reason) {
    std::vector<std::string> out;
    for (const auto& b : rec->batches)
      if (b.reason == reason) {
        for (const auto& a : b.artists)
          out.push_back(provider_id(a, "spotify"));
        for (const auto& a : b.albums)
          out.push_back(provider_id(a, "spotify"));
        for (const auto& t : b.tracks)
          out.push_back(provider_id(t, "spotify"));
      }
    return out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(sync_source_tests, fixture)

CAF_TEST(a provider that is not enabled is skipped as provider_unavailable) {
  src_script->enabled = false;
  auto r = run();
  CAF_CHECK_EQUAL(to_string(r.status), "skipped");
  CAF_CHECK_EQUAL(to_string(r.reason), "provider_unavailable");
  CAF_CHECK(rec->batches.empty());
  CAF_CHECK(src_script->asked.empty());
}

CAF_TEST(a full sync merges every page with its reason and reconciles) {
  script_account();
  auto r = run();
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_CHECK_EQUAL(ids_for("liked"),
                  (std::vector<std::string>{"t1", "t2", "t3"}));
  CAF_CHECK_EQUAL(ids_for("saved"), (std::vector<std::string>{"al1"}));
  CAF_CHECK_EQUAL(ids_for("followed"),
                  (std::vector<std::string>{"ar1", "al9", "t9"}));
  for (const auto& b : rec->batches) {
    CAF_CHECK_EQUAL(b.source, "spotify");
    CAF_CHECK_EQUAL(b.run_id, 42);
    CAF_CHECK_EQUAL(b.auto_queue, false);
  }
  std::sort(rec->reconciled.begin(), rec->reconciled.end());
  CAF_CHECK_EQUAL(rec->reconciled, (std::vector<std::string>{
                                     "spotify/followed/42", "spotify/liked/42",
                                     "spotify/saved/42"}));
  auto stats = nlohmann::json::parse(r.stats_json);
  CAF_CHECK_EQUAL(stats["tracks"].get<int64_t>(), 4);
  CAF_CHECK_EQUAL(stats["pages"].get<int64_t>(), 6);
}

CAF_TEST(the auto queue setting is read from the database for the run) {
  test::temp_dir dir;
  {
    auto db = storage::database::open(dir / "library.db");
    storage::migrate(db);
    db.exec("UPDATE settings SET value = 'true' WHERE key = "
            "'library.auto_queue_downloads'");
  }
  sync_source_config cfg;
  cfg.task = "sync_spotify_likes";
  cfg.source = "spotify";
  cfg.src = src;
  cfg.env.dedup = dedup;
  cfg.env.db_path = dir / "library.db";
  cfg.env.detached = false; // its reader stays on the test coordinator
  anon_send_exit(task, caf::exit_reason::user_shutdown);
  task = sys.spawn(sync_source, cfg);
  script_account();
  auto r = run();
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_REQUIRE(!rec->batches.empty());
  for (const auto& b : rec->batches)
    CAF_CHECK_EQUAL(b.auto_queue, true);
  auto stats = nlohmann::json::parse(r.stats_json);
  CAF_CHECK_EQUAL(stats["auto_queue"].get<bool>(), true);
}

CAF_TEST(a page failing after its retries leaves that list unreconciled) {
  script_account();
  src_script->errors["liked|liked-2|"] = make_error(ec::bad_response,
                                                    "HTTP 503 after 3 retries");
  auto r = run();
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_CHECK_EQUAL(ids_for("liked"), (std::vector<std::string>{"t1", "t2"}));
  std::sort(rec->reconciled.begin(), rec->reconciled.end());
  CAF_CHECK_EQUAL(
    rec->reconciled,
    (std::vector<std::string>{"spotify/followed/42", "spotify/saved/42"}));
  auto stats = nlohmann::json::parse(r.stats_json);
  CAF_CHECK_EQUAL(stats["not_reconciled"], nlohmann::json::array({"liked"}));
  CAF_CHECK_EQUAL(stats["errors"].size(), 1u);
}

CAF_TEST(skipped items keep their list from being reconciled) {
  script_account();
  src_script->pages["saved||"].skipped = 1;
  src_script->pages["saved||"].errors = {"saved item 3: album without id"};
  run();
  std::sort(rec->reconciled.begin(), rec->reconciled.end());
  CAF_CHECK_EQUAL(
    rec->reconciled,
    (std::vector<std::string>{"spotify/followed/42", "spotify/liked/42"}));
}

CAF_TEST(an unavailable provider mid - run stops the run without reconciling) {
  script_account();
  src_script->errors["saved||"] = make_error(ec::provider_unavailable,
                                             "circuit breaker open");
  auto r = run();
  CAF_CHECK_EQUAL(to_string(r.status), "skipped");
  CAF_CHECK_EQUAL(to_string(r.reason), "provider_unavailable");
  CHECK_MSG(r.error.find("circuit breaker open") != std::string::npos, r.error);
  // pages already fetched are merged (nothing is lost), nothing released
  CAF_CHECK(rec->reconciled.empty());
}

CAF_TEST(a second run works after the first) {
  script_account();
  run();
  rec->batches.clear();
  rec->reconciled.clear();
  auto r = run();
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  CAF_CHECK_EQUAL(rec->reconciled.size(), 3u);
  CAF_CHECK_EQUAL(ids_for("liked").size(), 3u);
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST_FIXTURE_SCOPE(sync_source_parallel_tests, fixture)

CAF_TEST(sibling pages are fetched without following their next links) {
  source_page first;
  first.tracks = {track("a")};
  first.siblings = {"p2", "p3"};
  source_page p2;
  p2.tracks = {track("b")};
  p2.next = "p3"; // must not be followed: p3 is a sibling already
  source_page p3;
  p3.tracks = {track("c")};
  src_script->pages["liked||"] = first;
  src_script->pages["liked|p2|"] = p2;
  src_script->pages["liked|p3|"] = p3;
  auto r = run();
  CAF_CHECK_EQUAL(to_string(r.status), "succeeded");
  auto ids = ids_for("liked");
  std::sort(ids.begin(), ids.end());
  CAF_CHECK_EQUAL(ids, (std::vector<std::string>{"a", "b", "c"}));
  CAF_CHECK_EQUAL(std::count(src_script->asked.begin(), src_script->asked.end(),
                             std::string{"liked|p3|"}),
                  1);
  CAF_CHECK_EQUAL(rec->reconciled.size(), 3u);
}

CAF_TEST_FIXTURE_SCOPE_END()
