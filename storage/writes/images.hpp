// The writes of imagery: an entity's image URL once step 1 found it, and
// what the image pool made of it (path, state, reason, validators, retry).
#pragma once

#include "messages/images.hpp"
#include "messages/types.hpp"

#include <cstdint>
#include <string>

namespace discotheque::storage {

/// A failed image is tried again this long after its first and second
/// failure; after the third, only when its URL changes.
inline constexpr int64_t image_retry_first_ms = int64_t{24} * 3600 * 1000;
inline constexpr int64_t image_retry_second_ms = int64_t{7} * 24 * 3600 * 1000;
inline constexpr int64_t image_max_attempts = 3;
/// An entity without any image is looked at again after this long.
inline constexpr int64_t image_none_recheck_ms = int64_t{7} * 24 * 3600 * 1000;

/// When a failed image may be tried again after its `attempts`-th failure
/// at `now`; 0: not any more.
int64_t image_retry_at(int64_t attempts, int64_t now);

/// Step 1: the URL found for the entity (state url_found). A row already
/// downloaded from the same URL keeps its file and state; a new URL starts
/// the attempts afresh.
write_request set_image_url(const std::string& entity_type, int64_t entity_id,
                            const std::string& url, const std::string& source,
                            int64_t now);

/// A provider's image link for an entity (a DTO's image_url, offered by the
/// dedup store as a sync meets it), for enrich_images' last fallback: kept
/// only where the entity has no image URL yet, so it never replaces a Cover
/// Art Archive, local or earlier link; only the cloud providers' links are
/// taken (another `source` writes nothing).
sql_stmt offer_image_url(const std::string& entity_type, int64_t entity_id,
                         const std::string& url, const std::string& source);

/// Step 2: what the pool made of the job: downloaded / unchanged (path,
/// validators, attempts reset), none (no image anywhere, looked at again
/// in 7 days), failed (the reason, one more attempt, the next try per
/// image_retry_at). A playlist's cover_path follows its image.
write_request record_image_outcome(const image_outcome& o, int64_t now);

} // namespace discotheque::storage
