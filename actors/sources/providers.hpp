// Every cloud provider as data: one descriptor per provider, each exported
// by the provider's own file (spotify.cpp, deezer.cpp, tidal.cpp), and one
// list naming them all. The wiring (spawning the actors), the task registry,
// the reader's provider status, the OAuth command and the id selection
// iterate this list, so that a new provider is one more file plus one line
// in providers.cpp, with no `if (name == ...)` anywhere else.
#pragma once

#include "actors/gateway/provider_gateway.hpp"
#include "actors/sources/source.hpp"
#include "config/config.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace discotheque {

/// Built-in defaults of a provider (SPEC §7 rates, public base URLs); the
/// config file's providers.NAME entries override them.
struct provider_defaults {
  std::string api_base;
  std::string auth_base;
  std::string token_path; ///< appended to auth_base; empty: no OAuth refresh
  double rate_per_second = 1;
};

/// How the one-time authorization (`discotheque auth NAME`) works.
struct oauth_descriptor {
  std::string display;        ///< "Spotify", "TIDAL"
  std::string authorize_path; ///< appended to auth_base ...
  std::string authorize_url;  ///< ... unless the login page has its own host
  std::string scopes;         ///< space-separated
  bool pkce = false;          ///< RFC 7636, S256
  bool needs_secret = false;  ///< a confidential client
};

/// A task a provider serves, with its registry entry. Every provider task
/// today is a sync_source run over `lists`.
struct provider_task {
  std::string name; ///< e.g. sync_deezer_favorites
  std::string phase = "discover";
  std::chrono::seconds interval{30 * 60};
  bool enabled_by_default = true;
  std::chrono::seconds time_limit{2 * 3600};
  /// Its claims make up the library that identify_artists works on.
  bool library = true;
  /// sync_playlists runs after it (it links the tracks it brought in).
  bool feeds_playlists = true;
  /// The lists read in order (list name == claim reason).
  std::vector<std::string> lists{"followed", "saved", "liked"};
  /// Also read the albums (and their tracks) of followed artists.
  bool expand_followed = true;
};

/// The library sync of a cloud account (SPEC §2): followed artists (with
/// their albums), saved albums and liked tracks, every 30 min, feeding
/// sync_playlists and the identify phase.
provider_task account_sync_task(std::string name);

/// What a provider is to the library.
enum class provider_kind {
  /// A user's account: its lists make up the library (provider id columns,
  /// claims, sync tasks, a credential).
  account,
  /// A public catalogue the identify tasks ask (MusicBrainz): no account, no
  /// id column of its own, no claims.
  metadata,
  /// A download client the download worker drives (slskd): no sync tasks,
  /// no claims, no id column.
  download_client,
};

/// A credential the settings API takes for a provider, as the key
/// providers.NAME.FIELD (write-only: the API shows it as set or unset).
struct credential_key {
  /// client_id, client_secret, refresh_token, access_token or api_key
  /// (the config file's names).
  std::string field;
  std::string description;
};

struct provider_descriptor {
  /// The provider's name in config keys, ids (provider_ref), task results.
  std::string name;
  provider_kind kind = provider_kind::account;
  provider_defaults defaults;
  /// Whether it is used when the config file does not say (accounts need
  /// their credentials configured; a public catalogue does not).
  bool enabled_by_default = false;
  /// Where the credential goes on each call. `auth_param` names the query
  /// parameter (query_token) or header (header_key) for key-style auth.
  auth_mode auth = auth_mode::none;
  std::string auth_param;
  /// Answers the gateway must judge beyond the HTTP status (e.g. errors
  /// inside HTTP 200).
  reply_class (*classify)(const http_reply&) = classify_http;
  /// The wire format of its source actor; null: no source actor yet.
  const source_wire* wire = nullptr;
  /// Present for providers with a browser authorization and refreshable
  /// tokens (needs defaults.token_path).
  std::optional<oauth_descriptor> oauth;
  /// Why a static token must come from the config (told by `auth`).
  std::string token_note;
  std::vector<provider_task> tasks;
  /// The user's playlists are read by sync_playlists.
  bool playlists = false;

  /// Calls need a credential (an OAuth token or a static token / key).
  bool needs_auth() const {
    return auth != auth_mode::none;
  }
  /// Its tokens are refreshed through an OAuth token endpoint.
  bool refreshable() const {
    return !defaults.token_path.empty();
  }
  /// Enabled by its providers.NAME.enabled, else by default.
  bool enabled_in(const provider_config& pc) const {
    return pc.enabled || (!pc.enabled_set && enabled_by_default);
  }
  /// Its providers.NAME entry of the config (all defaults when absent).
  provider_config config_in(const config& cfg) const {
    auto it = cfg.providers.find(name);
    return it != cfg.providers.end() ? it->second : provider_config{};
  }
  /// The base URL in use: the config's, else the default; no trailing /.
  std::string api_base_in(const provider_config& pc) const;
  /// The credentials it takes (derived from `auth` and `oauth`): an OAuth
  /// provider its client id (and secret for a confidential client) and a
  /// refresh token, a static-token provider its token or key; none for a
  /// provider without auth.
  std::vector<credential_key> credentials() const;
  /// The settings API may switch it on and off (providers.NAME.enabled): the
  /// providers a user configures (accounts, download clients), not the
  /// public catalogues.
  bool user_enabled() const {
    return kind != provider_kind::metadata;
  }
};

/// `pc` (its providers.NAME entry of the config) with what the settings API
/// stored for the provider in its place: `stored` maps FIELD of the settings
/// rows providers.NAME.FIELD to their JSON text (enabled, client_id,
/// client_secret, access_token, api_key; persisted values win over the
/// config file's). A refresh token is stored with the provider's tokens, not
/// here.
provider_config
with_persisted(provider_config pc,
               const std::map<std::string, std::string>& stored);

/// Every provider, in a fixed order (it is the order of their tasks in the
/// registry and of sync_playlists' walk).
const std::vector<provider_descriptor>& providers();

/// The descriptor named `name`, or null.
const provider_descriptor* find_provider(std::string_view name);

/// The names of the account providers of the list, in its order (the dedup
/// store's provider id slots, the library's sources).
std::vector<std::string> provider_names();

/// A base URL without its trailing slashes (config values may carry them).
std::string trim_slash(std::string s);

/// The descriptors each provider file exports.
const provider_descriptor& spotify_provider();
const provider_descriptor& deezer_provider();
const provider_descriptor& tidal_provider();
const provider_descriptor& musicbrainz_provider();
const provider_descriptor& coverartarchive_provider();
const provider_descriptor& slskd_provider();

} // namespace discotheque
