#include "downloads/text.hpp"

#include "downloads/candidate.hpp"
#include "identify/text.hpp"
#include "library/normalize.hpp"

namespace discotheque::downloads {

namespace {

// Peers write "01_One_More_Time" and "01.One.More.Time" too.
std::string fold_name(std::string s) {
  for (auto& c : s)
    if (c == '_' || c == '.')
      c = ' ';
  return library::fold(s);
}

bool is_disc_folder(const std::string& folded) {
  auto w = split_words(folded);
  if (w.empty() || w.size() > 2)
    return false;
  auto& first = w[0];
  for (const char* p : {"cd", "disc", "disk"}) {
    std::string_view sp{p};
    if (first == sp && w.size() == 2)
      return true;
    if (first.starts_with(sp) && first.size() > sp.size() && w.size() == 1)
      return first.find_first_not_of("0123456789", sp.size())
             == std::string::npos;
  }
  return false;
}

} // namespace

std::string search_text(const std::string& artist,
                        const std::string& album_artist,
                        const std::string& album, const std::string& title,
                        bool for_album) {
  if (for_album && !album.empty()) {
    if (library::is_various_artists(album_artist))
      return title_words(album);
    auto who = album_artist.empty() ? artist : album_artist;
    return library::fold(library::split_featured(who).main) + " "
           + title_words(album);
  }
  return library::fold(library::split_featured(artist).main) + " "
         + title_words(title);
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ') {
      if (!cur.empty())
        out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty())
    out.push_back(cur);
  return out;
}

path_names file_names_of(const std::string& remote_path) {
  path_names n;
  auto parts = path_parts(remote_path);
  if (parts.empty())
    return n;
  auto file = parts.back();
  if (auto dot = file.rfind('.'); dot != std::string::npos && dot > 0)
    file.erase(dot);
  n.file = fold_name(file);
  if (parts.size() >= 2) {
    n.album = fold_name(parts[parts.size() - 2]);
    if (parts.size() >= 3 && is_disc_folder(n.album))
      n.album = fold_name(parts[parts.size() - 3]) + " " + n.album;
  }
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    auto w = fold_name(parts[i]);
    if (w.empty())
      continue;
    if (!n.path.empty())
      n.path += ' ';
    n.path += w;
  }
  if (!n.file.empty())
    n.path += (n.path.empty() ? "" : " ") + n.file;
  return n;
}

bool has_words(std::string_view hay, std::string_view needle) {
  if (needle.empty() || hay.empty())
    return false;
  return hay == needle || identify::is_word_substring(needle, hay);
}

std::string artist_words(std::string_view artist) {
  return library::artist_key(library::split_featured(artist).main);
}

std::string title_words(std::string_view title) {
  return identify::title_key(title);
}

} // namespace discotheque::downloads
