#define CAF_SUITE downloads.search_budget
#include "fixture.hpp"

#include "downloads/search_budget.hpp"

using discotheque::downloads::search_budget;

CAF_TEST(a full window refuses until its oldest search leaves it) {
  search_budget b{3, 1000};
  CAF_CHECK(b.allows(0));
  b.spend(0);
  b.spend(100);
  b.spend(200);
  CAF_CHECK(!b.allows(300));
  auto used = b.used(300);
  CAF_CHECK_EQUAL(used, 3);
  // The search of t=0 counts while t < 1000.
  auto next = b.next_allowed(300);
  CAF_CHECK_EQUAL(next, 1000);
  CAF_CHECK(!b.allows(999));
  CAF_CHECK(b.allows(1000));
  b.spend(1000);
  CAF_CHECK(!b.allows(1050));
  CAF_CHECK(b.allows(1100));
}

CAF_TEST(never more than the budget in any window) {
  search_budget b{34, 220'000};
  // Ask every 100 ms for an hour: count the starts in every window.
  std::vector<int64_t> starts;
  for (int64_t t = 0; t < 3'600'000; t += 100)
    if (b.allows(t)) {
      b.spend(t);
      starts.push_back(t);
    }
  size_t worst = 0;
  for (size_t i = 0; i < starts.size(); ++i) {
    size_t j = i;
    while (j < starts.size() && starts[j] < starts[i] + 220'000)
      ++j;
    worst = std::max(worst, j - i);
  }
  CAF_CHECK_EQUAL(worst, 34u);
  // And the budget is used: 34 per window, about 16 windows.
  CAF_CHECK(starts.size() >= 34u * 16);
}

CAF_TEST(a budget below one is one) {
  search_budget b{0, 0};
  auto budget = b.budget();
  CAF_CHECK_EQUAL(budget, 1);
  CAF_CHECK(b.allows(5));
}
