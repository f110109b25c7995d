#include "actors/store.hpp"

#include "actors/inspect.hpp"
#include "messages/error.hpp"
#include "storage/migrations.hpp"
#include "support/log.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

namespace discotheque {

namespace {

/// Errors that belong to one request (its statements are wrong or violate the
/// schema) rather than to the transaction or the database as a whole.
bool request_local(const storage::sqlite_error& e) {
  switch (e.code()) {
    case SQLITE_CONSTRAINT:
    case SQLITE_ERROR:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
      return true;
    default:
      return false;
  }
}

} // namespace

void store_state::run_request(pending& p) {
  db.exec("SAVEPOINT request");
  try {
    p.ack.changes.clear();
    for (const auto& s : p.request.statements) {
      auto it = statements.find(s.sql);
      if (it == statements.end())
        it = statements.emplace(s.sql, db.prepare(s.sql)).first;
      auto& st = it->second;
      st.reset();
      st.bind_all(s.params, /*borrow=*/true);
      while (st.step()) {
        // drain the rows of a statement with a RETURNING clause
      }
      p.ack.changes.push_back(db.changes());
    }
    p.ack.last_rowid = db.last_insert_rowid();
    db.exec("RELEASE request");
  } catch (const storage::sqlite_error& e) {
    // Statements must not hold the savepoint open while we roll back.
    for (auto& [sql, st] : statements)
      st.reset();
    if (!request_local(e))
      throw; // the whole transaction is in trouble: retry it
    db.exec("ROLLBACK TO request");
    db.exec("RELEASE request");
    auto code = e.is_constraint() ? ec::constraint_violation
                                  : ec::database_error;
    p.failure = make_error(code, e.what());
    log->warn("write rejected: {}", e.what());
  }
}

bool store_state::try_commit() {
  try {
    storage::transaction tx{db};
    for (auto& p : batch)
      if (!p.failure)
        run_request(p);
    tx.commit();
    return true;
  } catch (const storage::sqlite_error& e) {
    for (auto& [sql, st] : statements)
      st.reset();
    if (e.is_busy())
      ++stats.busy_errors;
    stats.last_error = e.what();
    log->error("transaction of {} writes failed: {}", batch.size(), e.what());
    return false;
  }
}

void store_state::commit_batch() {
  flush_scheduled = false;
  if (batch.empty())
    return;
  bool committed = false;
  auto started = std::chrono::steady_clock::now();
  for (int attempt = 0; attempt <= config.max_retries; ++attempt) {
    if (attempt > 0) {
      ++stats.retries;
      log->warn("retrying transaction (attempt {} of {})", attempt,
                config.max_retries);
      std::this_thread::sleep_for(config.retry_delay);
    }
    if ((committed = try_commit()))
      break;
  }
  last_batch = batch.size();
  last_commit_us = std::chrono::duration_cast<std::chrono::microseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count();
  max_commit_us = std::max(max_commit_us, last_commit_us);
  total_commit_us += last_commit_us;
  commit_hist.observe(static_cast<double>(last_commit_us));
  writes_hist.observe(static_cast<double>(batch.size()));
  if (committed) {
    ++stats.transactions;
    if (stats.degraded) {
      log->info("database writable again");
      stats.degraded = false;
    }
  } else {
    stats.degraded = true;
  }
  for (auto& p : batch) {
    if (p.failure) {
      ++stats.failed_writes;
      p.promise.deliver(std::move(p.failure));
    } else if (!committed) {
      ++stats.failed_writes;
      p.promise.deliver(
        make_error(ec::database_error, "transaction failed after "
                                         + std::to_string(config.max_retries)
                                         + " retries: " + stats.last_error));
    } else {
      ++stats.writes;
      p.ack.transaction = stats.transactions;
      p.promise.deliver(std::move(p.ack));
    }
  }
  batch.clear();
}

namespace {

actor_summary summary_of(store_actor::stateful_pointer<store_state> self) {
  const auto& st = self->state;
  const auto& s = st.stats;
  auto per_tx = s.transactions > 0 ? double(s.writes) / s.transactions : 0.0;
  auto avg_us = s.transactions > 0 ? st.total_commit_us / s.transactions : 0;
  nlohmann::json details{
    {"transactions", s.transactions},
    {"writes", s.writes},
    {"failed_writes", s.failed_writes},
    {"retries", s.retries},
    {"busy_errors", s.busy_errors},
    {"degraded", s.degraded},
    {"last_error", s.last_error},
    {"writes_per_transaction", per_tx},
    {"batch_pending", st.batch.size()},
    {"last_batch", st.last_batch},
    {"last_commit_us", st.last_commit_us},
    {"max_commit_us", st.max_commit_us},
    {"avg_commit_us", avg_us},
    {"db_path", st.config.db_path.string()},
    {"commit_us_histogram", st.commit_hist.to_json()},
    {"writes_per_transaction_histogram", st.writes_hist.to_json()},
  };
  auto line = std::to_string(s.transactions) + " transactions, "
              + std::to_string(s.writes) + " writes, last commit "
              + std::to_string(st.last_commit_us) + " us"
              + (s.degraded ? ", degraded" : "");
  return inspection::summarize(self, "store", line, details);
}

} // namespace

store_actor::behavior_type
store(store_actor::stateful_pointer<store_state> self, store_config config) {
  auto& st = self->state;
  st.log = log::get("store");
  st.config = std::move(config);
  try {
    st.db = storage::database::open(st.config.db_path);
    sqlite3_busy_timeout(st.db.handle(),
                         static_cast<int>(st.config.busy_timeout.count()));
    auto applied = storage::migrate(st.db);
    if (applied > 0)
      st.log->info("migrated {} to schema version {}",
                   st.config.db_path.string(),
                   storage::latest_schema_version());
  } catch (const std::exception& e) {
    st.log->critical("cannot open database: {}", e.what());
    st.stats.degraded = true;
    st.stats.last_error = e.what();
    self->quit(make_error(ec::database_error, e.what()));
    return store_actor::behavior_type::make_empty_behavior();
  }
  self->set_exit_handler([self](const caf::exit_msg& msg) {
    // Finish what was accepted before going away; acknowledged writes are
    // committed, the rest are answered with an error by commit_batch.
    self->state.commit_batch();
    self->state.statements.clear();
    self->state.log->info("closed database after {} transactions",
                          self->state.stats.transactions);
    self->quit(msg.reason);
  });
  return {
    [self](atom::write, write_request& req) -> caf::result<write_ack> {
      auto& st = self->state;
      auto rp = self->make_response_promise<write_ack>();
      st.batch.push_back({std::move(req), rp, {}, {}});
      if (st.batch.size() >= st.config.max_batch) {
        st.commit_batch();
      } else if (!st.flush_scheduled) {
        // Everything already in the mailbox arrives before this message, so
        // the batch grows with the load and commits when the burst is read.
        st.flush_scheduled = true;
        self->send(self, atom::flush_atom_v);
      }
      return rp;
    },
    [self](atom::flush_atom) { self->state.commit_batch(); },
    [self](atom::stats) { return self->state.stats; },
    [self](atom::inspect_atom) { return summary_of(self); },
  };
}

} // namespace discotheque
