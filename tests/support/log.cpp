#define CAF_SUITE support.log
#include "fixture.hpp"

#include "support/log.hpp"

#include <spdlog/details/log_msg.h>

#include <string>

using namespace discotheque;

namespace {

std::string line_of(spdlog::level::level_enum level, const char* text) {
  auto formatter = log::make_formatter();
  spdlog::details::log_msg msg{"store", level, text};
  spdlog::memory_buf_t out;
  formatter->format(msg, out);
  return std::string{out.data(), out.size()};
}

} // namespace

CAF_TEST(log lines spell the level as the configuration does) {
  auto warn = line_of(spdlog::level::warn, "disk almost full");
  CHECK_MSG(warn.find(" warn  [store] disk almost full") != std::string::npos,
            warn);
  CHECK_MSG(warn.find("warning") == std::string::npos, warn);
  auto err = line_of(spdlog::level::err, "x");
  CHECK_MSG(err.find(" error [store] x") != std::string::npos, err);
  auto info = line_of(spdlog::level::info, "y");
  CHECK_MSG(info.find(" info  [store] y") != std::string::npos, info);
  auto crit = line_of(spdlog::level::critical, "z");
  CHECK_MSG(crit.find(" critical [store] z") != std::string::npos, crit);
}

CAF_TEST(lines are still redacted) {
  auto line = line_of(spdlog::level::debug, "GET /api/x?apikey=s3cr3t");
  CHECK_MSG(line.find("s3cr3t") == std::string::npos, line);
  CHECK_MSG(line.find(" debug [store]") != std::string::npos, line);
}

CAF_TEST(warn is the level word and warning an alias) {
  CAF_CHECK(log::parse_level("warn") == spdlog::level::warn);
  CAF_CHECK(log::parse_level("warning") == spdlog::level::warn);
  CAF_CHECK(log::parse_level("off") == spdlog::level::off);
  CAF_CHECK(log::parse_level("error") == spdlog::level::err);
  CAF_CHECK(!log::parse_level("loud"));
  CAF_CHECK(!log::valid_level(""));
  for (auto l : {spdlog::level::trace, spdlog::level::debug,
                 spdlog::level::info, spdlog::level::warn, spdlog::level::err,
                 spdlog::level::critical, spdlog::level::off})
    CAF_CHECK(log::parse_level(std::string{log::level_name(l)}) == l);
  CAF_CHECK_EQUAL(log::level_name(spdlog::level::warn), "warn");
}
