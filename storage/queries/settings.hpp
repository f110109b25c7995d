// The reads of the settings API: every row of the settings table and every
// playlist's sync mode (read-only connection; the store is the writer).
#pragma once

#include "messages/settings.hpp"
#include "storage/database.hpp"

namespace discotheque::storage {

/// The settings table (key -> JSON text) and the playlists' sync modes
/// (by id).
settings_snapshot read_settings(database& db);

} // namespace discotheque::storage
