#include "http/api/identify.hpp"

#include "storage/queries/identify.hpp"

#include <charconv>

namespace discotheque::http {

void add_identify_routes(reader_router& r) {
  r.add(
    "GET", "/api/library/artists/{id}/matches",
    [](const request&, const path_params& p, storage::database& ro) {
      const auto& tail = p.at("id");
      int64_t id = 0;
      auto [end, ec] = std::from_chars(tail.data(), tail.data() + tail.size(),
                                       id);
      if (ec != std::errc{} || end != tail.data() + tail.size() || id <= 0)
        return api_outcome{json_error(400, "bad_request", "not an id: " + tail),
                           std::nullopt};
      try {
        auto m = storage::artist_matches(ro, id);
        if (!m)
          return api_outcome{json_error(404, "not_found", "no artist " + tail),
                             std::nullopt};
        return api_outcome{json_ok(*m), std::nullopt};
      } catch (const std::exception& e) {
        return api_outcome{json_error(500, "database_error", e.what()),
                           std::nullopt};
      }
    });
}

} // namespace discotheque::http
