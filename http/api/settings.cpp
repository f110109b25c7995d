#include "http/api/settings.hpp"

#include "actors/inspect.hpp"
#include "actors/sources/providers.hpp"
#include "library/metadata_profile.hpp"
#include "messages/error.hpp"
#include "storage/writes/settings.hpp"
#include "storage/writes/user.hpp"
#include "support/time.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

namespace discotheque::http {

using nlohmann::json;

namespace {

constexpr int64_t max_interval_s = 30 * 86400;

/// One setting: what it is, what it may be, what it is without a value.
struct setting_def {
  std::string key;
  std::string type; ///< boolean, integer, choice, secret (write-only)
  json default_value;
  std::string description;
  std::string warning;
  int64_t min = 0;
  int64_t max = 0;
  std::vector<std::string> choices;
};

setting_def boolean(std::string key, bool def, std::string description,
                    std::string warning = {}) {
  setting_def d;
  d.key = std::move(key);
  d.type = "boolean";
  d.default_value = def;
  d.description = std::move(description);
  d.warning = std::move(warning);
  return d;
}

setting_def integer(std::string key, int64_t def, std::string description,
                    int64_t min, int64_t max) {
  setting_def d;
  d.key = std::move(key);
  d.type = "integer";
  d.default_value = def;
  d.description = std::move(description);
  d.min = min;
  d.max = max;
  return d;
}

setting_def choice(std::string key, std::string def, std::string description,
                   std::vector<std::string> choices) {
  setting_def d;
  d.key = std::move(key);
  d.type = "choice";
  d.default_value = std::move(def);
  d.description = std::move(description);
  d.choices = std::move(choices);
  return d;
}

/// A metadata profile: {"primary_types": [...], "secondary_types": [...]}.
setting_def profile(std::string key, std::string description) {
  setting_def d;
  d.key = std::move(key);
  d.type = "profile";
  d.default_value = library::to_json(library::default_profile());
  d.description = std::move(description);
  return d;
}

/// The library's own keys (the settings table; the tasks read them when
/// they start a run).
const std::vector<setting_def>& library_settings() {
  static const std::vector<setting_def> defs = {
    boolean("library.auto_queue_downloads", false,
            "Automatically download liked tracks: when enabled, tracks you "
            "like on your streaming accounts are queued for download at "
            "once.",
            "This can use significant bandwidth and storage!"),
    integer("library.image_download_concurrency", 5,
            "How many images are downloaded at once.", 1, 64),
    profile("library.metadata_profile",
            "Which release groups count for an artist's discography (the "
            "albums expand_discography adds): their primary types and the "
            "secondary types allowed. An artist's own profile overrides it "
            "(PUT /api/library/artists/{id})."),
    integer("library.new_release_days", 30,
            "sync_new_releases: how many days back a release counts as new "
            "before its first run (later: since its last run).",
            1, 3650),
  };
  return defs;
}

/// A provider credential: a string that is never shown (set or unset).
setting_def secret(std::string key, std::string description) {
  setting_def d;
  d.key = std::move(key);
  d.type = "secret";
  d.default_value = "unset";
  d.description = std::move(description);
  return d;
}

/// providers.NAME.enabled and providers.NAME.FIELD for every provider a user
/// configures, with the current values ("set"/"unset" for a credential).
void add_provider_settings(std::vector<std::pair<setting_def, json>>& out,
                           const settings_snapshot& db) {
  for (const auto& p : providers()) {
    auto prefix = "providers." + p.name + ".";
    if (p.user_enabled()) {
      auto d = boolean(prefix + "enabled", p.enabled_by_default,
                       "Whether " + p.name
                         + " is used (its actors are spawned again at once "
                           "when this or one of its credentials changes).");
      auto value = json(false);
      if (auto i = db.values.find(d.key); i != db.values.end())
        value = json::parse(i->second, nullptr, false);
      out.emplace_back(d, value.is_boolean() ? value : json(false));
    }
    for (const auto& c : p.credentials()) {
      auto key = prefix + c.field;
      auto set = std::find(db.credentials_set.begin(), db.credentials_set.end(),
                           key)
                 != db.credentials_set.end();
      out.emplace_back(secret(key, c.description
                                     + " Write-only: shown as "
                                       "set or unset; an empty "
                                       "string removes it."),
                       json(set ? "set" : "unset"));
    }
  }
}

const std::vector<std::string> sync_modes = {"reference_only",
                                             "auto_own_tracks", "disabled"};

json def_json(const setting_def& d, const json& value) {
  json j{{"key", d.key},
         {"value", value},
         {"default", d.default_value},
         {"type", d.type},
         {"description", d.description}};
  if (!d.warning.empty())
    j["warning"] = d.warning;
  if (d.type == "integer") {
    j["min"] = d.min;
    j["max"] = d.max;
  }
  if (d.type == "choice")
    j["choices"] = d.choices;
  if (d.type == "secret")
    j["write_only"] = true;
  if (d.type == "profile") {
    j["primary_types"] = library::primary_types();
    j["secondary_types"] = library::secondary_types();
  }
  return j;
}

/// Why `v` is no value of `d` (empty: it is one).
std::string check(const setting_def& d, const json& v) {
  if (d.type == "boolean")
    return v.is_boolean() ? "" : "must be true or false";
  if (d.type == "profile")
    return library::parse_profile(v).error;
  if (d.type == "integer") {
    if (!v.is_number_integer() || v.get<int64_t>() < d.min
        || v.get<int64_t>() > d.max)
      return "must be an integer from " + std::to_string(d.min) + " to "
             + std::to_string(d.max);
    return "";
  }
  if (d.type == "secret")
    return v.is_string() ? "" : "must be a string (\"\" removes it)";
  if (v.is_string())
    for (const auto& c : d.choices)
      if (v.get<std::string>() == c)
        return "";
  std::string list;
  for (const auto& c : d.choices)
    list += (list.empty() ? "" : ", ") + c;
  return "must be one of " + list;
}

/// Every setting that exists now, with its current value.
std::vector<std::pair<setting_def, json>>
all_settings(const supervisor_status& tasks, const settings_snapshot& db) {
  std::vector<std::pair<setting_def, json>> out;
  for (const auto& d : library_settings()) {
    auto value = d.default_value;
    if (auto i = db.values.find(d.key); i != db.values.end()) {
      auto v = json::parse(i->second, nullptr, false);
      if (!v.is_discarded() && check(d, v).empty())
        value = v;
    }
    out.emplace_back(d, value);
  }
  for (const auto& t : tasks.tasks) {
    out.emplace_back(boolean("tasks." + t.name + ".enabled", t.default_enabled,
                             "Whether " + t.name + " runs on schedule."),
                     t.enabled);
    out.emplace_back(
      integer("tasks." + t.name + ".interval_seconds", t.default_interval_s,
              "How often " + t.name + " runs, in seconds.", 1, max_interval_s),
      t.interval_s);
  }
  for (const auto& p : db.playlists)
    out.emplace_back(
      choice("playlists." + std::to_string(p.id) + ".sync_mode",
             "reference_only",
             "How the playlist '" + p.name + "' (" + p.provider
               + ") is synced: reference_only keeps its tracks as references, "
                 "auto_own_tracks owns them, disabled skips it.",
             sync_modes),
      p.sync_mode);
  add_provider_settings(out, db);
  return out;
}

/// "tasks.<name>.<field>" -> name, field.
std::pair<std::string, std::string> task_key(const std::string& key) {
  auto rest = key.substr(6);
  auto dot = rest.rfind('.');
  return {rest.substr(0, dot), rest.substr(dot + 1)};
}

} // namespace

json settings_json(const supervisor_status& tasks,
                   const settings_snapshot& db) {
  auto list = json::array();
  for (const auto& [d, value] : all_settings(tasks, db))
    list.push_back(def_json(d, value));
  return json{{"settings", std::move(list)}};
}

caf::expected<settings_change>
parse_settings_change(const std::string& body, const supervisor_status& tasks,
                      const settings_snapshot& db, int64_t now_ms) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded())
    return make_error(ec::invalid_config,
                      "the body is not valid JSON (expected an object such as "
                      "{\"library.auto_queue_downloads\": true})");
  if (!j.is_object())
    return make_error(ec::invalid_config, "settings must be a JSON object");
  std::map<std::string, setting_def> known;
  for (auto& [d, value] : all_settings(tasks, db))
    known.emplace(d.key, d);
  std::string problems;
  auto problem = [&](const std::string& text) {
    problems += (problems.empty() ? "" : "; ") + text;
  };
  settings_change change;
  std::map<std::string, task_settings_patch> patches;
  for (const auto& [key, v] : j.items()) {
    auto i = known.find(key);
    if (i == known.end()) {
      problem("unknown setting '" + key + "'");
      continue;
    }
    if (auto why = check(i->second, v); !why.empty()) {
      problem("'" + key + "' " + why);
      continue;
    }
    if (key.rfind("tasks.", 0) == 0) {
      auto [task, field] = task_key(key);
      auto& p = patches[task];
      if (field == "enabled") {
        p.set_enabled = true;
        p.enabled = v.get<bool>();
      } else {
        p.set_interval = true;
        p.interval_s = v.get<int64_t>();
      }
    } else if (key.rfind("providers.", 0) == 0) {
      // providers.NAME.FIELD: NAME has no dot (the descriptors' names)
      auto rest = key.substr(10);
      auto dot = rest.find('.');
      auto provider = rest.substr(0, dot);
      auto field = rest.substr(dot + 1);
      auto& stmts = change.other.statements;
      if (field == "enabled")
        stmts.push_back(storage::upsert_setting(key, v.dump()));
      else if (field == "refresh_token")
        stmts.push_back(
          storage::replace_refresh_token(provider, v.get<std::string>()));
      else if (v.get<std::string>().empty())
        stmts.push_back(storage::delete_setting(key));
      else
        stmts.push_back(storage::upsert_setting(key, v.dump()));
      if (std::find(change.providers.begin(), change.providers.end(), provider)
          == change.providers.end())
        change.providers.push_back(provider);
    } else if (key.rfind("playlists.", 0) == 0) {
      auto id = std::stoll(key.substr(10, key.size() - 10 - 10));
      for (auto& s : storage::writes::set_playlist_sync_mode(
                       id, v.get<std::string>(), now_ms)
                       .statements)
        change.other.statements.push_back(std::move(s));
    } else if (i->second.type == "profile") {
      // stored in its canonical spelling ("ep" -> "EP")
      change.other.statements.push_back(storage::upsert_setting(
        key, library::to_json(*library::parse_profile(v).profile).dump()));
    } else {
      change.other.statements.push_back(storage::upsert_setting(key, v.dump()));
    }
  }
  if (!problems.empty())
    return make_error(ec::invalid_config, problems + " (nothing was changed)");
  for (auto& [task, patch] : patches)
    change.tasks.push_back(task_settings_entry{task, patch});
  return change;
}

