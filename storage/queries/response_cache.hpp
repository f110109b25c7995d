// The read of the provider response cache.
#pragma once

#include "messages/identify.hpp"
#include "storage/database.hpp"

#include <string>

namespace discotheque::storage {

/// The stored answer for `url` (found = false when there is none).
cached_answer cached_answer_for(database& db, const std::string& url);

} // namespace discotheque::storage
