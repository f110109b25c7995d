#define CAF_SUITE scan.tags
#include "fixture.hpp"

#include "scan/tags.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>

using namespace discotheque;

CAF_TEST(a file that takes too long is given up after the limit) {
  test::temp_dir dir;
  // Zero-filled (sparse): TagLib looks for an MPEG frame through all of it,
  // about 15 s per 100 MB without a limit.
  auto big = dir / "zeros.mp3";
  { std::ofstream{big}; }
  std::filesystem::resize_file(big, 100 << 20);
  scan::read_options opts;
  opts.max_file_time = std::chrono::seconds{1};
  auto t0 = std::chrono::steady_clock::now();
  auto r = scan::read_tags(big.string(), 100 << 20, 1, opts);
  auto secs
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
        .count();
  CAF_CHECK(!r.ok);
  CAF_CHECK_EQUAL(r.error, "took longer than 1 s");
  CAF_CHECK(!r.transient);
  CAF_CHECK_LESS(secs, 6.0);
}

CAF_TEST(a missing file is a permanent error and an empty one is reported) {
  test::temp_dir dir;
  auto r = scan::read_tags((dir / "none.mp3").string(), 10, 1);
  CAF_CHECK(!r.ok);
  CAF_CHECK(!r.transient);
  CAF_CHECK_EQUAL(r.error.rfind("cannot open file", 0), 0u);
  r = scan::read_tags((dir / "none.mp3").string(), 0, 1);
  CAF_CHECK_EQUAL(r.error, "empty file");
}