namespace {

/// Asks the supervisor and the reader what the settings are now, then
/// calls `then` with both (or answers the error).
void with_settings(
  const api_call& call,
  std::function<void(const supervisor_status&, const settings_snapshot&)>
    then) {
  auto self = call.self;
  auto reply = call.ex.reply;
  auto reader = call.ctx.reader;
  auto timeout = call.ctx.timeout;
  self->request(call.ctx.supervisor, timeout, atom::status_v)
    .then(
      [self, reply, reader, timeout, then](const supervisor_status& tasks) {
        self->request(reader, timeout, atom::settings_v)
          .then(
            [reply, tasks, then](const settings_snapshot& db) {
              if (!db.error.empty())
                return reply(
                  json_error(503, "database_unavailable",
                             "the settings cannot be read: " + db.error));
              then(tasks, db);
            },
            [reply](const caf::error& err) { reply(error_to_response(err)); });
      },
      [reply](const caf::error& err) { reply(error_to_response(err)); });
}

/// Asks the node to respawn providers[i..] one after the other (their new
/// credentials or enablement), then calls `done`. Without a node (a service
/// without supervision) nothing is respawned. A respawn that fails is
/// logged by the node; the change itself is committed either way.
void respawn_providers(api_self self, std::optional<node_actor> node,
                       std::shared_ptr<std::vector<std::string>> names,
                       size_t i, std::chrono::milliseconds timeout,
                       std::function<void()> done) {
  if (!node || i >= names->size())
    return done();
  self->request(*node, timeout, atom::respawn_v, (*names)[i])
    .then(
      [=](bool) { respawn_providers(self, node, names, i + 1, timeout, done); },
      [=](const caf::error&) {
        respawn_providers(self, node, names, i + 1, timeout, done);
      });
}

} // namespace

