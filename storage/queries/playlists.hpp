// The reads of sync_playlists.
#pragma once

#include "storage/database.hpp"

#include <map>
#include <string>

namespace discotheque::storage {

/// sync_mode by provider_id of every stored playlist of `provider`.
std::map<std::string, std::string>
read_playlist_modes(database& db, const std::string& provider);

} // namespace discotheque::storage
