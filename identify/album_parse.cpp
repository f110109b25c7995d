// Parsers of release bodies: a lookup with media, tracks, recordings and
// ISRCs, and the lists a release search or browse answers.
#include "identify/album_match.hpp"
#include "identify/mb_json.hpp"

namespace discotheque::identify {

using namespace mb_json;

namespace {

std::vector<mb_credit> parse_credit(const nlohmann::json& obj) {
  std::vector<mb_credit> out;
  auto it = obj.find("artist-credit");
  if (it == obj.end() || !it->is_array())
    return out;
  for (const auto& c : *it) {
    if (!c.is_object())
      continue;
    mb_credit credit;
    if (auto a = c.find("artist"); a != c.end() && a->is_object()) {
      credit.artist_mbid = str(*a, "id");
      credit.name = str(*a, "name");
    }
    if (auto n = str(c, "name"); !n.empty())
      credit.name = n;
    credit.joinphrase = str(c, "joinphrase");
    out.push_back(std::move(credit));
  }
  return out;
}

/// The release group embedded in a release (a search hit's has no title).
mb_release_group embedded_group(const nlohmann::json& j) {
  mb_release_group rg;
  if (!j.is_object())
    return rg;
  rg.mbid = str(j, "id");
  rg.title = str(j, "title");
  rg.primary_type = str(j, "primary-type");
  if (auto it = j.find("secondary-types"); it != j.end() && it->is_array())
    for (const auto& t : *it)
      if (t.is_string())
        rg.secondary_types.push_back(t.get<std::string>());
  rg.first_release_date = str(j, "first-release-date");
  return rg;
}

mb_track parse_track(const nlohmann::json& j, int disc, int index) {
  constexpr std::string_view ctx = "release track";
  require_object(j, ctx);
  mb_track t;
  t.track_mbid = str(j, "id");
  t.title = str(j, "title");
  t.number = str(j, "number");
  t.disc = disc;
  t.position = static_cast<int>(integer(j, "position").value_or(index + 1));
  if (auto len = integer(j, "length"))
    t.length_ms = *len;
  t.credit = parse_credit(j);
  if (auto r = j.find("recording"); r != j.end() && r->is_object()) {
    t.recording_mbid = required_str(*r, "id", "release track recording");
    t.recording_title = str(*r, "title");
    if (!t.length_ms)
      if (auto len = integer(*r, "length"))
        t.length_ms = *len;
    if (auto is = r->find("isrcs"); is != r->end() && is->is_array())
      for (const auto& isrc : *is)
        if (isrc.is_string())
          t.isrcs.push_back(isrc.get<std::string>());
    if (t.credit.empty())
      t.credit = parse_credit(*r);
  }
  if (t.title.empty())
    t.title = t.recording_title;
  return t;
}

mb_medium parse_medium(const nlohmann::json& j, int index) {
  require_object(j, "release medium");
  mb_medium m;
  m.position = static_cast<int>(integer(j, "position").value_or(index + 1));
  m.format = str(j, "format");
  m.title = str(j, "title");
  // A lookup lists "tracks"; the media of search hits say "track".
  const nlohmann::json* tracks = nullptr;
  for (auto key : {"tracks", "track"})
    if (auto it = j.find(key); it != j.end() && it->is_array()) {
      tracks = &*it;
      break;
    }
  if (tracks != nullptr) {
    int i = 0;
    for (const auto& t : *tracks)
      m.tracks.push_back(parse_track(t, m.position, i++));
  }
  m.track_count = static_cast<int>(
    integer(j, "track-count").value_or(static_cast<int64_t>(m.tracks.size())));
  return m;
}

} // namespace

std::vector<mb_track> mb_release::tracks() const {
  std::vector<mb_track> out;
  for (const auto& m : media)
    out.insert(out.end(), m.tracks.begin(), m.tracks.end());
  return out;
}

mb_release parse_release(const nlohmann::json& body) {
  constexpr std::string_view ctx = "release";
  require_object(body, ctx);
  mb_release r;
  r.mbid = required_str(body, "id", ctx);
  r.title = required_str(body, "title", ctx);
  r.status = str(body, "status");
  r.date = str(body, "date");
  r.country = str(body, "country");
  r.barcode = str(body, "barcode");
  r.disambiguation = str(body, "disambiguation");
  if (auto it = body.find("release-group"); it != body.end())
    r.group = embedded_group(*it);
  r.credit = parse_credit(body);
  if (auto it = body.find("media"); it != body.end() && it->is_array()) {
    int i = 0;
    for (const auto& m : *it)
      r.media.push_back(parse_medium(m, i++));
  }
  for (const auto& m : r.media) {
    r.track_count += m.track_count;
    r.has_tracks = r.has_tracks || !m.tracks.empty();
  }
  if (r.track_count == 0)
    r.track_count = static_cast<int>(integer(body, "track-count").value_or(0));
  return r;
}

mb_release_page parse_release_list(const nlohmann::json& body) {
  constexpr std::string_view ctx = "release list";
  require_object(body, ctx);
  mb_release_page page;
  for (const auto& j : required_array(body, "releases", ctx))
    page.releases.push_back(parse_release(j));
  auto pos = page_of(body, "release", page.releases.size());
  page.total = pos.total;
  page.offset = pos.offset;
  return page;
}

} // namespace discotheque::identify
