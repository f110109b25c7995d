#include "http/api/identify.hpp"

#include "identify/album_match.hpp"
#include "storage/queries/identify.hpp"
#include "storage/writes/identify.hpp"
#include "support/time.hpp"

#include <charconv>

namespace discotheque::http {

using nlohmann::json;

namespace {

api_outcome fail(int status, const std::string& code, const std::string& msg) {
  return api_outcome{json_error(status, code, msg), std::nullopt};
}

std::optional<int64_t> parse_id(const std::string& s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v <= 0)
    return std::nullopt;
  return v;
}

bool is_mbid(const std::string& s) {
  if (s.size() != 36)
    return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  }
  return true;
}

int64_t int_query(const request& req, const std::string& key, int64_t def,
                  int64_t min, int64_t max, bool& bad) {
  auto it = req.query.find(key);
  if (it == req.query.end())
    return def;
  int64_t v = 0;
  const auto& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v < min || v > max)
    bad = true;
  return v;
}

reader_handler matches_of(std::string type) {
  return [type](const request&, const path_params& p, storage::database& ro) {
    auto id = parse_id(p.at("id"));
    if (!id)
      return fail(400, "bad_request", "not an id: " + p.at("id"));
    try {
      auto m = storage::entity_matches(ro, type, *id);
      if (!m)
        return fail(404, "not_found", "no " + type + " " + p.at("id"));
      return api_outcome{json_ok(*m), std::nullopt};
    } catch (const std::exception& e) {
      return fail(500, "database_error", e.what());
    }
  };
}

/// PUT {"mbid": "..."} or {"mbid": null}: a user's choice that no later
/// run overwrites. Checked against the MusicBrainz answers the response
/// cache holds (the lookups the identify tasks made): a cached "no such
/// entity" is refused, one that exists is verified; otherwise (not asked
/// yet, or MusicBrainz unreachable) it is accepted and marked unverified.
reader_handler put_mbid(std::string type) {
  return [type](const request& req, const path_params& p,
                storage::database& ro) {
    auto id = parse_id(p.at("id"));
    if (!id)
      return fail(400, "bad_request", "not an id: " + p.at("id"));
    auto body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("mbid")
        || !(body["mbid"].is_null() || body["mbid"].is_string()))
      return fail(400, "bad_request",
                  R"(expected {"mbid": "<MusicBrainz id>"} or {"mbid": null})");
    try {
      if (!storage::entity_matches(ro, type, *id, 0))
        return fail(404, "not_found", "no " + type + " " + p.at("id"));
      storage::identify_decision d;
      d.entity_type = type;
      d.entity_id = *id;
      d.decided_at = now_ms();
      d.decided_by = "user";
      d.source = "user";
      bool unverified = false;
      json out{{"id", *id}, {"type", type}};
      if (body["mbid"].is_null()) {
        d.outcome = "not_found";
        d.why = "cleared by the user: no MBID, not identified again";
        out["mbid"] = nullptr;
      } else {
        auto mbid = body["mbid"].get<std::string>();
        if (!is_mbid(mbid))
          return fail(400, "bad_request", "not an MBID: " + mbid);
        if (auto other = storage::other_with_mbid(ro, type, mbid, *id))
          return fail(409, "conflict",
                      type + " " + std::to_string(*other) + " already has MBID "
                        + mbid);
        auto cached = storage::cached_mb_lookup(ro, type, mbid);
        if (cached && cached->status == 404)
          return fail(422, "unknown_mbid",
                      "MusicBrainz has no " + type + " " + mbid);
        unverified = !cached;
        if (cached && type == "album") {
          try {
            auto rel = identify::parse_release(json::parse(cached->body));
            if (!rel.group.mbid.empty())
              d.secondary_mbid = rel.group.mbid;
          } catch (const std::exception&) {
            unverified = true;
          }
        }
        d.outcome = "identified";
        d.chosen_mbid = mbid;
        d.confidence = 1;
        d.margin = 1;
        d.why = unverified ? "set by the user (unverified: MusicBrainz's"
                             " answer is not known yet)"
                           : "set by the user, verified";
        out["mbid"] = mbid;
      }
      out["mbid_source"] = "user";
      out["unverified"] = unverified;
      return api_outcome{json_ok(out), storage::set_user_mbid(d, unverified)};
    } catch (const std::exception& e) {
      return fail(500, "database_error", e.what());
    }
  };
}

} // namespace

void add_identify_routes(reader_router& r) {
  for (std::string kind : {"artist", "album", "track"}) {
    auto base = "/api/library/" + kind + "s/{id}/";
    r.add("GET", base + "matches", matches_of(kind));
    r.add("PUT", base + "mbid", put_mbid(kind));
  }
  r.add("GET", "/api/library/unidentified",
        [](const request& req, const path_params&, storage::database& ro) {
          auto it = req.query.find("type");
          std::string type = it == req.query.end() ? "" : it->second;
          if (type != "artist" && type != "album" && type != "track")
            return fail(400, "bad_request",
                        "type must be artist, album or track");
          bool bad = false;
          auto limit = int_query(req, "limit", 50, 1, 500, bad);
          auto offset = int_query(req, "offset", 0, 0, INT64_MAX, bad);
          if (bad)
            return fail(400, "bad_request", "limit 1..500, offset >= 0");
          try {
            return api_outcome{
              json_ok(storage::unidentified(ro, type, limit, offset)),
              std::nullopt};
          } catch (const std::exception& e) {
            return fail(500, "database_error", e.what());
          }
        });
}

} // namespace discotheque::http
