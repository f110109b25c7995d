// The folder as evidence (issue 11): an album folder whose files agree on
// one album lends that album to a file without an album tag, and its album
// artist to a file without an album artist tag, as beets treats such a
// folder. A file whose tags name another album stays as tagged. The scan
// holds each folder's tracks until all its files are read (folder_gate),
// applies the rule, and only then hands them to the dedup store.
#pragma once

#include "messages/library.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace discotheque::scan {

/// The folder rule on the tracks of one folder. `album_artist_tagged[i]`:
/// track i's file names an album artist (else the track artist stands in,
/// see read_tags). The folder's album is the one (by folded title, one
/// release id at most) that more than half of all the folder's files carry,
/// with the album artist that more than half of those naming one agree on.
/// Then a track without album gets that album, and a track of that album
/// without an album artist tag gets its album artist; both are marked
/// `album_inferred`. Nothing else changes. Returns the tracks changed.
size_t infer_folder_album(std::vector<track_dto>& tracks,
                          const std::vector<bool>& album_artist_tagged);

/// The folder of a path ("/a/b/c.mp3" -> "/a/b").
std::string_view folder_of(std::string_view path);

/// Holds read tracks per folder until the folder is complete, then applies
/// infer_folder_album and releases them. Files are expected in walk order
/// (a folder's files one after the other), results arrive in any order.
/// A folder of more than `max_files` files is no album: its tracks pass
/// through at once (this also bounds what is held).
class folder_gate {
public:
  explicit folder_gate(size_t max_files = 200) : max_files_(max_files) {
  }

  /// The file at `path` was handed to a reader.
  void sent(const std::string& path, std::vector<track_dto>& out);

  /// No more files will be sent.
  void all_sent(std::vector<track_dto>& out);

  /// A file's track was read.
  void arrived(track_dto track, bool album_artist_tagged,
               std::vector<track_dto>& out);

  /// A file could not be read: it counts as arrived, without a track.
  void failed(const std::string& path, std::vector<track_dto>& out);

  /// Releases everything held (a reader failed: its files never arrive).
  void flush(std::vector<track_dto>& out);

  size_t held() const {
    return held_;
  }

  /// Tracks whose album (or album artist) came from their folder.
  size_t inferred() const {
    return inferred_;
  }

  void reset();

private:
  struct folder {
    size_t expected = 0, arrived = 0;
    bool complete_list = false; ///< all its files are expected
    bool pass = false;          ///< too big to be an album
    std::vector<track_dto> tracks;
    std::vector<bool> tagged;
  };
  void release(const std::string& dir, folder& f, std::vector<track_dto>& out);
  void maybe_release(const std::string& dir, std::vector<track_dto>& out);

  size_t max_files_;
  std::string current_; ///< the folder whose files are being sent
  std::unordered_map<std::string, folder> folders_;
  size_t held_ = 0, inferred_ = 0;
};

} // namespace discotheque::scan
