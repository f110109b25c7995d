#include "app/console_tail.hpp"

#include <nlohmann/json.hpp>

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <iostream>

namespace discotheque {

namespace {

volatile std::sig_atomic_t interrupted = 0;

void on_sigint(int) {
  interrupted = 1;
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

int connect_to(const console_endpoint& where) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(where.host.c_str(), std::to_string(where.port).c_str(),
                    &hints, &res)
      != 0)
    return -1;
  int fd = -1;
  for (auto* ai = res; ai && fd < 0; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd >= 0 && ::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(res);
  return fd;
}

bool send_all(int fd, const std::string& s) {
  size_t sent = 0;
  while (sent < s.size()) {
    auto n = ::send(fd, s.data() + sent, s.size() - sent, MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

/// Takes the complete events out of `buf` and prints them; the number
/// printed.
int64_t print_events(std::string& buf, std::ostream& out, int64_t room) {
  int64_t printed = 0;
  size_t end;
  while (printed < room && (end = buf.find("\n\n")) != std::string::npos) {
    auto block = buf.substr(0, end);
    buf.erase(0, end + 2);
    std::string type = "message";
    std::string data;
    size_t pos = 0;
    while (pos <= block.size()) {
      auto nl = block.find('\n', pos);
      auto line = block.substr(pos, nl == std::string::npos ? std::string::npos
                                                            : nl - pos);
      if (line.rfind("event: ", 0) == 0)
        type = line.substr(7);
      else if (line.rfind("data: ", 0) == 0)
        data += line.substr(6);
      if (nl == std::string::npos)
        break;
      pos = nl + 1;
    }
    if (data.empty())
      continue; // a comment (heartbeat) or retry: line
    out << tail_line(type, data) << '\n';
    ++printed;
  }
  out.flush();
  return printed;
}

} // namespace

std::optional<console_endpoint> parse_endpoint(const std::string& host_port) {
  auto colon = host_port.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return std::nullopt;
  console_endpoint e;
  e.host = host_port.substr(0, colon);
  auto port = host_port.substr(colon + 1);
  if (port.empty() || port.size() > 5
      || port.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  auto n = std::stoi(port);
  if (n < 1 || n > 65535)
    return std::nullopt;
  e.port = static_cast<uint16_t>(n);
  return e;
}

void console_interrupts() {
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; // no SA_RESTART: poll() returns EINTR
  ::sigaction(SIGINT, &sa, nullptr);
}

std::string tail_line(const std::string& type, const std::string& data) {
  auto j = nlohmann::json::parse(data, nullptr, false);
  if (!j.is_object())
    return type + " " + data;
  auto time = j.value("time", std::string{});
  // The time of day (HH:MM:SS.mmm) is enough on a console.
  if (time.size() >= 23)
    time = time.substr(11, 12);
  auto str = [&](const char* k) {
    return j.contains(k) && j[k].is_string() ? j[k].get<std::string>()
                                             : std::string{};
  };
  std::string line = time + " " + type;
  if (type == "message") {
    line += " " + str("actor") + " <- " + str("message");
  } else if (type == "task_started") {
    line += " " + str("task") + " (" + str("trigger") + ", run "
            + (j.contains("run_id") ? j["run_id"].dump() : "?") + ")";
  } else if (type == "task_finished") {
    line += " " + str("task") + " " + str("status");
    if (j.contains("duration_ms"))
      line += " in " + j["duration_ms"].dump() + " ms";
    if (!str("error").empty())
      line += ": " + str("error");
  } else if (type == "progress") {
    line += " " + str("task") + " "
            + (j.contains("progress") ? j["progress"].dump() : "{}");
  } else {
    j.erase("time");
    j.erase("type");
    line += " " + j.dump();
  }
  return line;
}

tail_outcome tail_events(const console_endpoint& where,
                         const std::string& filter, int64_t limit,
                         int64_t seconds, std::ostream& out) {
  interrupted = 0;
  int fd = connect_to(where);
  if (fd < 0) {
    std::cerr << "console: cannot reach the service at " << where.host << ":"
              << where.port << "\n";
    return tail_outcome::unreachable;
  }
  std::string req = "GET /api/system/events";
  if (!filter.empty())
    req += "?filter=" + url_encode(filter);
  req += " HTTP/1.1\r\nHost: " + where.host + ":" + std::to_string(where.port)
         + "\r\nX-Api-Key: " + where.api_key
         + "\r\nAccept: text/event-stream\r\n\r\n";
  if (!send_all(fd, req)) {
    ::close(fd);
    return tail_outcome::unreachable;
  }
  bool tty = ::isatty(STDIN_FILENO);
  std::cerr << "tail" << (filter.empty() ? "" : " " + filter) << ": "
            << (tty ? "Ctrl-C or q + Enter ends it" : "Ctrl-C ends it")
            << " (at most " << limit << " events)\n";
  auto deadline = std::chrono::steady_clock::now()
                  + std::chrono::seconds(seconds);
  std::string buf;
  bool head_done = false;
  int64_t shown = 0;
  auto outcome = tail_outcome::ok;
  while (shown < limit && !interrupted) {
    if (seconds > 0 && std::chrono::steady_clock::now() >= deadline)
      break;
    pollfd fds[2] = {{fd, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    auto n = ::poll(fds, tty ? 2 : 1, 200);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      break;
    if (tty && (fds[1].revents & POLLIN)) {
      std::string line;
      std::getline(std::cin, line);
      if (!line.empty() && line[0] == 'q')
        break;
    }
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
      continue;
    char chunk[4096];
    auto got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got <= 0) {
      std::cerr << "console: the service ended the stream\n";
      break;
    }
    buf.append(chunk, static_cast<size_t>(got));
    if (!head_done) {
      auto end = buf.find("\r\n\r\n");
      if (end == std::string::npos)
        continue;
      auto status_line = buf.substr(0, buf.find("\r\n"));
      auto sp = status_line.find(' ');
      int status
        = sp == std::string::npos ? 0 : std::atoi(status_line.c_str() + sp + 1);
      if (status != 200) {
        if (status == 401)
          std::cerr << "console: the service refused the API key (401 "
                       "unauthorized)\n";
        else
          std::cerr << "console: the event stream answered " << status_line
                    << "\n";
        outcome = status == 401 ? tail_outcome::auth_failed
                                : tail_outcome::failed;
        break;
      }
      buf.erase(0, end + 4);
      head_done = true;
    }
    shown += print_events(buf, out, limit - shown);
  }
  ::close(fd);
  return outcome;
}

} // namespace discotheque
