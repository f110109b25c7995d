// The common library DTOs: what every source (the local scan, each cloud
// provider) hands to the dedup store. Provider specifics end here:
// after a source, everything speaks these types. Empty string / 0 = unknown.
#pragma once

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace discotheque {

/// An entity's id at one provider, e.g. {"spotify", "3n3Ppam7vgaVa1iaRUc9Lp"}.
/// The provider names come from the provider descriptors (actors/sources/).
struct provider_ref {
  std::string provider;
  std::string id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, provider_ref& x) {
  return f(caf::meta::type_name("provider_ref"), x.provider, x.id);
}

struct artist_dto {
  std::string name;
  std::string sort_name;
  std::string mbid;
  std::vector<provider_ref> ids;
  std::vector<std::string> genres;
  std::string image_url;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, artist_dto& x) {
  return f(caf::meta::type_name("artist_dto"), x.name, x.sort_name, x.mbid,
           x.ids, x.genres, x.image_url);
}

struct album_dto {
  std::string title;
  std::string mbid; ///< MusicBrainz release
  std::string release_group_mbid;
  std::vector<provider_ref> ids;
  std::string upc;
  std::string album_type;   ///< album, single, ep, compilation
  std::string release_date; ///< YYYY[-MM[-DD]]
  int32_t total_tracks = 0;
  int32_t total_discs = 0;
  std::vector<std::string> genres;
  std::vector<artist_dto> artists; ///< album artists, in credit order
  std::string image_url;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, album_dto& x) {
  return f(caf::meta::type_name("album_dto"), x.title, x.mbid,
           x.release_group_mbid, x.ids, x.upc, x.album_type, x.release_date,
           x.total_tracks, x.total_discs, x.genres, x.artists, x.image_url);
}

struct track_dto {
  std::string title;
  std::string mbid;               ///< MusicBrainz recording
  std::string release_track_mbid; ///< MusicBrainz track
  std::string isrc;
  std::vector<provider_ref> ids;
  std::vector<artist_dto> artists;  ///< main artists, in credit order
  std::vector<artist_dto> featured; ///< featured artists ("feat." parts)
  album_dto album;                  ///< the album it appears on (may be empty)
  int32_t track_number = 0;
  int32_t track_total = 0;
  int32_t disc_number = 0;
  int32_t disc_total = 0;
  int64_t duration_ms = 0;
  std::string genre;
  // Local files only:
  std::string local_path;
  int64_t file_size = 0;
  int64_t file_mtime = 0; ///< nanoseconds since the epoch
  /// The album (or its album artist) came from the file's folder, not from
  /// its tags (scan/folder.hpp).
  bool album_inferred = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, track_dto& x) {
  return f(caf::meta::type_name("track_dto"), x.title, x.mbid,
           x.release_track_mbid, x.isrc, x.ids, x.artists, x.featured, x.album,
           x.track_number, x.track_total, x.disc_number, x.disc_total,
           x.duration_ms, x.genre, x.local_path, x.file_size, x.file_mtime,
           x.album_inferred);
}

/// A batch of entities from one source, all claimed for one reason. What the
/// claim means for ownership (SPEC §1):
/// - source "local", reason "file": tracks owned + downloaded + local_path.
/// - reason "followed" (artists), "saved" (albums), "liked" (tracks): owned;
///   tracks get download_state pending if auto_queue else not_needed (a
///   downloaded track stays downloaded).
/// - reason "" (no claim): entities are only known (discovered), e.g. the
///   tracks of a reference_only playlist.
/// `ignored` entities are never turned owned by a batch.
struct ingest_batch {
  std::string source; ///< "local" or a provider name
  std::string reason; ///< file, followed, saved, liked, or "" (no claim)
  int64_t run_id = 0; ///< task_runs.id of the sync run (for reconcile)
  bool auto_queue = false;
  std::vector<artist_dto> artists;
  std::vector<album_dto> albums;
  std::vector<track_dto> tracks;
  /// Local scan only: files of earlier scans that are gone from disk. Their
  /// tracks lose local_path and go back to not_needed (they stay owned);
  /// handled before the batch's tracks, so a moved file finds its track.
  std::vector<std::string> gone_paths;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ingest_batch& x) {
  return f(caf::meta::type_name("ingest_batch"), x.source, x.reason, x.run_id,
           x.auto_queue, x.artists, x.albums, x.tracks, x.gone_paths);
}

/// The dedup store's answer: the row ids the batch's entities ended up as,
/// in the batch's order, plus counters.
struct ingest_result {
  std::vector<int64_t> artist_ids;
  std::vector<int64_t> album_ids;
  std::vector<int64_t> track_ids;
  int64_t created = 0;        ///< new rows
  int64_t merged = 0;         ///< matched existing rows
  int64_t tracks_created = 0; ///< of `created`, the tracks
  int64_t tracks_merged = 0;  ///< of `merged`, the tracks
  int64_t gone = 0;           ///< gone_paths that matched a track
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ingest_result& x) {
  return f(caf::meta::type_name("ingest_result"), x.artist_ids, x.album_ids,
           x.track_ids, x.created, x.merged, x.tracks_created, x.tracks_merged,
           x.gone);
}

/// The id `dto` (an artist_dto, album_dto or track_dto) has at `provider`;
/// empty when it has none.
template <class Dto>
const std::string& provider_id(const Dto& dto, std::string_view provider) {
  static const std::string none;
  for (const auto& ref : dto.ids)
    if (ref.provider == provider)
      return ref.id;
  return none;
}

/// Sets (or replaces) the id `dto` has at `provider`; an empty id is ignored.
template <class Dto>
void set_provider_id(Dto& dto, std::string_view provider, std::string id) {
  if (id.empty())
    return;
  for (auto& ref : dto.ids)
    if (ref.provider == provider) {
      ref.id = std::move(id);
      return;
    }
  dto.ids.push_back(provider_ref{std::string{provider}, std::move(id)});
}

} // namespace discotheque
