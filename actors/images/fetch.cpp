#include "actors/images/fetch.hpp"

#include "http/client/client.hpp"
#include "scan/picture.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace discotheque::images {

namespace fs = std::filesystem;

std::optional<image_kind> sniff_image(std::string_view b) {
  auto at = [&](size_t i) { return static_cast<unsigned char>(b[i]); };
  if (b.size() >= 3 && at(0) == 0xFF && at(1) == 0xD8 && at(2) == 0xFF)
    return image_kind::jpeg;
  static constexpr std::string_view png_sig{"\x89PNG\r\n\x1a\n", 8};
  if (b.size() >= 8 && b.substr(0, 8) == png_sig)
    return image_kind::png;
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP")
    return image_kind::webp;
  return std::nullopt;
}

const char* extension(image_kind k) {
  switch (k) {
    case image_kind::png:
      return "png";
    case image_kind::webp:
      return "webp";
    case image_kind::jpeg:
      break;
  }
  return "jpg";
}

const char* content_type(image_kind k) {
  switch (k) {
    case image_kind::png:
      return "image/png";
    case image_kind::webp:
      return "image/webp";
    case image_kind::jpeg:
      break;
  }
  return "image/jpeg";
}

std::string content_type_of(const fs::path& p) {
  auto ext = p.extension().string();
  if (ext == ".jpg")
    return content_type(image_kind::jpeg);
  if (ext == ".png")
    return content_type(image_kind::png);
  if (ext == ".webp")
    return content_type(image_kind::webp);
  return {};
}

namespace {

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
    v.remove_prefix(1);
  while (!v.empty()
         && (v.back() == '\r' || v.back() == '\n' || v.back() == ' '
             || v.back() == '\t'))
    v.remove_suffix(1);
  return std::string{v};
}

} // namespace

bool acceptable_content_type(std::string_view header) {
  auto v = lower(trim(header.substr(0, header.find(';'))));
  return v.empty() || v.rfind("image/", 0) == 0
         || v == "application/octet-stream";
}

bool is_http_url(std::string_view url) {
  auto l = lower(url.substr(0, 8));
  size_t rest = 0;
  if (l.rfind("http://", 0) == 0)
    rest = 7;
  else if (l.rfind("https://", 0) == 0)
    rest = 8;
  else
    return false;
  return url.size() > rest && url[rest] != '/';
}

std::string folder_of(std::string_view entity_type) {
  if (entity_type == "artist")
    return "artists";
  if (entity_type == "album")
    return "albums";
  if (entity_type == "playlist")
    return "playlists";
  return {};
}

fs::path write_atomically(const fs::path& dir, int64_t id, image_kind kind,
                          std::string_view bytes) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw std::runtime_error("cannot create " + dir.string() + ": "
                             + ec.message());
  auto stem = std::to_string(id);
  auto final_path = dir / (stem + "." + extension(kind));
  auto tmpl = (dir / ("." + stem + ".tmp-XXXXXX")).string();
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0)
    throw std::runtime_error("cannot create a file in " + dir.string() + ": "
                             + std::generic_category().message(errno));
  ::fchmod(fd, 0600);
  size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      auto why = std::generic_category().message(errno);
      ::close(fd);
      ::unlink(tmpl.c_str());
      throw std::runtime_error("cannot write " + tmpl + ": " + why);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmpl.c_str());
    throw std::runtime_error("cannot write " + tmpl);
  }
  if (::rename(tmpl.c_str(), final_path.c_str()) != 0) {
    auto why = std::generic_category().message(errno);
    ::unlink(tmpl.c_str());
    throw std::runtime_error("cannot rename to " + final_path.string() + ": "
                             + why);
  }
  // An earlier image of the entity in another format is stale now.
  for (auto other : {image_kind::jpeg, image_kind::png, image_kind::webp})
    if (other != kind)
      fs::remove(dir / (stem + "." + extension(other)), ec);
  return final_path;
}

