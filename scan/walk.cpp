#include "scan/walk.hpp"

#include "scan/tags.hpp"
#include "storage/queries/scan.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <future>
#include <set>
#include <unordered_map>
#include <utility>

namespace discotheque::scan {

namespace {

int64_t mtime_ns(const struct stat& s) {
  return static_cast<int64_t>(s.st_mtim.tv_sec) * 1'000'000'000
         + s.st_mtim.tv_nsec;
}

/// FNV-1a, 64 bit: fast, stable across runs and builds.
struct fnv {
  uint64_t h = 1469598103934665603ull;
  void add(const void* p, size_t n) {
    auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) {
      h ^= b[i];
      h *= 1099511628211ull;
    }
  }
  void add(const std::string& s) {
    add(s.data(), s.size() + 1); // with the NUL as separator
  }
  void add(int64_t v) {
    add(&v, sizeof(v));
  }
  std::string hex() const {
    char buf[17];
    std::snprintf(buf, sizeof(buf), "%016llx",
                  static_cast<unsigned long long>(h));
    return buf;
  }
};

std::string clean(const std::string& p) {
  auto s = std::filesystem::absolute(p).lexically_normal().string();
  while (s.size() > 1 && s.back() == '/')
    s.pop_back();
  return s;
}

} // namespace

namespace {

/// Whether `path` is `dir` itself or lies under it.
bool within(const std::string& path, const std::string& dir) {
  return path.size() >= dir.size() && path.compare(0, dir.size(), dir) == 0
         && (path.size() == dir.size() || path[dir.size()] == '/'
             || dir == "/");
}

bool within_any(const std::string& path, const std::vector<std::string>& dirs) {
  for (auto& d : dirs)
    if (within(path, d))
      return true;
  return false;
}

std::string errno_text(int err) {
  return std::strerror(err);
}

} // namespace

