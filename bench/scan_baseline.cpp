// The bare baseline of bench/scan: what a minimal indexer costs on this
// machine. Lists every audio file, reads its tags with TagLib on all cores,
// and inserts the rows into SQLite in one transaction. No dedup, no
// incremental logic, no actors. With --stat-only it only walks and stat()s
// (the floor for an unchanged rescan).
#include <taglib/fileref.h>
#include <taglib/tag.h>
#include <taglib/tpropertymap.h>

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct row {
  std::string path, title, artist, album, mbid;
  int track = 0;
  int64_t size = 0, mtime = 0;
};

bool audio(const fs::path& p) {
  auto e = p.extension().string();
  return e == ".mp3" || e == ".flac" || e == ".ogg" || e == ".opus"
         || e == ".m4a" || e == ".wav" || e == ".aiff" || e == ".wma";
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: scan_baseline MUSIC_DIR DB_FILE [--stat-only]\n";
    return 2;
  }
  bool stat_only = argc > 3 && std::string{argv[3]} == "--stat-only";
  auto t0 = std::chrono::steady_clock::now();
  std::vector<row> rows;
  for (auto& e : fs::recursive_directory_iterator(argv[1])) {
    if (!e.is_regular_file() || !audio(e.path()))
      continue;
    struct stat s;
    if (::stat(e.path().c_str(), &s) != 0)
      continue;
    row r;
    r.path = e.path().string();
    r.size = s.st_size;
    r.mtime = int64_t(s.st_mtim.tv_sec) * 1'000'000'000 + s.st_mtim.tv_nsec;
    rows.push_back(std::move(r));
  }
  if (!stat_only) {
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next++) < rows.size();) {
        TagLib::FileRef f(rows[i].path.c_str(), true,
                          TagLib::AudioProperties::Fast);
        if (f.isNull() || !f.tag())
          continue;
        auto* t = f.tag();
        rows[i].title = t->title().to8Bit(true);
        rows[i].artist = t->artist().to8Bit(true);
        rows[i].album = t->album().to8Bit(true);
        rows[i].track = static_cast<int>(t->track());
        auto pm = f.file()->properties();
        if (auto it = pm.find("MUSICBRAINZ_TRACKID");
            it != pm.end() && !it->second.isEmpty())
          rows[i].mbid = it->second.front().to8Bit(true);
      }
    };
    unsigned n = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    for (unsigned i = 0; i < n; ++i)
      pool.emplace_back(work);
    for (auto& t : pool)
      t.join();
    sqlite3* db = nullptr;
    std::remove(argv[2]);
    sqlite3_open(argv[2], &db);
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; CREATE TABLE tracks(id INTEGER "
                 "PRIMARY KEY, path TEXT UNIQUE, title TEXT, artist TEXT, "
                 "album TEXT, track INTEGER, mbid TEXT, size INTEGER, mtime "
                 "INTEGER); BEGIN",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO tracks(path, title, artist, album, track, "
                       "mbid, size, mtime) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                       " ?8)",
                       -1, &st, nullptr);
    for (auto& r : rows) {
      sqlite3_bind_text(st, 1, r.path.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(st, 2, r.title.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(st, 3, r.artist.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(st, 4, r.album.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int(st, 5, r.track);
      sqlite3_bind_text(st, 6, r.mbid.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(st, 7, r.size);
      sqlite3_bind_int64(st, 8, r.mtime);
      sqlite3_step(st);
      sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  auto ms = std::chrono::duration<double, std::milli>(
              std::chrono::steady_clock::now() - t0)
              .count();
  std::printf("{\"files\": %zu, \"ms\": %.1f}\n", rows.size(), ms);
  return 0;
}
