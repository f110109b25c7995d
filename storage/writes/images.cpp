#include "storage/writes/images.hpp"

namespace discotheque::storage {

namespace {

sql_value opt(const std::string& s) {
  return s.empty() ? sql_value::null() : sql_value::of(s);
}

/// The images table's source (its CHECK): a picture embedded in a music
/// file is a local one, like a cover file next to it.
sql_value source_value(const std::string& s) {
  return opt(s == "embedded" ? std::string{"local"} : s);
}

} // namespace

int64_t image_retry_at(int64_t attempts, int64_t now) {
  if (attempts <= 1)
    return now + image_retry_first_ms;
  if (attempts < image_max_attempts)
    return now + image_retry_second_ms;
  return 0;
}

write_request set_image_url(const std::string& entity_type, int64_t entity_id,
                            const std::string& url, const std::string& source,
                            int64_t now) {
  write_request req;
  req.statements.push_back(sql_stmt{
    "INSERT INTO images(entity_type, entity_id, url, source, state,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, 'url_found', ?5)"
    " ON CONFLICT(entity_type, entity_id) DO UPDATE SET"
    " state = CASE WHEN images.url IS excluded.url"
    " AND images.state IN ('downloaded', 'failed') THEN images.state"
    " ELSE 'url_found' END,"
    " attempts = CASE WHEN images.url IS excluded.url THEN images.attempts"
    " ELSE 0 END,"
    " next_attempt_at = CASE WHEN images.url IS excluded.url"
    " THEN images.next_attempt_at ELSE NULL END,"
    " url = excluded.url, source = excluded.source,"
    " updated_at = excluded.updated_at",
    {sql_value::of(entity_type), sql_value::of(entity_id), sql_value::of(url),
     source_value(source), sql_value::of(now)}});
  return req;
}

write_request record_image_outcome(const image_outcome& o, int64_t now) {
  write_request req;
  auto type = sql_value::of(o.entity_type);
  auto id = sql_value::of(o.entity_id);
  if (o.state == "downloaded" || o.state == "unchanged") {
    req.statements.push_back(sql_stmt{
      "INSERT INTO images(entity_type, entity_id, url, source, path, state,"
      " last_error, etag, last_modified, content_type, bytes, fetched_at,"
      " attempts, next_attempt_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5,"
      " 'downloaded', NULL, ?6, ?7, ?8, ?9, ?10, 0, NULL, ?10)"
      " ON CONFLICT(entity_type, entity_id) DO UPDATE SET url = excluded.url,"
      " source = excluded.source, path = excluded.path, state = 'downloaded',"
      " last_error = NULL, etag = excluded.etag,"
      " last_modified = excluded.last_modified,"
      " content_type = excluded.content_type,"
      " bytes = COALESCE(excluded.bytes, images.bytes),"
      " fetched_at = excluded.fetched_at, attempts = 0,"
      " next_attempt_at = NULL, updated_at = excluded.updated_at",
      {type, id, opt(o.url), source_value(o.source), opt(o.path), opt(o.etag),
       opt(o.last_modified), opt(o.content_type),
       o.bytes > 0 ? sql_value::of(o.bytes) : sql_value::null(),
       sql_value::of(now)}});
    if (o.entity_type == "playlist")
      req.statements.push_back(
        sql_stmt{"UPDATE playlists SET cover_path = ?2 WHERE id = ?1",
                 {id, opt(o.path)}});
  } else if (o.state == "none") {
    // Nothing anywhere: not an error; the file we had (if any) stays.
    req.statements.push_back(sql_stmt{
      "INSERT INTO images(entity_type, entity_id, state, last_error,"
      " next_attempt_at, updated_at) VALUES (?1, ?2, 'none', 'no image found',"
      " ?3, ?4) ON CONFLICT(entity_type, entity_id) DO UPDATE SET"
      " state = CASE WHEN images.path IS NOT NULL THEN images.state"
      " ELSE 'none' END, last_error = 'no image found',"
      " next_attempt_at = excluded.next_attempt_at,"
      " updated_at = excluded.updated_at",
      {type, id, sql_value::of(now + image_none_recheck_ms),
       sql_value::of(now)}});
  } else {
    // attempts counts this failure; the retry time follows from it.
    req.statements.push_back(sql_stmt{
      "INSERT INTO images(entity_type, entity_id, url, source, state,"
      " last_error, attempts, next_attempt_at, updated_at) VALUES (?1, ?2,"
      " ?3, ?4, 'failed', ?5, 1, ?6, ?7)"
      " ON CONFLICT(entity_type, entity_id) DO UPDATE SET"
      " url = COALESCE(excluded.url, images.url),"
      " source = COALESCE(excluded.source, images.source), state = 'failed',"
      " last_error = excluded.last_error, attempts = images.attempts + 1,"
      " next_attempt_at = CASE WHEN images.attempts + 1 >= ?8 THEN NULL"
      " WHEN images.attempts + 1 >= 2 THEN ?7 + ?9 ELSE ?7 + ?10 END,"
      " updated_at = excluded.updated_at",
      {type, id, opt(o.url), source_value(o.source),
       sql_value::of(o.error.empty() ? std::string{"failed"} : o.error),
       sql_value::of(now + image_retry_first_ms), sql_value::of(now),
       sql_value::of(image_max_attempts), sql_value::of(image_retry_second_ms),
       sql_value::of(image_retry_first_ms)}});
  }
  return req;
}

sql_stmt offer_image_url(const std::string& entity_type, int64_t entity_id,
                         const std::string& url, const std::string& source) {
  return sql_stmt{
    "INSERT INTO images(entity_type, entity_id, url, source, state)"
    " SELECT ?1, ?2, ?3, ?4, 'url_found'"
    " WHERE ?4 IN ('spotify', 'deezer', 'tidal') AND ?3 != ''"
    " ON CONFLICT(entity_type, entity_id) DO UPDATE SET url = excluded.url,"
    " source = excluded.source, state = 'url_found', last_error = NULL"
    " WHERE images.url IS NULL",
    {sql_value::of(entity_type), sql_value::of(entity_id), sql_value::of(url),
     source_value(source)}};
}

} // namespace discotheque::storage
