// The service configuration: a JSON file (conf/discotheque.json) overridden by
// command-line flags. Validation is strict: an unknown key or a value of the
// wrong type is an error that names the key.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace discotheque {

/// Thrown for every configuration problem; what() is one line for the user.
struct config_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct provider_config {
  bool enabled = false;
  bool enabled_set = false; ///< `enabled` was given (else the default holds)
  std::string api_base;
  std::string auth_base;
  std::string authorize_url; ///< browser login page; empty = the provider's
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;
  std::string access_token;
  double rate_per_second = 0;   ///< 0 = the provider's default
  int64_t timeout_s = 0;        ///< per request; 0 = 30 s
  int64_t breaker_failures = 0; ///< consecutive failures to open; 0 = 5
  int64_t breaker_open_s = 0;   ///< how long open; 0 = 300 s
  /// Put into the User-Agent where a provider asks for a contact
  /// (MusicBrainz); empty = the project's URL.
  std::string contact;
  /// How long cached answers stay fresh, per kind of request (MusicBrainz);
  /// 0 = the provider's default.
  int64_t cache_ttl_lookup_days = 0;
  int64_t cache_ttl_search_days = 0;
  int64_t cache_ttl_browse_days = 0;
  /// Thumbnail size in px (Cover Art Archive: 500 or 1200; 0 = original).
  int64_t thumbnail = 0;
  bool thumbnail_set = false;
  /// A download client's downloads folder as this machine sees it
  /// (providers.slskd.downloads_dir); empty = <data_dir>/downloads.
  std::string downloads_dir;
  /// The category a download client files our jobs under (SABnzbd).
  std::string category;
};

/// downloads.*: how the download worker chooses, follows and imports.
struct downloads_config {
  /// Preference order, best first ("flac 24/96", "flac", "mp3 320",
  /// "mp3 v0", "mp3"); a file that satisfies none is not taken.
  std::vector<std::string> formats{"flac", "mp3 320", "mp3 v0", "mp3"};
  int64_t min_bitrate_kbps = 0;
  int64_t duration_tolerance_s = 5;
  /// Empty: downloads::default_naming_pattern.
  std::string naming_pattern;
  /// At most this many searches in any search_window_s (Soulseek bans an
  /// account for 30 minutes after ~35 searches in 220 s).
  int64_t search_budget = 34;
  int64_t search_window_s = 220;
  /// How long the peers may answer one search (sent in milliseconds).
  int64_t search_timeout_s = 15;
  /// The client tried first: "slskd" or "sabnzbd".
  std::string prefer = "slskd";
  /// Try a strictly better file for a track below the first preference.
  bool upgrade = false;
  int64_t upgrade_interval_days = 30;
  /// A transfer gives up on its candidate after this long "Requested"
  /// (the peer never took it), "Queued, Remotely", or in progress with
  /// no new byte.
  int64_t requested_timeout_s = 120;
  int64_t queued_timeout_s = 900;
  int64_t stalled_timeout_s = 120;
  /// Transfers followed at once.
  int64_t max_transfers = 10;
  /// How often searches and transfers are polled.
  int64_t poll_interval_ms = 1000;
};

struct config {
  std::filesystem::path data_dir = "var";
  std::vector<std::filesystem::path> music_dirs;
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8686;
  std::string log_level = "info";
  /// Empty: generated at first start into <data_dir>/api_key (mode 0600).
  std::string api_key;
  /// How often the supervisor checks which tasks are due.
  int64_t scheduler_check_interval_s = 60;
  int http_threads = 1;
  int64_t http_max_body_bytes = 1 << 20;
  int64_t http_idle_timeout_s = 30;
  /// How long the scan may read one file before it gives up on it.
  int64_t scan_max_file_seconds = 30;
  /// The health check reports a folder with less free space as degraded.
  int64_t health_min_free_mb = 512;
  /// metrics.token: a second credential that GET /metrics accepts (as
  /// `Authorization: Bearer TOKEN` or `?token=`) besides the API key, so a
  /// Prometheus server needs no API key; empty = the API key only.
  std::string metrics_token;
  /// Images (enrich_images, the image pool): downloads at once (the
  /// setting library.image_download_concurrency overrides it at run time),
  /// the largest image accepted, redirects followed, time per download.
  int64_t image_download_concurrency = 5;
  int64_t image_max_bytes = 20 << 20;
  int64_t image_max_redirects = 5;
  int64_t image_timeout_s = 60;
  std::map<std::string, provider_config> providers;
  downloads_config downloads;
  /// identify.min_confidence: the confidence an identification needs before
  /// an MBID is written, for artists, albums and tracks alike; unset
  /// ("strict", the default): each task's strict default (artists 0.9,
  /// albums 0.85, tracks: what identify::match_tracks accepts).
  std::optional<double> identify_min_confidence;

  std::filesystem::path db_path() const {
    return data_dir / "discotheque.db";
  }

  /// Parses and validates a JSON document (the file's content).
  static config from_json(const nlohmann::json& doc);
  /// Reads `path`; a missing or unparsable file is a config_error.
  static config from_file(const std::filesystem::path& path);

  /// Sets "HOST:PORT"; throws config_error on a malformed value.
  void set_listen(const std::string& host_port);
};

/// The provider names the configuration accepts.
const std::vector<std::string>& known_providers();

} // namespace discotheque
