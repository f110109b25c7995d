// A thin RAII layer over SQLite: a connection, prepared statements, and the
// pragmas every connection of Discotheque uses (WAL, foreign keys, busy
// timeout). Errors are thrown as storage::sqlite_error carrying the SQLite
// code.
#pragma once

#include "messages/types.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace discotheque::storage {

class sqlite_error : public std::runtime_error {
public:
  sqlite_error(int code, const std::string& what)
    : std::runtime_error(what), code_(code) {
  }
  /// The primary SQLite result code (SQLITE_BUSY, SQLITE_CONSTRAINT, ...).
  int code() const noexcept {
    return code_ & 0xff;
  }
  int extended_code() const noexcept {
    return code_;
  }
  bool is_constraint() const noexcept {
    return code() == SQLITE_CONSTRAINT;
  }
  bool is_busy() const noexcept {
    return code() == SQLITE_BUSY || code() == SQLITE_LOCKED;
  }

private:
  int code_;
};

class statement;

class database {
public:
  enum class mode { read_write, read_only };

  /// Opens (and for read_write creates) the database at `path` and applies
  /// the connection pragmas.
  static database open(const std::filesystem::path& path,
                       mode m = mode::read_write);

  database() = default;
  database(database&& other) noexcept;
  database& operator=(database&& other) noexcept;
  database(const database&) = delete;
  database& operator=(const database&) = delete;
  ~database();

  /// Runs one or more statements without parameters.
  void exec(std::string_view sql);

  /// Prepares a statement; the statement must not outlive the connection.
  statement prepare(std::string_view sql);

  /// Runs a statement with parameters; returns sqlite3_changes().
  int64_t run(const sql_stmt& stmt);

  /// Convenience: the first column of the first row as integer, or nullopt.
  std::optional<int64_t> query_int(std::string_view sql,
                                   const std::vector<sql_value>& params = {});
  std::optional<std::string>
  query_text(std::string_view sql, const std::vector<sql_value>& params = {});

  int64_t last_insert_rowid() const;
  int64_t changes() const;
  sqlite3* handle() const noexcept {
    return db_;
  }
  const std::filesystem::path& path() const noexcept {
    return path_;
  }
  explicit operator bool() const noexcept {
    return db_ != nullptr;
  }

  /// Throws sqlite_error for rc unless it is SQLITE_OK/ROW/DONE.
  void check(int rc, std::string_view context) const;

private:
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

/// A prepared statement. Bind with 1-based indexes, step, read columns.
class statement {
public:
  statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {
  }
  statement(statement&& other) noexcept;
  statement& operator=(statement&& other) noexcept;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement();

  /// `borrow`: text is not copied; the caller keeps `v` alive and unchanged
  /// until the statement is reset (the store's requests outlive their steps).
  statement& bind(int index, const sql_value& v, bool borrow = false);
  statement& bind(int index, int64_t v);
  statement& bind(int index, std::string_view v);
  statement& bind_null(int index);
  statement& bind_all(const std::vector<sql_value>& params,
                      bool borrow = false);

  /// Steps once; true while a row is available.
  bool step();
  /// Resets for another execution and clears the bindings.
  void reset();

  bool is_null(int col) const;
  int64_t int64(int col) const;
  double real(int col) const;
  std::string text(int col) const;
  std::optional<std::string> opt_text(int col) const;
  std::optional<int64_t> opt_int64(int col) const;
  /// The column's value with the type SQLite stored it as.
  sql_value value(int col) const;
  int columns() const;
  std::string column_name(int col) const;

private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

/// RAII transaction: BEGIN IMMEDIATE on construction, ROLLBACK unless
/// commit() was called.
class transaction {
public:
  explicit transaction(database& db);
  ~transaction();
  void commit();

private:
  database& db_;
  bool done_ = false;
};

} // namespace discotheque::storage
