#include "actors/dedup_store.hpp"

#include "library/normalize.hpp"
#include "messages/error.hpp"
#include "storage/database.hpp"
#include "support/log.hpp"
#include "support/time.hpp"

#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace discotheque {

namespace {

constexpr const char* now_sql
  = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

sql_value text_or_null(const std::string& s) {
  return s.empty() ? sql_value::null() : sql_value::of(s);
}

sql_value int_or_null(int64_t v) {
  return v == 0 ? sql_value::null() : sql_value::of(v);
}

std::string genres_json(const std::vector<std::string>& g) {
  return g.empty()
           ? std::string{}
           : nlohmann::json(g).dump(-1, ' ', false,
                                    nlohmann::json::error_handler_t::replace);
}

void insert_sorted(std::vector<int64_t>& ids, int64_t id) {
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  if (it == ids.end() || *it != id)
    ids.insert(it, id);
}

/// An id may only be filled into a row when no other row carries it (the
/// unique indexes would reject the whole batch otherwise).
bool free_for(const dedup_state::index& idx, const std::string& key,
              int64_t id) {
  if (key.empty())
    return false;
  auto it = idx.find(key);
  return it == idx.end() || it->second == id;
}

/// Fills a provider id into row `id` unless the row knows one already or
/// another row carries it; returns the value to write (null: nothing new).
sql_value fill(dedup_state::index& idx, const std::string& v, bool& known,
               int64_t id) {
  if (known || !free_for(idx, v, id))
    return sql_value::null();
  idx[v] = id;
  known = true;
  return sql_value::of(v);
}

/// Repairs a display name and collapses runs of whitespace.
std::string tidy(const std::string& s) {
  auto r = library::repair_utf8(s);
  std::string out;
  out.reserve(r.size());
  for (char c : r)
    if (c != ' ' || (!out.empty() && out.back() != ' '))
      out += c;
  return out;
}

/// Which of two spellings of the same name is shown: mixed case over all
/// caps or all lower case, accents over none, longer ("The Beatles" over
/// "Beatles"), then byte order. A total order, so the library does not
/// depend on the order in which files arrive.
bool better_spelling(const std::string& a, const std::string& b) {
  auto rank = [](const std::string& s) {
    bool upper = false, lower = false;
    int non_ascii = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      upper = upper || (c >= 'A' && c <= 'Z');
      lower = lower || (c >= 'a' && c <= 'z');
      non_ascii += (c & 0xC0) == 0xC0;     // lead bytes: one per code point
      if (c == 0xC3 && i + 1 < s.size()) { // Latin-1 letters: À-Þ vs ß-ÿ
        auto n = static_cast<unsigned char>(s[i + 1]);
        upper = upper || (n >= 0x80 && n <= 0x9E && n != 0x97);
        lower = lower || (n >= 0x9F && n != 0xB7);
      }
    }
    bool inverted = s.size() > 5 && s.ends_with(", The"); // "Beatles, The"
    return std::make_tuple(!inverted, upper && lower, non_ascii, s.size());
  };
  auto ra = rank(a), rb = rank(b);
  if (ra != rb)
    return ra > rb;
  return a < b;
}

bool mbid_compatible(const std::string& a, const std::string& b) {
  return a.empty() || b.empty() || a == b;
}

enum artist_field : uint8_t { a_sort = 1, a_genres = 2, a_source = 4 };
enum album_field : uint8_t {
  b_rg = 1,
  b_upc = 2,
  b_type = 4,
  b_date = 8,
  b_tracks = 16,
  b_discs = 32,
  b_genres = 64,
  b_source = 128
};

/// Whether `value` would fill a column not known yet (bit `bit` of `filled`).
bool fills(uint8_t filled, uint8_t bit, bool value_known) {
  return value_known && !(filled & bit);
}

// --- SQL
// ----------------------------------------------------------------------

const std::string artist_insert
  = "INSERT INTO artists(id, name, sort_name, normalized_name, mbid, "
    "spotify_id, deezer_id, tidal_id, ownership_state, primary_source, genres)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
const std::string artist_rename = "UPDATE artists SET name = ?2 WHERE id = ?1";
const std::string album_rename = "UPDATE albums SET title = ?2 WHERE id = ?1";
const std::string artist_update
  = std::string{"UPDATE artists SET sort_name = COALESCE(sort_name, ?2), "
                "mbid = COALESCE(mbid, ?3), spotify_id = COALESCE(spotify_id, "
                "?4), deezer_id = COALESCE(deezer_id, ?5), tidal_id = "
                "COALESCE(tidal_id, ?6), ownership_state = CASE WHEN "
                "ownership_state = 'discovered' AND ?7 = 1 THEN 'owned' ELSE "
                "ownership_state END, primary_source = COALESCE(primary_source,"
                " ?8), genres = COALESCE(genres, ?9), updated_at = "}
    + now_sql + " WHERE id = ?1";
const std::string album_insert
  = "INSERT INTO albums(id, title, normalized_title, mbid, release_group_mbid,"
    " spotify_id, deezer_id, tidal_id, upc, album_type, release_date, "
    "total_tracks, total_discs, genres, ownership_state, primary_source) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
    " ?16)";
