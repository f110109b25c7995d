#include "actors/dedup/dedup_store.hpp"

#include "actors/dedup/merge.hpp"
#include "actors/dedup/reconcile.hpp"
#include "actors/inspect.hpp"
#include "messages/error.hpp"
#include "storage/database.hpp"
#include "storage/queries/dedup.hpp"
#include "support/log.hpp"

#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <nlohmann/json.hpp>

namespace discotheque {

namespace {

using self_ptr = dedup_store_actor::stateful_pointer<dedup_state>;

/// One store answer less to wait for; the last one ends a pending exit.
void write_answered(self_ptr self) {
  auto& st = self->state;
  if (--st.writes_in_flight == 0 && st.stopping)
    self->quit(*st.stopping);
}

} // namespace

void dedup_state::warm() {
  warmed = false;
  auto db = storage::database::open(config.db_path,
                                    storage::database::mode::read_only);
  if (!writes)
    writes.emplace(storage::provider_id_columns(db, config.providers));
  if (!index)
    index.emplace(config.providers);
  changes_seen = storage::last_ownership_change(db);
  index->load(db, writes->provider_columns());
  reads = std::move(db);
  warmed = true;
  log->info("warmed: {} artists, {} albums, {} tracks", index->artists.size(),
            index->albums.size(), index->tracks.size());
}

void dedup_state::resettle() {
  auto last = storage::last_ownership_change(reads);
  if (last <= changes_seen)
    return;
  storage::read_settled(reads, [this](bool artist, int64_t id, bool settled) {
    if (artist) {
      if (auto it = index->artists.find(id); it != index->artists.end())
        it->second.settled = settled;
    } else if (auto it = index->albums.find(id); it != index->albums.end()) {
      it->second.settled = settled;
    }
  });
  changes_seen = last;
}

namespace {

/// The indexes' sizes, for (inspect).
actor_summary summary_of(self_ptr self) {
  const auto& st = self->state;
  nlohmann::json details{{"warmed", st.warmed},
                         {"writes_in_flight", st.writes_in_flight},
                         {"changes_seen", st.changes_seen},
                         {"batches", st.batches},
                         {"rows_created", st.rows_created},
                         {"rows_merged", st.rows_merged}};
  std::string line = st.warmed ? "warm" : "not warmed yet";
  if (st.index) {
    const auto& ix = *st.index;
    nlohmann::json sizes{
      {"artists", ix.artists.size()},
      {"albums", ix.albums.size()},
      {"tracks", ix.tracks.size()},
      {"artist_by_mbid", ix.artist_by_mbid.size()},
      {"artist_by_spelling", ix.artist_by_spelling.size()},
      {"album_by_mbid", ix.album_by_mbid.size()},
      {"album_by_name", ix.album_by_name.size()},
      {"track_by_mbid", ix.track_by_mbid.size()},
      {"track_by_isrc", ix.track_by_isrc.size()},
      {"track_by_path", ix.track_by_path.size()},
      {"track_by_name", ix.track_by_name.size()},
    };
    for (size_t i = 0; i < ix.providers().size(); ++i) {
      const auto& p = ix.providers()[i];
      if (i < ix.artist_by_provider.size())
        sizes["artist_by_" + p] = ix.artist_by_provider[i].size();
      if (i < ix.album_by_provider.size())
        sizes["album_by_" + p] = ix.album_by_provider[i].size();
      if (i < ix.track_by_provider.size())
        sizes["track_by_" + p] = ix.track_by_provider[i].size();
    }
    details["indexes"] = sizes;
    line += ", " + std::to_string(ix.artists.size()) + " artists, "
            + std::to_string(ix.albums.size()) + " albums, "
            + std::to_string(ix.tracks.size()) + " tracks";
  }
  line += ", " + std::to_string(st.writes_in_flight) + " writes in flight";
  return inspection::summarize(self, "dedup_store", line, details);
}

} // namespace

dedup_store_actor::behavior_type
dedup_store(dedup_store_actor::stateful_pointer<dedup_state> self,
            dedup_config config) {
  auto& st = self->state;
  st.log = log::get("dedup");
  st.config = std::move(config);
  self->set_exit_handler([self](const caf::exit_msg& msg) {
    // An ordered shutdown stops the store after us: the writes in flight
    // are answered (committed) first.
    if (self->state.writes_in_flight == 0)
      self->quit(msg.reason);
    else
      self->state.stopping = msg.reason;
  });
  return {
    [self](atom::merge,
           const ingest_batch& batch) -> caf::result<ingest_result> {
      auto& st = self->state;
      // Warmed at the first batch, not at spawn: a rescan of an unchanged
      // library sends none and never pays for loading every key.
      if (!st.warmed) {
        try {
          st.warm();
        } catch (const std::exception& e) {
          st.log->error("cannot load the library: {}", e.what());
          return make_error(ec::database_error, e.what());
        }
      } else {
        try {
          st.resettle();
        } catch (const std::exception& e) {
          st.log->warn("cannot reload ownership flags: {}", e.what());
        }
      }
      auto out = dedup::merge(batch, *st.index, *st.writes);
      ++st.batches;
      st.rows_created += out.result.created;
      st.rows_merged += out.result.merged;
      if (out.writes.statements.empty())
        return std::move(out.result);
      auto rp = self->make_response_promise<ingest_result>();
      ++st.writes_in_flight;
      self
        ->request(st.config.store, caf::infinite, atom::write_v,
                  std::move(out.writes))
        .then(
          [self, rp, res = std::move(out.result)](const write_ack&) mutable {
            rp.deliver(std::move(res));
            write_answered(self);
          },
          [self, rp](const caf::error& err) mutable {
            // The indexes now hold rows that never landed: start over from
            // what the database really has.
            self->state.log->error("batch rejected: {}", to_string(err));
            try {
              self->state.warm();
            } catch (const std::exception& e) {
              self->state.log->error("re-warm failed: {}", e.what());
            }
            rp.deliver(err);
            write_answered(self);
          });
      return rp;
    },
    [self](atom::reconcile, const std::string& source,
           const std::string& reason, int64_t run_id) -> caf::result<int64_t> {
      auto& st = self->state;
      dedup::release_plan plan;
      try {
        auto db = storage::database::open(st.config.db_path,
                                          storage::database::mode::read_only);
        plan = dedup::plan_release(db, source, reason, run_id);
      } catch (const std::exception& e) {
        return make_error(ec::database_error, e.what());
      }
      if (plan.released == 0)
        return int64_t{0};
      auto rp = self->make_response_promise<int64_t>();
      ++st.writes_in_flight;
      self
        ->request(st.config.store, caf::infinite, atom::write_v,
                  std::move(plan.writes))
        .then(
          [self, rp, released = plan.released](const write_ack&) mutable {
            rp.deliver(released);
            write_answered(self);
          },
          [self, rp](const caf::error& err) mutable {
            rp.deliver(err);
            write_answered(self);
          });
      return rp;
    },
    [self](atom::inspect_atom) { return summary_of(self); },
  };
}

} // namespace discotheque