walk_result walk(const walk_request& req) {
  walk_result out;
  // The database is read on a second thread while this one lists folders:
  // on an unchanged library both take about as long.
  auto pending_known = std::async(std::launch::async, [&req] {
    return storage::load_scan_state(req.db_path);
  });
  struct entry {
    std::string name;
    int64_t size;
    int64_t mtime;
  };
  struct listing {
    std::string dir;
    std::vector<entry> files;
    std::string hash;
  };
  std::vector<listing> listings;
  // The data folder is recognized by device and inode: no path games
  // (symlinks, "..", bind mounts) lead into it.
  bool has_data_dir = false;
  struct stat data_st;
  if (!req.data_dir.empty() && ::stat(req.data_dir.c_str(), &data_st) == 0)
    has_data_dir = true;
  std::set<std::pair<dev_t, ino_t>> visited;
  std::vector<std::string> stack;
  // Only what lies under a music folder that was actually listed can be
  // gone. A missing root (an unmounted disk), a folder that cannot be
  // listed or an entry that cannot be stat()ed hides its files, it does not
  // delete them; and a file under no configured root is not ours to judge.
  std::vector<std::string> reachable_roots;
  std::vector<std::string> hidden; ///< paths whose content is unknown
  for (auto it = req.roots.rbegin(); it != req.roots.rend(); ++it) {
    auto root = clean(*it);
    struct stat rs;
    if (::stat(root.c_str(), &rs) != 0) {
      auto err = errno;
      out.warnings.push_back("music folder unavailable (" + errno_text(err)
                             + "), nothing under it is marked gone: " + root);
      out.unavailable_roots.push_back(root);
      hidden.push_back(root);
      continue;
    }
    if (!S_ISDIR(rs.st_mode)) {
      out.warnings.push_back("music folder is not a folder, nothing under it "
                             "is marked gone: "
                             + root);
      out.unavailable_roots.push_back(root);
      hidden.push_back(root);
      continue;
    }
    stack.push_back(std::move(root));
  }
  std::reverse(out.unavailable_roots.begin(), out.unavailable_roots.end());
  // A root is reachable once it could be listed; checked in the loop below.
  std::set<std::string> roots_pending(stack.begin(), stack.end());
  std::vector<std::string> subdirs;
  while (!stack.empty()) {
    auto dir = std::move(stack.back());
    stack.pop_back();
    struct stat ds;
    if (::stat(dir.c_str(), &ds) != 0 || !S_ISDIR(ds.st_mode)) {
      out.warnings.push_back("not a directory: " + dir);
      hidden.push_back(dir);
      continue;
    }
    if (!visited.insert({ds.st_dev, ds.st_ino}).second) {
      if (roots_pending.erase(dir)) // a root that is also inside another
        reachable_roots.push_back(dir);
      continue; // a symlink loop or a second way into the same folder
    }
    if (has_data_dir && ds.st_dev == data_st.st_dev
        && ds.st_ino == data_st.st_ino)
      continue; // our own data folder (database, images) is not music
    DIR* d = ::opendir(dir.c_str());
    if (!d) {
      auto err = errno;
      out.warnings.push_back("cannot list (" + errno_text(err)
                             + "), nothing under it is marked gone: " + dir);
      hidden.push_back(dir);
      if (roots_pending.erase(dir))
        out.unavailable_roots.push_back(dir);
      continue;
    }
    if (roots_pending.erase(dir))
      reachable_roots.push_back(dir);
    ++out.folders_seen;
    auto& files = listings.emplace_back(listing{dir, {}, {}}).files;
    subdirs.clear();
    bool dir_hidden = false;
    while (auto* de = ::readdir(d)) {
      std::string name = de->d_name;
      if (name == "." || name == "..")
        continue;
      // Relative to the open directory: the kernel does not walk the
      // whole path again for every file.
      struct stat s;
      if (::fstatat(::dirfd(d), de->d_name, &s, 0) != 0) {
        auto err = errno;
        if (err == EACCES) {
          // A folder readable but not searchable: no entry of it can be
          // stat()ed, so it is hidden once as a whole.
          if (!dir_hidden) {
            out.warnings.push_back("cannot stat its entries (" + errno_text(err)
                                   + "), nothing under it is marked gone: "
                                   + dir);
            hidden.push_back(dir);
            dir_hidden = true;
          }
        } else if (err != ENOENT) { // not a dangling symlink: it is there
          out.warnings.push_back("cannot stat (" + errno_text(err)
                                 + "), nothing under it is marked gone: " + dir
                                 + "/" + name);
          hidden.push_back(dir + "/" + name);
        }
        continue;
      }
      if (S_ISDIR(s.st_mode)) {
        subdirs.push_back(dir + "/" + name);
      } else if (S_ISREG(s.st_mode)) {
        auto dot = name.rfind('.');
        if (dot != std::string::npos && is_audio_extension(name.substr(dot)))
          files.push_back(entry{std::move(name),
                                static_cast<int64_t>(s.st_size), mtime_ns(s)});
      }
    }
    ::closedir(d);
    std::sort(files.begin(), files.end(),
              [](const entry& a, const entry& b) { return a.name < b.name; });
    std::sort(subdirs.begin(), subdirs.end(), std::greater<>{});
    for (auto& s : subdirs)
      stack.push_back(std::move(s));
    fnv h;
    for (auto& f : files) {
      h.add(f.name);
      h.add(f.size);
      h.add(f.mtime);
    }
    listings.back().hash = h.hex();
  }
  auto k = pending_known.get(); // rethrows a database error
  auto& known = k.files;
  auto& errors = k.errors;
  auto& folders = k.folders;
  for (auto& l : listings) {
    auto stored = folders.find(l.dir);
    bool unchanged = stored != folders.end() && stored->second == l.hash;
    if (stored != folders.end())
      folders.erase(stored);
    if (unchanged)
      ++out.folders_skipped;
    else {
      out.folder_paths.push_back(l.dir);
      out.folder_hashes.push_back(l.hash);
    }
    for (auto& f : l.files) {
      ++out.files_seen;
      auto path = l.dir + "/" + f.name;
      auto kn = known.find(path);
      auto e = errors.find(path);
      bool same = unchanged;
      if (!same && kn != known.end())
        same = kn->second.size == f.size && kn->second.mtime == f.mtime;
      if (!same && e != errors.end())
        same = e->second.size == f.size && e->second.mtime == f.mtime;
      // Fixed permissions or a recovered disk change neither size nor mtime.
      if (e != errors.end() && e->second.transient)
        same = false;
      bool had_error = e != errors.end();
      if (kn != known.end())
        known.erase(kn);
      if (had_error)
        errors.erase(e);
      if (same)
        ++out.files_unchanged;
      else {
        if (had_error)
          out.error_paths.push_back(path);
        out.to_read.push_back(scan_file{std::move(path), f.size, f.mtime});
      }
    }
  }
  auto may_be_gone = [&](const std::string& path) {
    return within_any(path, reachable_roots) && !within_any(path, hidden);
  };
  for (auto& [path, _] : known) {
    if (may_be_gone(path))
      out.gone.push_back(path);
    else if (!within_any(path, reachable_roots)
             && !within_any(path, out.unavailable_roots))
      ++out.files_outside_roots;
  }
  for (auto& [path, _] : errors)
    if (may_be_gone(path))
      out.gone_errors.push_back(path);
  for (auto& [path, _] : folders)
    if (may_be_gone(path))
      out.gone_folders.push_back(path);
  std::sort(out.gone.begin(), out.gone.end());
  return out;
}

} // namespace discotheque::scan
