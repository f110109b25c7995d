#include "storage/database.hpp"

#include <utility>

namespace discotheque::storage {

namespace {

std::string message_for(sqlite3* db, int rc, std::string_view context) {
  std::string msg{context};
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return msg;
}

} // namespace

database database::open(const std::filesystem::path& path, mode m) {
  database result;
  result.path_ = path;
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= m == mode::read_only ? SQLITE_OPEN_READONLY
                                : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  auto rc = sqlite3_open_v2(path.c_str(), &result.db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    auto msg = message_for(result.db_, rc, "cannot open " + path.string());
    sqlite3_close(result.db_);
    result.db_ = nullptr;
    throw sqlite_error(rc, msg);
  }
  sqlite3_extended_result_codes(result.db_, 1);
  sqlite3_busy_timeout(result.db_, 5000);
  if (m == mode::read_write) {
    result.exec("PRAGMA journal_mode=WAL");
    // NORMAL is durable against process crashes in WAL mode (a committed
    // transaction is in the WAL file); only a power loss may lose the last
    // commits, never consistency.
    result.exec("PRAGMA synchronous=NORMAL");
  }
  result.exec("PRAGMA foreign_keys=ON");
  return result;
}

database::database(database&& other) noexcept
  : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {
}

database& database::operator=(database&& other) noexcept {
  if (this != &other) {
    if (db_)
      sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

database::~database() {
  if (db_)
    sqlite3_close_v2(db_);
}

void database::check(int rc, std::string_view context) const {
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
    throw sqlite_error(rc, message_for(db_, rc, context));
}

void database::exec(std::string_view sql) {
  char* err = nullptr;
  std::string copy{sql};
  auto rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw sqlite_error(sqlite3_extended_errcode(db_), msg);
  }
}

statement database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  auto rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()),
                               &stmt, nullptr);
  check(rc, "prepare");
  return statement{db_, stmt};
}

int64_t database::run(const sql_stmt& s) {
  auto st = prepare(s.sql);
  st.bind_all(s.params);
  while (st.step()) {
    // drain rows (e.g. INSERT ... RETURNING)
  }
  return changes();
}

std::optional<int64_t> database::query_int(std::string_view sql,
                                           const std::vector<sql_value>& ps) {
  auto st = prepare(sql);
  st.bind_all(ps);
  if (st.step() && !st.is_null(0))
    return st.int64(0);
  return std::nullopt;
}

std::optional<std::string>
database::query_text(std::string_view sql, const std::vector<sql_value>& ps) {
  auto st = prepare(sql);
  st.bind_all(ps);
  if (st.step())
    return st.opt_text(0);
  return std::nullopt;
}

int64_t database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

int64_t database::changes() const {
  return sqlite3_changes(db_);
}

// -- statement ---------------------------------------------------------------

statement::statement(statement&& other) noexcept
  : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {
}

statement& statement::operator=(statement&& other) noexcept {
  if (this != &other) {
    if (stmt_)
      sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

statement::~statement() {
  if (stmt_)
    sqlite3_finalize(stmt_);
}

namespace {

void check_bind(sqlite3* db, int rc) {
  if (rc != SQLITE_OK)
    throw sqlite_error(rc, message_for(db, rc, "bind"));
}

} // namespace

statement& statement::bind(int index, const sql_value& v, bool borrow) {
  switch (v.kind) {
    case sql_value::int_v:
      return bind(index, v.i);
    case sql_value::real_v:
      check_bind(db_, sqlite3_bind_double(stmt_, index, v.d));
      return *this;
    case sql_value::text_v:
      if (borrow) {
        check_bind(db_, sqlite3_bind_text(stmt_, index, v.s.data(),
                                          static_cast<int>(v.s.size()),
                                          SQLITE_STATIC));
        return *this;
      }
      return bind(index, std::string_view{v.s});
    default:
      return bind_null(index);
  }
}

statement& statement::bind(int index, int64_t v) {
  check_bind(db_, sqlite3_bind_int64(stmt_, index, v));
  return *this;
}

statement& statement::bind(int index, std::string_view v) {
  check_bind(db_,
             sqlite3_bind_text(stmt_, index, v.data(),
                               static_cast<int>(v.size()), SQLITE_TRANSIENT));
  return *this;
}

statement& statement::bind_null(int index) {
  check_bind(db_, sqlite3_bind_null(stmt_, index));
  return *this;
}

statement& statement::bind_all(const std::vector<sql_value>& params,
                               bool borrow) {
  for (size_t i = 0; i < params.size(); ++i)
    bind(static_cast<int>(i + 1), params[i], borrow);
  return *this;
}

bool statement::step() {
  auto rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  throw sqlite_error(sqlite3_extended_errcode(db_),
                     message_for(db_, rc, "step"));
}

void statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool statement::is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

int64_t statement::int64(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

double statement::real(int col) const {
  return sqlite3_column_double(stmt_, col);
}

std::string statement::text(int col) const {
  auto p = sqlite3_column_text(stmt_, col);
  if (!p)
    return {};
  return std::string{reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::optional<std::string> statement::opt_text(int col) const {
  if (is_null(col))
    return std::nullopt;
  return text(col);
}

std::optional<int64_t> statement::opt_int64(int col) const {
  if (is_null(col))
    return std::nullopt;
  return int64(col);
}

int statement::columns() const {
  return sqlite3_column_count(stmt_);
}

std::string statement::column_name(int col) const {
  auto p = sqlite3_column_name(stmt_, col);
  return p ? p : "";
}

sql_value statement::value(int col) const {
  switch (sqlite3_column_type(stmt_, col)) {
    case SQLITE_NULL:
      return sql_value::null();
    case SQLITE_INTEGER:
      return sql_value::of(int64(col));
    case SQLITE_FLOAT:
      return sql_value::of(real(col));
    default:
      return sql_value::of(text(col));
  }
}

// -- transaction -------------------------------------------------------------

transaction::transaction(database& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

transaction::~transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
      // The transaction may already be gone (e.g. after a fatal I/O error).
    }
  }
}

void transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

} // namespace discotheque::storage
