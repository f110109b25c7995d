#include "http/api/images.hpp"

#include "actors/images/fetch.hpp"
#include "storage/queries/images.hpp"

#include <charconv>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace discotheque::http {

namespace {

namespace fs = std::filesystem;

std::string http_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

api_outcome plain(response r) {
  return api_outcome{std::move(r), std::nullopt};
}

api_outcome serve(const request& req, const std::string& type,
                  const std::string& tail, storage::database& ro) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), id);
  if (ec != std::errc{} || end != tail.data() + tail.size() || id <= 0)
    return plain(json_error(400, "bad_request", "not an id: " + tail));
  storage::stored_image img;
  try {
    img = storage::stored_image_of(ro, type, id);
  } catch (const std::exception& e) {
    return plain(json_error(500, "database_error", e.what()));
  }
  if (!img.entity_exists)
    return plain(json_error(404, "not_found", "no " + type + " " + tail));
  std::error_code fec;
  if (img.path.empty() || !fs::is_regular_file(img.path, fec))
    return plain(
      json_error(404, "no_image",
                 "the " + type + " " + tail + " has no image"
                   + (img.state.empty() ? "" : " (" + img.state + ")")));
  auto size = fs::file_size(img.path, fec);
  auto mtime = fs::last_write_time(img.path, fec);
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                std::chrono::file_clock::to_sys(mtime).time_since_epoch())
                .count();
  // Ours, not the upstream's: it changes whenever the file does.
  auto etag = "\"" + std::to_string(size) + "-" + std::to_string(secs) + "\"";
  auto ct = images::content_type_of(img.path);
  if (ct.empty())
    ct = img.content_type.empty() ? "application/octet-stream"
                                  : img.content_type;
  response r;
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Last-Modified",
                         http_date(static_cast<std::time_t>(secs)));
  r.headers.emplace_back("Cache-Control", "private, max-age=86400");
  if (req.header("if-none-match") == etag) {
    r.status = 304;
    r.content_type = ct;
    return plain(std::move(r));
  }
  std::ifstream in{img.path, std::ios::binary};
  r.body.assign(std::istreambuf_iterator<char>{in}, {});
  if (!in && !in.eof())
    return plain(json_error(500, "io_error", "cannot read the image"));
  r.content_type = ct;
  return plain(std::move(r));
}

} // namespace

void add_image_routes(reader_router& r) {
  for (auto [plural, type] :
       {std::pair{"artists", "artist"}, std::pair{"albums", "album"},
        std::pair{"playlists", "playlist"}}) {
    std::string t{type};
    r.add("GET", std::string{"/api/library/"} + plural + "/{id}/image",
          [t](const request& req, const path_params& p, storage::database& ro) {
            return serve(req, t, p.at("id"), ro);
          });
  }
}

} // namespace discotheque::http
