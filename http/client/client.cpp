#include "http/client/client.hpp"

#include "support/time.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <mutex>
#include <thread>

namespace discotheque::http {

const std::string& user_agent() {
  static const std::string ua
    = std::string{"Discotheque/"} + DISCOTHEQUE_VERSION
      + " ( https://github.com/discotheque/discotheque )";
  return ua;
}

std::optional<int64_t> parse_retry_after(std::string_view value,
                                         int64_t now_ms) {
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!value.empty() && is_space(value.front()))
    value.remove_prefix(1);
  while (!value.empty() && is_space(value.back()))
    value.remove_suffix(1);
  if (value.empty())
    return std::nullopt;
  if (std::all_of(value.begin(), value.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 10) // more than ~300 years: treat as a day-long block
      return int64_t{86'400'000} * 365;
    int64_t secs = 0;
    for (char c : value)
      secs = secs * 10 + (c - '0');
    return secs * 1000;
  }
  // IMF-fixdate, the only form senders may generate (RFC 9110 5.6.7); the
  // obsolete RFC 850 and asctime forms are accepted too.
  std::string s{value};
  static const char* formats[] = {"%a, %d %b %Y %H:%M:%S GMT",
                                  "%A, %d-%b-%y %H:%M:%S GMT",
                                  "%a %b %d %H:%M:%S %Y"};
  for (const char* fmt : formats) {
    std::tm tm{};
    const char* end = strptime(s.c_str(), fmt, &tm);
    if (end != nullptr && *end == '\0') {
      int64_t at = static_cast<int64_t>(timegm(&tm)) * 1000;
      return std::max<int64_t>(0, at - now_ms);
    }
  }
  return std::nullopt;
}

void request_pacer::wait() {
  std::chrono::steady_clock::time_point at;
  {
    std::lock_guard<std::mutex> guard{mtx};
    auto now = std::chrono::steady_clock::now();
    at = std::max(now, next);
    next = at + interval;
  }
  std::this_thread::sleep_until(at);
}

namespace {

void global_init() {
  static std::once_flag flag;
  std::call_once(flag, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct transfer {
  http_reply* reply;
  size_t max_body;
  bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<transfer*>(user);
  size_t len = size * n;
  if (t->reply->body.size() + len > t->max_body) {
    t->too_large = true;
    return 0; // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->reply->body.append(data, len);
  return len;
}

bool header_is(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':')
    return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i])
      return false;
  return true;
}

std::string header_value(std::string_view line, size_t name_len) {
  auto v = line.substr(name_len + 1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
    v.remove_prefix(1);
  while (!v.empty()
         && (v.back() == '\r' || v.back() == '\n' || v.back() == ' '))
    v.remove_suffix(1);
  return std::string{v};
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<transfer*>(user);
  std::string_view line{data, size * n};
  // A redirect or 100-continue starts a new header block: keep the last.
  if (line.rfind("HTTP/", 0) == 0) {
    t->reply->retry_after.clear();
    t->reply->content_type.clear();
  } else if (header_is(line, "retry-after")) {
    t->reply->retry_after = header_value(line, 11);
  } else if (header_is(line, "content-type")) {
    t->reply->content_type = header_value(line, 12);
  }
  return size * n;
}

} // namespace

curl_client::curl_client(client_options opts) : opts_(opts) {
  global_init();
  handle_ = curl_easy_init();
}

curl_client::~curl_client() {
  if (handle_)
    curl_easy_cleanup(handle_);
}

http_reply curl_client::perform(const http_call& call) {
  http_reply reply;
  if (!handle_) {
    reply.error = "curl_easy_init failed";
    reply.curl_code = CURLE_FAILED_INIT;
    return reply;
  }
  // reset keeps the connection cache, so keep-alive survives it.
  curl_easy_reset(handle_);
  transfer t{&reply, opts_.max_body_bytes};
  auto timeout = call.timeout_ms > 0
                   ? call.timeout_ms
                   : static_cast<int64_t>(opts_.timeout.count());
  curl_easy_setopt(handle_, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(handle_, CURLOPT_USERAGENT, user_agent().c_str());
  curl_easy_setopt(handle_, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(handle_, CURLOPT_MAXREDIRS, opts_.max_redirects);
  curl_easy_setopt(handle_, CURLOPT_ACCEPT_ENCODING, ""); // all built in
  curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle_, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(opts_.connect_timeout.count()));
  curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout));
  curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle_, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle_, CURLOPT_HEADERDATA, &t);
  // Proxies: libcurl reads http_proxy / https_proxy / no_proxy by default.
  curl_slist* headers = nullptr;
  for (const auto& h : call.headers)
    headers = curl_slist_append(headers, h.c_str());
  if (headers)
    curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, headers);
  if (call.method == "POST") {
    curl_easy_setopt(handle_, CURLOPT_POST, 1L);
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE,
                     static_cast<long>(call.body.size()));
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, call.body.c_str());
  } else if (call.method != "GET") {
    curl_easy_setopt(handle_, CURLOPT_CUSTOMREQUEST, call.method.c_str());
    if (!call.body.empty()) {
      curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE,
                       static_cast<long>(call.body.size()));
      curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, call.body.c_str());
    }
  }
  if (opts_.pacer)
    opts_.pacer->wait();
  auto start = now_ms();
  auto rc = curl_easy_perform(handle_);
  reply.elapsed_ms = now_ms() - start;
  if (headers) {
    curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, nullptr);
    curl_slist_free_all(headers);
  }
  reply.curl_code = static_cast<int32_t>(rc);
  if (rc != CURLE_OK) {
    reply.status = 0;
    reply.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
    reply.error = t.too_large
                    ? "response body larger than "
                        + std::to_string(opts_.max_body_bytes) + " bytes"
                    : curl_easy_strerror(rc);
    reply.body.clear();
    return reply;
  }
  long code = 0;
  curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &code);
  reply.status = static_cast<int32_t>(code);
  return reply;
}

http_client_actor::behavior_type
http_client(http_client_actor::stateful_pointer<http_client_state> self,
            client_options opts) {
  self->state.client = std::make_unique<curl_client>(opts);
  return {
    [self](atom::pfetch, const http_call& call) -> http_reply {
      return self->state.client->perform(call);
    },
  };
}

} // namespace discotheque::http
