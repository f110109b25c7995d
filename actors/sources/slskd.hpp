// slskd (the Soulseek daemon's REST API, /api/v0) as a download client: its
// provider descriptor (base URL, X-API-Key, its own limiter and breaker
// through the gateway; no sync tasks, no claims) and its wire format:
// searches (searchTimeout in milliseconds, polled until complete, responses
// fetched once at the end), enqueues (the exact remote filename and size)
// and transfers (flag states "Completed, Succeeded", followed by id).
// The shapes are slskd's own (github.com/slskd/slskd, API v0, 0.24+).
#pragma once

#include "actors/gateway/provider_gateway.hpp"
#include "downloads/candidate.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace discotheque {

struct config;

namespace slskd {

inline constexpr const char* provider_name = "slskd";

/// The effective settings of providers.slskd.
struct settings {
  bool enabled = false;
  std::string api_base; ///< e.g. http://127.0.0.1:5030/api/v0
  /// slskd's downloads folder as this machine sees it
  /// (providers.slskd.downloads_dir; default <data_dir>/downloads).
  std::filesystem::path downloads_dir;
  int64_t timeout_ms = 30000;
};

settings settings_of(const config& cfg);

// --- searches ----------------------------------------------------------------

/// POST {api_base}/searches: the body. `search_timeout_ms` is sent as
/// milliseconds (Soulseek.NET reads it so, whatever the DTO comment says).
std::string search_body(const std::string& id, const std::string& text,
                        int64_t search_timeout_ms);

struct search_state {
  std::string id;
  std::string state; ///< "InProgress", "Completed, TimedOut" ...
  bool complete = false;
  int64_t response_count = 0;
  int64_t file_count = 0;
};

/// A Search record (POST and GET /searches/{id}); nullopt when it is none.
std::optional<search_state> parse_search(const nlohmann::json& j);

/// GET /searches/{id}/responses: every file and locked file of every
/// response, with the peer's slot, queue and speed; extensions derived
/// from the filename when the peer sent "".
std::vector<downloads::peer_file> parse_responses(const nlohmann::json& j);

// --- transfers ---------------------------------------------------------------

/// "FLAC", ".flac" -> "flac".
std::string library_ext(std::string e);

/// POST {api_base}/transfers/downloads/{username}: the body.
std::string enqueue_body(const std::string& filename, int64_t size);

/// The username as one URL path segment.
std::string url_segment(const std::string& s);

enum class transfer_phase {
  requested,       ///< "Requested", "Initializing"
  queued_locally,  ///< "Queued", "Queued, Locally"
  queued_remotely, ///< "Queued, Remotely"
  in_progress,     ///< "InProgress"
  succeeded,       ///< "Completed, Succeeded" with every byte
  failed,          ///< any other Completed, a 0-byte or short success
};

const char* to_string(transfer_phase p);

struct transfer {
  std::string id;
  std::string username;
  std::string filename;
  int64_t size = 0;
  std::string state;
  int64_t bytes_transferred = 0;
  transfer_phase phase = transfer_phase::requested;
};

/// The phase of a state string and its byte counts. A 0-byte "Completed,
/// TimedOut" and a bare "Completed" are failures.
transfer_phase phase_of(const std::string& state, int64_t bytes_transferred,
                        int64_t size);

/// One Transfer object; nullopt without an id.
std::optional<transfer> parse_transfer(const nlohmann::json& j);

/// GET /transfers/downloads (an array of users) or .../{username} (one
/// user): every transfer in it.
std::vector<transfer> parse_transfers(const nlohmann::json& j);

/// The enqueue answer (201 {"enqueued":[...],"failed":[...]}): the transfer
/// of `filename`, when slskd told it.
std::optional<transfer> enqueued_transfer(const nlohmann::json& j,
                                          const std::string& filename);

/// Where slskd puts a finished download: <downloads_dir>/<the remote
/// file's folder name>/<its file name>.
std::filesystem::path local_file_of(const std::filesystem::path& downloads_dir,
                                    const std::string& remote_filename);

} // namespace slskd

/// 429 (another search or enqueue is being processed) is slskd's "wait".
reply_class classify_slskd(const http_reply& r);

} // namespace discotheque