const std::string album_update
  = std::string{"UPDATE albums SET mbid = COALESCE(mbid, ?2), "
                "release_group_mbid = COALESCE(release_group_mbid, ?3), "
                "spotify_id = COALESCE(spotify_id, ?4), deezer_id = "
                "COALESCE(deezer_id, ?5), tidal_id = COALESCE(tidal_id, ?6), "
                "upc = COALESCE(upc, ?7), album_type = COALESCE(album_type, "
                "?8), release_date = COALESCE(release_date, ?9), total_tracks "
                "= COALESCE(total_tracks, ?10), total_discs = "
                "COALESCE(total_discs, ?11), genres = COALESCE(genres, ?12), "
                "ownership_state = CASE WHEN ownership_state = 'discovered' "
                "AND ?13 = 1 THEN 'owned' ELSE ownership_state END, "
                "primary_source = COALESCE(primary_source, ?14), updated_at = "}
    + now_sql + " WHERE id = ?1";
const std::string album_artist_insert
  = "INSERT OR IGNORE INTO album_artists(album_id, artist_id, position) "
    "VALUES (?1, ?2, ?3)";
// Fills what is missing. ?18: 1 = make owned; ?19: download mode
// ('local' = the file is on disk, 'queue' = auto-queue, '' = keep).
const std::string track_merge
  = std::string{"UPDATE tracks SET mbid = COALESCE(mbid, ?2), "
                "release_track_mbid = COALESCE(release_track_mbid, ?3), isrc "
                "= COALESCE(isrc, ?4), spotify_id = COALESCE(spotify_id, ?5), "
                "deezer_id = COALESCE(deezer_id, ?6), tidal_id = "
                "COALESCE(tidal_id, ?7), album_id = COALESCE(album_id, ?8), "
                "artist_id = COALESCE(artist_id, ?9), track_number = "
                "COALESCE(track_number, ?10), track_total = "
                "COALESCE(track_total, ?11), disc_number = COALESCE("
                "disc_number, ?12), disc_total = COALESCE(disc_total, ?13), "
                "duration_ms = COALESCE(duration_ms, ?14), genre = "
                "COALESCE(genre, ?15), ownership_state = CASE WHEN "
                "ownership_state = 'discovered' AND ?16 = 1 THEN 'owned' ELSE "
                "ownership_state END, primary_source = COALESCE("
                "primary_source, ?17), download_state = CASE WHEN ?18 = "
                "'local' THEN 'downloaded' WHEN ?18 = 'queue' AND "
                "ownership_state <> 'ignored' AND "
                "download_state IN ('not_needed', 'failed') THEN 'pending' "
                "ELSE download_state END, download_state_updated_at = CASE "
                "WHEN ?18 <> '' THEN "}
    + now_sql + " ELSE download_state_updated_at END, updated_at = " + now_sql
    + " WHERE id = ?1";
// The file behind a track changed: the file is authoritative for what it
// says (title, numbers, credits), known ids are still never overwritten.
const std::string track_refresh
  = std::string{"UPDATE tracks SET title = ?2, normalized_title = ?3, "
                "album_id = ?4, artist_id = ?5, track_number = ?6, track_total"
                " = ?7, disc_number = ?8, disc_total = ?9, duration_ms = ?10, "
                "genre = ?11, updated_at = "}
    + now_sql + " WHERE id = ?1";
const std::string track_set_local
  = "UPDATE tracks SET local_path = ?2, file_size = ?3, file_mtime = ?4 "
    "WHERE id = ?1";
const std::string track_gone
  = std::string{"UPDATE tracks SET local_path = NULL, file_size = NULL, "
                "file_mtime = NULL, download_state = 'not_needed', "
                "download_state_updated_at = "}
    + now_sql + ", updated_at = " + now_sql + " WHERE id = ?1";
const std::string track_artists_clear
  = "DELETE FROM track_artists WHERE track_id = ?1";
// Bulk forms: new tracks and their credits go out as multi-row INSERTs of
// up to `rows_per_insert` rows, bound directly (no per-row statement, no
// JSON to parse in SQLite). Full chunks share one SQL text, so the store
// prepares each form once.
constexpr size_t rows_per_insert = 64;
const std::string track_insert_head
  = "INSERT INTO tracks(id, title, normalized_title, mbid, release_track_mbid,"
    " isrc, spotify_id, deezer_id, tidal_id, album_id, artist_id, "
    "track_number, track_total, disc_number, disc_total, duration_ms, genre, "
    "ownership_state, primary_source, download_state, "
    "download_state_updated_at, local_path, file_size, file_mtime) VALUES ";
constexpr size_t track_columns = 24;
const std::string track_artist_insert_head
  = "INSERT OR IGNORE INTO track_artists(track_id, artist_id, role, position)"
    " VALUES ";
constexpr size_t track_artist_columns = 4;

/// `head` followed by `rows` groups of `cols` numbered parameters.
std::string values_sql(const std::string& head, size_t cols, size_t rows) {
  std::string sql = head;
  sql.reserve(head.size() + rows * cols * 7);
  size_t n = 1;
  for (size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (size_t c = 0; c < cols; ++c, ++n) {
      if (c)
        sql += ", ";
      sql += '?';
      sql += std::to_string(n);
    }
    sql += ')';
  }
  return sql;
}

