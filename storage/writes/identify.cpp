#include "storage/writes/identify.hpp"

namespace discotheque::storage {

namespace {

sql_stmt insert_decision(const identify_decision& d) {
  return sql_stmt{
    "INSERT INTO identify_decisions(entity_type, entity_id, decided_at,"
    " decided_by, outcome, chosen_mbid, source, confidence, margin, why,"
    " candidates, stale) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
    " ?11, ?12)",
    {sql_value::of(d.entity_type), sql_value::of(d.entity_id),
     sql_value::of(d.decided_at), sql_value::of(d.decided_by),
     sql_value::of(d.outcome),
     d.chosen_mbid ? sql_value::of(*d.chosen_mbid) : sql_value::null(),
     sql_value::of(d.source), sql_value::of(d.confidence),
     sql_value::of(d.margin), sql_value::of(d.why),
     sql_value::of(d.candidates_json),
     sql_value::of(int64_t{d.stale ? 1 : 0})}};
}

sql_value opt(const std::optional<std::string>& s) {
  return s && !s->empty() ? sql_value::of(*s) : sql_value::null();
}

const char* source_of(const identify_decision& d) {
  return d.source == "tags" ? "tags" : d.decided_by == "user" ? "user" : "auto";
}

/// The check time and the attempt count (for the re-check backoff).
sql_stmt checked(const char* table, const identify_decision& d) {
  return sql_stmt{std::string{"UPDATE "} + table
                    + " SET identify_checked_at = ?2,"
                      " identify_attempts = identify_attempts + 1"
                      " WHERE id = ?1",
                  {sql_value::of(d.entity_id), sql_value::of(d.decided_at)}};
}

} // namespace

write_request record_album_decision(const identify_decision& d) {
  write_request req;
  req.statements.push_back(insert_decision(d));
  if (d.outcome == "identified" && (d.chosen_mbid || d.secondary_mbid)) {
    req.statements.push_back(sql_stmt{
      "UPDATE albums SET mbid = COALESCE(?2, mbid),"
      " release_group_mbid = COALESCE(?3, release_group_mbid),"
      " mbid_source = ?4, mbid_confidence = ?5, identify_checked_at = ?6,"
      " updated_at = CAST((julianday('now') - 2440587.5) * 86400000 AS "
      "INTEGER)"
      " WHERE id = ?1 AND (mbid_source IS NULL OR mbid_source != 'user')"
      " AND (?2 IS NULL OR NOT EXISTS (SELECT 1 FROM albums o WHERE o.mbid ="
      " ?2 AND o.id != ?1))",
      {sql_value::of(d.entity_id), opt(d.chosen_mbid), opt(d.secondary_mbid),
       sql_value::of(source_of(d)), sql_value::of(d.confidence),
       sql_value::of(d.decided_at)}});
  } else {
    req.statements.push_back(checked("albums", d));
  }
  return req;
}

write_request record_track_decision(const identify_decision& d) {
  write_request req;
  req.statements.push_back(insert_decision(d));
  if (d.outcome == "identified" && d.chosen_mbid) {
    req.statements.push_back(sql_stmt{
      "UPDATE tracks SET mbid = ?2,"
      " release_track_mbid = COALESCE(?3, release_track_mbid),"
      " mbid_source = ?4, mbid_confidence = ?5, identify_checked_at = ?6,"
      " updated_at = CAST((julianday('now') - 2440587.5) * 86400000 AS "
      "INTEGER)"
      " WHERE id = ?1 AND (mbid_source IS NULL OR mbid_source != 'user')",
      {sql_value::of(d.entity_id), opt(d.chosen_mbid), opt(d.secondary_mbid),
       sql_value::of(source_of(d)), sql_value::of(d.confidence),
       sql_value::of(d.decided_at)}});
  } else {
    req.statements.push_back(checked("tracks", d));
  }
  return req;
}

write_request set_user_mbid(const identify_decision& d, bool unverified) {
  const char* table = d.entity_type == "artist"  ? "artists"
                      : d.entity_type == "album" ? "albums"
                                                 : "tracks";
  write_request req;
  auto decision = d;
  decision.decided_by = "user";
  req.statements.push_back(insert_decision(decision));
  std::string secondary;
  if (d.entity_type == "album")
    secondary = d.chosen_mbid ? ", release_group_mbid = ?4"
                              : ", release_group_mbid = NULL";
  else if (d.entity_type == "track")
    secondary = ", release_track_mbid = NULL";
  req.statements.push_back(sql_stmt{
    std::string{"UPDATE "} + table
      + " SET mbid = ?2, mbid_source = 'user', mbid_confidence = ?3,"
        " mbid_unverified = ?5, identify_checked_at = ?6"
      + secondary
      + ", updated_at = CAST((julianday('now') - 2440587.5) * 86400000 AS "
        "INTEGER) WHERE id = ?1",
    {sql_value::of(d.entity_id), opt(d.chosen_mbid),
     d.chosen_mbid ? sql_value::of(1.0) : sql_value::null(),
     opt(d.secondary_mbid), sql_value::of(int64_t{unverified ? 1 : 0}),
     sql_value::of(d.decided_at)}});
  return req;
}

write_request record_artist_decision(const identify_decision& d) {
  write_request req;
  req.statements.push_back(insert_decision(d));
  if (d.outcome == "identified" && d.chosen_mbid) {
    // Never over a user's choice; never a second row with the same MBID
    // (that is a re-merge, not an identification).
    req.statements.push_back(sql_stmt{
      "UPDATE artists SET mbid = ?2, mbid_source = ?3, mbid_confidence = ?4,"
      " identify_checked_at = ?5,"
      " updated_at = CAST((julianday('now') - 2440587.5) * 86400000 AS "
      "INTEGER)"
      " WHERE id = ?1 AND (mbid_source IS NULL OR mbid_source != 'user')"
      " AND NOT EXISTS (SELECT 1 FROM artists o WHERE o.mbid = ?2 AND o.id "
      "!= ?1)",
      {sql_value::of(d.entity_id), sql_value::of(*d.chosen_mbid),
       sql_value::of(d.source == "tags" ? "tags" : "auto"),
       sql_value::of(d.confidence), sql_value::of(d.decided_at)}});
  } else {
    req.statements.push_back(
      sql_stmt{"UPDATE artists SET identify_checked_at = ?2,"
               " identify_attempts = identify_attempts + 1 WHERE id = ?1",
               {sql_value::of(d.entity_id), sql_value::of(d.decided_at)}});
  }
  return req;
}

} // namespace discotheque::storage
