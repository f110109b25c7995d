#include "storage/migrations.hpp"

#include <stdexcept>

namespace discotheque::storage {

int latest_schema_version() {
  return static_cast<int>(migrations().size());
}

int schema_version(database& db) {
  return static_cast<int>(db.query_int("PRAGMA user_version").value_or(0));
}

int migrate(database& db) {
  auto current = schema_version(db);
  auto latest = latest_schema_version();
  if (current > latest)
    throw std::runtime_error(
      "database " + db.path().string() + " has schema version "
      + std::to_string(current) + " but this binary only knows up to version "
      + std::to_string(latest) + "; use a newer Discotheque");
  int applied = 0;
  for (auto v = current; v < latest; ++v) {
    const auto& m = migrations()[static_cast<size_t>(v)];
    transaction tx{db};
    try {
      db.exec(m.sql);
    } catch (const sqlite_error& e) {
      throw sqlite_error(e.extended_code(), std::string{"migration "} + m.name
                                              + " failed: " + e.what());
    }
    db.exec("PRAGMA user_version = " + std::to_string(v + 1));
    tx.commit();
    ++applied;
  }
  return applied;
}

} // namespace discotheque::storage
