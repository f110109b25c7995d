#define CAF_SUITE actors.gateway.circuit_breaker
#include "actors/gateway/gateway_fixture.hpp"

using namespace gateway_test;

CAF_TEST_FIXTURE_SCOPE(circuit_breaker_tests, fixture)

CAF_TEST(the breaker opens after five failures and half
         - opens after its time) {
  circuit_breaker_config bc;
  bc.provider = "t";
  bc.open_for = 300s;
  bc.now = [this] { return wall; };
  auto breaker = sys.spawn(circuit_breaker, bc);
  auto allowed = std::make_shared<std::vector<bool>>();
  auto ask = [&] {
    sys.spawn([=](caf::event_based_actor* self) {
      self->request(breaker, caf::infinite, atom::cb_allow_v).then([=](bool b) {
        allowed->push_back(b);
      });
    });
    sched.run();
  };
  auto status = [&] {
    auto s = std::make_shared<provider_status>();
    sys.spawn([=](caf::event_based_actor* self) {
      self->request(breaker, caf::infinite, atom::status_v)
        .then([=](const provider_status& x) { *s = x; });
    });
    sched.run();
    return *s;
  };
  for (int i = 0; i < 4; ++i)
    anon_send(breaker, atom::cb_fail_v, std::string{"HTTP 503"});
  sched.run();
  ask();
  CAF_CHECK_EQUAL(allowed->back(), true);
  CAF_CHECK_EQUAL(status().breaker_state, "closed");
  anon_send(breaker, atom::cb_fail_v, std::string{"HTTP 503"});
  sched.run();
  ask();
  CAF_CHECK_EQUAL(allowed->back(), false);
  auto s = status();
  CAF_CHECK_EQUAL(s.breaker_state, "open");
  CAF_CHECK_EQUAL(s.errors_24h, 5);
  CAF_CHECK_EQUAL(s.last_error, "HTTP 503");
  sched.advance_time(299s);
  ask();
  CAF_CHECK_EQUAL(allowed->back(), false);
  sched.advance_time(1s);
  ask(); // the one trial call
  CAF_CHECK_EQUAL(allowed->back(), true);
  ask(); // no second call while the trial runs
  CAF_CHECK_EQUAL(allowed->back(), false);
  anon_send(breaker, atom::cb_fail_v, std::string{"timeout"});
  sched.run();
  ask(); // the trial failed: open again
  CAF_CHECK_EQUAL(allowed->back(), false);
  sched.advance_time(300s);
  ask();
  CAF_CHECK_EQUAL(allowed->back(), true);
  anon_send(breaker, atom::cb_ok_v);
  sched.run();
  ask();
  CAF_CHECK_EQUAL(allowed->back(), true);
  s = status();
  CAF_CHECK_EQUAL(s.breaker_state, "closed");
  CAF_CHECK_EQUAL(s.consecutive_failures, 0);
  CAF_CHECK_EQUAL(s.last_success_at, wall);
}

CAF_TEST_FIXTURE_SCOPE_END()
