#define CAF_SUITE actors.store
#include "fixture.hpp"

#include "actors/store.hpp"
#include "messages/error.hpp"
#include "storage/migrations.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include <atomic>

#include <nlohmann/json.hpp>

using namespace discotheque;

namespace {

write_request insert_artist(const std::string& name,
                            const std::string& state = "owned") {
  return write_request{{sql_stmt{
    "INSERT INTO artists(name, normalized_name, ownership_state) "
    "VALUES (?1, ?2, ?3)",
    {sql_value::of(name), sql_value::of(name), sql_value::of(state)}}}};
}

int64_t count_artists(const std::filesystem::path& db_path) {
  auto db = storage::database::open(db_path,
                                    storage::database::mode::read_only);
  return db.query_int("SELECT count(*) FROM artists").value_or(-1);
}

struct fixture : test::fixture_base {
  test::temp_dir dir;
  store_actor st;

  fixture() {
    store_config cfg;
    cfg.db_path = dir / "library.db";
    cfg.retry_delay = std::chrono::milliseconds(5);
    cfg.busy_timeout = std::chrono::milliseconds(20);
    st = sys.spawn(store, cfg);
    sched.run();
  }

  ~fixture() {
    anon_send_exit(st, caf::exit_reason::user_shutdown);
    sched.run();
  }