namespace {

struct transfer {
  std::string body;
  int64_t max_bytes = 0;
  bool too_large = false;
  std::string content_type;
  std::string etag;
  std::string last_modified;
};

bool header_is(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':')
    return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i])
      return false;
  return true;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<transfer*>(user);
  size_t len = size * n;
  if (static_cast<int64_t>(t->body.size() + len) > t->max_bytes) {
    t->too_large = true;
    return 0; // aborts the transfer
  }
  t->body.append(data, len);
  return len;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<transfer*>(user);
  std::string_view line{data, size * n};
  if (line.rfind("HTTP/", 0) == 0) { // a redirect starts a new block
    t->content_type.clear();
    t->etag.clear();
    t->last_modified.clear();
  } else if (header_is(line, "content-type")) {
    t->content_type = trim(line.substr(13));
  } else if (header_is(line, "etag")) {
    t->etag = trim(line.substr(5));
  } else if (header_is(line, "last-modified")) {
    t->last_modified = trim(line.substr(14));
  }
  return size * n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel != nullptr && cancel->load() ? 1 : 0; // non-zero aborts
}

void global_init() {
  static std::once_flag flag;
  std::call_once(flag, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

/// One candidate's answer before the bytes are judged.
struct attempt {
  enum { got, not_modified, absent, failed } result = failed;
  std::string error;
};

std::string mtime_of(const fs::path& p) {
  std::error_code ec;
  auto t = fs::last_write_time(p, ec);
  if (ec)
    return {};
  return std::to_string(t.time_since_epoch().count());
}

attempt fetch_http(const image_job& job, const std::string& url,
                   const fetch_limits& limits, transfer& t) {
  attempt a;
  global_init();
  CURL* h = curl_easy_init();
  if (!h) {
    a.error = "curl_easy_init failed";
    return a;
  }
  t.max_bytes = limits.max_bytes;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_USERAGENT, http::user_agent().c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, limits.max_redirects);
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(limits.max_bytes));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(limits.connect_timeout_ms));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.timeout_ms));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  if (limits.cancel) {
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, limits.cancel.get());
  }
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers,
                              "Accept: image/jpeg, image/png, image/webp");
  std::error_code ec;
  bool have = !job.have_path.empty() && job.have_url == url
              && fs::exists(job.have_path, ec);
  if (have && !job.etag.empty())
    headers = curl_slist_append(headers,
                                ("If-None-Match: " + job.etag).c_str());
  if (have && !job.last_modified.empty())
    headers = curl_slist_append(
      headers, ("If-Modified-Since: " + job.last_modified).c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  auto rc = curl_easy_perform(h);
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_cleanup(h);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED)
      a.error = "larger than " + std::to_string(limits.max_bytes) + " bytes";
    else if (rc == CURLE_UNSUPPORTED_PROTOCOL)
      a.error = "redirected to a URL that is not http(s)";
    else if (rc == CURLE_TOO_MANY_REDIRECTS)
      a.error = "more than " + std::to_string(limits.max_redirects)
                + " redirects";
    else if (rc == CURLE_OPERATION_TIMEDOUT)
      a.error = "timed out after " + std::to_string(limits.timeout_ms) + " ms";
    else if (rc == CURLE_ABORTED_BY_CALLBACK)
      a.error = "cancelled (shutting down)";
    else
      a.error = curl_easy_strerror(rc);
    return a;
  }
  if (code == 304 && have) {
    a.result = attempt::not_modified;
  } else if (code == 404 || code == 410) {
    a.result = attempt::absent;
  } else if (code == 200) {
    a.result = attempt::got;
  } else {
    a.error = "HTTP " + std::to_string(code);
  }
  return a;
}

/// The start of reading a file on this machine: absent when it is not a
/// regular file, unchanged while its mtime is the one the kept image came
/// from. True when that decides `a`.
bool decided_by_stat(const image_job& job, const std::string& path, transfer& t,
                     attempt& a) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    a.result = attempt::absent;
    return true;
  }
  t.last_modified = mtime_of(path);
  if (job.have_url == path && !job.have_path.empty()
      && job.last_modified == t.last_modified
      && fs::exists(job.have_path, ec)) {
    a.result = attempt::not_modified;
    return true;
  }
  return false;
}