const std::string claim_bulk_upsert
  = "INSERT INTO ownership_claims(entity_type, entity_id, source, reason, "
    "run_id) SELECT ?1, value, ?2, ?3, ?4 FROM json_each(?5) WHERE true ON "
    "CONFLICT(entity_type, entity_id, source, reason) DO UPDATE SET run_id = "
    "excluded.run_id";

/// Turns one ingest_batch into statements, updating the indexes as it goes
/// so that later entities of the same batch find the earlier ones.
struct batch_builder {
  dedup_state& st;
  const ingest_batch& b;
  write_request req;
  ingest_result res;
  bool claimed; ///< the batch claims ownership (reason not empty)
  bool local;   ///< local files: tracks carry a path

  batch_builder(dedup_state& s, const ingest_batch& batch)
    : st(s),
      b(batch),
      claimed(!batch.reason.empty()),
      local(batch.source == "local") {
  }

  void add(const std::string& sql, std::vector<sql_value> params) {
    req.statements.push_back(sql_stmt{sql, std::move(params)});
  }

  std::vector<std::vector<sql_value>> new_tracks; ///< rows of track_columns
  std::vector<std::vector<sql_value>> credits; ///< rows of track_artist_columns
  std::map<std::string, nlohmann::json> claims; ///< entity type -> ids

  void claim(const char* type, int64_t id) {
    if (!claimed)
      return;
    auto& ids = claims[type];
    if (ids.is_null())
      ids = nlohmann::json::array();
    ids.push_back(id);
  }

  /// Emits the collected rows. Runs before any statement that may touch a
  /// track inserted earlier in the batch, and at the end.
  void flush() {
    add_rows(track_insert_head, track_columns, new_tracks);
    add_rows(track_artist_insert_head, track_artist_columns, credits);
    for (auto& [type, ids] : claims)
      add(claim_bulk_upsert, {sql_value::of(type), sql_value::of(b.source),
                              sql_value::of(b.reason), sql_value::of(b.run_id),
                              sql_value::of(ids.dump())});
    claims.clear();
  }

  sql_value source() const {
    return sql_value::of(b.source);
  }

  /// Emits `rows` as multi-row INSERTs and empties it.
  void add_rows(const std::string& head, size_t cols,
                std::vector<std::vector<sql_value>>& rows) {
    for (size_t at = 0; at < rows.size(); at += rows_per_insert) {
      auto n = std::min(rows_per_insert, rows.size() - at);
      auto& sql = st.insert_sql[{&head, n}];
      if (sql.empty())
        sql = values_sql(head, cols, n);
      std::vector<sql_value> params;
      params.reserve(n * cols);
      for (size_t r = at; r < at + n; ++r)
        for (auto& v : rows[r])
          params.push_back(std::move(v));
      add(sql, std::move(params));
    }
    rows.clear();
  }

  int64_t artist(const artist_dto& a, bool owned) {
    std::string name = tidy(a.name);
    if (name.empty())
      name = "Unknown Artist";
    auto key = library::artist_key(name);
    if (key.empty())
      key = name; // all punctuation, e.g. "!!!": compare as written
    int64_t id = 0;
    if (!a.mbid.empty()) {
      if (auto it = st.artist_by_mbid.find(a.mbid);
          it != st.artist_by_mbid.end())
        id = it->second;
    }
    auto by_provider = [&](const dedup_state::index& idx,
                           const std::string& pid) {
      if (id != 0 || pid.empty())
        return;
      if (auto it = idx.find(pid);
          it != idx.end()
          && mbid_compatible(a.mbid, st.artists[it->second].mbid))
        id = it->second;
    };
    by_provider(st.artist_by_spotify, provider_id(a, "spotify"));
    by_provider(st.artist_by_deezer, provider_id(a, "deezer"));
    by_provider(st.artist_by_tidal, provider_id(a, "tidal"));
    if (id == 0) {
      if (auto it = st.artist_by_name.find(key); it != st.artist_by_name.end())
        for (auto c : it->second)
          if (mbid_compatible(a.mbid, st.artists[c].mbid)) {
            id = c;
            break;
          }
    }
    bool created = id == 0;
    if (created) {
      id = st.next_artist++;
      st.artists[id].name = name;
      insert_sorted(st.artist_by_name[key], id);
    }
    auto& r = st.artists[id];
    if (!created && better_spelling(name, r.name)) {
      r.name = name;
      add(artist_rename, {sql_value::of(id), sql_value::of(name)});
    }
    sql_value mbid = sql_value::null();
    if (r.mbid.empty() && free_for(st.artist_by_mbid, a.mbid, id)) {
      r.mbid = a.mbid;
      st.artist_by_mbid[a.mbid] = id;
      mbid = sql_value::of(a.mbid);
    }
    auto sp = fill(st.artist_by_spotify, provider_id(a, "spotify"), r.spotify,
                   id);
    auto dz = fill(st.artist_by_deezer, provider_id(a, "deezer"), r.deezer, id);
    auto td = fill(st.artist_by_tidal, provider_id(a, "tidal"), r.tidal, id);
    auto genres = text_or_null(genres_json(a.genres));
    if (created) {
      ++res.created;
      add(artist_insert,
          {sql_value::of(id), sql_value::of(name), text_or_null(a.sort_name),
           sql_value::of(key), mbid, sp, dz, td,
           sql_value::of(owned ? "owned" : "discovered"), source(), genres});
    } else {
      ++res.merged;
      bool changes = mbid.kind != sql_value::null_v
                     || sp.kind != sql_value::null_v
                     || dz.kind != sql_value::null_v
                     || td.kind != sql_value::null_v || (owned && !r.settled)
                     || fills(r.filled, a_sort, !a.sort_name.empty())
                     || fills(r.filled, a_genres, !a.genres.empty())
                     || fills(r.filled, a_source, true);
      if (changes)
        add(artist_update,
            {sql_value::of(id), text_or_null(a.sort_name), mbid, sp, dz, td,
             sql_value::of(owned ? 1 : 0), source(), genres});
    }
    r.settled = r.settled || owned;
    r.filled |= a_source | (a.sort_name.empty() ? 0 : a_sort)
                | (a.genres.empty() ? 0 : a_genres);
    return id;
  }

