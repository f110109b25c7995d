#include "config/config.hpp"

#include "downloads/candidate.hpp"
#include "support/log.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

namespace discotheque {

using nlohmann::json;

const std::vector<std::string>& known_providers() {
  static const std::vector<std::string> names
    = {"spotify", "deezer", "tidal", "musicbrainz", "coverartarchive", "slskd"};
  return names;
}

namespace {

const char* type_name(json::value_t t) {
  switch (t) {
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a number";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "null";
  }
}

[[noreturn]] void wrong_type(const std::string& key, const json& v,
                             const char* expected) {
  throw config_error("config key '" + key + "' must be " + expected + ", not "
                     + type_name(v.type()));
}

std::string get_string(const json& v, const std::string& key) {
  if (!v.is_string())
    wrong_type(key, v, "a string");
  return v.get<std::string>();
}

int64_t get_int(const json& v, const std::string& key, int64_t min,
                int64_t max) {
  if (!v.is_number_integer())
    wrong_type(key, v, "an integer");
  auto x = v.get<int64_t>();
  if (x < min || x > max)
    throw config_error("config key '" + key + "' must be between "
                       + std::to_string(min) + " and " + std::to_string(max)
                       + ", not " + std::to_string(x));
  return x;
}

bool get_bool(const json& v, const std::string& key) {
  if (!v.is_boolean())
    wrong_type(key, v, "a boolean");
  return v.get<bool>();
}

double get_number(const json& v, const std::string& key) {
  if (!v.is_number())
    wrong_type(key, v, "a number");
  auto x = v.get<double>();
  if (x < 0)
    throw config_error("config key '" + key + "' must not be negative");
  return x;
}

void require_object(const json& v, const std::string& key) {
  if (!v.is_object())
    wrong_type(key, v, "an object");
}

[[noreturn]] void unknown_key(const std::string& key) {
  throw config_error("unknown config key '" + key + "'");
}

provider_config parse_provider(const json& obj, const std::string& prefix) {
  provider_config p;
  require_object(obj, prefix);
  for (const auto& [k, v] : obj.items()) {
    auto key = prefix + "." + k;
    if (k == "enabled") {
      p.enabled = get_bool(v, key);
      p.enabled_set = true;
    } else if (k == "contact")
      p.contact = get_string(v, key);
    else if (k == "cache_ttl_lookup_days")
      p.cache_ttl_lookup_days = get_int(v, key, 1, 3650);
    else if (k == "cache_ttl_search_days")
      p.cache_ttl_search_days = get_int(v, key, 1, 3650);
    else if (k == "cache_ttl_browse_days")
      p.cache_ttl_browse_days = get_int(v, key, 1, 3650);
    else if (k == "thumbnail") {
      p.thumbnail = get_int(v, key, 0, 1200);
      if (p.thumbnail != 0 && p.thumbnail != 250 && p.thumbnail != 500
          && p.thumbnail != 1200)
        throw config_error("config key '" + key
                           + "' must be 250, 500, 1200 or 0 (the original)");
      p.thumbnail_set = true;
    } else if (k == "api_base")
      p.api_base = get_string(v, key);
    else if (k == "auth_base")
      p.auth_base = get_string(v, key);
    else if (k == "authorize_url")
      p.authorize_url = get_string(v, key);
    else if (k == "client_id")
      p.client_id = get_string(v, key);
    else if (k == "client_secret")
      p.client_secret = get_string(v, key);
    else if (k == "refresh_token")
      p.refresh_token = get_string(v, key);
    else if (k == "access_token" || k == "api_key")
      // api_key: a download client's static key (providers.slskd.api_key),
      // sent the way its descriptor says (X-API-Key).
      p.access_token = get_string(v, key);
    else if (k == "rate_per_second")
      p.rate_per_second = get_number(v, key);
    else if (k == "timeout_s")
      p.timeout_s = get_int(v, key, 1, 600);
    else if (k == "breaker_failures")
      p.breaker_failures = get_int(v, key, 1, 1000);
    else if (k == "breaker_open_s")
      p.breaker_open_s = get_int(v, key, 1, 86400);
    else if (k == "downloads_dir")
      p.downloads_dir = get_string(v, key);
    else if (k == "category")
      p.category = get_string(v, key);
    else
      unknown_key(key);
  }
  return p;
}

void parse_downloads(const json& obj, const std::string& prefix,
                     downloads_config& d) {
  require_object(obj, prefix);
  for (const auto& [k, v] : obj.items()) {
    auto key = prefix + "." + k;
    if (k == "formats") {
      if (!v.is_array() || v.empty())
        wrong_type(key, v, "a non-empty array of strings");
      d.formats.clear();
      for (size_t i = 0; i < v.size(); ++i) {
        auto f = get_string(v[i], key + "[" + std::to_string(i) + "]");
        if (!downloads::parse_format(f))
          throw config_error("config key '" + key + "' has '" + f
                             + "', which is no format (e.g. \"flac 24/96\","
                               " \"flac\", \"mp3 320\", \"mp3 v0\")");
        d.formats.push_back(f);
      }
    } else if (k == "min_bitrate_kbps")
      d.min_bitrate_kbps = get_int(v, key, 0, 10000);
    else if (k == "duration_tolerance_s")
      d.duration_tolerance_s = get_int(v, key, 0, 600);
    else if (k == "naming_pattern") {
      d.naming_pattern = get_string(v, key);
      if (d.naming_pattern.find("{title}") == std::string::npos)
        throw config_error("config key '" + key
                           + "' must contain {title} (two tracks would get"
                             " one name)");
    } else if (k == "search_budget")
      d.search_budget = get_int(v, key, 1, 100000);
    else if (k == "search_window_s")
      d.search_window_s = get_int(v, key, 1, 86400);
    else if (k == "search_timeout_s")
      d.search_timeout_s = get_int(v, key, 1, 300);
    else if (k == "prefer") {
      d.prefer = get_string(v, key);
      if (d.prefer != "slskd" && d.prefer != "sabnzbd")
        throw config_error("config key '" + key
                           + "' must be \"slskd\" or \"sabnzbd\"");
    } else if (k == "upgrade")
      d.upgrade = get_bool(v, key);
    else if (k == "upgrade_interval_days")
      d.upgrade_interval_days = get_int(v, key, 1, 3650);
    else if (k == "requested_timeout_s")
      d.requested_timeout_s = get_int(v, key, 1, 86400);
    else if (k == "queued_timeout_s")
      d.queued_timeout_s = get_int(v, key, 1, 7 * 86400);
    else if (k == "stalled_timeout_s")
      d.stalled_timeout_s = get_int(v, key, 1, 86400);
    else if (k == "max_transfers")
      d.max_transfers = get_int(v, key, 1, 1000);
    else if (k == "poll_interval_ms")
      d.poll_interval_ms = get_int(v, key, 50, 60000);
    else
      unknown_key(key);
  }
}

} // namespace

config config::from_json(const json& doc) {
  config c;
  if (!doc.is_object())
    throw config_error("the configuration must be a JSON object");
  for (const auto& [k, v] : doc.items()) {
    if (k == "data_dir") {
      c.data_dir = get_string(v, k);
    } else if (k == "music_dirs") {
      if (!v.is_array())
        wrong_type(k, v, "an array of strings");
      for (size_t i = 0; i < v.size(); ++i)
        c.music_dirs.emplace_back(
          get_string(v[i], k + "[" + std::to_string(i) + "]"));
    } else if (k == "listen") {
      c.set_listen(get_string(v, k));
    } else if (k == "log_level") {
      c.log_level = get_string(v, k);
      if (!log::valid_level(c.log_level))
        throw config_error(
          "config key 'log_level' has unknown level '" + c.log_level
          + "' (trace, debug, info, warn, error, critical, off)");
    } else if (k == "api_key") {
      c.api_key = get_string(v, k);
      // A short key is guessed quickly; empty means "generate one".
      if (!c.api_key.empty() && c.api_key.size() < 16)
        throw config_error("config key 'api_key' must be at least 16 "
                           "characters (or empty to generate one)");
    } else if (k == "scheduler") {
      require_object(v, k);
      for (const auto& [sk, sv] : v.items()) {
        if (sk == "check_interval_s")
          c.scheduler_check_interval_s = get_int(sv, k + "." + sk, 1, 86400);
        else
          unknown_key(k + "." + sk);
      }
    } else if (k == "http") {
      require_object(v, k);
      for (const auto& [sk, sv] : v.items()) {
        auto key = k + "." + sk;
        if (sk == "threads")
          c.http_threads = static_cast<int>(get_int(sv, key, 1, 64));
        else if (sk == "max_body_bytes")
          c.http_max_body_bytes = get_int(sv, key, 1, int64_t{1} << 30);
        else if (sk == "idle_timeout_s")
          c.http_idle_timeout_s = get_int(sv, key, 1, 3600);
        else
          unknown_key(key);
      }
    } else if (k == "scan") {
      require_object(v, k);
      for (const auto& [sk, sv] : v.items()) {
        if (sk == "max_file_seconds")
          c.scan_max_file_seconds = get_int(sv, k + "." + sk, 1, 86400);
        else
          unknown_key(k + "." + sk);
      }
    } else if (k == "health") {
      require_object(v, k);
      for (const auto& [sk, sv] : v.items()) {
        if (sk == "min_free_mb")
          c.health_min_free_mb = get_int(sv, k + "." + sk, 1, int64_t{1} << 30);
        else
          unknown_key(k + "." + sk);
      }
    } else if (k == "metrics") {
      require_object(v, k);
      for (const auto& [sk, sv] : v.items()) {
        if (sk == "token")
          c.metrics_token = get_string(sv, k + "." + sk);
        else
          unknown_key(k + "." + sk);
      }
    } else if (k == "identify") {
      require_object(v, k);
      for (const auto& [sk, sv] : v.items()) {
        auto key = k + "." + sk;
        if (sk != "min_confidence") {
          unknown_key(key);
        } else if (sv.is_string() && sv.get<std::string>() == "strict") {
          c.identify_min_confidence.reset();
        } else {
          auto x = get_number(sv, key);
          if (x < 0.5 || x > 1)
            throw config_error("config key '" + key
                               + "' must be \"strict\" or a number from 0.5"
                                 " to 1");
          c.identify_min_confidence = x;
        }
      }
    } else if (k == "library") {
      require_object(v, k);
      for (const auto& [sk, sv] : v.items()) {
        auto key = k + "." + sk;
        if (sk == "image_download_concurrency")
          c.image_download_concurrency = get_int(sv, key, 1, 64);
        else if (sk == "image_max_bytes")
          c.image_max_bytes = get_int(sv, key, 1024, int64_t{1} << 30);
        else if (sk == "image_max_redirects")
          c.image_max_redirects = get_int(sv, key, 0, 20);
        else if (sk == "image_timeout_s")
          c.image_timeout_s = get_int(sv, key, 1, 3600);
        else
          unknown_key(key);
      }
    } else if (k == "downloads") {
      parse_downloads(v, k, c.downloads);
    } else if (k == "providers") {
      require_object(v, k);
      for (const auto& [name, pv] : v.items()) {
        auto known = std::find(known_providers().begin(),
                               known_providers().end(), name);
        if (known == known_providers().end())
          unknown_key(k + "." + name);
        c.providers[name] = parse_provider(pv, k + "." + name);
      }
    } else {
      unknown_key(k);
    }
  }
  return c;
}

config config::from_file(const std::filesystem::path& path) {
  std::ifstream in{path};
  if (!in)
    throw config_error("cannot read config file " + path.string());
  try {
    return from_json(json::parse(in));
  } catch (const json::parse_error& e) {
    throw config_error("config file " + path.string()
                       + " is not valid JSON: " + e.what());
  }
}

void config::set_listen(const std::string& host_port) {
  auto colon = host_port.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == host_port.size())
    throw config_error("listen address '" + host_port
                       + "' must look like HOST:PORT");
  auto port_str = host_port.substr(colon + 1);
  int port = 0;
  try {
    size_t used = 0;
    port = std::stoi(port_str, &used);
    if (used != port_str.size())
      throw std::invalid_argument("trailing characters");
  } catch (const std::exception&) {
    throw config_error("listen port '" + port_str + "' is not a number");
  }
  if (port < 0 || port > 65535)
    throw config_error("listen port " + port_str + " is out of range");
  listen_host = host_port.substr(0, colon);
  if (listen_host.size() > 2 && listen_host.front() == '['
      && listen_host.back() == ']')
    listen_host = listen_host.substr(1, listen_host.size() - 2);
  listen_port = static_cast<uint16_t>(port);
}

} // namespace discotheque
