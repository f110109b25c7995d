#include "storage/queries/library.hpp"

namespace discotheque::storage::queries {

using nlohmann::json;

namespace {

/// A row as a JSON object keyed by column names; "genres" parsed.
json row(statement& s) {
  json o = json::object();
  for (int i = 0; i < s.columns(); ++i) {
    auto name = s.column_name(i);
    auto v = s.value(i);
    switch (v.kind) {
      case sql_value::null_v:
        o[name] = nullptr;
        break;
      case sql_value::int_v:
        o[name] = v.i;
        break;
      case sql_value::real_v:
        o[name] = v.d;
        break;
      default:
        if (name == "genres") {
          auto parsed = json::parse(v.s, nullptr, false);
          o[name] = parsed.is_discarded() ? json(v.s) : parsed;
        } else {
          o[name] = std::move(v.s);
        }
    }
  }
  return o;
}

/// Runs `sql` with `params` and returns every row as JSON objects.
json rows(database& db, const std::string& sql,
          const std::vector<sql_value>& params) {
  auto s = db.prepare(sql);
  s.bind_all(params);
  json out = json::array();
  while (s.step())
    out.push_back(row(s));
  return out;
}

std::optional<json> first(json rows) {
  if (rows.empty())
    return std::nullopt;
  return std::move(rows[0]);
}

std::vector<sql_value> id_param(int64_t id) {
  return {sql_value::of(id)};
}

const char* table(entity e) {
  switch (e) {
    case entity::artist:
      return "artists";
    case entity::album:
      return "albums";
    default:
      return "tracks";
  }
}

const char* entity_type(entity e) {
  switch (e) {
    case entity::artist:
      return "artist";
    case entity::album:
      return "album";
    default:
      return "track";
  }
}

/// An entity's image: its state (null when enrich_images has not looked
/// yet) and the link it came from (GET .../{id}/image serves the file).
std::string image_columns(const char* type, const char* table) {
  auto of = [&](const char* col) {
    return std::string{"(SELECT i."} + col
           + " FROM images i WHERE i.entity_type = '" + type
           + "' AND i.entity_id = " + table + ".id) AS image_" + col;
  };
  return ", " + of("state") + ", " + of("url");
}

std::string columns(entity e) {
  switch (e) {
    case entity::artist:
      return "id, name, sort_name, mbid, spotify_id, deezer_id, tidal_id, "
             "ownership_state, primary_source, genres, last_error, "
             "created_at, updated_at"
             + image_columns("artist", "artists");
    case entity::album:
      return "id, title, mbid, release_group_mbid, spotify_id, deezer_id, "
             "tidal_id, upc, album_type, release_date, total_tracks, "
             "total_discs, genres, ownership_state, primary_source, "
             "last_error, created_at, updated_at"
             + image_columns("album", "albums");
    default:
      return "id, title, mbid, release_track_mbid, isrc, spotify_id, "
             "deezer_id, tidal_id, album_id, artist_id, track_number, "
             "track_total, disc_number, disc_total, duration_ms, genre, "
             "ownership_state, primary_source, download_state, "
             "download_state_updated_at, local_path, file_size, file_mtime, "
             "orphaned, album_inferred, last_error, created_at, updated_at";
  }
}

/// " WHERE …" for `f`, its parameters appended to `params`.
std::string where(entity e, const list_filter& f,
                  std::vector<sql_value>& params) {
  std::string w = " WHERE 1 = 1";
  auto add = [&](const std::string& cond, sql_value v, const char* tail = "") {
    params.push_back(std::move(v));
    w += " AND " + cond + " ?" + std::to_string(params.size()) + tail;
  };
  if (!f.ownership_state.empty())
    add("ownership_state =", sql_value::of(f.ownership_state));
  if (!f.source.empty())
    add("primary_source =", sql_value::of(f.source));
  if (e == entity::track) {
    if (!f.download_state.empty())
      add("download_state =", sql_value::of(f.download_state));
    if (f.album_id)
      add("album_id =", sql_value::of(f.album_id));
    if (f.artist_id)
      add("id IN (SELECT track_id FROM track_artists WHERE artist_id =",
          sql_value::of(f.artist_id), ")");
  }
  if (e == entity::album && f.artist_id)
    add("id IN (SELECT album_id FROM album_artists WHERE artist_id =",
        sql_value::of(f.artist_id), ")");
  auto like = [](const std::string& text) {
    std::string pattern = "%";
    for (char c : text) {
      if (c == '%' || c == '_' || c == '\\')
        pattern += '\\';
      pattern += c;
    }
    return pattern + "%";
  };
  std::vector<std::string> any;
  auto contains = [&](const char* column, const std::string& text) {
    if (text.empty())
      return;
    params.push_back(sql_value::of(like(text)));
    any.push_back(std::string{column} + " LIKE ?"
                  + std::to_string(params.size()) + " ESCAPE '\\'");
  };
  contains(e == entity::artist ? "normalized_name" : "normalized_title",
           f.name_contains);
  contains(e == entity::artist ? "name" : "title", f.display_contains);
  if (!any.empty()) {
    w += " AND (" + any[0];
    for (size_t i = 1; i < any.size(); ++i)
      w += " OR " + any[i];
    w += ")";
  }
  return w;
}

const std::string playlist_columns
  = "id, name, provider, provider_id, description, is_followed, is_owner,"
    " cover_url, cover_path, track_count, snapshot_id, sync_mode,"
    " last_synced_at, last_error"
    + image_columns("playlist", "playlists");

} // namespace

int64_t count_entities(database& db, entity e, const list_filter& f) {
  std::vector<sql_value> params;
  auto w = where(e, f, params);
  return db
    .query_int(std::string{"SELECT count(*) FROM "} + table(e) + w, params)
    .value_or(0);
}

json list_entities(database& db, entity e, const list_filter& f, int64_t limit,
                   int64_t offset, list_sort sort) {
  std::vector<sql_value> params;
  auto w = where(e, f, params);
  auto n = params.size();
  params.push_back(sql_value::of(limit));
  params.push_back(sql_value::of(offset));
  std::string order;
  switch (sort.by) {
    case list_order::name:
      order = e == entity::artist ? "normalized_name" : "normalized_title";
      break;
    case list_order::created:
      order = "created_at";
      break;
    case list_order::updated:
      order = "updated_at";
      break;
    default:
      order = "id";
  }
  auto dir = sort.descending ? " DESC" : "";
  order += dir;
  if (sort.by != list_order::id)
    order += std::string{", id"} + dir;
  std::string extra;
  if (e == entity::album)
    extra = ", (SELECT ar.name FROM album_artists aa JOIN artists ar ON ar.id "
            "= aa.artist_id WHERE aa.album_id = albums.id ORDER BY "
            "aa.position LIMIT 1) AS artist_name";
  else if (e == entity::track)
    extra = ", (SELECT name FROM artists WHERE artists.id = tracks.artist_id) "
            "AS artist_name, (SELECT title FROM albums WHERE albums.id = "
            "tracks.album_id) AS album_title";
  return rows(db,
              "SELECT " + columns(e) + extra + " FROM " + table(e) + w
                + " ORDER BY " + order + " LIMIT ?" + std::to_string(n + 1)
                + " OFFSET ?" + std::to_string(n + 2),
              params);
}

std::optional<json> entity_row(database& db, entity e, int64_t id) {
  return first(
    rows(db, "SELECT " + columns(e) + " FROM " + table(e) + " WHERE id = ?1",
         id_param(id)));
}

json artist_albums(database& db, int64_t artist_id) {
  return rows(db,
              "SELECT a.id, a.title, a.mbid, a.ownership_state, "
              "a.release_date FROM albums a JOIN album_artists aa"
              " ON aa.album_id = a.id WHERE aa.artist_id = ?1 "
              "ORDER BY a.release_date, a.id",
              id_param(artist_id));
}

int64_t artist_track_count(database& db, int64_t artist_id) {
  return db
    .query_int("SELECT count(*) FROM track_artists WHERE artist_id = ?1",
               id_param(artist_id))
    .value_or(0);
}

int64_t artist_owned_track_count(database& db, int64_t artist_id) {
  return db
    .query_int("SELECT count(*) FROM tracks t JOIN track_artists ta ON "
               "ta.track_id = t.id WHERE ta.artist_id = ?1 AND "
               "t.ownership_state = 'owned'",
               id_param(artist_id))
    .value_or(0);
}

json album_artists(database& db, int64_t album_id) {
  return rows(db,
              "SELECT ar.id, ar.name, ar.mbid, aa.position FROM "
              "artists ar JOIN album_artists aa ON aa.artist_id "
              "= ar.id WHERE aa.album_id = ?1 ORDER BY aa.position",
              id_param(album_id));
}

json album_tracks(database& db, int64_t album_id) {
  return rows(db,
              "SELECT id, title, disc_number, track_number, "
              "duration_ms, ownership_state, download_state, "
              "local_path FROM tracks WHERE album_id = ?1 ORDER BY"
              " disc_number, track_number, id",
              id_param(album_id));
}

json track_artists(database& db, int64_t track_id) {
  return rows(db,
              "SELECT ar.id, ar.name, ar.mbid, ta.role, "
              "ta.position FROM artists ar JOIN track_artists ta"
              " ON ta.artist_id = ar.id WHERE ta.track_id = ?1 "
              "ORDER BY ta.position",
              id_param(track_id));
}

std::optional<json> track_album(database& db, int64_t track_id) {
  return first(rows(db,
                    "SELECT a.id, a.title, a.mbid FROM albums a JOIN "
                    "tracks t ON t.album_id = a.id WHERE t.id = ?1",
                    id_param(track_id)));
}

json claims(database& db, entity e, int64_t id) {
  return rows(db,
              "SELECT source, reason, created_at FROM "
              "ownership_claims WHERE entity_type = ?2 AND "
              "entity_id = ?1 ORDER BY source, reason",
              {sql_value::of(id), sql_value::of(entity_type(e))});
}

int64_t count_scan_errors(database& db) {
  return db.query_int("SELECT count(*) FROM scan_errors").value_or(0);
}

json scan_errors(database& db, int64_t limit, int64_t offset) {
  return rows(db,
              "SELECT path, reason, file_size, seen_at FROM scan_errors"
              " ORDER BY path LIMIT ?1 OFFSET ?2",
              {sql_value::of(limit), sql_value::of(offset)});
}

json playlists(database& db) {
  return rows(db,
              "SELECT " + playlist_columns
                + " FROM playlists ORDER BY provider, name, id",
              {});
}

std::optional<json> playlist(database& db, int64_t id) {
  return first(
    rows(db, "SELECT " + playlist_columns + " FROM playlists WHERE id = ?1",
         id_param(id)));
}

json playlist_tracks(database& db, int64_t playlist_id) {
  return rows(db,
              "SELECT pt.position, t.id AS track_id, t.title,"
              " (SELECT a.name FROM artists a WHERE a.id = t.artist_id)"
              " AS artist, t.ownership_state, t.download_state, t.isrc,"
              " t.spotify_id, t.deezer_id, t.tidal_id, pt.added_at"
              " FROM playlist_tracks pt JOIN tracks t ON t.id = pt.track_id"
              " WHERE pt.playlist_id = ?1 ORDER BY pt.position",
              id_param(playlist_id));
}

library_totals totals(database& db) {
  auto count = [&](const char* sql) { return db.query_int(sql).value_or(0); };
  library_totals t;
  t.artists = count("SELECT count(*) FROM artists");
  t.albums = count("SELECT count(*) FROM albums");
  t.tracks = count("SELECT count(*) FROM tracks");
  t.playlists = count("SELECT count(*) FROM playlists");
  t.owned_artists
    = count("SELECT count(*) FROM artists WHERE ownership_state = 'owned'");
  t.owned_albums
    = count("SELECT count(*) FROM albums WHERE ownership_state = 'owned'");
  t.owned_tracks
    = count("SELECT count(*) FROM tracks WHERE ownership_state = 'owned'");
  t.pending_downloads
    = count("SELECT count(*) FROM tracks WHERE download_state = 'pending'");
  return t;
}

} // namespace discotheque::storage::queries
