// The reads of the expand tasks (issue 13): the owned artists with an MBID,
// their profile and monitor flag and every album of theirs, and the
// settings a run starts from; and the per-artist settings for the API.
#pragma once

#include "messages/expand.hpp"
#include "storage/database.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace discotheque::storage {

/// Everything one run of `task` starts from: the owned artists with an
/// MBID (by id) with their albums in any ownership state (the tracks only
/// of albums without a release group, the ones compared by tracks), the
/// settings (library.metadata_profile, library.auto_queue_downloads,
/// library.new_release_days) and the start of the task's last successful
/// run.
expand_plan expand_plan_of(database& db, const std::string& task);

/// Opens `db_path` read-only and reads it; throws on a database error.
expand_plan load_expand_plan(const std::filesystem::path& db_path,
                             const std::string& task);

/// An artist's expand settings: its own profile (JSON text, empty: the
/// library's) and its monitor flag; nullopt when there is no such artist.
struct artist_expand_settings {
  std::string profile;
  bool monitor = false;
};
std::optional<artist_expand_settings> artist_expand_settings_of(database& db,
                                                                int64_t id);

} // namespace discotheque::storage
