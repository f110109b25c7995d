// The merge rules of SPEC §5 as plain code: one ingest_batch and what the
// library holds (the identity index) in, the writes and the batch's row ids
// out. No actor, no database: the dedup store sends the writes.
//
// Matching, first hit wins: MBID -> ISRC (tracks) -> provider id -> name:
// an artist by its exact spelling ("The" kept), an album within its first
// artist by its folded title and its folder and track count, a track within
// its artist and album. Where the name's evidence cannot tell candidates
// apart, nothing matches (matching.hpp). A candidate with another MBID never
// matches, so two artists with different MBIDs are never merged. A merge
// fills what a row lacks and never overwrites a known id; a claim turns a
// discovered row owned, never an ignored one. A local file never takes a
// track another file on disk backs.
#pragma once

#include "actors/dedup/identity_index.hpp"
#include "messages/library.hpp"
#include "messages/types.hpp"
#include "storage/writes/library.hpp"

namespace discotheque::dedup {

struct merge_outcome {
  /// Everything the batch changes, as one unit; empty if nothing changes.
  write_request writes;
  ingest_result result;
};

/// Matches and merges `batch` into `index` (updated as it goes, so later
/// entities of the batch find the earlier ones). If the writes do not land,
/// `index` no longer matches the database: load it again.
merge_outcome merge(const ingest_batch& batch, identity_index& index,
                    storage::library_writes& writes);

} // namespace discotheque::dedup
