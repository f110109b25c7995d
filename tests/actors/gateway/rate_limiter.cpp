#define CAF_SUITE actors.gateway.rate_limiter
#include "actors/gateway/gateway_fixture.hpp"

using namespace gateway_test;

CAF_TEST_FIXTURE_SCOPE(rate_limiter_tests, fixture)

CAF_TEST(the rate limiter spaces permits of concurrent callers) {
  auto limiter = sys.spawn(rate_limiter, rate_limiter_config{"t", 10, 1.0});
  auto grants = std::make_shared<std::vector<clock_point>>();
  for (int caller = 0; caller < 3; ++caller)
    sys.spawn([=, this](caf::event_based_actor* self) {
      for (int i = 0; i < 10; ++i)
        self->request(limiter, caf::infinite, atom::rl_permit_v)
          .then([=, this](int64_t) { grants->push_back(now()); });
    });
  run_until([&] { return grants->size() == 30; }, 10s);
  CAF_REQUIRE_EQUAL(grants->size(), 30u);
  std::sort(grants->begin(), grants->end());
  for (size_t i = 1; i < grants->size(); ++i)
    CHECK_MSG((*grants)[i] - (*grants)[i - 1] >= 100ms,
              "grant " << i << " only "
                       << ((*grants)[i] - (*grants)[i - 1]).count() << "ns "
                       << "after the previous one");
  // 30 permits at 10/s: the last one is granted 2.9 s after the first.
  CAF_CHECK(grants->back() - grants->front() >= 2900ms);
  CAF_CHECK(grants->back() - grants->front() < 3000ms);
}

CAF_TEST_FIXTURE_SCOPE_END()
