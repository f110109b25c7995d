#include "actors/dedup/reconcile.hpp"

#include "storage/queries/dedup.hpp"
#include "storage/writes/library.hpp"

#include <set>

namespace discotheque::dedup {

release_plan plan_release(storage::database& db, const std::string& source,
                          const std::string& reason, int64_t run_id) {
  release_plan plan;
  auto stale = storage::stale_claims(db, source, reason, run_id);
  if (stale.empty())
    return plan;
  std::set<int64_t> albums, artists;
  storage::claim_cascade_reads cascade{db};
  for (auto& c : stale) {
    if (c.entity_type == "track") {
      cascade.albums_of_track(c.entity_id, albums);
      cascade.artists_of_track(c.entity_id, artists);
    } else if (c.entity_type == "album") {
      albums.insert(c.entity_id);
    } else {
      artists.insert(c.entity_id);
    }
  }
  for (auto a : albums)
    cascade.artists_of_album(a, artists);
  // Claims first: the releases below test that no other claim remains.
  storage::release_stale_claims(plan.writes, source, reason, run_id);
  for (auto& c : stale)
    if (c.entity_type == "track")
      storage::release_track(plan.writes, c.entity_id);
  // Tracks before albums before artists: each level looks at the one below.
  for (auto id : albums)
    storage::release_album(plan.writes, id);
  for (auto id : artists)
    storage::release_artist(plan.writes, id);
  plan.released = static_cast<int64_t>(stale.size());
  return plan;
}

} // namespace discotheque::dedup
