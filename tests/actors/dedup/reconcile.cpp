#define CAF_SUITE actors.dedup.reconcile
#include "fixture.hpp"

#include "actors/dedup/reconcile.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

using namespace discotheque;
using namespace discotheque::dedup;

namespace {

struct fixture {
  test::temp_dir dir;
  storage::database db = storage::database::open(dir / "library.db");

  fixture() {
    storage::migrate(db);
    // One (track, album, artist) liked and renewed by run 2, one not.
    db.exec("INSERT INTO artists(id, name, normalized_name, ownership_state) "
            "VALUES (1, 'One', 'one', 'owned'), (2, 'Two', 'two', 'owned')");
    db.exec("INSERT INTO albums(id, title, normalized_title, ownership_state) "
            "VALUES (1, 'First', 'first', 'owned'), (2, 'Second', 'second', "
            "'owned')");
    db.exec("INSERT INTO album_artists(album_id, artist_id, position) VALUES "
            "(1, 1, 0), (2, 2, 0)");
    db.exec("INSERT INTO tracks(id, title, normalized_title, album_id, "
            "artist_id, ownership_state) VALUES (1, 'A', 'a', 1, 1, 'owned'), "
            "(2, 'B', 'b', 2, 2, 'owned')");
    db.exec("INSERT INTO ownership_claims(entity_type, entity_id, source, "
            "reason, run_id) VALUES ('track', 1, 'spotify', 'liked', 2), "
            "('track', 2, 'spotify', 'liked', 1)");
  }

  void apply(const write_request& req) {
    storage::transaction tx{db};
    for (auto& s : req.statements)
      db.run(s);
    tx.commit();
  }

  std::string state(const std::string& table, int64_t id) {
    return db
      .query_text("SELECT ownership_state FROM " + table + " WHERE id = ?1",
                  {sql_value::of(id)})
      .value_or("<none>");
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(reconcile_tests, fixture)

CAF_TEST(what a run did not renew is released with the cascade) {
  auto plan = plan_release(db, "spotify", "liked", 2);
  CAF_CHECK_EQUAL(plan.released, 1);
  // the claims, the track, its album, the artists of both
  CAF_CHECK_EQUAL(plan.writes.statements.size(), 4u);
  apply(plan.writes);
  CAF_CHECK_EQUAL(state("tracks", 2), "discovered");
  CAF_CHECK_EQUAL(state("albums", 2), "discovered");
  CAF_CHECK_EQUAL(state("artists", 2), "discovered");
  CAF_CHECK_EQUAL(state("tracks", 1), "owned");
  CAF_CHECK_EQUAL(state("albums", 1), "owned");
  CAF_CHECK_EQUAL(state("artists", 1), "owned");
}

CAF_TEST(nothing stale means nothing to write) {
  apply(plan_release(db, "spotify", "liked", 2).writes);
  auto plan = plan_release(db, "spotify", "liked", 2);
  CAF_CHECK_EQUAL(plan.released, 0);
  CAF_CHECK(plan.writes.statements.empty());
  CAF_CHECK_EQUAL(plan_release(db, "deezer", "liked", 9).released, 0);
}

CAF_TEST(an entity another claim holds stays owned) {
  db.exec("INSERT INTO ownership_claims(entity_type, entity_id, source, "
          "reason, run_id) VALUES ('track', 2, 'local', 'file', 7)");
  apply(plan_release(db, "spotify", "liked", 2).writes);
  CAF_CHECK_EQUAL(state("tracks", 2), "owned");
  CAF_CHECK_EQUAL(state("albums", 2), "owned");
}

CAF_TEST_FIXTURE_SCOPE_END()
