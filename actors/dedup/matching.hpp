// The rules that decide between candidates, as plain functions over the
// identity index: which known artist a name-only artist is, which known
// album an album is. Where the evidence cannot tell the candidates apart
// they answer 0 (no match): the entity becomes its own row, and
// identification decides later. A wrong merge silently files one artist's
// albums under another; a split is visible and cheap to fix. README: "How
// matching decides (and where it refuses to guess)".
#pragma once

#include "actors/dedup/identity_index.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace discotheque::dedup {

/// The folder that holds a local file's album: the file's directory, or its
/// parent when that is a disc folder ("CD1", "Disc 2", "disk-03"), so the
/// discs of one album are one folder. Empty when the path has no folder.
std::string_view album_folder(std::string_view path);

/// A compact key of album_folder(path) (a hash); 0 when there is none.
uint64_t folder_key(std::string_view path);

/// A track's place on its album and a hash of its folded title, packed
/// (identity_index::album_rec::positions); 0 when its number is unknown.
uint64_t track_position(int32_t disc, int32_t number,
                        std::string_view folded_title);

/// Among the rows `candidates` (ascending ids) that `accept` takes, all
/// sharing one piece of evidence (a spelling, a folder), the row an entity
/// with MBID `mbid` is; 0 if none:
/// - name-only (`mbid` empty): the row without an MBID if there is one
///   (the evidence's own row: it was made when the evidence could not tell
///   the rows with MBIDs apart, or before any came), else the one row with
///   an MBID, else none (two or more rows with MBIDs: it could be either);
/// - with an MBID (its own row was not found by MBID): the row without an
///   MBID, which it adopts, unless a row with another MBID shares the
///   evidence too (then the row without one may be that other's).
template <class MbidOf, class Accept>
int64_t choose(const std::vector<int64_t>& candidates, std::string_view mbid,
               MbidOf&& mbid_of, Accept&& accept) {
  int64_t plain = 0, tagged = 0;
  size_t n_tagged = 0;
  for (auto c : candidates) {
    if (!accept(c))
      continue;
    const std::string& m = mbid_of(c);
    if (m.empty()) {
      if (plain == 0)
        plain = c;
    } else if (m == mbid) {
      return c;
    } else {
      ++n_tagged;
      tagged = c;
    }
  }
  if (mbid.empty())
    return plain != 0 ? plain : n_tagged == 1 ? tagged : 0;
  return n_tagged == 0 ? plain : 0;
}

/// The one row of `candidates` that `accept` takes and whose MBID does not
/// contradict `mbid`; 0 when there is none or more than one.
template <class MbidOf, class Accept>
int64_t only_one(const std::vector<int64_t>& candidates, std::string_view mbid,
                 MbidOf&& mbid_of, Accept&& accept) {
  int64_t found = 0;
  for (auto c : candidates) {
    const std::string& m = mbid_of(c);
    if (!mbid.empty() && !m.empty() && m != mbid)
      continue;
    if (!accept(c))
      continue;
    if (found != 0)
      return 0;
    found = c;
  }
  return found;
}

/// The known artist a name-only spelling (or an artist whose MBID names no
/// row yet) is: `same_spelling` are the rows seen with its exact spelling
/// (library::artist_spelling). choose() decides; 0: a new row.
int64_t pick_artist(const identity_index& ix,
                    const std::vector<int64_t>& same_spelling,
                    std::string_view mbid);

/// What is known about an incoming album besides its artist and title.
struct album_evidence {
  std::string_view mbid;    ///< its release MBID (not found by MBID)
  uint64_t folder = 0;      ///< folder_key of the track's file; 0: no file
  int32_t total_tracks = 0; ///< 0: unknown
  bool various = false;     ///< its album artist is Various Artists
  /// The track that brings the album (a compilation is matched by its
  /// tracks): its main artist's row and folded title; 0 / empty: none.
  int64_t track_artist = 0;
  std::string_view track_title;
  uint64_t position = 0; ///< track_position of that track; 0: unknown
};

/// Whether what is known of album `r` says it is another release than `e`:
/// both track counts known and different, or `r` has another title at the
/// incoming track's place (disc and number).
bool track_lists_differ(const identity_index::album_rec& r,
                        const album_evidence& e);

/// The known album an incoming album is, among `same_title` (the rows of
/// its first artist with its folded title); 0: a new row.
/// 1. A local file: the row of its folder (choose(): a tagged release and
///    its folder's untagged files are one album).
/// 2. Else (another folder, or no file) the one row whose track list does
///    not differ (track_lists_differ); two or more: none. So the tagged
///    "The Collection" and an untagged one with other tracks stay apart,
///    and a stray file of an album in another folder still joins it.
/// A compilation (Various Artists) never matches by title alone: outside
/// its folder, only a row no file backs (a provider's) that already holds
/// this very track; another folder's compilation is another compilation.
int64_t pick_album(const identity_index& ix,
                   const std::vector<int64_t>& same_title,
                   const album_evidence& e);

} // namespace discotheque::dedup