attempt read_local(const image_job& job, const std::string& path,
                   const fetch_limits& limits, transfer& t) {
  attempt a;
  if (decided_by_stat(job, path, t, a))
    return a;
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) {
    a.error = "cannot read: " + ec.message();
    return a;
  }
  if (static_cast<int64_t>(size) > limits.max_bytes) {
    a.error = "larger than " + std::to_string(limits.max_bytes) + " bytes";
    return a;
  }
  std::ifstream in{path, std::ios::binary};
  t.body.assign(std::istreambuf_iterator<char>{in}, {});
  if (!in && !in.eof()) {
    a.error = "cannot read the file";
    return a;
  }
  a.result = attempt::got;
  return a;
}

/// The picture embedded in the audio file `path` (enrich_images offers one
/// of a local album's files when its folder has no cover file): absent when
/// the file has none, unchanged while the file's mtime is.
attempt read_embedded(const image_job& job, const std::string& path,
                      const fetch_limits& limits, transfer& t) {
  attempt a;
  if (decided_by_stat(job, path, t, a))
    return a;
  bool too_large = false;
  auto pic = scan::read_embedded_picture(path, limits.max_bytes, &too_large);
  if (!pic) {
    if (too_large)
      a.error = "embedded picture larger than "
                + std::to_string(limits.max_bytes) + " bytes";
    else
      a.result = attempt::absent;
    return a;
  }
  t.body = std::move(pic->data);
  t.content_type = std::move(pic->mime_type);
  a.result = attempt::got;
  return a;
}

} // namespace

image_outcome run_job(const image_job& job, const fs::path& images_root,
                      const fetch_limits& limits) {
  image_outcome out;
  out.entity_type = job.entity_type;
  out.entity_id = job.entity_id;
  out.state = "none";
  auto folder = folder_of(job.entity_type);
  if (folder.empty() || job.entity_id <= 0) {
    out.state = "failed";
    out.error = "not an image owner: " + job.entity_type;
    return out;
  }
  for (size_t i = 0; i < job.urls.size(); ++i) {
    const auto& url = job.urls[i];
    auto source = i < job.sources.size() ? job.sources[i] : std::string{};
    out.url = url;
    out.source = source;
    transfer t;
    attempt a;
    if (source == "local") {
      a = read_local(job, url, limits, t);
    } else if (source == "embedded") {
      a = read_embedded(job, url, limits, t);
    } else if (!is_http_url(url)) {
      a.error = "not an http(s) URL";
    } else {
      a = fetch_http(job, url, limits, t);
    }
    if (a.result == attempt::absent)
      continue;
    if (a.result == attempt::failed) {
      out.state = "failed";
      out.error = a.error;
      return out;
    }
    if (a.result == attempt::not_modified) {
      out.state = "unchanged";
      out.path = job.have_path;
      out.content_type = content_type_of(job.have_path);
      out.etag = t.etag.empty() ? job.etag : t.etag;
      out.last_modified = t.last_modified.empty() ? job.last_modified
                                                  : t.last_modified;
      return out;
    }
    if (!acceptable_content_type(t.content_type)) {
      out.state = "failed";
      out.error = "content type " + t.content_type + " is not an image";
      return out;
    }
    auto kind = sniff_image(t.body);
    if (!kind) {
      out.state = "failed";
      out.error = t.body.empty() ? "empty body"
                                 : "not a JPEG, PNG or WebP image";
      return out;
    }
    try {
      auto p = write_atomically(images_root / folder, job.entity_id, *kind,
                                t.body);
      out.state = "downloaded";
      out.path = p.string();
      out.content_type = content_type(*kind);
      out.etag = t.etag;
      out.last_modified = t.last_modified;
      out.bytes = static_cast<int64_t>(t.body.size());
    } catch (const std::exception& e) {
      out.state = "failed";
      out.error = e.what();
    }
    return out;
  }
  out.url.clear();
  out.source.clear();
  return out;
}

} // namespace discotheque::images
