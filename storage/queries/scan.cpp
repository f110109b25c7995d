#include "storage/queries/scan.hpp"

namespace discotheque::storage {

scan_known_state read_scan_state(database& db) {
  scan_known_state k;
  auto s = db.prepare("SELECT local_path, file_size, file_mtime FROM tracks"
                      " WHERE local_path IS NOT NULL");
  while (s.step())
    k.files.emplace(s.text(0), scan_known_file{s.opt_int64(1).value_or(-1),
                                               s.opt_int64(2).value_or(-1)});
  auto e = db.prepare(
    "SELECT path, file_size, file_mtime, transient FROM scan_errors");
  while (e.step())
    k.errors.emplace(e.text(0),
                     scan_known_error{e.opt_int64(1).value_or(-1),
                                      e.opt_int64(2).value_or(-1),
                                      e.opt_int64(3).value_or(0) != 0});
  auto f = db.prepare("SELECT path, hash FROM scan_folders");
  while (f.step())
    k.folders.emplace(f.text(0), f.text(1));
  return k;
}

scan_known_state load_scan_state(const std::filesystem::path& db_path) {
  auto db = database::open(db_path, database::mode::read_only);
  return read_scan_state(db);
}

} // namespace discotheque::storage
