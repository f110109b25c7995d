#include "app/console.hpp"

#include "app/console_tail.hpp"
#include "http/client/client.hpp"

#include <nlohmann/json.hpp>
#include <readline/history.h>
#include <readline/readline.h>

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

namespace discotheque {

namespace {

using nlohmann::json;

/// What a command's failure means for the exit code.
constexpr int ok = 0;
constexpr int failed = 1;
constexpr int auth_failed = 3;
constexpr int unreachable = 4;

struct console {
  console_options opts;
  console_endpoint where;
  http::curl_client curl;

  /// One request to the service; `out` is the parsed JSON answer.
  int call(const std::string& method, const std::string& path, json& out) {
    http_call c;
    c.method = method;
    c.url = "http://" + where.host + ":" + std::to_string(where.port) + path;
    c.headers.push_back("X-Api-Key: " + where.api_key);
    c.timeout_ms = 10'000;
    auto r = curl.perform(c);
    if (r.status == 0) {
      std::cerr << "console: cannot reach the service at " << where.host << ":"
                << where.port << " (" << r.error
                << "); is `discotheque serve` running? (--connect HOST:PORT)\n";
      return unreachable;
    }
    out = json::parse(r.body, nullptr, false);
    if (r.status == 401) {
      std::cerr << "console: the service refused the API key (401 "
                   "unauthorized); give the right one with --api-key, "
                   "$DISCOTHEQUE_API_KEY or the data folder's api_key file\n";
      return auth_failed;
    }
    if (r.status >= 400) {
      auto message = out.is_object() ? out.value("message", r.body) : r.body;
      std::cerr << "console: " << message << " (HTTP " << r.status << ")\n";
      return failed;
    }
    return ok;
  }
};

std::string text(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null())
    return "-";
  const auto& v = j[key];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

/// Prints rows as columns, each as wide as its widest cell (the last one
/// left as it is).
void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i)
        width.push_back(0);
      width[i] = std::max(width[i], r[i].size());
    }
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size())
        line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    std::cout << line << '\n';
  }
  std::cout.flush();
}

int cmd_actors(console& c) {
  json j;
  if (auto rc = c.call("GET", "/api/system/actors", j); rc != ok)
    return rc;
  std::vector<std::vector<std::string>> rows{
    {"NAME", "ID", "KIND", "MAILBOX", "HANDLED", "LAST", "UPTIME", "SUMMARY"}};
  for (const auto& a : j.value("actors", json::array()))
    rows.push_back(
      {text(a, "name"), text(a, "id"), text(a, "kind"), text(a, "mailbox"),
       text(a, "handled"), text(a, "last_message"),
       a.value("uptime_s", json{}).is_number() ? text(a, "uptime_s") + "s"
                                               : "-",
       a.value("answered", false) ? text(a, "summary")
                                  : "(no answer: " + text(a, "error") + ")"});
  print_table(rows);
  return ok;
}

int cmd_inspect(console& c, const std::string& name) {
  if (name.empty()) {
    std::cerr << "console: inspect NAME (see `actors` for the names)\n";
    return failed;
  }
  json j;
  if (auto rc = c.call("GET", "/api/system/actors/" + name, j); rc != ok)
    return rc;
  std::cout << text(j, "name") << " (" << text(j, "kind") << ", id "
            << text(j, "id") << ")\n"
            << "  mailbox " << text(j, "mailbox") << ", handled "
            << text(j, "handled") << ", last message "
            << text(j, "last_message") << ", up " << text(j, "uptime_s")
            << " s\n"
            << "  " << text(j, "summary") << '\n'
            << j.value("details", json::object()).dump(2) << std::endl;
  return ok;
}

int cmd_tasks(console& c) {
  json j;
  if (auto rc = c.call("GET", "/api/library/tasks", j); rc != ok)
    return rc;
  std::vector<std::vector<std::string>> rows{{"TASK", "PHASE", "ENABLED",
                                              "RUNNING", "LAST RUN", "STATUS",
                                              "NEXT RUN", "ERROR"}};
  for (const auto& t : j.value("tasks", json::array())) {
    std::string status = text(t, "last_status");
    if (!t.value("implemented", true))
      status = "not implemented";
    rows.push_back({text(t, "name"), text(t, "phase"), text(t, "enabled"),
                    t.value("running", false) ? "running" : "-",
                    text(t, "last_run"), status, text(t, "next_run"),
                    text(t, "last_error")});
  }
  print_table(rows);
  return ok;
}

int cmd_run(console& c, const std::string& task) {
  if (task.empty()) {
    std::cerr << "console: run TASK (see `tasks` for the names)\n";
    return failed;
  }
  json j;
  if (auto rc = c.call("POST", "/api/library/tasks/" + task + "/run", j);
      rc != ok)
    return rc;
  std::cout << "started " << task;
  if (j.is_object() && j.contains("run_id"))
    std::cout << " (run " << text(j, "run_id") << ")";
  std::cout << std::endl;
  return ok;
}

