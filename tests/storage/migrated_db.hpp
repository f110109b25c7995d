// A migrated database in a temporary folder, and a way to run a
// write_request on it directly (no store actor): the base of the storage
// suites' fixtures.
#pragma once

#include "fixture.hpp"

#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace discotheque::test {

struct migrated_db {
  temp_dir dir;
  storage::database db = storage::database::open(dir / "library.db");

  migrated_db() {
    storage::migrate(db);
  }

  void apply(const write_request& req) {
    for (const auto& stmt : req.statements)
      db.run(stmt);
  }
};

} // namespace discotheque::test
