// Plain data carried in messages between actors. Every type here is default-
// and copy-constructible and has an `inspect` overload, as CAF 0.17 requires.
#pragma once

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace discotheque {

/// One bound parameter of an SQL statement. `kind` says which member holds the
/// value, so the type stays trivially inspectable (no std::variant in 0.17).
struct sql_value {
  enum kind_t : uint8_t { null_v = 0, int_v = 1, real_v = 2, text_v = 3 };
  uint8_t kind = null_v;
  int64_t i = 0;
  double d = 0;
  std::string s;

  static sql_value null() {
    return {};
  }
  static sql_value of(int64_t v) {
    return {int_v, v, 0, {}};
  }
  static sql_value of(int v) {
    return of(static_cast<int64_t>(v));
  }
  static sql_value of(double v) {
    return {real_v, 0, v, {}};
  }
  static sql_value of(std::string v) {
    return {text_v, 0, 0, std::move(v)};
  }
  static sql_value of(const char* v) {
    return of(std::string{v});
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sql_value& x) {
  return f(caf::meta::type_name("sql_value"), x.kind, x.i, x.d, x.s);
}

/// One SQL statement with its positional parameters (`?1`, `?2`, ...).
struct sql_stmt {
  std::string sql;
  std::vector<sql_value> params;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sql_stmt& x) {
  return f(caf::meta::type_name("sql_stmt"), x.sql, x.params);
}

/// A unit of work for the store: its statements commit together or not at
/// all, but never take the rest of the store's batch down with them.
struct write_request {
  std::vector<sql_stmt> statements;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, write_request& x) {
  return f(caf::meta::type_name("write_request"), x.statements);
}

/// The store's answer once a write_request has been committed.
struct write_ack {
  /// sqlite3_changes() after each statement, in order.
  std::vector<int64_t> changes;
  /// sqlite3_last_insert_rowid() after the last statement.
  int64_t last_rowid = 0;
  /// The id of the transaction that carried this write (for tests/metrics).
  int64_t transaction = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, write_ack& x) {
  return f(caf::meta::type_name("write_ack"), x.changes, x.last_rowid,
           x.transaction);
}

/// Counters of the store actor, for health checks, tests and benchmarks.
struct store_stats {
  int64_t transactions = 0;  ///< committed transactions
  int64_t writes = 0;        ///< write_requests committed
  int64_t failed_writes = 0; ///< write_requests answered with an error
  int64_t retries = 0;       ///< transactions rolled back and retried
  int64_t busy_errors = 0;   ///< SQLITE_BUSY / SQLITE_LOCKED seen
  bool degraded = false;     ///< a transaction failed after all retries
  std::string last_error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, store_stats& x) {
  return f(caf::meta::type_name("store_stats"), x.transactions, x.writes,
           x.failed_writes, x.retries, x.busy_errors, x.degraded, x.last_error);
}

} // namespace discotheque
