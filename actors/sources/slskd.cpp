#include "actors/sources/slskd.hpp"

#include "actors/sources/providers.hpp"
#include "config/config.hpp"

#include <cstdio>

namespace discotheque {

using nlohmann::json;

reply_class classify_slskd(const http_reply& r) {
  // "User x appears to be offline": the peer, not slskd; never a reason to
  // open the breaker.
  if (r.status == 500 && r.body.find("offline") != std::string::npos)
    return reply_class::final_error;
  return classify_http(r);
}

namespace slskd {

namespace {

std::string text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>()
                                          : std::string{};
}

int64_t number(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number())
    return 0;
  if (it->is_number_float())
    return static_cast<int64_t>(it->get<double>());
  return it->get<int64_t>();
}

bool flag(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

std::vector<std::string> flags_of(const std::string& state) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : state) {
    if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  if (!cur.empty())
    out.push_back(cur);
  return out;
}

bool has(const std::vector<std::string>& fs, const char* f) {
  for (const auto& x : fs)
    if (x == f)
      return true;
  return false;
}

downloads::peer_file file_of(const json& f, const json& response, bool locked) {
  downloads::peer_file p;
  p.username = text(response, "username");
  p.filename = text(f, "filename");
  p.size = number(f, "size");
  p.extension = library_ext(text(f, "extension"));
  if (p.extension.empty())
    p.extension = downloads::extension_of(p.filename);
  p.bitrate_kbps = static_cast<int>(number(f, "bitRate"));
  p.bit_depth = static_cast<int>(number(f, "bitDepth"));
  p.sample_rate = static_cast<int>(number(f, "sampleRate"));
  p.variable_bitrate = flag(f, "isVariableBitRate");
  p.length_s = static_cast<int>(number(f, "length"));
  p.locked = locked || flag(f, "isLocked");
  p.free_slot = flag(response, "hasFreeUploadSlot");
  p.queue_length = number(response, "queueLength");
  p.upload_speed = number(response, "uploadSpeed");
  return p;
}

} // namespace

std::string library_ext(std::string e) {
  if (!e.empty() && e.front() == '.')
    e.erase(0, 1);
  for (auto& c : e)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return e;
}

settings settings_of(const config& cfg) {
  const auto& d = slskd_provider();
  auto pc = d.config_in(cfg);
  settings s;
  s.enabled = d.enabled_in(pc);
  s.api_base = d.api_base_in(pc);
  if (pc.timeout_s > 0)
    s.timeout_ms = pc.timeout_s * 1000;
  s.downloads_dir = pc.downloads_dir.empty()
                      ? cfg.data_dir / "downloads"
                      : std::filesystem::path{pc.downloads_dir};
  return s;
}

std::string search_body(const std::string& id, const std::string& text,
                        int64_t search_timeout_ms) {
  json j{{"searchText", text}, {"searchTimeout", search_timeout_ms}};
  if (!id.empty())
    j["id"] = id;
  return j.dump();
}

std::optional<search_state> parse_search(const json& j) {
  if (!j.is_object() || text(j, "id").empty())
    return std::nullopt;
  search_state s;
  s.id = text(j, "id");
  s.state = text(j, "state");
  s.complete = flag(j, "isComplete") || has(flags_of(s.state), "Completed");
  s.response_count = number(j, "responseCount");
  s.file_count = number(j, "fileCount");
  return s;
}

std::vector<downloads::peer_file> parse_responses(const json& j) {
  std::vector<downloads::peer_file> out;
  if (!j.is_array())
    return out;
  for (const auto& r : j) {
    if (!r.is_object())
      continue;
    for (const char* key : {"files", "lockedFiles"}) {
      auto it = r.find(key);
      if (it == r.end() || !it->is_array())
        continue;
      for (const auto& f : *it)
        if (f.is_object() && !text(f, "filename").empty())
          out.push_back(file_of(f, r, std::string_view{key} == "lockedFiles"));
    }
  }
  return out;
}

