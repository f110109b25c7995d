#include "messages/tasks.hpp"

#include <array>

namespace discotheque {

namespace {

// Indexed by the enums' values; the words are stored in task_runs and shown
// by the API, so they never change.
constexpr std::array<std::string_view, 3> status_words{"succeeded", "failed",
                                                       "skipped"};
constexpr std::array<std::string_view, 6> reason_words{"",
                                                       "not_due",
                                                       "disabled",
                                                       "dependencies_not_met",
                                                       "not_implemented",
                                                       "provider_unavailable"};

template <class Enum, size_t N>
bool parse(const std::array<std::string_view, N>& words, std::string_view word,
           Enum& x) {
  for (size_t i = 0; i < N; ++i)
    if (words[i] == word) {
      x = static_cast<Enum>(i);
      return true;
    }
  return false;
}

} // namespace

std::string to_string(run_status x) {
  return std::string{status_words.at(static_cast<size_t>(x))};
}

std::string to_string(skip_reason x) {
  return std::string{reason_words.at(static_cast<size_t>(x))};
}

bool from_string(std::string_view word, run_status& x) {
  return parse(status_words, word, x);
}

bool from_string(std::string_view word, skip_reason& x) {
  return !word.empty() && parse(reason_words, word, x);
}

} // namespace discotheque
