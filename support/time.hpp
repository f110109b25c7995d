// Time helpers: the database stores Unix epoch milliseconds, the API speaks
// ISO-8601 UTC.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace discotheque {

inline int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch())
    .count();
}

/// 1700000000123 -> "2023-11-14T22:13:20.123Z".
inline std::string iso8601(int64_t epoch_ms) {
  std::time_t secs = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  auto n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof(buf) - n, ".%03dZ",
                static_cast<int>(epoch_ms % 1000));
  return buf;
}

} // namespace discotheque
