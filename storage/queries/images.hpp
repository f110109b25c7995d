// The reads of imagery: what enrich_images needs to know of every artist,
// album and playlist (their images rows, MBIDs, a local file's folder,
// providers' image links, the cached MusicBrainz release flag), and the
// stored image of one entity for the image API.
#pragma once

#include "messages/images.hpp"
#include "storage/database.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace discotheque::storage {

/// Every artist, album and playlist not ignored, with its images row.
/// `mb_api_base`: where cached MusicBrainz release lookups start (their
/// `cover-art-archive.front` flag); empty: not looked at.
image_plan image_work_of(database& db, const std::string& mb_api_base);

/// Opens `db_path` read-only and reads it; throws on a database error.
image_plan load_image_work(const std::filesystem::path& db_path,
                           const std::string& mb_api_base);

/// The stored image of an entity, as the image API serves it.
struct stored_image {
  bool entity_exists = false;
  std::string path;
  std::string state;
  std::string content_type;
  std::string etag;
  int64_t fetched_at = 0;
};

/// `entity_type`: artist, album, playlist. Throws on a database error.
stored_image stored_image_of(database& db, const std::string& entity_type,
                             int64_t entity_id);

} // namespace discotheque::storage
