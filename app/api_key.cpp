#include "app/api_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <random>

namespace discotheque {

std::string ensure_api_key(const config& cfg) {
  if (!cfg.api_key.empty())
    return cfg.api_key;
  auto path = cfg.data_dir / "api_key";
  {
    std::ifstream in{path};
    std::string key;
    if (in && std::getline(in, key) && key.size() >= 16)
      return key;
  }
  std::random_device rd; // /dev/urandom
  static constexpr char hex[] = "0123456789abcdef";
  std::string key;
  for (int i = 0; i < 32; ++i)
    key.push_back(hex[rd() % 16]);
  auto fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                   0600);
  if (fd < 0)
    throw config_error("cannot write API key file " + path.string());
  ::fchmod(fd, 0600);
  auto written = ::write(fd, key.data(), key.size());
  auto newline = ::write(fd, "\n", 1);
  ::close(fd);
  if (written != static_cast<ssize_t>(key.size()) || newline != 1)
    throw config_error("cannot write API key file " + path.string());
  return key;
}

} // namespace discotheque