  /// The known album `a` names by MBID, else by provider id (never one with
  /// another MBID); 0 if none. Names are matched by album() only: an album
  /// with no title is never created.
  int64_t known_album(const album_dto& a) const {
    if (!a.mbid.empty())
      if (auto it = st.album_by_mbid.find(a.mbid); it != st.album_by_mbid.end())
        return it->second;
    for (auto [idx, pid] :
         {std::pair{&st.album_by_spotify, &provider_id(a, "spotify")},
          std::pair{&st.album_by_deezer, &provider_id(a, "deezer")},
          std::pair{&st.album_by_tidal, &provider_id(a, "tidal")}}) {
      if (pid->empty())
        continue;
      if (auto it = idx->find(*pid);
          it != idx->end()
          && mbid_compatible(a.mbid, st.albums.at(it->second).mbid))
        return it->second;
    }
    return 0;
  }

  int64_t album(const album_dto& a, bool owned, int64_t fallback_artist) {
    std::vector<int64_t> artist_ids;
    for (auto& x : a.artists)
      artist_ids.push_back(artist(x, owned));
    if (artist_ids.empty() && fallback_artist != 0)
      artist_ids.push_back(fallback_artist);
    std::string title = tidy(a.title);
    auto key = std::to_string(artist_ids.empty() ? 0 : artist_ids.front()) + "|"
               + library::fold(title);
    int64_t id = known_album(a);
    if (id == 0)
      if (auto it = st.album_by_name.find(key); it != st.album_by_name.end())
        for (auto c : it->second)
          if (mbid_compatible(a.mbid, st.albums[c].mbid)) {
            id = c;
            break;
          }
    bool created = id == 0;
    if (created) {
      id = st.next_album++;
      st.albums[id].title = title;
      insert_sorted(st.album_by_name[key], id);
    }
    auto& r = st.albums[id];
    if (!created && better_spelling(title, r.title)) {
      r.title = title;
      add(album_rename, {sql_value::of(id), sql_value::of(title)});
    }
    sql_value mbid = sql_value::null();
    if (r.mbid.empty() && free_for(st.album_by_mbid, a.mbid, id)) {
      r.mbid = a.mbid;
      st.album_by_mbid[a.mbid] = id;
      mbid = sql_value::of(a.mbid);
    }
    auto sp = fill(st.album_by_spotify, provider_id(a, "spotify"), r.spotify,
                   id);
    auto dz = fill(st.album_by_deezer, provider_id(a, "deezer"), r.deezer, id);
    auto td = fill(st.album_by_tidal, provider_id(a, "tidal"), r.tidal, id);
    auto genres = text_or_null(genres_json(a.genres));
    if (created) {
      ++res.created;
      add(album_insert,
          {sql_value::of(id), sql_value::of(title),
           sql_value::of(library::fold(title)), mbid,
           text_or_null(a.release_group_mbid), sp, dz, td, text_or_null(a.upc),
           text_or_null(a.album_type), text_or_null(a.release_date),
           int_or_null(a.total_tracks), int_or_null(a.total_discs), genres,
           sql_value::of(owned ? "owned" : "discovered"), source()});
    } else {
      ++res.merged;
      auto f = r.filled;
      bool changes = mbid.kind != sql_value::null_v
                     || sp.kind != sql_value::null_v
                     || dz.kind != sql_value::null_v
                     || td.kind != sql_value::null_v || (owned && !r.settled)
                     || fills(f, b_rg, !a.release_group_mbid.empty())
                     || fills(f, b_upc, !a.upc.empty())
                     || fills(f, b_type, !a.album_type.empty())
                     || fills(f, b_date, !a.release_date.empty())
                     || fills(f, b_tracks, a.total_tracks != 0)
                     || fills(f, b_discs, a.total_discs != 0)
                     || fills(f, b_genres, !a.genres.empty())
                     || fills(f, b_source, true);
      if (changes)
        add(album_update,
            {sql_value::of(id), mbid, text_or_null(a.release_group_mbid), sp,
             dz, td, text_or_null(a.upc), text_or_null(a.album_type),
             text_or_null(a.release_date), int_or_null(a.total_tracks),
             int_or_null(a.total_discs), genres, sql_value::of(owned ? 1 : 0),
             source()});
    }
    r.settled = r.settled || owned;
    r.filled |= b_source | (a.release_group_mbid.empty() ? 0 : b_rg)
                | (a.upc.empty() ? 0 : b_upc)
                | (a.album_type.empty() ? 0 : b_type)
                | (a.release_date.empty() ? 0 : b_date)
                | (a.total_tracks == 0 ? 0 : b_tracks)
                | (a.total_discs == 0 ? 0 : b_discs)
                | (a.genres.empty() ? 0 : b_genres);
    for (size_t i = 0; i < artist_ids.size(); ++i) {
      auto& linked = r.artists;
      if (std::find(linked.begin(), linked.end(), artist_ids[i])
          != linked.end())
        continue;
      linked.push_back(artist_ids[i]);
      add(album_artist_insert,
          {sql_value::of(id), sql_value::of(artist_ids[i]),
           sql_value::of(static_cast<int64_t>(linked.size() - 1))});
    }
    return id;
  }