std::string enqueue_body(const std::string& filename, int64_t size) {
  return json::array({json{{"filename", filename}, {"size", size}}}).dump();
}

std::string url_segment(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
        || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

const char* to_string(transfer_phase p) {
  switch (p) {
    case transfer_phase::requested:
      return "requested";
    case transfer_phase::queued_locally:
      return "queued_locally";
    case transfer_phase::queued_remotely:
      return "queued_remotely";
    case transfer_phase::in_progress:
      return "in_progress";
    case transfer_phase::succeeded:
      return "succeeded";
    case transfer_phase::failed:
      return "failed";
  }
  return "failed";
}

transfer_phase phase_of(const std::string& state, int64_t bytes_transferred,
                        int64_t size) {
  auto fs = flags_of(state);
  if (has(fs, "Completed")) {
    if (has(fs, "Succeeded") && bytes_transferred > 0
        && (size <= 0 || bytes_transferred >= size))
      return transfer_phase::succeeded;
    return transfer_phase::failed;
  }
  if (has(fs, "InProgress"))
    return transfer_phase::in_progress;
  if (has(fs, "Queued"))
    return has(fs, "Remotely") ? transfer_phase::queued_remotely
                               : transfer_phase::queued_locally;
  return transfer_phase::requested;
}

std::optional<transfer> parse_transfer(const json& j) {
  if (!j.is_object() || text(j, "id").empty())
    return std::nullopt;
  transfer t;
  t.id = text(j, "id");
  t.username = text(j, "username");
  t.filename = text(j, "filename");
  t.size = number(j, "size");
  t.state = text(j, "state");
  t.bytes_transferred = number(j, "bytesTransferred");
  t.phase = phase_of(t.state, t.bytes_transferred, t.size);
  return t;
}

std::vector<transfer> parse_transfers(const json& j) {
  std::vector<transfer> out;
  auto user = [&](const json& u) {
    if (!u.is_object())
      return;
    auto dirs = u.find("directories");
    if (dirs == u.end() || !dirs->is_array())
      return;
    for (const auto& d : *dirs) {
      auto files = d.find("files");
      if (!d.is_object() || files == d.end() || !files->is_array())
        continue;
      for (const auto& f : *files)
        if (auto t = parse_transfer(f)) {
          if (t->username.empty())
            t->username = text(u, "username");
          out.push_back(std::move(*t));
        }
    }
  };
  if (j.is_array())
    for (const auto& u : j)
      user(u);
  else
    user(j);
  return out;
}

std::optional<transfer> enqueued_transfer(const json& j,
                                          const std::string& filename) {
  if (!j.is_object())
    return std::nullopt;
  auto it = j.find("enqueued");
  if (it == j.end() || !it->is_array())
    return std::nullopt;
  for (const auto& e : *it)
    if (auto t = parse_transfer(e); t && t->filename == filename)
      return t;
  return std::nullopt;
}

std::filesystem::path local_file_of(const std::filesystem::path& downloads_dir,
                                    const std::string& remote_filename) {
  auto parts = downloads::path_parts(remote_filename);
  if (parts.empty())
    return downloads_dir;
  if (parts.size() == 1)
    return downloads_dir / parts.back();
  return downloads_dir / parts[parts.size() - 2] / parts.back();
}

} // namespace slskd

const provider_descriptor& slskd_provider() {
  static const provider_descriptor d = [] {
    provider_descriptor x;
    x.name = slskd::provider_name;
    x.kind = provider_kind::download_client;
    // A local daemon: the search budget (downloads.search_budget) is what
    // protects the Soulseek account; this only keeps polls polite.
    x.defaults = {"http://127.0.0.1:5030/api/v0", "", "", 10};
    x.enabled_by_default = false;
    x.auth = auth_mode::header_key;
    x.auth_param = "X-API-Key";
    x.classify = classify_slskd;
    x.token_note = "providers.slskd.api_key (one of slskd's "
                   "web.authentication.api_keys)";
    return x;
  }();
  return d;
}

} // namespace discotheque
