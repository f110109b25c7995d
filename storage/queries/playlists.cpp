#include "storage/queries/playlists.hpp"

namespace discotheque::storage {

std::map<std::string, std::string>
read_playlist_modes(database& db, const std::string& provider) {
  std::map<std::string, std::string> out;
  auto st = db.prepare(
    "SELECT provider_id, sync_mode FROM playlists WHERE provider = ?1");
  st.bind(1, std::string_view{provider});
  while (st.step())
    out.emplace(st.text(0), st.text(1));
  return out;
}

} // namespace discotheque::storage