int cmd_breakers(console& c) {
  json j;
  if (auto rc = c.call("GET", "/api/library/status", j); rc != ok)
    return rc;
  std::vector<std::vector<std::string>> rows{{"PROVIDER", "ENABLED", "BREAKER",
                                              "ERRORS 24H", "LAST SUCCESS",
                                              "BLOCKED UNTIL"}};
  for (const auto& p : j.value("providers", json::array()))
    rows.push_back({text(p, "name"), text(p, "enabled"),
                    text(p, "circuit_breaker"), text(p, "errors_24h"),
                    text(p, "last_successful_call"), text(p, "blocked_until")});
  print_table(rows);
  return ok;
}

const char* help_text = R"(commands:
  actors          every live actor: name, id, kind, mailbox, messages handled,
                  last message, uptime, one-line summary
  inspect NAME    one actor's state in full (e.g. inspect store)
  tail [FILTER]   the live event stream (task events, messages between
                  actors); FILTER: comma-separated words, an event shows when
                  its name or JSON contains one. Ctrl-C or q + Enter ends it
  tasks           the task table (last run, status, next run)
  run TASK        Run Now
  breakers        the providers' circuit breakers
  help            this text
  quit            leave (also Ctrl-D)
)";

/// Runs one command line; the exit code of what it did.
int execute(console& c, const std::string& line, bool& quit) {
  std::istringstream in{line};
  std::string cmd;
  in >> cmd;
  std::string arg;
  std::getline(in >> std::ws, arg);
  while (!arg.empty() && (arg.back() == ' ' || arg.back() == '\r'))
    arg.pop_back();
  if (cmd.empty())
    return ok;
  if (cmd == "quit" || cmd == "exit" || cmd == "q") {
    quit = true;
    return ok;
  }
  if (cmd == "help" || cmd == "?") {
    std::cout << help_text << std::flush;
    return ok;
  }
  if (cmd == "actors")
    return cmd_actors(c);
  if (cmd == "inspect")
    return cmd_inspect(c, arg);
  if (cmd == "tasks")
    return cmd_tasks(c);
  if (cmd == "run")
    return cmd_run(c, arg);
  if (cmd == "breakers")
    return cmd_breakers(c);
  if (cmd == "tail") {
    auto rc = tail_events(c.where, arg, c.opts.tail_limit, c.opts.tail_seconds,
                          std::cout);
    return rc == tail_outcome::ok            ? ok
           : rc == tail_outcome::auth_failed ? auth_failed
           : rc == tail_outcome::unreachable ? unreachable
                                             : failed;
  }
  std::cerr << "console: unknown command '" << cmd << "' (help lists them)\n";
  return failed;
}

std::string history_file() {
  const char* home = std::getenv("HOME");
  return home ? std::string{home} + "/.discotheque_history" : std::string{};
}

/// The key: the flag, else $DISCOTHEQUE_API_KEY, else the config's, else
/// the data folder's api_key file.
std::string find_key(const config& cfg, const console_options& opts) {
  if (!opts.api_key.empty())
    return opts.api_key;
  if (const char* env = std::getenv("DISCOTHEQUE_API_KEY"); env && *env)
    return env;
  if (!cfg.api_key.empty())
    return cfg.api_key;
  std::ifstream f{cfg.data_dir / "api_key"};
  std::string key;
  std::getline(f, key);
  return key;
}

} // namespace

int run_console(const config& cfg, const console_options& opts) {
  // The service's commands block SIGINT for sigwait; the console wants it
  // back: Ctrl-C ends a `tail`, not the console.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  console_interrupts();
  console c;
  c.opts = opts;
  auto where
    = parse_endpoint(opts.connect.empty()
                       ? cfg.listen_host + ":" + std::to_string(cfg.listen_port)
                       : opts.connect);
  if (!where) {
    std::cerr << "console: --connect wants HOST:PORT, not '" << opts.connect
              << "'\n";
    return 2;
  }
  c.where = *where;
  c.where.api_key = find_key(cfg, opts);
  if (c.where.api_key.empty()) {
    std::cerr << "console: no API key (--api-key, $DISCOTHEQUE_API_KEY or "
              << (cfg.data_dir / "api_key").string() << ")\n";
    return auth_failed;
  }
  bool quit = false;
  if (!opts.once.empty())
    return execute(c, opts.once, quit);
  if (!::isatty(STDIN_FILENO)) {
    // Plain mode: one command per line; the worst exit code wins.
    int worst = ok;
    std::string line;
    while (!quit && std::getline(std::cin, line))
      worst = std::max(worst, execute(c, line, quit));
    return worst;
  }
  // Interactive: check the key first, so a wrong one ends it at once.
  json probe;
  if (auto rc = c.call("GET", "/api/system/actors", probe); rc != ok)
    return rc;
  std::cout << "Discotheque console on " << c.where.host << ":" << c.where.port
            << "; `help` lists the commands." << std::endl;
  auto hist = history_file();
  if (!hist.empty())
    read_history(hist.c_str());
  while (!quit) {
    char* raw = readline("discotheque> ");
    if (!raw) {
      std::cout << std::endl;
      break; // Ctrl-D
    }
    std::string line{raw};
    std::free(raw);
    if (line.find_first_not_of(' ') != std::string::npos)
      add_history(line.c_str());
    auto rc = execute(c, line, quit);
    if (rc == auth_failed) {
      if (!hist.empty())
        write_history(hist.c_str());
      return rc;
    }
  }
  if (!hist.empty()) {
    write_history(hist.c_str());
    history_truncate_file(hist.c_str(), 1000);
  }
  return ok;
}

} // namespace discotheque
