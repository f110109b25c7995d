#include "storage/writes/scan.hpp"

#include <algorithm>
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

namespace {

/// Rows per multi-row statement: one SQL text per 64 paths instead of one
/// per path (a 200,000-file cold scan used to build 200,000 statements).
constexpr size_t rows_per_statement = 64;

/// "DELETE FROM table WHERE path IN (?1, ..., ?n)" in statements of at most
/// rows_per_statement paths, each path moved into its parameter.
write_request delete_paths(const char* table, std::vector<std::string> paths) {
  write_request req;
  for (size_t i = 0; i < paths.size(); i += rows_per_statement) {
    auto n = std::min(rows_per_statement, paths.size() - i);
    sql_stmt s;
    s.sql = std::string{"DELETE FROM "} + table + " WHERE path IN (";
    s.params.reserve(n);
    for (size_t j = 0; j < n; ++j) {
      s.sql += (j == 0 ? "?" : ", ?") + std::to_string(j + 1);
      s.params.push_back(sql_value::of(std::move(paths[i + j])));
    }
    s.sql += ")";
    req.statements.push_back(std::move(s));
  }
  return req;
}

} // namespace

write_request forget_scan_errors(std::vector<std::string> paths) {
  return delete_paths("scan_errors", std::move(paths));
}

write_request record_scan_folders(std::vector<std::string> paths,
                                  std::vector<std::string> hashes,
                                  int64_t now_ms) {
  write_request req;
  auto total = std::min(paths.size(), hashes.size());
  for (size_t i = 0; i < total; i += rows_per_statement) {
    auto n = std::min(rows_per_statement, total - i);
    sql_stmt s;
    s.sql = "INSERT INTO scan_folders(path, hash, scanned_at) VALUES ";
    s.params.reserve(n * 2 + 1);
    s.params.push_back(sql_value::of(now_ms)); // ?1, shared by every row
    for (size_t j = 0; j < n; ++j) {
      auto p = std::to_string(2 * j + 2), h = std::to_string(2 * j + 3);
      s.sql += (j == 0 ? "(?" : ", (?") + p + ", ?" + h + ", ?1)";
      s.params.push_back(sql_value::of(std::move(paths[i + j])));
      s.params.push_back(sql_value::of(std::move(hashes[i + j])));
    }
    s.sql += " ON CONFLICT(path) DO UPDATE SET hash = excluded.hash, "
             "scanned_at = excluded.scanned_at";
    req.statements.push_back(std::move(s));
  }
  return req;
}

write_request forget_scan_folders(std::vector<std::string> paths) {
  return delete_paths("scan_folders", std::move(paths));
}

void append(write_request& to, write_request from) {
  to.statements.insert(to.statements.end(),
                       std::make_move_iterator(from.statements.begin()),
                       std::make_move_iterator(from.statements.end()));
}

} // namespace discotheque::storage::writes
