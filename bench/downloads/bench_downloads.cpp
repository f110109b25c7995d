// bench_downloads: how fast the download worker chooses. One search's
// answer of 1,000 peers x 50 files (the size of a popular album's search on
// Soulseek), as slskd's JSON: parsed, then every file gated and scored for
// one wanted track (decide_track) and for the twelve wanted tracks of the
// album (decide_album). The baseline, measured in the same run on the same
// files, is what any choice costs at least: folding each remote path into
// its words once (downloads::file_names_of).
//
// usage: bench_downloads [--peers N] [--files M] [--rounds R]
#include "actors/sources/slskd.hpp"
#include "downloads/ranking.hpp"
#include "downloads/text.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace discotheque;
using clock_type = std::chrono::steady_clock;

static volatile size_t sink = 0;

namespace {

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

/// One search's answer: most peers share the album (some as FLAC, some as
/// MP3, some live, some another album of the artist), the rest other music.
nlohmann::json responses(int peers, int files, std::mt19937& rng) {
  auto j = nlohmann::json::array();
  for (int p = 0; p < peers; ++p) {
    nlohmann::json r{{"username", "user" + std::to_string(p)},
                     {"hasFreeUploadSlot", p % 3 != 0},
                     {"queueLength", static_cast<int>(rng() % 20)},
                     {"uploadSpeed", static_cast<int>(rng() % 4'000'000)},
                     {"files", nlohmann::json::array()}};
    auto kind = p % 5;
    for (int f = 0; f < files; ++f) {
      int n = f % 12 + 1;
      char num[8];
      std::snprintf(num, sizeof num, "%02d", n);
      std::string folder = kind == 3   ? "Daft Punk\\Homework"
                           : kind == 4 ? "Various\\Mix " + std::to_string(f)
                                       : "Daft Punk\\Discovery";
      std::string title = "Song " + std::to_string(n);
      if (kind == 2 && f % 2 == 0)
        title += " (Live)";
      bool flac = kind == 0;
      auto name = "Music\\" + folder + "\\" + num + " - " + title
                  + (flac ? ".flac" : ".mp3");
      nlohmann::json file{{"filename", name},
                          {"size",
                           5'000'000 + n * 1000 + (flac ? 20'000'000 : 0)},
                          {"extension", ""},
                          {"length", 200 + n}};
      if (!flac)
        file["bitRate"] = kind == 1 ? 320 : 192;
      r["files"].push_back(file);
    }
    j.push_back(r);
  }
  return j;
}

} // namespace

int main(int argc, char** argv) {
  int peers = 1000, files = 50, rounds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--peers"))
      peers = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--files"))
      files = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--rounds"))
      rounds = std::atoi(argv[i + 1]);
  }
  std::mt19937 rng{42};
  auto body = responses(peers, files, rng).dump();
  auto prefs = downloads::preferences::defaults();
  std::vector<downloads::wanted_track> album;
  for (int n = 1; n <= 12; ++n) {
    downloads::wanted_track t;
    t.track_id = n;
    t.artist = t.album_artist = "Daft Punk";
    t.album = "Discovery";
    t.title = "Song " + std::to_string(n);
    t.track_number = n;
    t.duration_ms = (200 + n) * 1000;
    album.push_back(t);
  }
  std::printf("bench_downloads: %d peers x %d files = %d files, %zu bytes of "
              "JSON, best of %d\n",
              peers, files, peers * files, body.size(), rounds);
  double parse_s = 1e9, fold_s = 1e9, track_s = 1e9, album_s = 1e9;
  size_t chosen = 0;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = clock_type::now();
    auto offered = slskd::parse_responses(nlohmann::json::parse(body));
    parse_s = std::min(parse_s, seconds_since(t0));
    t0 = clock_type::now();
    size_t words = 0;
    for (const auto& f : offered)
      words += downloads::file_names_of(f.filename).file.size();
    fold_s = std::min(fold_s, seconds_since(t0));
    t0 = clock_type::now();
    auto d = downloads::decide_track(offered, album[4], prefs, {}, "q");
    track_s = std::min(track_s, seconds_since(t0));
    t0 = clock_type::now();
    auto ds = downloads::decide_album(offered, album, prefs, {}, "q");
    album_s = std::min(album_s, seconds_since(t0));
    sink = words; // keeps the baseline's work
    chosen = d.choice() ? 1 : 0;
    for (const auto& x : ds)
      chosen += x.choice() ? 1 : 0;
  }
  double n = static_cast<double>(peers) * files;
  std::printf("  parse slskd JSON          %8.1f ms  %10.0f files/s\n",
              parse_s * 1e3, n / parse_s);
  std::printf("  baseline: fold each path  %8.1f ms  %10.0f files/s\n",
              fold_s * 1e3, n / fold_s);
  std::printf("  decide_track (1 track)    %8.1f ms  %10.0f files/s  %.1fx "
              "baseline\n",
              track_s * 1e3, n / track_s, track_s / fold_s);
  std::printf("  decide_album (12 tracks)  %8.1f ms  %10.0f file-tracks/s  "
              "%.1fx baseline per track\n",
              album_s * 1e3, n * 12 / album_s, album_s / fold_s / 12);
  std::printf("  chosen: %zu of 13 (expect 13)\n", chosen);
  return chosen == 13 ? 0 : 1;
}
