#include "actors/sources/source.hpp"

#include "messages/error.hpp"
#include "support/log.hpp"

#include <caf/typed_event_based_actor.hpp>

namespace discotheque {

using nlohmann::json;

std::string sanitize_utf8(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  size_t i = 0;
  auto bad = [&] {
    out += "\xEF\xBF\xBD";
    ++i;
  };
  while (i < in.size()) {
    auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) { // copy the whole ASCII run at once
      size_t j = i + 1;
      while (j < in.size() && static_cast<unsigned char>(in[j]) < 0x80)
        ++j;
      out.append(in.data() + i, j - i);
      i = j;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      bad();
      continue;
    }
    if (i + len > in.size()) {
      bad();
      continue;
    }
    bool ok = true;
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(in[i + k]);
      if ((cc & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    // overlong forms, surrogates and beyond U+10FFFF are invalid too
    if (!ok || (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800)
        || (len == 4 && cp < 0x10000) || cp > 0x10FFFF
        || (cp >= 0xD800 && cp <= 0xDFFF)) {
      bad();
      continue;
    }
    out.append(in.substr(i, len));
    i += len;
  }
  return out;
}

namespace wire {

namespace {

std::string clamp(std::string s) {
  if (s.size() <= max_string_bytes)
    return s;
  size_t cut = max_string_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
    --cut;
  s.resize(cut);
  return s;
}

const json& null_json() {
  static const json j;
  return j;
}

const json& empty_array() {
  static const json j = json::array();
  return j;
}

} // namespace

const json& member(const json& obj, const char* key) {
  if (!obj.is_object())
    return null_json();
  auto it = obj.find(key);
  return it == obj.end() ? null_json() : *it;
}

std::string str(const json& obj, const char* key) {
  const auto& v = member(obj, key);
  return v.is_string() ? clamp(v.get<std::string>()) : std::string{};
}

int64_t integer(const json& obj, const char* key) {
  const auto& v = member(obj, key);
  if (v.is_number_integer())
    return v.get<int64_t>();
  if (v.is_number_float()) {
    auto d = v.get<double>();
    if (d > -9e18 && d < 9e18)
      return static_cast<int64_t>(d);
  }
  return 0;
}

const json& array(const json& obj, const char* key) {
  const auto& v = member(obj, key);
  return v.is_array() ? v : empty_array();
}

std::string id(const json& obj, const char* key) {
  const auto& v = member(obj, key);
  if (v.is_string())
    return clamp(v.get<std::string>());
  if (v.is_number_integer())
    return std::to_string(v.get<int64_t>());
  return {};
}

} // namespace wire

namespace {

/// "https://host:port" of a URL (up to the first '/' after "://").
std::string origin(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos)
    return {};
  auto slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? url : url.substr(0, slash);
}

} // namespace

std::string resolve_next(const std::string& api_base, const std::string& next) {
  if (next.empty())
    return {};
  auto base_origin = origin(api_base);
  if (next.find("://") != std::string::npos) {
    if (origin(next) == base_origin)
      return next;
    auto scheme = next.find("://");
    auto slash = next.find('/', scheme + 3);
    return base_origin
           + (slash == std::string::npos ? "/" : next.substr(slash));
  }
  // Relative: TIDAL's links are relative to the API base (…/v2).
  if (next.front() == '/')
    return api_base + next;
  return api_base + "/" + next;
}

std::string with_query_param(const std::string& url, const std::string& name,
                             const std::string& value) {
  auto q = url.find('?');
  if (q == std::string::npos)
    return url + "?" + name + "=" + value;
  std::string out = url.substr(0, q + 1);
  std::string query = url.substr(q + 1);
  bool replaced = false;
  size_t pos = 0;
  bool first = true;
  while (pos <= query.size()) {
    auto amp = query.find('&', pos);
    auto part = query.substr(pos, amp == std::string::npos ? std::string::npos
                                                           : amp - pos);
    if (part.rfind(name + "=", 0) == 0) {
      part = name + "=" + value;
      replaced = true;
    }
    if (!part.empty()) {
      if (!first)
        out += '&';
      out += part;
      first = false;
    }
    if (amp == std::string::npos)
      break;
    pos = amp + 1;
  }
  if (!replaced)
    out += (first ? "" : "&") + name + "=" + value;
  return out;
}

void skip_item(source_page& out, const std::string& why) {
  ++out.skipped;
  if (out.errors.size() < 20)
    out.errors.push_back(why);
}

void offset_siblings(source_page& page, const std::string& param,
                     int64_t offset, int64_t limit, int64_t total) {
  if (page.next.empty() || offset != 0 || limit <= 0 || total <= limit
      || total / limit > 20'000)
    return;
  for (int64_t off = limit; off < total; off += limit)
    page.siblings.push_back(
      with_query_param(page.next, param, std::to_string(off)));
  page.next.clear();
}

caf::expected<source_page>
parse_body(const source_wire& w, const std::string& api_base,
           const page_request& req, std::string_view body) {
  auto clean = sanitize_utf8(body);
  auto doc = json::parse(clean, nullptr, false);
  if (doc.is_discarded())
    return make_error(ec::bad_response,
                      w.provider + " " + req.list + ": malformed JSON ("
                        + std::to_string(body.size()) + " bytes)");
  if (!doc.is_object())
    return make_error(ec::bad_response,
                      w.provider + " " + req.list + ": expected a JSON object");
  const auto& err = wire::member(doc, "error");
  if (!err.is_null()) {
    std::string msg = err.is_object()   ? wire::str(err, "message")
                      : err.is_string() ? err.get<std::string>()
                                        : "";
    return make_error(ec::bad_response,
                      w.provider + " " + req.list + ": error "
                        + (msg.empty() ? err.dump().substr(0, 200) : msg));
  }
  source_page page;
  page.list = req.list;
  auto problem = w.parse(api_base, req, doc, page);
  if (!problem.empty())
    return make_error(ec::bad_response,
                      w.provider + " " + req.list + ": " + problem);
  return page;
}

namespace {

using self_ptr = source_actor::stateful_pointer<source_state>;

void fetch(self_ptr self, page_request req, std::string url,
           caf::typed_response_promise<source_page> rp, bool fell_back) {
  auto& cfg = self->state.config;
  http_call call;
  call.url = url;
  call.headers.push_back("Accept: " + cfg.wire.accept);
  self->request(cfg.gateway, caf::infinite, atom::pfetch_v, std::move(call))
    .then(
      [self, req, url, rp, fell_back](const http_reply& r) mutable {
        auto& cfg = self->state.config;
        ++self->state.pages;
        if (r.status < 200 || r.status >= 300) {
          if (!fell_back && cfg.wire.fallback_url) {
            auto alt = cfg.wire.fallback_url(url, r.status);
            if (!alt.empty()) {
              fetch(self, req, alt, rp, true);
              return;
            }
          }
          auto res = parse_body(cfg.wire, cfg.api_base, req, r.body);
          std::string detail = res ? "" : ": " + render(res.error());
          rp.deliver(make_error(ec::bad_response,
                                cfg.wire.provider + " " + req.list + ": HTTP "
                                  + std::to_string(r.status) + detail));
          return;
        }
        auto res = parse_body(cfg.wire, cfg.api_base, req, r.body);
        if (!res) {
          rp.deliver(res.error());
          return;
        }
        rp.deliver(std::move(*res));
      },
      [rp](const caf::error& err) mutable { rp.deliver(err); });
}

} // namespace

source_actor::behavior_type
cloud_source(source_actor::stateful_pointer<source_state> self,
             source_config config) {
  self->state.config = std::move(config);
  return {
    [self](atom::src_info) -> source_info {
      auto& cfg = self->state.config;
      return {cfg.wire.provider, cfg.enabled,
              cfg.authenticated && static_cast<bool>(cfg.gateway)};
    },
    [self](atom::src_page, page_request& req) -> caf::result<source_page> {
      auto& cfg = self->state.config;
      if (!cfg.enabled || !cfg.gateway)
        return make_error(ec::provider_unavailable,
                          cfg.wire.provider + " is not configured");
      auto url = req.cursor.empty() ? cfg.wire.first_url(cfg.api_base, req)
                                    : resolve_next(cfg.api_base, req.cursor);
      if (url.empty())
        return make_error(ec::bad_response,
                          cfg.wire.provider + " has no list " + req.list);
      auto rp = self->make_response_promise<source_page>();
      fetch(self, std::move(req), std::move(url), rp, false);
      return rp;
    },
  };
}

} // namespace discotheque
