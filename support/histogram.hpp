// A fixed-bucket histogram for the metrics (GET /metrics): counts per upper
// bound, their sum and count, as the Prometheus histogram type wants them.
// Plain data, owned by one actor; shown in its inspect details.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <utility>
#include <vector>

namespace discotheque {

struct histogram {
  /// Upper bounds, ascending (the +Inf bucket is implied).
  std::vector<double> bounds;
  /// counts[i]: observations <= bounds[i] and > bounds[i-1]; one more for
  /// those above the last bound.
  std::vector<uint64_t> counts;
  double sum = 0;
  uint64_t count = 0;

  explicit histogram(std::vector<double> upper = {})
    : bounds(std::move(upper)), counts(bounds.size() + 1, 0) {
  }

  void observe(double x) {
    size_t i = 0;
    while (i < bounds.size() && x > bounds[i])
      ++i;
    ++counts[i];
    sum += x;
    ++count;
  }

  /// {"bounds": [...], "counts": [...] (not cumulative), "sum", "count"}.
  nlohmann::json to_json() const {
    return {
      {"bounds", bounds}, {"counts", counts}, {"sum", sum}, {"count", count}};
  }
};

} // namespace discotheque
