#define CAF_SUITE storage.queries.providers
#include "fixture.hpp"

#include "storage/migrations.hpp"
#include "storage/queries/providers.hpp"

#include <algorithm>

using namespace discotheque;
using namespace discotheque::storage;

CAF_TEST(a provider without rows reads as the defaults) {
  test::temp_dir dir;
  auto db = database::open(dir / "library.db");
  migrate(db);
  auto r = read_provider(db, "spotify", 0);
  CAF_CHECK(!r.has_state);
  CAF_CHECK(!r.has_tokens);
  CAF_CHECK_EQUAL(r.status.provider, "spotify");
  CAF_CHECK_EQUAL(r.status.breaker_state, "closed");
  CAF_CHECK(r.errors.empty());
  // a NULL token row is no credential
  db.exec("INSERT INTO provider_tokens(provider) VALUES ('spotify')");
  CAF_CHECK(!read_provider(db, "spotify", 0).has_tokens);
  db.exec("INSERT INTO provider_state(provider, blocked_until) VALUES "
          "('spotify', 77)");
  auto s = read_provider(db, "spotify", 0);
  CAF_CHECK(s.has_state);
  CAF_CHECK_EQUAL(s.status.breaker_state, "closed");
  CAF_CHECK_EQUAL(s.status.blocked_until, 77);
}

CAF_TEST(load_provider copes with a missing database) {
  test::temp_dir dir;
  std::string error;
  auto r = load_provider(dir / "nope.db", "deezer", 0, &error);
  CAF_CHECK(!r.has_state);
  CAF_CHECK_EQUAL(r.status.provider, "deezer");
  CAF_CHECK(error.empty());
}

CAF_TEST(auto queue reads the setting) {
  test::temp_dir dir;
  auto db = database::open(dir / "library.db");
  migrate(db);
  CAF_CHECK(!read_auto_queue(db));
  db.exec("UPDATE settings SET value = 'true' WHERE key = "
          "'library.auto_queue_downloads'");
  CAF_CHECK(read_auto_queue(db));
}

CAF_TEST(breaker states list every provider_state row) {
  test::temp_dir dir;
  auto db = database::open(dir / "library.db");
  migrate(db);
  db.exec("DELETE FROM provider_state");
  CAF_CHECK(read_breaker_states(db).empty());
  db.exec("INSERT INTO provider_state(provider, breaker_state) VALUES "
          "('spotify', 'open'), ('deezer', 'closed')");
  auto rows = read_breaker_states(db);
  CAF_REQUIRE_EQUAL(rows.size(), 2u);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.provider < b.provider;
  });
  CAF_CHECK_EQUAL(rows[0].provider, "deezer");
  CAF_CHECK_EQUAL(rows[0].breaker_state, "closed");
  CAF_CHECK_EQUAL(rows[1].provider, "spotify");
  CAF_CHECK_EQUAL(rows[1].breaker_state, "open");
}
