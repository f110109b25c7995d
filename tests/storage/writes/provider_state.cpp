#define CAF_SUITE storage.writes.provider_state
#include "storage/migrated_db.hpp"

#include "storage/queries/providers.hpp"
#include "storage/writes/provider_state.hpp"

using namespace discotheque;
using namespace discotheque::storage;

namespace {

using fixture = test::migrated_db;

} // namespace

CAF_TEST_FIXTURE_SCOPE(provider_state_write_tests, fixture)

CAF_TEST(breaker state upserts keep the blocked_until of the gateway) {
  apply(persist_blocked_until("deezer", 5000));
  provider_status s;
  s.provider = "deezer";
  s.breaker_state = "open";
  s.consecutive_failures = 5;
  s.opened_at = 1000;
  s.last_error = "HTTP 503";
  apply(persist_provider_state(s));
  auto r = read_provider(db, "deezer", 0);
  CAF_CHECK(r.has_state);
  CAF_CHECK_EQUAL(r.status.breaker_state, "open");
  CAF_CHECK_EQUAL(r.status.consecutive_failures, 5);
  CAF_CHECK_EQUAL(r.status.opened_at, 1000);
  CAF_CHECK_EQUAL(r.status.blocked_until, 5000);
  CAF_CHECK_EQUAL(r.status.last_error, "HTTP 503");
  CAF_CHECK_EQUAL(r.status.last_success_at, 0);
  // 0 times and an empty error are stored as NULL
  CAF_CHECK(!db.query_int("SELECT last_success_at FROM provider_state"));
  s.last_error.clear();
  apply(persist_provider_state(s));
  CAF_CHECK(!db.query_text("SELECT last_error FROM provider_state"));
}

CAF_TEST(provider errors are appended) {
  write_request req{{record_provider_error("spotify", 10, "timeout"),
                     record_provider_error("spotify", 20, "HTTP 502")}};
  apply(req);
  CAF_CHECK_EQUAL(db.query_int("SELECT count(*) FROM provider_errors WHERE "
                               "provider = 'spotify'"),
                  2);
  CAF_CHECK(read_provider(db, "spotify", 15).errors
            == (std::vector<int64_t>{20}));
}

CAF_TEST(tokens upsert and an empty scope keeps the stored one) {
  apply(persist_tokens("tidal", "a1", "r1", 100, "user.read"));
  apply(persist_tokens("tidal", "a2", "r2", 200, ""));
  auto r = read_provider(db, "tidal", 0);
  CAF_CHECK(r.has_tokens);
  CAF_CHECK_EQUAL(r.access_token, "a2");
  CAF_CHECK_EQUAL(r.refresh_token, "r2");
  CAF_CHECK_EQUAL(r.expires_at, 200);
  CAF_CHECK_EQUAL(db.query_text("SELECT scope FROM provider_tokens"),
                  std::optional<std::string>{"user.read"});
}

CAF_TEST(an entity error lands on the row with that provider id) {
  db.exec("INSERT INTO artists(id, name, normalized_name, deezer_id)"
          " VALUES (1, 'A', 'a', '27'), (2, 'B', 'b', '28')");
  apply(
    record_entity_error(provider_entity::artist, "deezer", "27", "HTTP 404"));
  CAF_CHECK_EQUAL(db.query_text("SELECT last_error FROM artists WHERE id = 1"),
                  std::optional<std::string>{"HTTP 404"});
  CAF_CHECK(!db.query_text("SELECT last_error FROM artists WHERE id = 2"));
  // a name that is no column is refused instead of spliced into SQL
  CAF_CHECK(record_entity_error(provider_entity::album, "x; DROP", "1", "e")
              .statements.empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
