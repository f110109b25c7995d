#include "storage/writes/downloads.hpp"

#include "downloads/naming.hpp"

namespace discotheque::storage {

namespace {

sql_value opt(const std::string& s) {
  return s.empty() ? sql_value::null() : sql_value::of(s);
}

// The event of a transition, inserted only while the track is in `from`
// (before the UPDATE, so it reads the state it leaves).
sql_stmt event(int64_t track_id, const std::string& from, const std::string& to,
               const std::string& reason, int64_t now) {
  return sql_stmt{
    "INSERT INTO download_events(track_id, at, from_state, to_state, reason)"
    " SELECT id, ?2, download_state, ?3, ?4 FROM tracks WHERE id = ?1 AND"
    " download_state = ?5",
    {sql_value::of(track_id), sql_value::of(now), sql_value::of(to),
     opt(reason), sql_value::of(from)}};
}

sql_stmt move(int64_t track_id, const std::string& from, const std::string& to,
              const std::string& last_error, int64_t now) {
  return sql_stmt{"UPDATE tracks SET download_state = ?3, last_error = ?4,"
                  " download_state_updated_at = ?2, updated_at = ?2"
                  " WHERE id = ?1 AND download_state = ?5",
                  {sql_value::of(track_id), sql_value::of(now),
                   sql_value::of(to), opt(last_error), sql_value::of(from)}};
}

// CASE over the attempts a failure brings: the retry time of each.
std::string retry_case() {
  std::string s = "CASE download_jobs.attempts + 1";
  for (int n = 1; n <= 4; ++n)
    s += " WHEN " + std::to_string(n) + " THEN ?2 + "
         + std::to_string(*downloads::retry_delay_ms(n));
  return s + " ELSE NULL END";
}

} // namespace

write_request start_download(int64_t track_id, const std::string& reason,
                             int64_t now) {
  write_request req;
  req.statements.push_back(
    event(track_id, "pending", "downloading", reason, now));
  req.statements.push_back(sql_stmt{
    "INSERT INTO download_jobs(track_id, phase, updated_at)"
    " SELECT id, 'searching', ?2 FROM tracks WHERE id = ?1 AND"
    " download_state = 'pending'"
    " ON CONFLICT(track_id) DO UPDATE SET phase = 'searching',"
    " retry_at = NULL, client = NULL, username = NULL, remote_path = NULL,"
    " size = NULL, transfer_id = NULL, updated_at = excluded.updated_at",
    {sql_value::of(track_id), sql_value::of(now)}});
  req.statements.push_back(move(track_id, "pending", "downloading", "", now));
  return req;
}

write_request hold_transfer(int64_t track_id, const std::string& client,
                            const std::string& username,
                            const std::string& remote_path, int64_t size,
                            const std::string& transfer_id, int64_t now) {
  write_request req;
  req.statements.push_back(
    sql_stmt{"UPDATE download_jobs SET phase = 'transferring', client = ?2,"
             " username = ?3, remote_path = ?4, size = ?5, transfer_id = ?6,"
             " updated_at = ?7 WHERE track_id = ?1",
             {sql_value::of(track_id), sql_value::of(client),
              sql_value::of(username), sql_value::of(remote_path),
              sql_value::of(size), opt(transfer_id), sql_value::of(now)}});
  return req;
}

write_request set_download_phase(int64_t track_id, const std::string& phase,
                                 const std::string& note, int64_t now) {
  write_request req;
  bool release = phase == "searching";
  req.statements.push_back(sql_stmt{
    std::string{"UPDATE download_jobs SET phase = ?2, last_error ="
                " COALESCE(?3, last_error), updated_at = ?4"}
      + (release ? ", client = NULL, username = NULL, remote_path = NULL,"
                   " size = NULL, transfer_id = NULL"
                 : "")
      + " WHERE track_id = ?1",
    {sql_value::of(track_id), sql_value::of(phase), opt(note),
     sql_value::of(now)}});
  return req;
}

write_request finish_download(int64_t track_id, const std::string& local_path,
                              int64_t file_size, int64_t file_mtime_ns,
                              int64_t now) {
  write_request req;
  req.statements.push_back(
    event(track_id, "downloading", "downloaded", "imported", now));
  req.statements.push_back(sql_stmt{
    "UPDATE tracks SET download_state = 'downloaded', local_path = ?3,"
    " file_size = ?4, file_mtime = ?5, last_error = NULL,"
    " download_state_updated_at = ?2, updated_at = ?2"
    " WHERE id = ?1 AND download_state = 'downloading'",
    {sql_value::of(track_id), sql_value::of(now), sql_value::of(local_path),
     sql_value::of(file_size), sql_value::of(file_mtime_ns)}});
  req.statements.push_back(
    sql_stmt{"UPDATE download_jobs SET phase = 'done', attempts = 0,"
             " retry_at = NULL, last_error = NULL, updated_at = ?2"
             " WHERE track_id = ?1",
             {sql_value::of(track_id), sql_value::of(now)}});
  return req;
}

write_request fail_download(int64_t track_id, const std::string& reason,
                            int64_t now) {
  write_request req;
  req.statements.push_back(
    event(track_id, "downloading", "failed", reason, now));
  req.statements.push_back(sql_stmt{
    "UPDATE download_jobs SET phase = 'failed', retry_at = " + retry_case()
      + ", attempts = attempts + 1, last_error = ?3, transfer_id = NULL,"
        " updated_at = ?2 WHERE track_id = ?1 AND EXISTS (SELECT 1 FROM"
        " tracks WHERE id = ?1 AND download_state = 'downloading')",
    {sql_value::of(track_id), sql_value::of(now), sql_value::of(reason)}});
  req.statements.push_back(
    move(track_id, "downloading", "failed", reason, now));
  return req;
}

write_request release_download(int64_t track_id, const std::string& reason,
                               int64_t now) {
  write_request req;
  req.statements.push_back(
    event(track_id, "downloading", "pending", reason, now));
  req.statements.push_back(
    sql_stmt{"UPDATE download_jobs SET phase = 'searching', transfer_id = NULL,"
             " client = NULL, username = NULL, remote_path = NULL, size = NULL,"
             " updated_at = ?2 WHERE track_id = ?1",
             {sql_value::of(track_id), sql_value::of(now)}});
  req.statements.push_back(move(track_id, "downloading", "pending", "", now));
  return req;
}

write_request requeue_due_downloads(int64_t now) {
  write_request req;
  const std::string due = "SELECT track_id FROM download_jobs WHERE"
                          " retry_at IS NOT NULL AND retry_at <= ?1";
  req.statements.push_back(sql_stmt{
    "INSERT INTO download_events(track_id, at, from_state, to_state, reason)"
    " SELECT id, ?1, 'failed', 'pending', 'retry' FROM tracks WHERE"
    " download_state = 'failed' AND id IN ("
      + due + ")",
    {sql_value::of(now)}});
  req.statements.push_back(
    sql_stmt{"UPDATE tracks SET download_state = 'pending',"
             " download_state_updated_at = ?1, updated_at = ?1 WHERE"
             " download_state = 'failed' AND id IN ("
               + due + ")",
             {sql_value::of(now)}});
  req.statements.push_back(
    sql_stmt{"UPDATE download_jobs SET retry_at = NULL, updated_at = ?1"
             " WHERE retry_at IS NOT NULL AND retry_at <= ?1",
             {sql_value::of(now)}});
  return req;
}

write_request record_decision(int64_t track_id, const std::string& client,
                              const std::string& query,
                              const std::string& chosen_user,
                              const std::string& chosen_path, double margin,
                              const std::string& record, int64_t now) {
  write_request req;
  req.statements.push_back(sql_stmt{
    "INSERT INTO download_decisions(track_id, at, client, query,"
    " chosen_user, chosen_path, margin, record) VALUES (?1, ?2, ?3, ?4, ?5,"
    " ?6, ?7, ?8)",
    {sql_value::of(track_id), sql_value::of(now), sql_value::of(client),
     sql_value::of(query), opt(chosen_user), opt(chosen_path),
     sql_value::of(margin), sql_value::of(record)}});
  return req;
}

write_request block_file(const std::string& client, const std::string& username,
                         const std::string& remote_path,
                         const std::string& reason, int64_t track_id,
                         int64_t now) {
  write_request req;
  req.statements.push_back(sql_stmt{
    "INSERT INTO download_blocklist(client, username, remote_path, reason,"
    " track_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT(client, username, remote_path) DO NOTHING",
    {sql_value::of(client), sql_value::of(username), sql_value::of(remote_path),
     sql_value::of(reason),
     track_id > 0 ? sql_value::of(track_id) : sql_value::null(),
     sql_value::of(now)}});
  return req;
}

} // namespace discotheque::storage
