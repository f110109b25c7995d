// The API key: from the config, or generated at first start into
// <data_dir>/api_key with mode 0600 and reused afterwards.
#pragma once

#include "config/config.hpp"

#include <string>

namespace discotheque {

/// Returns the configured key, else the stored one, else a new random key
/// (32 hex digits) that it stores. Throws config_error when the file cannot
/// be written or read.
std::string ensure_api_key(const config& cfg);

} // namespace discotheque
