#define CAF_SUITE actors.tasks.sync_playlists
#include "fixture.hpp"

#include "actors/tasks/sync_playlists.hpp"
#include "messages/error.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

using namespace discotheque;

namespace {

struct scripted {
  /// key: list|parent
  std::map<std::string, source_page> pages;
  std::vector<std::string> asked;
};

source_actor::behavior_type scripted_source(source_actor::pointer,
                                            std::shared_ptr<scripted> s) {
  return {
    [](atom::src_info) {
      return source_info{"spotify", true, true};
    },
    [s](atom::src_page, const page_request& r) -> caf::result<source_page> {
      auto k = r.list + "|" + r.parent;
      s->asked.push_back(k);
      if (auto p = s->pages.find(k); p != s->pages.end())
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

playlist_dto playlist(const std::string& id, const std::string& owner) {
  playlist_dto p;
  p.provider = "spotify";
  p.provider_id = id;
  p.name = "list " + id;
  p.owner_id = owner;
  return p;
}

source_page tracks(const std::string& title) {
  source_page page;
  track_dto t;
  t.title = title;
  page.tracks.push_back(t);
  return page;
}

} // namespace

CAF_TEST(a playlist is owned when its owner is the known user) {
  CAF_CHECK(owned_by(playlist("p", "u1"), "u1"));
  CAF_CHECK(!owned_by(playlist("p", "u2"), "u1"));
  // without the user's id nothing counts as owned
  CAF_CHECK(!owned_by(playlist("p", ""), ""));
  CAF_CHECK(!owned_by(playlist("p", "u1"), ""));
}

CAF_TEST(a playlist without a stored mode is reference_only) {
  std::map<std::string, std::string> modes{{"p2", "disabled"},
                                           {"p3", "auto_own_tracks"}};
  CAF_CHECK_EQUAL(playlist_mode(modes, "p2"), "disabled");
  CAF_CHECK_EQUAL(playlist_mode(modes, "p3"), "auto_own_tracks");
  CAF_CHECK_EQUAL(playlist_mode(modes, "p1"), "reference_only");
  CAF_CHECK_EQUAL(playlist_mode({}, "p1"), "reference_only");
}

CAF_TEST_FIXTURE_SCOPE(sync_playlists_tests, test::fixture_base)

CAF_TEST(stored modes decide what happens to each playlist) {
  test::temp_dir dir;
  auto db_path = dir / "library.db";
  {
    auto db = storage::database::open(db_path);
    storage::migrate(db);
    db.exec("INSERT INTO playlists(name, provider, provider_id, sync_mode)"
            " VALUES ('two', 'spotify', 'p2', 'disabled'),"
            " ('three', 'spotify', 'p3', 'auto_own_tracks'),"
            " ('other', 'deezer', 'p1', 'disabled')");
  }
  auto script = std::make_shared<scripted>();
  source_page me;
  me.user_id = "u1";
  script->pages["me|"] = me;
  source_page lists;
  lists.playlists = {playlist("p1", "u1"), playlist("p2", "u1"),
                     playlist("p3", "u9")};
  script->pages["playlists|"] = lists;
  script->pages["playlist_items|p1"] = tracks("one");
  script->pages["playlist_items|p2"] = tracks("two");
  script->pages["playlist_items|p3"] = tracks("three");
  auto rec = std::make_shared<recorded>();
  sync_playlists_config cfg;
  cfg.env.db_path = db_path;
  cfg.env.detached = false; // the mode reader stays on the test coordinator
  cfg.env.dedup = sys.spawn(recording_dedup, rec);
  auto src = sys.spawn(scripted_source, script);
  cfg.sources = {{"spotify", src}, {"deezer", source_actor{}}};
  auto task = sys.spawn(sync_playlists, cfg);
  auto out = std::make_shared<task_result>();
  sys.spawn([=](caf::event_based_actor* self) {
    self
      ->request(task, caf::infinite, atom::run_v,
                task_request{"sync_playlists", "manual", 42})
      .then([=](const task_result& r) { *out = r; },
            [=](const caf::error& e) {
              out->status = run_status::failed;
              out->error = render(e);
            });
  });
  sched.run();
  CAF_CHECK_EQUAL(to_string(out->status), "succeeded");
  auto stats = nlohmann::json::parse(out->stats_json);
  CAF_CHECK_EQUAL(stats["reference_only"], 1);
  CAF_CHECK_EQUAL(stats["disabled"], 1);
  CAF_CHECK_EQUAL(stats["auto_own_tracks"], 1);
  CAF_CHECK_EQUAL(stats["unavailable"], nlohmann::json::array({"deezer"}));
  // the disabled playlist is not read; the auto_own one claims its tracks
  CAF_CHECK(
    std::find(script->asked.begin(), script->asked.end(), "playlist_items|p2")
    == script->asked.end());
  CAF_REQUIRE_EQUAL(rec->batches.size(), 2u);
  CAF_CHECK_EQUAL(rec->batches[0].reason, "");
  CAF_CHECK_EQUAL(rec->batches[0].tracks[0].title, "one");
  CAF_CHECK_EQUAL(rec->batches[1].reason, "auto_own");
  CAF_CHECK_EQUAL(rec->batches[1].tracks[0].title, "three");
  CAF_CHECK(rec->reconciled
            == (std::vector<std::string>{"spotify/auto_own/42"}));
  anon_send_exit(task, caf::exit_reason::user_shutdown);
  anon_send_exit(src, caf::exit_reason::user_shutdown);
  anon_send_exit(cfg.env.dedup, caf::exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST_FIXTURE_SCOPE_END()
