// The one search budget of a Soulseek account: at most `budget` searches in
// any `window` (Soulseek bans an account for 30 minutes after ~35 searches
// in 220 s). A sliding window over the start times of the searches made;
// every search of the service asks it first.
#pragma once

#include <cstdint>
#include <deque>

namespace discotheque::downloads {

class search_budget {
public:
  search_budget(int64_t budget, int64_t window_ms);

  /// Whether a search may start at `now` (ms).
  bool allows(int64_t now);

  /// A search started at `now`.
  void spend(int64_t now);

  /// When the next search may start (now when it may already).
  int64_t next_allowed(int64_t now);

  /// Searches started in the window ending at `now`.
  int64_t used(int64_t now);

  int64_t budget() const {
    return budget_;
  }
  int64_t window_ms() const {
    return window_ms_;
  }

private:
  void forget_before(int64_t now);

  int64_t budget_;
  int64_t window_ms_;
  std::deque<int64_t> starts_;
};

} // namespace discotheque::downloads
