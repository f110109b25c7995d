// discotheque: the command line. Subcommands: serve, run, cycle, auth,
// console, version.
#include "app/auth.hpp"
#include "app/console.hpp"
#include "app/data_dir.hpp"
#include "app/service.hpp"
#include "config/config.hpp"
#include "support/log.hpp"

#include <CLI/CLI.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <optional>

using namespace discotheque;

namespace {

/// The config file when --config is not given: conf/discotheque.json in the
/// working directory, else in the checkout the binary was built in
/// (build/<type>/discotheque), else /etc/discotheque/discotheque.json; none
/// of them: the built-in defaults.
std::optional<std::filesystem::path> default_config_file() {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates{"conf/discotheque.json"};
  std::error_code err;
  auto exe = fs::read_symlink("/proc/self/exe", err);
  if (!err)
    candidates.push_back(exe.parent_path().parent_path().parent_path() / "conf"
                         / "discotheque.json");
  candidates.emplace_back("/etc/discotheque/discotheque.json");
  for (const auto& c : candidates)
    if (fs::is_regular_file(c, err))
      return c;
  return std::nullopt;
}

/// Flags every subcommand accepts; they override the config file.
struct common_flags {
  std::string config_file;
  std::string data_dir;
  std::vector<std::string> music_dirs;
  std::string listen;
  std::string log_level;

  void add_to(CLI::App& app) {
    app.add_option("--config", config_file,
                   "JSON config file (default: conf/discotheque.json here or "
                   "in the checkout, else /etc/discotheque/discotheque.json)");
    app.add_option("--data", data_dir,
                   "data folder (database, API key, images)");
    app.add_option("--music", music_dirs, "music folder (repeatable)");
    app.add_option("--listen", listen, "HTTP address HOST:PORT");
    app.add_option("--log-level", log_level,
                   "trace, debug, info, warn, error, critical, off");
  }

  /// The config file that was read, or "" for the built-in defaults.
  mutable std::string used_file;

  config load() const {
    std::optional<std::filesystem::path> file;
    if (!config_file.empty())
      file = config_file;
    else
      file = default_config_file();
    used_file = file ? file->string() : "";
    auto cfg = file ? config::from_file(*file)
                    : config::from_json(nlohmann::json::object());
    if (!data_dir.empty())
      cfg.data_dir = data_dir;
    if (!music_dirs.empty())
      cfg.music_dirs.assign(music_dirs.begin(), music_dirs.end());
    if (!listen.empty())
      cfg.set_listen(listen);
    if (!log_level.empty()) {
      if (!log::valid_level(log_level))
        throw config_error("unknown log level '" + log_level + "'");
      cfg.log_level = log_level;
    }
    return cfg;
  }
};

} // namespace

int main(int argc, char** argv) {
  // Everything Discotheque creates is private (the database and its WAL hold
  // provider tokens); set before any file is opened.
  ::umask(077);
  // Many keep-alive clients and SQLite's files: take what the system allows.
  struct rlimit files {};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0
      && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
  // Before any thread exists, so that every thread inherits the mask.
  block_shutdown_signals();
  CLI::App app{"Discotheque: a headless music-library service"};
  app.require_subcommand(1);
  app.set_version_flag("--version,-V",
                       std::string{"discotheque "} + DISCOTHEQUE_VERSION);
  common_flags flags;
  flags.add_to(app);
  app.fallthrough();
  auto* serve_cmd = app.add_subcommand("serve", "run the service");
  auto* version_cmd = app.add_subcommand("version", "print the version");
  std::vector<std::string> run_names;
  auto* run_cmd = app.add_subcommand(
    "run", "run these tasks once in dependency order, print the results");
  std::string names_list;
  for (const auto& n : task_names())
    names_list += "\n  " + n;
  run_cmd->add_option("tasks", run_names, "task names")->required();
  run_cmd->footer("Tasks:" + names_list);
  auto* cycle_cmd = app.add_subcommand(
    "cycle", "run one full cycle (due tasks only), print the results");
  // `auth PROVIDER`: one-time OAuth authorization (app/auth.cpp)
  auth_options auth_opts;
  auto* auth_cmd = app.add_subcommand(
    "auth", "authorize a provider (prints a URL, waits for the browser)");
  auth_cmd->add_option("provider", auth_opts.provider, "spotify or tidal")
    ->required();
  auth_cmd
    ->add_option("--port", auth_opts.port,
                 "callback port on 127.0.0.1 (redirect URI "
                 "http://127.0.0.1:PORT/callback)")
    ->capture_default_str();
  auth_cmd
    ->add_option("--timeout", auth_opts.timeout_s,
                 "seconds to wait for the browser")
    ->capture_default_str();
  // `console`: the actor inspection console (app/console.cpp)
  console_options console_opts;
  auto* console_cmd = app.add_subcommand(
    "console", "the actor inspection console of a running service");
  console_cmd->add_option("--connect", console_opts.connect,
                          "HOST:PORT of the service (default: the config's "
                          "listen address)");
  console_cmd->add_option("--api-key", console_opts.api_key,
                          "API key (default: $DISCOTHEQUE_API_KEY, else the "
                          "data folder's api_key file)");
  console_cmd->add_option("--once", console_opts.once,
                          "run this one command and exit (plain output)");
  console_cmd
    ->add_option("--tail-limit", console_opts.tail_limit,
                 "tail ends after this many events")
    ->capture_default_str();
  console_cmd->add_option("--tail-seconds", console_opts.tail_seconds,
                          "tail ends after this many seconds (0: no limit)");
  // Every subcommand's --help lists the shared flags too.
  for (auto* sub : {serve_cmd, run_cmd, cycle_cmd, auth_cmd, console_cmd})
    flags.add_to(*sub);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and --version exit 0; every usage error exits 2, as documented.
    auto rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (version_cmd->parsed()) {
    std::cout << "discotheque " << DISCOTHEQUE_VERSION << '\n';
    return 0;
  }
  if (run_cmd->parsed())
    for (const auto& n : run_names)
      if (!is_task_name(n)) {
        std::cerr << "discotheque: no task named '" << n
                  << "'; tasks:" << names_list << '\n';
        return 2;
      }
  if (console_cmd->parsed()) {
    // A client of the running service: it neither takes the data folder's
    // lock nor logs; it only reads the config (address, api_key file).
    try {
      return run_console(flags.load(), console_opts);
    } catch (const config_error& e) {
      std::cerr << "discotheque: " << e.what() << '\n';
      return 2;
    }
  }
  try {
    auto cfg = flags.load();
    log::init(cfg.log_level);
    auto log = log::get("service");
    auto fixed = prepare_data_dir(cfg.data_dir);
    data_dir_lock lock{cfg.data_dir};
    log->info("config {}; data folder {}",
              flags.used_file.empty() ? std::string{"built-in defaults"}
                                      : flags.used_file,
              std::filesystem::absolute(cfg.data_dir).string());
    for (const auto& p : fixed)
      log->warn("made {} private (it was readable by others)", p.string());
    if (serve_cmd->parsed())
      return serve(cfg);
    if (run_cmd->parsed())
      return run_tasks(cfg, run_names);
    if (cycle_cmd->parsed())
      return run_cycle(cfg);
    if (auth_cmd->parsed())
      return run_auth(cfg, auth_opts);
  } catch (const config_error& e) {
    std::cerr << "discotheque: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
