#include "storage/queries/dedup.hpp"

#include <sqlite3.h>

namespace discotheque::storage {

namespace {

bool has_column(database& db, const std::string& table,
                const std::string& column) {
  auto s = db.prepare("SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
  s.bind(1, table).bind(2, column);
  return s.step();
}

/// ", a, b, c" for the provider columns, prefixed by `alias`.
std::string column_list(const std::vector<std::string>& columns,
                        const char* alias = "") {
  std::string out;
  for (auto& c : columns) {
    out += ", ";
    out += alias;
    out += c;
  }
  return out;
}

void read_ids(const statement& s, int first, size_t n,
              std::vector<std::string>& into) {
  into.resize(n);
  for (size_t i = 0; i < n; ++i)
    into[i] = s.opt_text(first + static_cast<int>(i)).value_or("");
}

} // namespace

std::vector<std::string>
provider_id_columns(database& db, const std::vector<std::string>& providers) {
  std::vector<std::string> out;
  for (auto& p : providers) {
    auto column = p + "_id";
    for (const char* table : {"artists", "albums", "tracks"})
      if (!has_column(db, table, column))
        throw sqlite_error(SQLITE_ERROR, "provider " + p + ": no column "
                                           + column + " in " + table);
    out.push_back(std::move(column));
  }
  return out;
}

// SQLite gives | and << the same precedence (left to right): every shifted
// term needs its own parentheses.

void read_artist_identities(database& db,
                            const std::vector<std::string>& columns,
                            const std::function<void(artist_identity&)>& f) {
  auto s = db.prepare(
    "SELECT id, normalized_name, mbid, ownership_state <> 'discovered', "
    "(sort_name IS NOT NULL) | ((genres IS NOT NULL) << 1) | ((primary_source "
    "IS NOT NULL) << 2), name"
    + column_list(columns) + " FROM artists ORDER BY id");
  artist_identity row;
  while (s.step()) {
    row.id = s.int64(0);
    row.normalized_name = s.text(1);
    row.mbid = s.opt_text(2).value_or("");
    row.settled = s.int64(3) != 0;
    row.filled = static_cast<uint8_t>(s.int64(4));
    row.name = s.text(5);
    read_ids(s, 6, columns.size(), row.ids);
    f(row);
  }
}

void read_album_identities(database& db,
                           const std::vector<std::string>& columns,
                           const std::function<void(album_identity&)>& f) {
  auto s = db.prepare(
    "SELECT id, normalized_title, mbid, release_group_mbid IS NOT NULL, "
    "ownership_state <> 'discovered', (release_group_mbid IS NOT NULL) | ((upc "
    "IS NOT NULL) << 1) | ((album_type IS NOT NULL) << 2) | ((release_date IS "
    "NOT NULL) << 3) | ((total_tracks IS NOT NULL) << 4) | ((total_discs IS "
    "NOT "
    "NULL) << 5) | ((genres IS NOT NULL) << 6) | ((primary_source IS NOT NULL) "
    "<< 7), title, coalesce(total_tracks, 0)"
    + column_list(columns) + " FROM albums ORDER BY id");
  // Both ordered by album: one pass over each instead of a query per album.
  auto links = db.prepare("SELECT album_id, artist_id FROM album_artists "
                          "ORDER BY album_id, position");
  bool link = links.step();
  album_identity row;
  while (s.step()) {
    row.id = s.int64(0);
    row.normalized_title = s.text(1);
    row.mbid = s.opt_text(2).value_or("");
    row.has_release_group = s.int64(3) != 0;
    row.settled = s.int64(4) != 0;
    row.filled = static_cast<uint8_t>(s.int64(5));
    row.title = s.text(6);
    row.total_tracks = static_cast<int32_t>(s.int64(7));
    read_ids(s, 8, columns.size(), row.ids);
    row.artists.clear();
    while (link && links.int64(0) < row.id)
      link = links.step();
    while (link && links.int64(0) == row.id) {
      row.artists.push_back(links.int64(1));
      link = links.step();
    }
    row.first_artist = row.artists.empty() ? 0 : row.artists.front();
    f(row);
  }
}

void read_track_identities(database& db,
                           const std::vector<std::string>& columns,
                           const std::function<void(track_identity&)>& f) {
  auto s = db.prepare("SELECT id, normalized_title, mbid, isrc, "
                      "release_track_mbid IS NOT NULL, album_id, artist_id, "
                      "local_path, coalesce(track_number, 0), "
                      "coalesce(disc_number, 0)"
                      + column_list(columns) + " FROM tracks ORDER BY id");
  track_identity row;
  while (s.step()) {
    row.id = s.int64(0);
    row.normalized_title = s.text(1);
    row.mbid = s.opt_text(2).value_or("");
    row.isrc = s.opt_text(3).value_or("");
    row.has_release_track = s.int64(4) != 0;
    row.album_id = s.opt_int64(5).value_or(0);
    row.artist_id = s.opt_int64(6).value_or(0);
    row.local_path = s.opt_text(7).value_or("");
    row.track_number = static_cast<int32_t>(s.int64(8));
    row.disc_number = static_cast<int32_t>(s.int64(9));
    read_ids(s, 10, columns.size(), row.ids);
    f(row);
  }
}

void read_artist_spellings(
  database& db, const std::function<void(int64_t, const std::string&)>& f) {
  auto s = db.prepare("SELECT s.artist_id, s.spelling FROM artist_spellings s "
                      "JOIN artists a ON a.id = s.artist_id ORDER BY "
                      "s.artist_id, s.spelling");
  while (s.step())
    f(s.int64(0), s.text(1));
}

std::vector<stale_claim> stale_claims(database& db, const std::string& source,
                                      const std::string& reason,
                                      int64_t run_id) {
  auto s = db.prepare("SELECT entity_type, entity_id FROM ownership_claims "
                      "WHERE source = ?1 AND reason = ?2 AND (run_id IS NULL "
                      "OR run_id <> ?3)");
  s.bind(1, source).bind(2, reason).bind(3, run_id);
  std::vector<stale_claim> out;
  while (s.step())
    out.push_back(stale_claim{s.text(0), s.int64(1)});
  return out;
}

claim_cascade_reads::claim_cascade_reads(database& db)
  : albums_of_track_(db.prepare(
    "SELECT album_id FROM tracks WHERE id = ?1 AND album_id IS NOT NULL")),
    artists_of_track_(db.prepare(
      "SELECT artist_id FROM track_artists WHERE track_id = ?1 UNION SELECT "
      "artist_id FROM tracks WHERE id = ?1 AND artist_id IS NOT NULL")),
    artists_of_album_(
      db.prepare("SELECT artist_id FROM album_artists WHERE album_id = ?1")) {
}

namespace {

void collect(statement& q, int64_t id, std::set<int64_t>& into) {
  q.reset();
  q.bind(1, id);
  while (q.step())
    into.insert(q.int64(0));
}

} // namespace

void claim_cascade_reads::albums_of_track(int64_t track,
                                          std::set<int64_t>& into) {
  collect(albums_of_track_, track, into);
}

void claim_cascade_reads::artists_of_track(int64_t track,
                                           std::set<int64_t>& into) {
  collect(artists_of_track_, track, into);
}

void claim_cascade_reads::artists_of_album(int64_t album,
                                           std::set<int64_t>& into) {
  collect(artists_of_album_, album, into);
}

int64_t last_ownership_change(database& db) {
  return db.query_int("SELECT coalesce(max(id), 0) FROM ownership_changes")
    .value_or(0);
}

void read_settled(
  database& db,
  const std::function<void(bool artist, int64_t id, bool settled)>& f) {
  for (bool artist : {true, false}) {
    auto s = db.prepare(std::string{"SELECT id, ownership_state <> "
                                    "'discovered' FROM "}
                        + (artist ? "artists" : "albums"));
    while (s.step())
      f(artist, s.int64(0), s.int64(1) != 0);
  }
}

} // namespace discotheque::storage