  /// A track that may take this incoming one: a local file never takes a
  /// track that another file on disk backs already.
  bool eligible(int64_t id, const track_dto& t) {
    auto& r = st.tracks[id];
    if (local && r.has_local)
      return false;
    return mbid_compatible(t.mbid, r.mbid);
  }

  int64_t track(const track_dto& t, bool owned) {
    std::vector<int64_t> main_ids;
    for (auto& a : t.artists)
      main_ids.push_back(artist(a, owned));
    if (main_ids.empty()) {
      artist_dto unknown;
      unknown.name = "Unknown Artist";
      main_ids.push_back(artist(unknown, owned));
    }
    std::vector<int64_t> featured_ids;
    for (auto& a : t.featured)
      featured_ids.push_back(artist(a, false));
    int64_t album_id = 0;
    if (!t.album.title.empty())
      album_id = album(t.album, owned, main_ids.front());
    else
      album_id
        = known_album(t.album); // an album's track list names only its id
    std::string title = library::repair_utf8(t.title);
    if (title.empty())
      title = "Untitled";
    auto norm = library::fold(title);
    auto key = std::to_string(main_ids.front()) + "|" + std::to_string(album_id)
               + "|" + norm;
    bool has_path = local && !t.local_path.empty();
    int64_t id = 0;
    bool same_file = false;
    if (has_path)
      if (auto it = st.track_by_path.find(t.local_path);
          it != st.track_by_path.end()) {
        id = it->second;
        same_file = true;
      }
    auto scan_multi = [&](const dedup_state::multi_index& idx,
                          const std::string& k) {
      if (id != 0 || k.empty())
        return;
      if (auto it = idx.find(k); it != idx.end())
        for (auto c : it->second)
          if (eligible(c, t)) {
            id = c;
            return;
          }
    };
    auto scan_one = [&](const dedup_state::index& idx, const std::string& k) {
      if (id != 0 || k.empty())
        return;
      if (auto it = idx.find(k); it != idx.end() && eligible(it->second, t))
        id = it->second;
    };
    scan_multi(st.track_by_mbid, t.mbid);
    scan_multi(st.track_by_isrc, t.isrc);
    scan_one(st.track_by_spotify, provider_id(t, "spotify"));
    scan_one(st.track_by_deezer, provider_id(t, "deezer"));
    scan_one(st.track_by_tidal, provider_id(t, "tidal"));
    scan_multi(st.track_by_name, key);
    bool created = id == 0;
    if (created) {
      id = st.next_track++;
      st.tracks[id];
      insert_sorted(st.track_by_name[key], id);
    }
    auto& r = st.tracks[id];
    sql_value mbid = sql_value::null();
    if (r.mbid.empty() && !t.mbid.empty()) {
      r.mbid = t.mbid;
      insert_sorted(st.track_by_mbid[t.mbid], id);
      mbid = sql_value::of(t.mbid);
    }
    sql_value isrc = sql_value::null();
    if (!r.isrc && !t.isrc.empty()) {
      r.isrc = true;
      insert_sorted(st.track_by_isrc[t.isrc], id);
      isrc = sql_value::of(t.isrc);
    }
    sql_value rtm = sql_value::null();
    if (!r.rtm && !t.release_track_mbid.empty()) {
      r.rtm = true;
      rtm = sql_value::of(t.release_track_mbid);
    }
    auto sp = fill(st.track_by_spotify, provider_id(t, "spotify"), r.spotify,
                   id);
    auto dz = fill(st.track_by_deezer, provider_id(t, "deezer"), r.deezer, id);
    auto td = fill(st.track_by_tidal, provider_id(t, "tidal"), r.tidal, id);
    const char* download = has_path                ? "local"
                           : b.auto_queue && owned ? "queue"
                                                   : "";
    if (created) {
      ++res.created;
      ++res.tracks_created;
      std::string ds = has_path                  ? "downloaded"
                       : (b.auto_queue && owned) ? "pending"
                                                 : "not_needed";
      std::vector<sql_value> values{
        sql_value::of(id),
        sql_value::of(title),
        sql_value::of(norm),
        mbid,
        rtm,
        isrc,
        sp,
        dz,
        td,
        int_or_null(album_id),
        sql_value::of(main_ids.front()),
        int_or_null(t.track_number),
        int_or_null(t.track_total),
        int_or_null(t.disc_number),
        int_or_null(t.disc_total),
        int_or_null(t.duration_ms),
        text_or_null(t.genre),
        sql_value::of(owned ? "owned" : "discovered"),
        source(),
        sql_value::of(ds),
        ds == "not_needed" ? sql_value::null() : sql_value::of(now_ms()),
        has_path ? sql_value::of(t.local_path) : sql_value::null(),
        has_path ? sql_value::of(t.file_size) : sql_value::null(),
        has_path ? sql_value::of(t.file_mtime) : sql_value::null()};
      new_tracks.push_back(std::move(values));
    } else {
      ++res.merged;
      ++res.tracks_merged;
      flush();
      if (same_file) {
        add(track_refresh,
            {sql_value::of(id), sql_value::of(title), sql_value::of(norm),
             int_or_null(album_id), sql_value::of(main_ids.front()),
             int_or_null(t.track_number), int_or_null(t.track_total),
             int_or_null(t.disc_number), int_or_null(t.disc_total),
             int_or_null(t.duration_ms), text_or_null(t.genre)});
        add(track_artists_clear, {sql_value::of(id)});
        insert_sorted(st.track_by_name[key], id);
      }
      add(track_merge,
          {sql_value::of(id), mbid, rtm, isrc, sp, dz, td,
           int_or_null(album_id), sql_value::of(main_ids.front()),
           int_or_null(t.track_number), int_or_null(t.track_total),
           int_or_null(t.disc_number), int_or_null(t.disc_total),
           int_or_null(t.duration_ms), text_or_null(t.genre),
           sql_value::of(owned ? 1 : 0), source(), sql_value::of(download)});
      if (has_path)
        add(track_set_local,
            {sql_value::of(id), sql_value::of(t.local_path),
             sql_value::of(t.file_size), sql_value::of(t.file_mtime)});
    }
    if (has_path) {
      r.has_local = true;
      st.track_by_path[t.local_path] = id;
    }
    int64_t pos = 0;
    for (auto a : main_ids)
      credits.push_back({sql_value::of(id), sql_value::of(a),
                         sql_value::of("main"), sql_value::of(pos++)});
    for (auto a : featured_ids)
      credits.push_back({sql_value::of(id), sql_value::of(a),
                         sql_value::of("featured"), sql_value::of(pos++)});
    return id;
  }

