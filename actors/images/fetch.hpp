// The image pool's plain code: what an image file is (magic bytes, content
// type), which URLs may be fetched, and one job carried out on the calling
// thread (libcurl, blocking: run it in a detached worker). A file is written
// as a temporary file next to its final place and renamed, so a reader
// never sees half an image; its name is the entity's id and the extension of
// what the bytes are, never anything taken from the network.
#pragma once

#include "messages/images.hpp"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace discotheque::images {

/// How far a download may go.
struct fetch_limits {
  /// A larger body fails the job (default 20 MB).
  int64_t max_bytes = 20 << 20;
  long max_redirects = 5;
  int64_t connect_timeout_ms = 10'000;
  /// The whole transfer.
  int64_t timeout_ms = 60'000;
  /// Set when the pool stops: a running transfer is abandoned at once
  /// (else shutting down would wait for a slow server). May be null.
  std::shared_ptr<std::atomic<bool>> cancel;
};

/// The image formats we keep.
enum class image_kind { jpeg, png, webp };

/// The format of `bytes` by its magic bytes (JPEG FF D8 FF, PNG's 8-byte
/// signature, RIFF....WEBP), or none.
std::optional<image_kind> sniff_image(std::string_view bytes);

/// "jpg", "png", "webp".
const char* extension(image_kind k);

/// "image/jpeg", "image/png", "image/webp".
const char* content_type(image_kind k);

/// The content type of a file we wrote, by its extension ("" if not ours).
std::string content_type_of(const std::filesystem::path& p);

/// Whether a Content-Type header may carry an image: image/* (parameters
/// ignored), application/octet-stream, or none at all. Anything else
/// (text/html ...) fails the job even when the bytes look like an image.
bool acceptable_content_type(std::string_view header);

/// Whether `url` is http:// or https:// (case-insensitive scheme) with a
/// host: the only URLs fetched, also as redirect targets.
bool is_http_url(std::string_view url);

/// The folder of an entity type below `<data>/images`: artists, albums,
/// playlists; "" for another type.
std::string folder_of(std::string_view entity_type);

/// Writes `bytes` to `<dir>/<id>.<ext>` through a temporary file in `dir`
/// and a rename, then removes the entity's files with another extension.
/// Answers the final path, or throws std::runtime_error.
std::filesystem::path write_atomically(const std::filesystem::path& dir,
                                       int64_t id, image_kind kind,
                                       std::string_view bytes);

/// Carries out `job` below `images_root` (`<data>/images`): tries its
/// candidates in order (absent ones hand over to the next), checks and
/// writes the first image found. Never throws.
image_outcome run_job(const image_job& job,
                      const std::filesystem::path& images_root,
                      const fetch_limits& limits);

} // namespace discotheque::images
