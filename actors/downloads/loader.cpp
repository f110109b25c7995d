#include "actors/downloads/loader.hpp"

#include "messages/error.hpp"
#include "storage/database.hpp"
#include "storage/queries/downloads.hpp"

#include <exception>

namespace discotheque {

download_loader_actor::behavior_type
download_loader(download_loader_actor::pointer self,
                std::filesystem::path db_path, std::string client) {
  return {
    [self, db_path, client](atom::dl_load,
                            int64_t limit) -> caf::result<download_work> {
      self->quit();
      try {
        auto db = storage::database::open(db_path,
                                          storage::database::mode::read_only);
        download_work w;
        w.pending = storage::pending_downloads(db, limit);
        w.held = storage::held_downloads(db);
        for (const auto& [user, path] : storage::blocklist_of(db, client)) {
          w.blocked_users.push_back(user);
          w.blocked_paths.push_back(path);
        }
        return w;
      } catch (const std::exception& e) {
        return make_error(ec::database_error,
                          std::string{"cannot read the download queue: "}
                            + e.what());
      }
    },
  };
}

} // namespace discotheque
