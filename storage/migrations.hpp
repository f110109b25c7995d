// Schema migrations: storage/schema/NNNN_name.sql, embedded at build time and
// applied in order, each in its own transaction, versioned by PRAGMA
// user_version.
#pragma once

#include "storage/database.hpp"

#include <string>
#include <vector>

namespace discotheque::storage {

struct migration {
  const char* name;
  const char* sql;
};

/// All migrations this binary knows, in order; migration i brings the schema
/// to version i + 1. (Generated from storage/schema/*.sql.)
const std::vector<migration>& migrations();

/// The schema version this binary writes.
int latest_schema_version();

/// The version recorded in the database (PRAGMA user_version).
int schema_version(database& db);

/// Applies every migration newer than the database's version. Throws
/// std::runtime_error when the database is newer than this binary. Returns
/// the number of migrations applied.
int migrate(database& db);

} // namespace discotheque::storage