  void gone(const std::string& path) {
    auto it = st.track_by_path.find(path);
    if (it == st.track_by_path.end())
      return;
    auto id = it->second;
    st.track_by_path.erase(it);
    st.tracks[id].has_local = false;
    add(track_gone, {sql_value::of(id)});
    ++res.gone;
  }

  void build() {
    for (auto& p : b.gone_paths)
      gone(p);
    // Artists carrying an MBID first, so that a name-only spelling in the
    // same batch joins the identified artist rather than the other way
    // round, whatever the order of the batch.
    auto warm_mbid = [&](const artist_dto& a, bool owned) {
      if (!a.mbid.empty() && !st.artist_by_mbid.count(a.mbid))
        artist(a, owned);
    };
    for (auto& t : b.tracks) {
      for (auto& a : t.artists)
        warm_mbid(a, claimed);
      for (auto& a : t.album.artists)
        warm_mbid(a, claimed);
    }
    for (auto& a : b.artists) {
      auto id = artist(a, claimed);
      res.artist_ids.push_back(id);
      claim("artist", id);
    }
    for (auto& a : b.albums) {
      auto id = album(a, claimed, 0);
      res.album_ids.push_back(id);
      claim("album", id);
    }
    for (auto& t : b.tracks) {
      auto id = track(t, claimed);
      res.track_ids.push_back(id);
      claim("track", id);
    }
    flush();
  }
};

} // namespace