  store_stats stats() {
    auto result = std::make_shared<store_stats>();
    sys.spawn([=, st = st](caf::event_based_actor* self) {
      self->request(st, caf::infinite, atom::stats_v)
        .then([=](const store_stats& x) { *result = x; });
    });
    sched.run();
    return *result;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(store_tests, fixture)

CAF_TEST(inspect shows the transactions and the last commit) {
  auto summary = std::make_shared<actor_summary>();
  sys.spawn([=, st = st](caf::event_based_actor* self) {
    // three writes in one burst: one transaction of three
    for (auto name : {"A", "B", "C"})
      self->request(st, caf::infinite, atom::write_v, insert_artist(name))
        .then([](const write_ack&) {});
  });
  sched.run();
  sys.spawn([=, st = st](caf::event_based_actor* self) {
    self->request(st, caf::infinite, atom::inspect_atom_v)
      .then([=](const actor_summary& s) { *summary = s; });
  });
  sched.run();
  CAF_CHECK_EQUAL(summary->name, "store");
  CAF_CHECK_EQUAL(summary->kind, "store");
  auto details = nlohmann::json::parse(summary->details);
  auto s = stats();
  CAF_CHECK_EQUAL(details["transactions"], s.transactions);
  CAF_CHECK_EQUAL(details["writes"], 3);
  CAF_CHECK_EQUAL(details["last_batch"], 3);
  CAF_CHECK_EQUAL(details["batch_pending"], 0);
  CAF_CHECK(details["last_commit_us"].get<int64_t>() >= 0);
  CAF_CHECK(details["max_commit_us"].get<int64_t>()
            >= details["last_commit_us"].get<int64_t>());
  CAF_CHECK_EQUAL(details["writes_per_transaction"].get<double>(),
                  3.0 / static_cast<double>(s.transactions));
  CAF_CHECK(summary->summary.find("3 writes") != std::string::npos);
}

CAF_TEST(fifty writers with two thousand writes each land in few transactions) {
  constexpr int writers = 50;
  constexpr int per_writer = 2000;
  auto acked = std::make_shared<int>(0);
  auto failed = std::make_shared<int>(0);
  for (int w = 0; w < writers; ++w) {
    sys.spawn([=, st = st](caf::event_based_actor* self) {
      for (int i = 0; i < per_writer; ++i)
        self
          ->request(
            st, caf::infinite, atom::write_v,
            insert_artist("w" + std::to_string(w) + "-" + std::to_string(i)))
          .then([=](const write_ack&) { ++*acked; },
                [=](const caf::error&) { ++*failed; });
    });
  }
  sched.run();
  CAF_CHECK_EQUAL(*acked, writers * per_writer);
  CAF_CHECK_EQUAL(*failed, 0);
  CAF_CHECK_EQUAL(count_artists(dir / "library.db"), writers * per_writer);
  auto s = stats();
  CAF_MESSAGE("transactions: " << s.transactions << " for " << s.writes
                               << " writes");
  CAF_CHECK_EQUAL(s.writes, writers * per_writer);
  CAF_CHECK_EQUAL(s.busy_errors, 0);
  CAF_CHECK_LESS(s.transactions, writers * per_writer / 100);
}

CAF_TEST(a write that violates a constraint fails alone) {
  auto results = std::make_shared<std::vector<std::string>>(3);
  sys.spawn([=, st = st](caf::event_based_actor* self) {
    std::vector<write_request> reqs{insert_artist("good one"),
                                    insert_artist("bad", "maybe"),
                                    insert_artist("good two")};
    for (size_t i = 0; i < reqs.size(); ++i)
      self->request(st, caf::infinite, atom::write_v, reqs[i])
        .then([=](const write_ack&) { (*results)[i] = "ok"; },
              [=](const caf::error& err) { (*results)[i] = render(err); });
  });
  sched.run();
  CAF_CHECK_EQUAL((*results)[0], "ok");
  CAF_CHECK_EQUAL((*results)[2], "ok");
  CHECK_MSG((*results)[1].find("constraint_violation") == 0
              && (*results)[1].find("CHECK") != std::string::npos,
            "got " << (*results)[1]);
  CAF_CHECK_EQUAL(count_artists(dir / "library.db"), 2);
  auto s = stats();
  CAF_CHECK_EQUAL(s.transactions, 1); // all three shared one transaction
  CAF_CHECK_EQUAL(s.failed_writes, 1);
  CAF_CHECK(!s.degraded);
}

CAF_TEST(a multi - statement write is all or nothing) {
  write_request req;
  req.statements.push_back(insert_artist("first").statements[0]);
  req.statements.push_back(insert_artist("second", "bogus").statements[0]);
  auto outcome = std::make_shared<std::string>();
  sys.spawn([=, st = st](caf::event_based_actor* self) {
    self->request(st, caf::infinite, atom::write_v, req)
      .then([=](const write_ack&) { *outcome = "ok"; },
            [=](const caf::error& err) { *outcome = render(err); });
  });
  sched.run();
  CAF_CHECK(outcome->find("constraint_violation") == 0);
  CAF_CHECK_EQUAL(count_artists(dir / "library.db"), 0);
}

CAF_TEST(a locked database is retried then reported and the store recovers) {
  // Another process holds the write lock: every attempt gets SQLITE_BUSY.
  auto other = storage::database::open(dir / "library.db");
  other.exec("BEGIN IMMEDIATE");
  auto outcome = std::make_shared<std::string>();
  sys.spawn([=, st = st](caf::event_based_actor* self) {
    self->request(st, caf::infinite, atom::write_v, insert_artist("x"))
      .then([=](const write_ack&) { *outcome = "ok"; },
            [=](const caf::error& err) { *outcome = render(err); });
  });
  sched.run();
  CHECK_MSG(outcome->find("database_error") == 0, *outcome);
  auto s = stats();
  CAF_CHECK(s.degraded);
  CAF_CHECK_EQUAL(s.retries, 3);
  CAF_CHECK_EQUAL(s.busy_errors, 4);
  // The lock goes away: the next write lands and health recovers.
  other.exec("ROLLBACK");
  sys.spawn([=, st = st](caf::event_based_actor* self) {
    self->request(st, caf::infinite, atom::write_v, insert_artist("y"))
      .then([=](const write_ack&) { *outcome = "ok"; },
            [=](const caf::error& err) { *outcome = render(err); });
  });
  sched.run();
  CAF_CHECK_EQUAL(*outcome, "ok");
  CAF_CHECK(!stats().degraded);
  CAF_CHECK_EQUAL(count_artists(dir / "library.db"), 1);
}

CAF_TEST_FIXTURE_SCOPE_END()

// The same load with real threads: a detached store and fifty writer actors
// on CAF's work-stealing scheduler.
CAF_TEST(concurrent writers on real threads never see SQLITE_BUSY) {
  test::temp_dir dir;
  test::test_config cfg;
  caf::actor_system sys{cfg};
  store_config scfg;
  scfg.db_path = dir / "library.db";
  auto st = sys.spawn<caf::detached>(store, scfg);
  std::atomic<int> acked{0};
  std::atomic<int> failed{0};
  for (int w = 0; w < 50; ++w)
    sys.spawn([&, w](caf::event_based_actor* self) {
      for (int i = 0; i < 2000; ++i)
        self
          ->request(
            st, caf::infinite, atom::write_v,
            insert_artist("r" + std::to_string(w) + "-" + std::to_string(i)))
          .then([&](const write_ack&) { ++acked; },
                [&](const caf::error&) { ++failed; });
    });
  caf::scoped_actor self{sys};
  while (acked + failed < 100000)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  store_stats s;
  self->request(st, caf::infinite, atom::stats_v)
    .receive([&](const store_stats& x) { s = x; }, [](const caf::error&) {});
  CAF_CHECK_EQUAL(acked.load(), 100000);
  CAF_CHECK_EQUAL(s.busy_errors, 0);
  CAF_CHECK_LESS(s.transactions, 1000);
  CAF_MESSAGE("real threads: " << s.transactions << " transactions");
  self->send_exit(st, caf::exit_reason::user_shutdown);
  CAF_CHECK_EQUAL(count_artists(dir / "library.db"), 100000);
}
