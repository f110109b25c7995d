#include "app/data_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

namespace discotheque {

namespace fs = std::filesystem;

namespace {

/// Sets `mode` on `p` unless it has it already; true when it changed.
bool make_private(const fs::path& p, mode_t mode) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) != 0 || S_ISLNK(st.st_mode))
    return false;
  if ((st.st_mode & 07777) == mode)
    return false;
  return ::chmod(p.c_str(), mode) == 0;
}

bool is_ours(const fs::path& dir) {
  std::error_code err;
  return fs::is_empty(dir, err) || fs::exists(dir / "discotheque.db", err);
}

/// Writes a probe file and removes it again, whatever happens.
void probe_writable(const fs::path& dir) {
  auto probe = dir / ".write-test";
  auto fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                   0600);
  int err = fd < 0 ? errno : 0;
  if (fd >= 0) {
    // No fsync: it would cost every start (and every `run`) a disk flush.
    if (::write(fd, "ok", 2) != 2)
      err = errno;
    ::close(fd);
    ::unlink(probe.c_str());
  }
  if (err == ENOSPC || err == EDQUOT)
    throw config_error("data folder " + dir.string() + " is on a full disk");
  if (err != 0)
    throw config_error("data folder " + dir.string()
                       + " is not writable: " + std::strerror(err));
}

} // namespace

std::vector<fs::path> prepare_data_dir(const fs::path& dir) {
  std::error_code err;
  bool created = !fs::exists(dir, err);
  fs::create_directories(dir, err);
  if (err)
    throw config_error("cannot create data folder " + dir.string() + ": "
                       + err.message());
  if (!fs::is_directory(dir))
    throw config_error("data folder " + dir.string() + " is not a directory");
  std::vector<fs::path> fixed;
  if ((created || is_ours(dir)) && make_private(dir, 0700) && !created)
    fixed.push_back(dir);
  probe_writable(dir);
  for (const char* name : {"discotheque.db", "discotheque.db-wal",
                           "discotheque.db-shm", "api_key", "discotheque.lock"})
    if (make_private(dir / name, 0600))
      fixed.push_back(dir / name);
  if (fs::is_directory(dir / "images", err)) {
    if (make_private(dir / "images", 0700))
      fixed.push_back(dir / "images");
    for (auto it = fs::recursive_directory_iterator(dir / "images", err);
         !err && it != fs::recursive_directory_iterator(); it.increment(err)) {
      auto mode = it->is_directory() ? 0700 : 0600;
      if (make_private(it->path(), mode))
        fixed.push_back(it->path());
    }
  }
  return fixed;
}

data_dir_lock::data_dir_lock(const fs::path& dir) {
  auto path = dir / "discotheque.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0)
    throw config_error("cannot open lock file " + path.string() + ": "
                       + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {};
    auto n = ::pread(fd_, buf, sizeof(buf) - 1, 0);
    std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' '))
      pid.pop_back();
    ::close(fd_);
    fd_ = -1;
    throw config_error("data folder " + dir.string()
                       + " is in use by another Discotheque process"
                       + (pid.empty() ? "" : " (pid " + pid + ")")
                       + "; stop it first or use another --data folder");
  }
  auto pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0)
    (void) !::pwrite(fd_, pid.data(), pid.size(), 0);
}

data_dir_lock::~data_dir_lock() {
  if (fd_ >= 0)
    ::close(fd_); // releases the flock
}

} // namespace discotheque