void dedup_state::warm() {
  warmed = false;
  artists.clear();
  albums.clear();
  tracks.clear();
  for (auto* idx : {&artist_by_mbid, &artist_by_spotify, &artist_by_deezer,
                    &artist_by_tidal, &album_by_mbid, &album_by_spotify,
                    &album_by_deezer, &album_by_tidal, &track_by_spotify,
                    &track_by_deezer, &track_by_tidal, &track_by_path})
    idx->clear();
  for (auto* idx : {&artist_by_name, &album_by_name, &track_by_mbid,
                    &track_by_isrc, &track_by_name})
    idx->clear();
  next_artist = next_album = next_track = 1;
  auto db = storage::database::open(config.db_path,
                                    storage::database::mode::read_only);
  auto put = [](index& idx, const std::optional<std::string>& v, int64_t id,
                bool* flag = nullptr) {
    if (v && !v->empty()) {
      idx[*v] = id;
      if (flag)
        *flag = true;
    }
  };
  {
    auto s = db.prepare("SELECT id, normalized_name, mbid, spotify_id, "
                        "deezer_id, tidal_id, ownership_state <> 'discovered', "
                        "(sort_name IS NOT NULL) | (genres IS NOT NULL) << 1 "
                        "| (primary_source IS NOT NULL) << 2, name FROM "
                        "artists ORDER BY id");
    while (s.step()) {
      auto id = s.int64(0);
      auto& r = artists[id];
      artist_by_name[s.text(1)].push_back(id);
      r.mbid = s.opt_text(2).value_or("");
      put(artist_by_mbid, s.opt_text(2), id);
      put(artist_by_spotify, s.opt_text(3), id, &r.spotify);
      put(artist_by_deezer, s.opt_text(4), id, &r.deezer);
      put(artist_by_tidal, s.opt_text(5), id, &r.tidal);
      r.settled = s.int64(6) != 0;
      r.filled = static_cast<uint8_t>(s.int64(7));
      r.name = s.text(8);
      next_artist = id + 1;
    }
  }
  {
    auto s = db.prepare(
      "SELECT a.id, a.normalized_title, a.mbid, a.release_group_mbid, "
      "a.spotify_id, a.deezer_id, a.tidal_id, (SELECT artist_id FROM "
      "album_artists WHERE album_id = a.id ORDER BY position LIMIT 1), "
      "a.ownership_state <> 'discovered', (a.release_group_mbid IS NOT NULL) "
      "| (a.upc IS NOT NULL) << 1 | (a.album_type IS NOT NULL) << 2 | "
      "(a.release_date IS NOT NULL) << 3 | (a.total_tracks IS NOT NULL) << 4 "
      "| (a.total_discs IS NOT NULL) << 5 | (a.genres IS NOT NULL) << 6 | "
      "(a.primary_source IS NOT NULL) << 7, a.title FROM albums a ORDER BY "
      "a.id");
    while (s.step()) {
      auto id = s.int64(0);
      auto& r = albums[id];
      album_by_name[std::to_string(s.opt_int64(7).value_or(0)) + "|"
                    + s.text(1)]
        .push_back(id);
      r.mbid = s.opt_text(2).value_or("");
      put(album_by_mbid, s.opt_text(2), id);
      r.rg = !s.is_null(3);
      put(album_by_spotify, s.opt_text(4), id, &r.spotify);
      put(album_by_deezer, s.opt_text(5), id, &r.deezer);
      put(album_by_tidal, s.opt_text(6), id, &r.tidal);
      r.settled = s.int64(8) != 0;
      r.filled = static_cast<uint8_t>(s.int64(9));
      r.title = s.text(10);
      next_album = id + 1;
    }
    auto links = db.prepare("SELECT album_id, artist_id FROM album_artists "
                            "ORDER BY album_id, position");
    while (links.step())
      albums[links.int64(0)].artists.push_back(links.int64(1));
  }
  {
    auto s = db.prepare(
      "SELECT id, normalized_title, mbid, isrc, release_track_mbid, "
      "spotify_id, deezer_id, tidal_id, album_id, artist_id, local_path FROM "
      "tracks ORDER BY id");
    while (s.step()) {
      auto id = s.int64(0);
      auto& r = tracks[id];
      track_by_name[std::to_string(s.opt_int64(9).value_or(0)) + "|"
                    + std::to_string(s.opt_int64(8).value_or(0)) + "|"
                    + s.text(1)]
        .push_back(id);
      if (auto m = s.opt_text(2); m && !m->empty()) {
        r.mbid = *m;
        track_by_mbid[*m].push_back(id);
      }
      if (auto i = s.opt_text(3); i && !i->empty()) {
        r.isrc = true;
        track_by_isrc[*i].push_back(id);
      }
      r.rtm = !s.is_null(4);
      put(track_by_spotify, s.opt_text(5), id, &r.spotify);
      put(track_by_deezer, s.opt_text(6), id, &r.deezer);
      put(track_by_tidal, s.opt_text(7), id, &r.tidal);
      if (auto p = s.opt_text(10); p && !p->empty()) {
        r.has_local = true;
        track_by_path[*p] = id;
      }
      next_track = id + 1;
    }
  }
  warmed = true;
  log->info("warmed: {} artists, {} albums, {} tracks", artists.size(),
            albums.size(), tracks.size());
}