void get_settings(const api_call& call) {
  auto reply = call.ex.reply;
  with_settings(call, [reply](const supervisor_status& t,
                              const settings_snapshot& db) {
    reply(json_ok(settings_json(t, db)));
  });
}

void put_settings(const api_call& call) {
  auto self = call.self;
  auto reply = call.ex.reply;
  auto body = call.ex.request.body;
  auto supervisor = call.ctx.supervisor;
  auto reader = call.ctx.reader;
  auto timeout = call.ctx.timeout;
  auto directory = call.ctx.directory;
  with_settings(call, [=](const supervisor_status& tasks,
                          const settings_snapshot& db) {
    auto change = parse_settings_change(body, tasks, db, now_ms());
    if (!change)
      return reply(error_to_response(change.error()));
    auto respawn = std::make_shared<std::vector<std::string>>(
      std::move(change->providers));
    self->request(supervisor, timeout, atom::put_atom_v, std::move(*change))
      .then(
        [=](const supervisor_status& after) {
          auto answer = [=] {
            self->request(reader, timeout, atom::settings_v)
              .then(
                [reply, after](const settings_snapshot& now) {
                  reply(json_ok(settings_json(after, now)));
                },
                [reply](const caf::error& err) {
                  reply(error_to_response(err));
                });
          };
          // Answered once the providers run with what was committed, so a
          // task started right after the answer gets the new actors.
          std::optional<node_actor> node;
          if (directory)
            if (auto e = directory->find("node"))
              node = caf::actor_cast<node_actor>(e->handle);
          respawn_providers(self, node, respawn, 0,
                            std::chrono::milliseconds{30000}, answer);
        },
        [reply](const caf::error& err) { reply(error_to_response(err)); });
  });
}

} // namespace discotheque::http
