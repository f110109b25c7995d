#include "storage/writes/library.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace discotheque::storage {

namespace {

constexpr const char* now_sql
  = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

/// Hands out the numbered parameters ?2, ?3, ... (?1 is the row id).
struct param_counter {
  int next = 2;
  std::string operator()() {
    return "?" + std::to_string(next++);
  }
};

/// "col = COALESCE(col, ?n), " for each column: fills only what is null.
std::string coalesce(const std::vector<std::string>& cols, param_counter& p) {
  std::string out;
  for (auto& c : cols)
    out += c + " = COALESCE(" + c + ", " + p() + "), ";
  return out;
}

std::string owned_case(const std::string& param) {
  return "ownership_state = CASE WHEN ownership_state = 'discovered' AND "
         + param + " = 1 THEN 'owned' ELSE ownership_state END, ";
}

/// "INSERT INTO table(cols) VALUES (?1, ..., ?n)".
std::string insert_sql(const std::string& table,
                       const std::vector<std::string>& cols) {
  std::string sql = "INSERT INTO " + table + "(";
  std::string values;
  for (size_t i = 0; i < cols.size(); ++i) {
    sql += (i ? ", " : "") + cols[i];
    values += (i ? ", ?" : "?") + std::to_string(i + 1);
  }
  return sql + ") VALUES (" + values + ")";
}

std::vector<std::string> concat(std::vector<std::string> head,
                                const std::vector<std::string>& ids,
                                const std::vector<std::string>& tail) {
  head.insert(head.end(), ids.begin(), ids.end());
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

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

void add(write_request& req, const std::string& sql,
         std::vector<sql_value> params) {
  req.statements.push_back(sql_stmt{sql, std::move(params)});
}

void append(std::vector<sql_value>& params, std::vector<sql_value>& ids) {
  for (auto& v : ids)
    params.push_back(std::move(v));
}

sql_value owned_flag(bool owned) {
  return sql_value::of(owned ? 1 : 0);
}

sql_value owned_state(bool owned) {
  return sql_value::of(owned ? "owned" : "discovered");
}

/// The primary_source of a row: a library source (local files or an
/// account provider, one with an id column); null for the others (e.g. the
/// discography, whose albums come from no library source).
sql_value library_source(const std::string& source,
                         const std::vector<std::string>& id_columns) {
  if (source == "local"
      || std::find(id_columns.begin(), id_columns.end(), source + "_id")
           != id_columns.end())
    return sql_value::of(source);
  return sql_value::null();
}

const std::string track_artist_insert_head
  = "INSERT OR IGNORE INTO track_artists(track_id, artist_id, role, position)"
    " VALUES ";
constexpr size_t track_artist_columns = 4;
enum insert_table { tracks_table, credits_table };

} // namespace

library_writes::library_writes(std::vector<std::string> provider_columns)
  : columns_(std::move(provider_columns)) {
  artist_insert_ = insert_sql(
    "artists",
    concat({"id", "name", "sort_name", "normalized_name", "mbid"}, columns_,
           {"ownership_state", "primary_source", "genres"}));
  // Operands of + are evaluated in no fixed order: each piece that numbers
  // parameters is its own statement.
  param_counter p;
  artist_fill_ = "UPDATE artists SET ";
  artist_fill_ += coalesce({"sort_name", "mbid"}, p);
  artist_fill_ += coalesce(columns_, p);
  artist_fill_ += owned_case(p());
  artist_fill_ += coalesce({"primary_source", "genres"}, p);
  artist_fill_ += "updated_at = " + std::string{now_sql} + " WHERE id = ?1";
  album_insert_ = insert_sql(
    "albums",
    concat({"id", "title", "normalized_title", "mbid", "release_group_mbid"},
           columns_,
           {"upc", "album_type", "release_date", "total_tracks", "total_discs",
            "genres", "ownership_state", "primary_source"}));
  p = {};
  album_fill_ = "UPDATE albums SET ";
  album_fill_ += coalesce({"mbid", "release_group_mbid"}, p);
  album_fill_ += coalesce(columns_, p);
  album_fill_ += coalesce({"upc", "album_type", "release_date", "total_tracks",
                           "total_discs", "genres"},
                          p);
  album_fill_ += owned_case(p());
  album_fill_ += coalesce({"primary_source"}, p);
  album_fill_ += "updated_at = " + std::string{now_sql} + " WHERE id = ?1";
  auto track_cols = concat(
    {"id", "title", "normalized_title", "mbid", "release_track_mbid", "isrc"},
    columns_,
    {"album_id", "artist_id", "track_number", "track_total", "disc_number",
     "disc_total", "duration_ms", "genre", "ownership_state", "primary_source",
     "download_state", "download_state_updated_at", "local_path", "file_size",
     "file_mtime", "album_inferred"});
  track_insert_columns_ = track_cols.size();
  track_insert_head_ = "INSERT INTO tracks(";
  for (size_t i = 0; i < track_cols.size(); ++i)
    track_insert_head_ += (i ? ", " : "") + track_cols[i];
  track_insert_head_ += ") VALUES ";
  p = {};
  track_fill_ = "UPDATE tracks SET ";
  track_fill_ += coalesce({"mbid", "release_track_mbid", "isrc"}, p);
  track_fill_ += coalesce(columns_, p);
  track_fill_
    += coalesce({"album_id", "artist_id", "track_number", "track_total",
                 "disc_number", "disc_total", "duration_ms", "genre"},
                p);
  track_fill_ += owned_case(p());
  track_fill_ += coalesce({"primary_source"}, p);
  // The download mode: 'local' = the file is on disk, 'queue' = auto-queue,
  // '' = keep.
  auto mode = p();
  track_fill_ += "download_state = CASE WHEN " + mode
                 + " = 'local' THEN 'downloaded' WHEN " + mode
                 + " = 'queue' AND ownership_state <> 'ignored' AND "
                   "download_state IN ('not_needed', 'failed') THEN 'pending' "
                   "ELSE download_state END, download_state_updated_at = CASE "
                   "WHEN "
                 + mode + " <> '' THEN " + now_sql
                 + " ELSE download_state_updated_at END, ";
  // A file on disk says whether its album was inferred; other sources keep it.
  track_fill_ += "album_inferred = CASE WHEN " + mode + " = 'local' THEN " + p()
                 + " ELSE album_inferred END, updated_at = " + now_sql
                 + " WHERE id = ?1";
}

void library_writes::insert_artist(write_request& req, artist_columns x) const {
  std::vector<sql_value> ps{sql_value::of(x.id), sql_value::of(x.name),
                            std::move(x.sort_name),
                            sql_value::of(x.normalized_name),
                            std::move(x.mbid)};
  ps.reserve(8 + columns_.size());
  append(ps, x.ids);
  ps.push_back(owned_state(x.owned));
  ps.push_back(library_source(x.source, columns_));
  ps.push_back(std::move(x.genres));
  add(req, artist_insert_, std::move(ps));
}

void library_writes::fill_artist(write_request& req, artist_columns x) const {
  std::vector<sql_value> ps{sql_value::of(x.id), std::move(x.sort_name),
                            std::move(x.mbid)};
  ps.reserve(6 + columns_.size());
  append(ps, x.ids);
  ps.push_back(owned_flag(x.owned));
  ps.push_back(library_source(x.source, columns_));
  ps.push_back(std::move(x.genres));
  add(req, artist_fill_, std::move(ps));
}

void library_writes::rename_artist(write_request& req, int64_t id,
                                   std::string name) const {
  add(req, "UPDATE artists SET name = ?2 WHERE id = ?1",
      {sql_value::of(id), sql_value::of(std::move(name))});
}

void library_writes::add_artist_spelling(write_request& req, int64_t id,
                                         std::string spelling) const {
  add(req,
      "INSERT OR IGNORE INTO artist_spellings(spelling, artist_id) VALUES "
      "(?1, ?2)",
      {sql_value::of(std::move(spelling)), sql_value::of(id)});
}

void library_writes::insert_album(write_request& req, album_columns x) const {
  std::vector<sql_value> ps{sql_value::of(x.id), sql_value::of(x.title),
                            sql_value::of(x.normalized_title),
                            std::move(x.mbid), std::move(x.release_group_mbid)};
  ps.reserve(13 + columns_.size());
  append(ps, x.ids);
  for (auto* v : {&x.upc, &x.album_type, &x.release_date, &x.total_tracks,
                  &x.total_discs, &x.genres})
    ps.push_back(std::move(*v));
  ps.push_back(owned_state(x.owned));
  ps.push_back(library_source(x.source, columns_));
  add(req, album_insert_, std::move(ps));
}

void library_writes::fill_album(write_request& req, album_columns x) const {
  std::vector<sql_value> ps{sql_value::of(x.id), std::move(x.mbid),
                            std::move(x.release_group_mbid)};
  ps.reserve(11 + columns_.size());
  append(ps, x.ids);
  for (auto* v : {&x.upc, &x.album_type, &x.release_date, &x.total_tracks,
                  &x.total_discs, &x.genres})
    ps.push_back(std::move(*v));
  ps.push_back(owned_flag(x.owned));
  ps.push_back(library_source(x.source, columns_));
  add(req, album_fill_, std::move(ps));
}

void library_writes::rename_album(write_request& req, int64_t id,
                                  std::string title) const {
  add(req, "UPDATE albums SET title = ?2 WHERE id = ?1",
      {sql_value::of(id), sql_value::of(std::move(title))});
}

void library_writes::link_album_artist(write_request& req, int64_t album,
                                       int64_t artist, int64_t position) const {
  add(req,
      "INSERT OR IGNORE INTO album_artists(album_id, artist_id, position) "
      "VALUES (?1, ?2, ?3)",
      {sql_value::of(album), sql_value::of(artist), sql_value::of(position)});
}

void library_writes::insert_tracks(write_request& req,
                                   std::vector<new_track>& rows) {
  const auto cols = track_insert_columns_;
  for (size_t at = 0; at < rows.size(); at += rows_per_insert) {
    auto n = std::min(rows_per_insert, rows.size() - at);
    auto& sql = insert_sql_[{tracks_table, n}];
    if (sql.empty())
      sql = values_sql(track_insert_head_, cols, n);
    std::vector<sql_value> ps;
    ps.reserve(n * cols);
    for (size_t r = at; r < at + n; ++r) {
      auto& t = rows[r];
      auto& c = t.columns;
      ps.push_back(sql_value::of(c.id));
      ps.push_back(sql_value::of(std::move(c.title)));
      ps.push_back(sql_value::of(std::move(c.normalized_title)));
      ps.push_back(std::move(c.mbid));
      ps.push_back(std::move(c.release_track_mbid));
      ps.push_back(std::move(c.isrc));
      append(ps, c.ids);
      ps.push_back(std::move(c.album_id));
      ps.push_back(sql_value::of(c.artist_id));
      for (auto* v : {&c.track_number, &c.track_total, &c.disc_number,
                      &c.disc_total, &c.duration_ms, &c.genre})
        ps.push_back(std::move(*v));
      ps.push_back(owned_state(c.owned));
      ps.push_back(library_source(c.source, columns_));
      ps.push_back(sql_value::of(std::move(t.download_state)));
      ps.push_back(std::move(t.download_state_updated_at));
      ps.push_back(std::move(t.local_path));
      ps.push_back(std::move(t.file_size));
      ps.push_back(std::move(t.file_mtime));
      ps.push_back(sql_value::of(int64_t{c.album_inferred}));
    }
    add(req, sql, std::move(ps));
  }
  rows.clear();
}

void library_writes::insert_credits(write_request& req,
                                    std::vector<track_credit>& rows) {
  for (size_t at = 0; at < rows.size(); at += rows_per_insert) {
    auto n = std::min(rows_per_insert, rows.size() - at);
    auto& sql = insert_sql_[{credits_table, n}];
    if (sql.empty())
      sql = values_sql(track_artist_insert_head, track_artist_columns, n);
    std::vector<sql_value> ps;
    ps.reserve(n * track_artist_columns);
    for (size_t r = at; r < at + n; ++r) {
      auto& c = rows[r];
      ps.push_back(sql_value::of(c.track_id));
      ps.push_back(sql_value::of(c.artist_id));
      ps.push_back(sql_value::of(c.role));
      ps.push_back(sql_value::of(c.position));
    }
    add(req, sql, std::move(ps));
  }
  rows.clear();
}

void library_writes::fill_track(write_request& req, track_columns x,
                                download_change download) const {
  std::vector<sql_value> ps{sql_value::of(x.id), std::move(x.mbid),
                            std::move(x.release_track_mbid), std::move(x.isrc)};
  ps.reserve(15 + columns_.size());
  append(ps, x.ids);
  ps.push_back(std::move(x.album_id));
  ps.push_back(sql_value::of(x.artist_id));
  for (auto* v : {&x.track_number, &x.track_total, &x.disc_number,
                  &x.disc_total, &x.duration_ms, &x.genre})
    ps.push_back(std::move(*v));
  ps.push_back(owned_flag(x.owned));
  ps.push_back(library_source(x.source, columns_));
  ps.push_back(sql_value::of(download == download_change::on_disk ? "local"
                             : download == download_change::queue ? "queue"
                                                                  : ""));
  ps.push_back(sql_value::of(int64_t{x.album_inferred}));
  add(req, track_fill_, std::move(ps));
}

void library_writes::refresh_track_from_file(write_request& req,
                                             track_columns x) const {
  static const std::string sql
    = std::string{"UPDATE tracks SET title = ?2, normalized_title = ?3, "
                  "album_id = ?4, artist_id = ?5, track_number = ?6, "
                  "track_total = ?7, disc_number = ?8, disc_total = ?9, "
                  "duration_ms = ?10, genre = ?11, album_inferred = ?12, "
                  "updated_at = "}
      + now_sql + " WHERE id = ?1";
  add(req, sql,
      {sql_value::of(x.id), sql_value::of(std::move(x.title)),
       sql_value::of(std::move(x.normalized_title)), std::move(x.album_id),
       sql_value::of(x.artist_id), std::move(x.track_number),
       std::move(x.track_total), std::move(x.disc_number),
       std::move(x.disc_total), std::move(x.duration_ms), std::move(x.genre),
       sql_value::of(int64_t{x.album_inferred})});
}

void library_writes::clear_track_credits(write_request& req,
                                         int64_t track) const {
  add(req, "DELETE FROM track_artists WHERE track_id = ?1",
      {sql_value::of(track)});
}

void library_writes::set_track_file(write_request& req, int64_t track,
                                    std::string path, int64_t size,
                                    int64_t mtime) const {
  add(req,
      "UPDATE tracks SET local_path = ?2, file_size = ?3, file_mtime = ?4 "
      "WHERE id = ?1",
      {sql_value::of(track), sql_value::of(std::move(path)),
       sql_value::of(size), sql_value::of(mtime)});
}

void library_writes::clear_track_file(write_request& req, int64_t track) const {
  static const std::string sql
    = std::string{"UPDATE tracks SET local_path = NULL, file_size = NULL, "
                  "file_mtime = NULL, download_state = 'not_needed', "
                  "download_state_updated_at = "}
      + now_sql + ", updated_at = " + now_sql + " WHERE id = ?1";
  add(req, sql, {sql_value::of(track)});
}

void library_writes::upsert_claims(write_request& req, const std::string& type,
                                   const std::vector<int64_t>& ids,
                                   const std::string& source,
                                   const std::string& reason, int64_t run_id) {
  add(req,
      "INSERT INTO ownership_claims(entity_type, entity_id, source, reason, "
      "run_id) SELECT ?1, value, ?2, ?3, ?4 FROM json_each(?5) WHERE true ON "
      "CONFLICT(entity_type, entity_id, source, reason) DO UPDATE SET run_id = "
      "excluded.run_id",
      {sql_value::of(type), sql_value::of(source), sql_value::of(reason),
       sql_value::of(run_id), sql_value::of(nlohmann::json(ids).dump())});
}

void release_stale_claims(write_request& req, const std::string& source,
                          const std::string& reason, int64_t run_id) {
  add(req,
      "DELETE FROM ownership_claims WHERE source = ?1 AND reason = ?2 AND "
      "(run_id IS NULL OR run_id <> ?3)",
      {sql_value::of(source), sql_value::of(reason), sql_value::of(run_id)});
}

void release_track(write_request& req, int64_t id) {
  add(req,
      "UPDATE tracks SET ownership_state = 'discovered' WHERE id = ?1 AND "
      "ownership_state = 'owned' AND NOT EXISTS (SELECT 1 FROM "
      "ownership_claims WHERE entity_type = 'track' AND entity_id = ?1)",
      {sql_value::of(id)});
}

void release_album(write_request& req, int64_t id) {
  add(req,
      "UPDATE albums SET ownership_state = 'discovered' WHERE id = ?1 AND "
      "ownership_state = 'owned' AND NOT EXISTS (SELECT 1 FROM "
      "ownership_claims WHERE entity_type = 'album' AND entity_id = ?1) AND "
      "NOT EXISTS (SELECT 1 FROM tracks WHERE album_id = ?1 AND "
      "ownership_state = 'owned')",
      {sql_value::of(id)});
}

void release_artist(write_request& req, int64_t id) {
  add(req,
      "UPDATE artists SET ownership_state = 'discovered' WHERE id = ?1 AND "
      "ownership_state = 'owned' AND NOT EXISTS (SELECT 1 FROM "
      "ownership_claims WHERE entity_type = 'artist' AND entity_id = ?1) AND "
      "NOT EXISTS (SELECT 1 FROM tracks t WHERE t.ownership_state = 'owned' "
      "AND (t.artist_id = ?1 OR t.id IN (SELECT track_id FROM track_artists "
      "WHERE artist_id = ?1 AND role = 'main'))) AND NOT EXISTS (SELECT 1 "
      "FROM album_artists aa JOIN albums a ON a.id = aa.album_id WHERE "
      "aa.artist_id = ?1 AND a.ownership_state = 'owned')",
      {sql_value::of(id)});
}

} // namespace discotheque::storage