dedup_store_actor::behavior_type
dedup_store(dedup_store_actor::stateful_pointer<dedup_state> self,
            dedup_config config) {
  auto& st = self->state;
  st.log = log::get("dedup");
  st.config = std::move(config);
  return {
    [self](atom::merge,
           const ingest_batch& batch) -> caf::result<ingest_result> {
      auto& st = self->state;
      // Warmed at the first batch, not at spawn: a rescan of an unchanged
      // library sends none and never pays for loading every key.
      if (!st.warmed) {
        try {
          st.warm();
        } catch (const std::exception& e) {
          st.log->error("cannot load the library: {}", e.what());
          return make_error(ec::database_error, e.what());
        }
      }
      batch_builder bb{st, batch};
      bb.build();
      if (bb.req.statements.empty())
        return std::move(bb.res);
      auto rp = self->make_response_promise<ingest_result>();
      self
        ->request(st.config.store, caf::infinite, atom::write_v,
                  std::move(bb.req))
        .then([rp, res = std::move(bb.res)](
                const write_ack&) mutable { rp.deliver(std::move(res)); },
              [self, rp](const caf::error& err) mutable {
                // The indexes now hold rows that never landed: start over from
                // what the database really has.
                self->state.log->error("batch rejected: {}", to_string(err));
                try {
                  self->state.warm();
                } catch (const std::exception& e) {
                  self->state.log->error("re-warm failed: {}", e.what());
                }
                rp.deliver(err);
              });
      return rp;
    },
    [self](atom::reconcile, const std::string& source,
           const std::string& reason, int64_t run_id) -> caf::result<int64_t> {
      auto& st = self->state;
      std::vector<std::pair<std::string, int64_t>> stale;
      std::set<int64_t> albums, artists;
      try {
        auto db = storage::database::open(st.config.db_path,
                                          storage::database::mode::read_only);
        auto s = db.prepare("SELECT entity_type, entity_id FROM "
                            "ownership_claims WHERE source = ?1 AND reason = "
                            "?2 AND (run_id IS NULL OR run_id <> ?3)");
        s.bind(1, source).bind(2, reason).bind(3, run_id);
        while (s.step())
          stale.emplace_back(s.text(0), s.int64(1));
        // What the cascade of SPEC §4 must look at afterwards.
        auto albums_of_track = db.prepare(
          "SELECT album_id FROM tracks WHERE id = ?1 AND album_id IS NOT NULL");
        auto artists_of_track = db.prepare(
          "SELECT artist_id FROM track_artists WHERE track_id = ?1 UNION "
          "SELECT artist_id FROM tracks WHERE id = ?1 AND artist_id IS NOT "
          "NULL");
        auto artists_of_album = db.prepare(
          "SELECT artist_id FROM album_artists WHERE album_id = ?1");
        auto collect = [](storage::statement& q, int64_t id,
                          std::set<int64_t>& into) {
          q.reset();
          q.bind(1, id);
          while (q.step())
            into.insert(q.int64(0));
        };
        for (auto& [type, id] : stale) {
          if (type == "track") {
            collect(albums_of_track, id, albums);
            collect(artists_of_track, id, artists);
          } else if (type == "album") {
            albums.insert(id);
          } else {
            artists.insert(id);
          }
        }
        for (auto a : albums)
          collect(artists_of_album, a, artists);
      } catch (const std::exception& e) {
        return make_error(ec::database_error, e.what());
      }
      if (stale.empty())
        return int64_t{0};
      write_request req;
      req.statements.push_back(sql_stmt{
        "DELETE FROM ownership_claims WHERE source = ?1 AND reason = ?2 AND "
        "(run_id IS NULL OR run_id <> ?3)",
        {sql_value::of(source), sql_value::of(reason), sql_value::of(run_id)}});
      for (auto& [type, id] : stale)
        if (type == "track")
          req.statements.push_back(sql_stmt{
            "UPDATE tracks SET ownership_state = 'discovered' WHERE id = ?1 "
            "AND ownership_state = 'owned' AND NOT EXISTS (SELECT 1 FROM "
            "ownership_claims WHERE entity_type = 'track' AND entity_id = ?1)",
            {sql_value::of(id)}});
      for (auto id : albums)
        req.statements.push_back(sql_stmt{
          "UPDATE albums SET ownership_state = 'discovered' WHERE id = ?1 AND "
          "ownership_state = 'owned' AND NOT EXISTS (SELECT 1 FROM "
          "ownership_claims WHERE entity_type = 'album' AND entity_id = ?1) "
          "AND NOT EXISTS (SELECT 1 FROM tracks WHERE album_id = ?1 AND "
          "ownership_state = 'owned')",
          {sql_value::of(id)}});
      for (auto id : artists)
        req.statements.push_back(sql_stmt{
          "UPDATE artists SET ownership_state = 'discovered' WHERE id = ?1 "
          "AND ownership_state = 'owned' AND NOT EXISTS (SELECT 1 FROM "
          "ownership_claims WHERE entity_type = 'artist' AND entity_id = ?1) "
          "AND NOT EXISTS (SELECT 1 FROM tracks t WHERE t.ownership_state = "
          "'owned' AND (t.artist_id = ?1 OR t.id IN (SELECT track_id FROM "
          "track_artists WHERE artist_id = ?1 AND role = 'main'))) AND NOT "
          "EXISTS (SELECT 1 FROM album_artists aa JOIN albums a ON a.id = "
          "aa.album_id WHERE aa.artist_id = ?1 AND a.ownership_state = "
          "'owned')",
          {sql_value::of(id)}});
      auto rp = self->make_response_promise<int64_t>();
      auto released = static_cast<int64_t>(stale.size());
      self->request(st.config.store, caf::infinite, atom::write_v, req)
        .then([rp,
               released](const write_ack&) mutable { rp.deliver(released); },
              [rp](const caf::error& err) mutable { rp.deliver(err); });
      return rp;
    },
  };
}

} // namespace discotheque
