#include "storage/writes/user.hpp"

namespace discotheque::storage::writes {

write_request set_playlist_sync_mode(int64_t playlist_id,
                                     const std::string& mode, int64_t now_ms) {
  return write_request{{sql_stmt{
    "UPDATE playlists SET sync_mode = ?1, updated_at = ?2 WHERE id = ?3",
    {sql_value::of(mode), sql_value::of(now_ms), sql_value::of(playlist_id)}}}};
}

} // namespace discotheque::storage::writes
