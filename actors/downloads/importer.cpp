#include "actors/downloads/importer.hpp"

#include "downloads/import.hpp"

namespace discotheque {

download_importer_actor::behavior_type
download_importer(download_importer_actor::pointer self, int32_t) {
  return {
    [self](atom::dl_import, const import_request& req) {
      self->quit();
      return downloads::import_file(req);
    },
  };
}

} // namespace discotheque
