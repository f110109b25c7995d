// discotheque: the command line. Subcommands: serve, run, cycle, version.
#include "app/auth.hpp"
#include "app/service.hpp"
#include "config/config.hpp"
#include "support/log.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

using namespace discotheque;

namespace {

/// Flags every subcommand accepts; they override the config file.
struct common_flags {
  std::string config_file = "conf/discotheque.json";
  std::string data_dir;
  std::vector<std::string> music_dirs;
  std::string listen;
  std::string log_level;

  void add_to(CLI::App& app) {
    app.add_option("--config", config_file, "JSON config file")
      ->capture_default_str();
    app.add_option("--data", data_dir,
                   "data folder (database, API key, images)");
    app.add_option("--music", music_dirs, "music folder (repeatable)");
    app.add_option("--listen", listen, "HTTP address HOST:PORT");
    app.add_option("--log-level", log_level,
                   "trace, debug, info, warn, error, critical, off");
  }

  config load() const {
    auto cfg = config::from_file(config_file);
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
  // Before any thread exists, so that every thread inherits the mask.
  block_shutdown_signals();
  CLI::App app{"Discotheque: a headless music-library service"};
  app.require_subcommand(1);
  common_flags flags;
  flags.add_to(app);
  app.fallthrough();
  auto* serve_cmd = app.add_subcommand("serve", "run the service");
  auto* version_cmd = app.add_subcommand("version", "print the version");
  std::vector<std::string> run_names;
  auto* run_cmd = app.add_subcommand(
    "run", "run these tasks once in dependency order, print the results");
  run_cmd->add_option("tasks", run_names, "task names")->required();
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (version_cmd->parsed()) {
    std::cout << "discotheque " << DISCOTHEQUE_VERSION << '\n';
    return 0;
  }
  try {
    auto cfg = flags.load();
    log::init(cfg.log_level);
    cfg.prepare_data_dir();
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
