// The reads of the download worker: the pending tracks in their order
// (asked-for first, then by age) with what the gates need, the blocklist,
// a track's decision history, and the queue the dashboard shows.
#pragma once

#include "downloads/candidate.hpp"
#include "messages/downloads.hpp"
#include "storage/database.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace discotheque::storage {

/// At most `limit` pending tracks, higher job priority first, then the
/// longest pending; each with its artist, album artist, album, year.
std::vector<downloads::wanted_track> pending_downloads(database& db,
                                                       int64_t limit);

/// The tracks in `downloading` with the job each holds (a restart
/// reconciles them).
std::vector<held_download> held_downloads(database& db);

/// Every blocked (user, file) pair of `client`.
downloads::blocklist blocklist_of(database& db, const std::string& client);

/// One row of the queue (GET /api/library/downloads).
struct download_item {
  int64_t track_id = 0;
  std::string artist;
  std::string album;
  std::string title;
  /// pending, searching, transferring, importing, downloaded, failed
  std::string state;
  std::string last_error;
  int64_t updated_at = 0;
  int64_t attempts = 0;
  int64_t retry_at = 0; ///< 0: none
  std::string username;
  std::string remote_path;
};

struct download_queue_view {
  std::vector<download_item> items;
  int64_t pending = 0;
  int64_t searching = 0;
  int64_t transferring = 0;
  int64_t failed = 0;
  int64_t done_24h = 0;
  int64_t failed_24h = 0;
};

/// Pending, downloading and failed tracks, plus the ones downloaded in the
/// last 24 h; at most `limit` items (the counts cover all).
download_queue_view download_queue(database& db, int64_t now, int64_t limit);

/// A track's download history: its transitions and decisions, oldest
/// first, as JSON text ({"events":[...],"decisions":[...]}); empty when
/// the track does not exist.
std::string download_history_json(database& db, int64_t track_id);

} // namespace discotheque::storage
