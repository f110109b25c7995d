#include "downloads/search_budget.hpp"

#include <algorithm>

namespace discotheque::downloads {

search_budget::search_budget(int64_t budget, int64_t window_ms)
  : budget_(std::max<int64_t>(budget, 1)),
    window_ms_(std::max<int64_t>(window_ms, 1)) {
}

void search_budget::forget_before(int64_t now) {
  // A search started at s counts while s > now - window.
  while (!starts_.empty() && starts_.front() <= now - window_ms_)
    starts_.pop_front();
}

bool search_budget::allows(int64_t now) {
  forget_before(now);
  return static_cast<int64_t>(starts_.size()) < budget_;
}

void search_budget::spend(int64_t now) {
  forget_before(now);
  starts_.push_back(now);
}

int64_t search_budget::next_allowed(int64_t now) {
  if (allows(now))
    return now;
  // The oldest start leaves the window one window after it.
  auto idx = starts_.size() - static_cast<size_t>(budget_);
  return starts_[idx] + window_ms_;
}

int64_t search_budget::used(int64_t now) {
  forget_before(now);
  return static_cast<int64_t>(starts_.size());
}

} // namespace discotheque::downloads
