#include "storage/queries/identify.hpp"

#include "support/time.hpp"

#include <unordered_map>

namespace discotheque::storage {

using nlohmann::json;

std::vector<artist_to_identify> artists_to_identify(database& db) {
  std::vector<artist_to_identify> out;
  std::unordered_map<int64_t, size_t> index;
  auto st = db.prepare(
    "SELECT id, name, mbid, identify_checked_at, identify_attempts FROM artists"
    " WHERE ownership_state != 'ignored'"
    " AND (mbid IS NULL OR mbid_source IS NULL) ORDER BY id");
  while (st.step()) {
    artist_to_identify a;
    a.id = st.int64(0);
    a.name = st.text(1);
    a.mbid = st.opt_text(2).value_or("");
    a.checked_at = st.opt_int64(3).value_or(0);
    a.attempts = st.opt_int64(4).value_or(0);
    index.emplace(a.id, out.size());
    out.push_back(std::move(a));
  }
  if (out.empty())
    return out;
  auto albums = db.prepare(
    "SELECT aa.artist_id, al.title FROM album_artists aa"
    " JOIN albums al ON al.id = aa.album_id JOIN artists ar ON ar.id = "
    "aa.artist_id WHERE ar.ownership_state != 'ignored' AND (ar.mbid IS NULL"
    " OR ar.mbid_source IS NULL) ORDER BY aa.artist_id, al.id");
  while (albums.step())
    if (auto it = index.find(albums.int64(0)); it != index.end())
      out[it->second].album_titles.push_back(albums.text(1));
  auto isrcs = db.prepare(
    "SELECT t.artist_id, t.isrc FROM tracks t JOIN artists ar ON ar.id = "
    "t.artist_id WHERE t.isrc IS NOT NULL AND ar.ownership_state != 'ignored'"
    " AND (ar.mbid IS NULL OR ar.mbid_source IS NULL) ORDER BY t.artist_id, "
    "t.id");
  while (isrcs.step())
    if (auto it = index.find(isrcs.int64(0)); it != index.end())
      if (out[it->second].isrcs.size() < 50)
        out[it->second].isrcs.push_back(isrcs.text(1));
  return out;
}

std::vector<artist_to_identify>
load_artists_to_identify(const std::filesystem::path& db_path) {
  auto db = database::open(db_path, database::mode::read_only);
  return artists_to_identify(db);
}

std::optional<json> artist_matches(database& db, int64_t artist_id,
                                   int64_t limit) {
  auto a = db.prepare("SELECT name, mbid, mbid_source, mbid_confidence,"
                      " identify_checked_at, identify_attempts FROM artists"
                      " WHERE id = ?1");
  a.bind(1, artist_id);
  if (!a.step())
    return std::nullopt;
  auto opt_time = [](std::optional<int64_t> t) -> json {
    return t ? json(iso8601(*t)) : json(nullptr);
  };
  json out{{"id", artist_id},
           {"name", a.text(0)},
           {"mbid", a.opt_text(1) ? json(*a.opt_text(1)) : json(nullptr)},
           {"mbid_source",
            a.opt_text(2) ? json(*a.opt_text(2)) : json(nullptr)},
           {"confidence", a.is_null(3) ? json(nullptr) : json(a.real(3))},
           {"checked_at", opt_time(a.opt_int64(4))},
           {"attempts", a.int64(5)}};
  auto d = db.prepare(
    "SELECT decided_at, decided_by, outcome, chosen_mbid, source, confidence,"
    " margin, why, candidates, stale FROM identify_decisions"
    " WHERE entity_type = 'artist' AND entity_id = ?1 ORDER BY id DESC"
    " LIMIT ?2");
  d.bind(1, artist_id);
  d.bind(2, limit);
  json decisions = json::array();
  while (d.step()) {
    auto candidates = json::parse(d.text(8), nullptr, false);
    decisions.push_back(
      {{"decided_at", iso8601(d.int64(0))},
       {"decided_by", d.text(1)},
       {"outcome", d.text(2)},
       {"chosen", d.opt_text(3) ? json(*d.opt_text(3)) : json(nullptr)},
       {"source", d.text(4)},
       {"confidence", d.is_null(5) ? json(nullptr) : json(d.real(5))},
       {"margin", d.is_null(6) ? json(nullptr) : json(d.real(6))},
       {"why", d.text(7)},
       {"candidates", candidates.is_discarded() ? json::array() : candidates},
       {"stale", d.int64(9) != 0}});
  }
  out["decision"] = decisions.empty() ? json(nullptr) : decisions[0];
  out["history"] = decisions;
  return out;
}

} // namespace discotheque::storage
