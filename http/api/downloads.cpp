#include "http/api/downloads.hpp"

#include "storage/queries/downloads.hpp"
#include "support/time.hpp"

#include <charconv>

namespace discotheque::http {

namespace {

api_outcome plain(response r) {
  return api_outcome{std::move(r), std::nullopt};
}

nlohmann::json opt_time(int64_t t) {
  return t > 0 ? nlohmann::json(t) : nlohmann::json(nullptr);
}

} // namespace

nlohmann::json download_queue_json(storage::database& ro, int64_t now,
                                   int64_t limit) {
  auto v = storage::download_queue(ro, now, limit);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& i : v.items) {
    nlohmann::json j{{"track_id", i.track_id},
                     {"artist", i.artist},
                     {"album", i.album},
                     {"title", i.title},
                     {"state", i.state},
                     {"last_error", i.last_error.empty()
                                      ? nlohmann::json(nullptr)
                                      : nlohmann::json(i.last_error)},
                     {"updated_at", i.updated_at},
                     {"attempts", i.attempts},
                     {"retry_at", opt_time(i.retry_at)}};
    if (!i.username.empty()) {
      j["username"] = i.username;
      j["remote_path"] = i.remote_path;
    }
    items.push_back(std::move(j));
  }
  return {{"items", items},
          {"counts",
           {{"pending", v.pending},
            {"searching", v.searching},
            {"transferring", v.transferring},
            {"failed", v.failed},
            {"done_24h", v.done_24h},
            {"failed_24h", v.failed_24h}}}};
}

void add_download_routes(reader_router& r) {
  r.add("GET", "/api/library/downloads",
        [](const request&, const path_params&, storage::database& ro) {
          try {
            return plain(json_ok(download_queue_json(ro, now_ms(), 500)));
          } catch (const std::exception& e) {
            return plain(json_error(500, "database_error", e.what()));
          }
        });
  r.add("GET", "/api/library/tracks/{id}/downloads",
        [](const request&, const path_params& p, storage::database& ro) {
          const auto& tail = p.at("id");
          int64_t id = 0;
          auto [end, ec] = std::from_chars(tail.data(),
                                           tail.data() + tail.size(), id);
          if (ec != std::errc{} || end != tail.data() + tail.size() || id <= 0)
            return plain(json_error(400, "bad_request", "not an id: " + tail));
          try {
            auto body = storage::download_history_json(ro, id);
            if (body.empty())
              return plain(json_error(404, "not_found", "no track " + tail));
            return plain(json_ok(nlohmann::json::parse(body)));
          } catch (const std::exception& e) {
            return plain(json_error(500, "database_error", e.what()));
          }
        });
}

} // namespace discotheque::http
