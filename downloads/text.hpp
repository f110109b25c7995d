// How the download gates read a remote path: folded words of the whole
// path, of the file name and of the album folder, compared word by word
// (library::fold underneath, so "Björk" meets "Bjork" and "AC-DC" "ACDC").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace discotheque::downloads {

/// The folded words of a remote path.
struct path_names {
  std::string path;  ///< every part
  std::string file;  ///< the file name without its extension
  std::string album; ///< the album folder (with its parent for "CD 1")
};

path_names file_names_of(const std::string& remote_path);

/// `needle`'s words occur in `hay` at word boundaries (or they are equal);
/// an empty needle never matches.
bool has_words(std::string_view hay, std::string_view needle);

/// An artist's words: the main credit's key (no "The", no "feat.").
std::string artist_words(std::string_view artist);

/// A title's words: identify::title_key (no edition qualifiers).
std::string title_words(std::string_view title);

/// The slskd search text for a track (`album`: for several wanted tracks
/// of one album): "artist album" or "artist title", in folded words (no
/// punctuation, no edition qualifiers, no "feat."); a "Various Artists"
/// album is searched by album title alone.
std::string
search_text(const std::string& artist, const std::string& album_artist,
            const std::string& album, const std::string& title, bool for_album);

/// Splits at spaces.
std::vector<std::string> split_words(std::string_view s);

} // namespace discotheque::downloads
