#include "storage/writes/scan.hpp"

#include <iterator>

namespace discotheque::storage::writes {

write_request record_scan_errors(const std::vector<scan_error_dto>& errors,
                                 int64_t now_ms) {
  write_request req;
  for (auto& e : errors)
    req.statements.push_back(sql_stmt{
      "INSERT INTO scan_errors(path, reason, file_size, seen_at, file_mtime, "
      "transient) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(path) DO UPDATE "
      "SET reason = excluded.reason, file_size = excluded.file_size, seen_at "
      "= excluded.seen_at, file_mtime = excluded.file_mtime, transient = "
      "excluded.transient",
      {sql_value::of(e.path), sql_value::of(e.reason), sql_value::of(e.size),
       sql_value::of(now_ms), sql_value::of(e.mtime),
       sql_value::of(int64_t{e.transient ? 1 : 0})}});
  return req;
}

write_request forget_scan_errors(const std::vector<std::string>& paths) {
  write_request req;
  for (auto& p : paths)
    req.statements.push_back(
      sql_stmt{"DELETE FROM scan_errors WHERE path = ?1", {sql_value::of(p)}});
  return req;
}

write_request record_scan_folders(const std::vector<std::string>& paths,
                                  const std::vector<std::string>& hashes,
                                  int64_t now_ms) {
  write_request req;
  for (size_t i = 0; i < paths.size() && i < hashes.size(); ++i)
    req.statements.push_back(sql_stmt{
      "INSERT INTO scan_folders(path, hash, scanned_at) VALUES (?1, ?2, ?3)"
      " ON CONFLICT(path) DO UPDATE SET hash = excluded.hash, scanned_at = "
      "excluded.scanned_at",
      {sql_value::of(paths[i]), sql_value::of(hashes[i]),
       sql_value::of(now_ms)}});
  return req;
}

write_request forget_scan_folders(const std::vector<std::string>& paths) {
  write_request req;
  for (auto& p : paths)
    req.statements.push_back(
      sql_stmt{"DELETE FROM scan_folders WHERE path = ?1", {sql_value::of(p)}});
  return req;
}

void append(write_request& to, write_request from) {
  to.statements.insert(to.statements.end(),
                       std::make_move_iterator(from.statements.begin()),
                       std::make_move_iterator(from.statements.end()));
}

} // namespace discotheque::storage::writes
