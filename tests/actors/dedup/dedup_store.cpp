#define CAF_SUITE actors.dedup.dedup_store
#include "fixture.hpp"

#include "actors/dedup/dedup_store.hpp"
#include "actors/store.hpp"

#include <caf/event_based_actor.hpp>

#include <algorithm>

using namespace discotheque;

namespace {

artist_dto artist(std::string name, std::string mbid = "",
                  std::string spotify = "") {
  artist_dto a;
  a.name = std::move(name);
  a.mbid = std::move(mbid);
  set_provider_id(a, "spotify", std::move(spotify));
  return a;
}

track_dto track(std::string title, artist_dto a, std::string album,
                std::string isrc = "") {
  track_dto t;
  t.title = std::move(title);
  t.artists.push_back(a);
  t.album.title = std::move(album);
  t.album.artists.push_back(a);
  t.isrc = std::move(isrc);
  return t;
}

const std::vector<std::string> providers{"spotify", "deezer", "tidal"};

const std::string m1 = "11111111-1111-1111-1111-111111111111";
const std::string m2 = "22222222-2222-2222-2222-222222222222";

struct fixture : test::fixture_base {
  test::temp_dir dir;
  store_actor st;
  dedup_store_actor dd;

  fixture() {
    store_config cfg;
    cfg.db_path = dir / "l.db";
    st = sys.spawn(store, cfg);
    sched.run();
    restart();
  }

  ~fixture() {
    anon_send_exit(dd, caf::exit_reason::user_shutdown);
    anon_send_exit(st, caf::exit_reason::user_shutdown);
    sched.run();
  }

  void restart() {
    if (dd) {
      anon_send_exit(dd, caf::exit_reason::user_shutdown);
      sched.run();
    }
    dd = sys.spawn(dedup_store, dedup_config{dir / "l.db", st, providers});
    sched.run();
  }

  ingest_result merge(ingest_batch b) {
    auto out = std::make_shared<ingest_result>();
    sys.spawn(
      [=, dd = dd](caf::event_based_actor* self, int) {
        self->request(dd, caf::infinite, atom::merge_v, b)
          .then([=](const ingest_result& r) { *out = r; },
                [](const caf::error& e) {
                  CAF_FAIL("merge: " << to_string(e));
                });
      },
      0);
    sched.run();
    return *out;
  }

  int64_t reconcile(std::string source, std::string reason, int64_t run) {
    auto out = std::make_shared<int64_t>(-1);
    sys.spawn(
      [=, dd = dd](caf::event_based_actor* self, int) {
        self->request(dd, caf::infinite, atom::reconcile_v, source, reason, run)
          .then([=](int64_t n) { *out = n; });
      },
      0);
    sched.run();
    return *out;
  }

  storage::database db() {
    return storage::database::open(dir / "l.db",
                                   storage::database::mode::read_only);
  }

  int64_t q(const std::string& sql) {
    return db().query_int(sql).value_or(-1);
  }

  std::string text(const std::string& sql) {
    return db().query_text(sql).value_or("<null>");
  }
};

ingest_batch batch(std::string source, std::string reason, int64_t run = 1) {
  ingest_batch b;
  b.source = std::move(source);
  b.reason = std::move(reason);
  b.run_id = run;
  return b;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(dedup_tests, fixture)

CAF_TEST(ids from different sources end up on one row) {
  auto b1 = batch("spotify", "followed");
  b1.artists.push_back(artist("Björk", "", "sp1"));
  merge(b1);
  auto b2 = batch("local", "file");
  auto t = track("Jóga", artist("BJORK", m1), "Homogenic", "GBAAA9700001");
  t.local_path = "/m/joga.flac";
  t.file_size = 10;
  t.file_mtime = 20;
  b2.tracks.push_back(t);
  merge(b2);
  CAF_CHECK_EQUAL(q("SELECT count(*) FROM artists"), 1);
  CAF_CHECK_EQUAL(text("SELECT mbid || ' ' || spotify_id FROM artists"),
                  m1 + " sp1");
  CAF_CHECK_EQUAL(text("SELECT name FROM artists"), "Björk");
  // A liked track with the same ISRC is the same track: ids filled, the
  // file stays downloaded.
  auto b3 = batch("spotify", "liked");
  b3.auto_queue = true;
  auto liked = track("Joga", artist("Björk", "", "sp1"), "Homogenic",
                     "GBAAA9700001");
  set_provider_id(liked, "spotify", "tr1");
  b3.tracks.push_back(liked);
  merge(b3);
  CAF_CHECK_EQUAL(q("SELECT count(*) FROM tracks"), 1);
  CAF_CHECK_EQUAL(text("SELECT spotify_id || ' ' || download_state || ' ' || "
                       "local_path FROM tracks"),
                  "tr1 downloaded /m/joga.flac");
  CAF_CHECK_EQUAL(q("SELECT count(*) FROM ownership_claims WHERE entity_type"
                    " = 'track'"),
                  2);
}

CAF_TEST(a track naming its album only by id links to the known album) {
  // an album's track list (Spotify /albums/{id}/tracks, TIDAL album items)
  // carries the album's id but not its title
  auto b1 = batch("tidal", "followed");
  album_dto al;
  al.title = "Vespertine";
  set_provider_id(al, "tidal", "800001");
  al.artists.push_back(artist("Björk"));
  b1.albums.push_back(al);
  merge(b1);
  auto b2 = batch("tidal", "followed");
  track_dto t;
  t.title = "Hidden Place";
  set_provider_id(t, "tidal", "900001");
  t.artists.push_back(artist("Björk"));
  set_provider_id(t.album, "tidal", "800001");
  b2.tracks.push_back(t);
  track_dto unknown = t; // an album never seen: the track stays without one
  unknown.title = "Cocoon";
  set_provider_id(unknown, "tidal", "900002");
  set_provider_id(unknown.album, "tidal", "899999");
  b2.tracks.push_back(unknown);
  merge(b2);
  CAF_CHECK_EQUAL(q("SELECT count(*) FROM albums"), 1);
  CAF_CHECK_EQUAL(text("SELECT a.title FROM tracks t JOIN albums a ON a.id ="
                       " t.album_id WHERE t.tidal_id = '900001'"),
                  "Vespertine");
  CAF_CHECK_EQUAL(q("SELECT count(*) FROM tracks WHERE tidal_id = '900002'"
                    " AND album_id IS NULL"),
                  1);
  // the same track from Deezer's album list (no ISRC) merges by name
  auto b3 = batch("deezer", "followed");
  track_dto dz = t;
  dz.ids.clear(); // it had only its TIDAL id
  set_provider_id(dz, "deezer", "100001");
  dz.album = al;
  dz.album.ids.clear(); // likewise
  set_provider_id(dz.album, "deezer", "300001");
  b3.tracks.push_back(dz);
  merge(b3);
  CAF_CHECK_EQUAL(q("SELECT count(*) FROM tracks WHERE title = 'Hidden Place'"),
                  1);
  CAF_CHECK_EQUAL(text("SELECT deezer_id || ' ' || tidal_id FROM tracks WHERE"
                       " title = 'Hidden Place'"),
                  "100001 900001");
}

CAF_TEST(artists with different mbids never merge and known ids stay) {
  auto b = batch("local", "file");
  b.tracks.push_back(track("Smells", artist("Nirvana", m1), "Nevermind"));
  b.tracks.push_back(
    track("Local", artist("Nirvana", m2), "Local Anaesthetic"));
  merge(b);
  CAF_CHECK_EQUAL(q("SELECT count(*) FROM artists WHERE name = 'Nirvana'"), 2);
  // A provider id for one of them: filled once, never overwritten.
  auto s = batch("spotify", "followed");
  s.artists.push_back(artist("Nirvana", m1, "spA"));
  merge(s);
  set_provider_id(s.artists[0], "spotify", "spB");
  merge(s);
  CAF_CHECK_EQUAL(
    text("SELECT spotify_id FROM artists WHERE mbid = '" + m1 + "'"), "spA");
  CAF_CHECK_EQUAL(q("SELECT count(*) FROM artists WHERE spotify_id IS NOT "
                    "NULL"),
                  1);
}

CAF_TEST(ignored stays ignored) {
  auto b = batch("spotify", "liked");
  b.tracks.push_back(track("Song", artist("Band"), "Album"));
  set_provider_id(b.tracks[0], "spotify", "t1");
  merge(b);
  {
    auto rw = storage::database::open(dir / "l.db");
    rw.exec("UPDATE tracks SET ownership_state = 'ignored'");
    rw.exec("UPDATE artists SET ownership_state = 'ignored'");
  }
  restart();
  merge(b);
  auto f = batch("spotify", "followed", 2);
  f.artists.push_back(artist("band"));
  merge(f);
  CAF_CHECK_EQUAL(q("SELECT count(*) FROM tracks WHERE ownership_state = "
                    "'ignored'"),
                  1);
  CAF_CHECK_EQUAL(q("SELECT count(*) FROM artists WHERE ownership_state = "
                    "'ignored'"),
                  1);
  CAF_CHECK_EQUAL(q("SELECT count(*) FROM artists"), 1);
}

CAF_TEST(reconcile releases what a run did not renew with the cascade) {
  auto run1 = batch("spotify", "liked", 1);
  run1.tracks.push_back(track("A", artist("One"), "First"));
  run1.tracks.push_back(track("B", artist("Two"), "Second"));
  set_provider_id(run1.tracks[0], "spotify", "a");
  set_provider_id(run1.tracks[1], "spotify", "b");
  merge(run1);
  // "A" is also a local file: it stays owned whatever Spotify says.
  auto local = batch("local", "file", 7);
  auto file = track("A", artist("One"), "First");
  file.local_path = "/m/a.mp3";
  local.tracks.push_back(file);
  merge(local);
  auto run2 = batch("spotify", "liked", 2);
  run2.tracks.push_back(run1.tracks[0]);
  merge(run2);
  CAF_CHECK_EQUAL(reconcile("spotify", "liked", 2), 1);
  CAF_CHECK_EQUAL(text("SELECT ownership_state FROM tracks WHERE title = "
                       "'B'"),
                  "discovered");
  CAF_CHECK_EQUAL(text("SELECT ownership_state FROM albums WHERE title = "
                       "'Second'"),
                  "discovered");
  CAF_CHECK_EQUAL(text("SELECT ownership_state FROM artists WHERE name = "
                       "'Two'"),
                  "discovered");
  CAF_CHECK_EQUAL(text("SELECT ownership_state FROM tracks WHERE title = "
                       "'A'"),
                  "owned");
  auto run3 = batch("spotify", "liked", 3);
  merge(run3);
  CAF_CHECK_EQUAL(reconcile("spotify", "liked", 3), 1);
  CAF_CHECK_EQUAL(text("SELECT ownership_state FROM tracks WHERE title = "
                       "'A'"),
                  "owned"); // its file keeps it
  CAF_CHECK_EQUAL(text("SELECT ownership_state FROM albums WHERE title = "
                       "'First'"),
                  "owned");
}

CAF_TEST(the same input in another order gives the same library) {
  std::vector<track_dto> input{
    track("Come Together", artist("The Beatles", m1), "Abbey Road"),
    track("Something", artist("the beatles"), "abbey road"),
    track("Because", artist("THE BEATLES"), "ABBEY  ROAD"),
    track("Oh! Darling", artist("Beatles, The", m1), "Abbey Road"),
    track("Get Lucky", artist("Daft Punk"), "RAM"),
  };
  input[4].featured.push_back(artist("Pharrell Williams"));
  auto snapshot = [this] {
    std::vector<std::string> rows;
    auto conn = db();
    auto s = conn.prepare(
      "SELECT t.title, ar.name, coalesce(ar.mbid, ''), al.title, "
      "(SELECT count(*) FROM track_artists WHERE track_id = t.id) FROM "
      "tracks t JOIN artists ar ON ar.id = t.artist_id JOIN albums al ON "
      "al.id = t.album_id ORDER BY t.title");
    while (s.step())
      rows.push_back(s.text(0) + "|" + s.text(1) + "|" + s.text(2) + "|"
                     + s.text(3) + "|" + std::to_string(s.int64(4)));
    rows.push_back(std::to_string(q("SELECT count(*) FROM artists")) + " "
                   + std::to_string(q("SELECT count(*) FROM albums")));
    return rows;
  };
  auto forward = batch("spotify", "liked");
  forward.tracks = input;
  merge(forward);
  auto first = snapshot();
  // A second library, fed in reverse, one track per batch.
  test::temp_dir other;
  store_config cfg;
  cfg.db_path = other / "l.db";
  auto st2 = sys.spawn(store, cfg);
  sched.run();
  auto dd2 = sys.spawn(dedup_store,
                       dedup_config{other / "l.db", st2, providers});
  sched.run();
  std::swap(dir.path, other.path);
  std::swap(dd, dd2);
  std::reverse(input.begin(), input.end());
  for (auto& t : input) {
    auto b = batch("spotify", "liked");
    b.tracks.push_back(t);
    merge(b);
  }
  auto second = snapshot();
  std::swap(dir.path, other.path);
  std::swap(dd, dd2);
  anon_send_exit(dd2, caf::exit_reason::user_shutdown);
  anon_send_exit(st2, caf::exit_reason::user_shutdown);
  sched.run();
  CAF_CHECK_EQUAL(first.size(), second.size());
  for (size_t i = 0; i < std::min(first.size(), second.size()); ++i)
    CHECK_MSG(first[i] == second[i], first[i] << " vs " << second[i]);
  CAF_CHECK_EQUAL(first.back(), "3 2"); // Beatles, Daft Punk, Pharrell
  CAF_CHECK_EQUAL(first[0], "Because|The Beatles|" + m1 + "|Abbey Road|1");
}

CAF_TEST(spellings and merge decisions survive a restart) {
  // "Broken Foxes" meets "The Broken Foxes" through their MBID; a later
  // name-only "Broken Foxes" joins that row. Fed once without a restart and
  // once with a restart (a fresh warm-up from the database) between every
  // batch, the library must come out the same.
  std::vector<track_dto> input{
    track("A", artist("The Broken Foxes", m1), "First"),
    track("B", artist("BROKEN FOXES", m1), "Second"),
    track("C", artist("broken foxes"), "Third"),
    track("D", artist("Broken Foxes"), "Fourth"),
    track("E", artist("Broken Foxes", m2), "Fifth"),
  };
  auto snapshot = [this] {
    std::vector<std::string> rows;
    auto conn = db();
    auto s = conn.prepare(
      "SELECT t.title, t.artist_id, ar.name, coalesce(ar.mbid, ''), al.id "
      "FROM tracks t JOIN artists ar ON ar.id = t.artist_id JOIN albums al "
      "ON al.id = t.album_id ORDER BY t.title");
    while (s.step())
      rows.push_back(s.text(0) + "|" + std::to_string(s.int64(1)) + "|"
                     + s.text(2) + "|" + s.text(3) + "|"
                     + std::to_string(s.int64(4)));
    rows.push_back(std::to_string(q("SELECT count(*) FROM artists")));
    return rows;
  };
  for (auto& t : input) {
    auto b = batch("local", "file");
    b.tracks.push_back(t);
    merge(b);
  }
  auto straight = snapshot();
  CAF_CHECK_EQUAL(q("SELECT count(*) FROM artist_spellings WHERE spelling = "
                    "'broken foxes' AND artist_id = 1"),
                  1);
  // A second library, the dedup store restarted before every batch.
  test::temp_dir other;
  store_config cfg;
  cfg.db_path = other / "l.db";
  auto st2 = sys.spawn(store, cfg);
  sched.run();
  std::swap(dir.path, other.path);
  std::swap(st, st2);
  for (auto& t : input) {
    restart();
    auto b = batch("local", "file");
    b.tracks.push_back(t);
    merge(b);
  }
  auto restarted = snapshot();
  std::swap(dir.path, other.path);
  std::swap(st, st2);
  restart();
  anon_send_exit(st2, caf::exit_reason::user_shutdown);
  sched.run();
  CAF_CHECK_EQUAL(straight.size(), restarted.size());
  for (size_t i = 0; i < std::min(straight.size(), restarted.size()); ++i)
    CHECK_MSG(straight[i] == restarted[i],
              straight[i] << " vs " << restarted[i]);
  // One row shows the best spelling and holds A to D (the name-only ones
  // too); m2 is another artist.
  CAF_REQUIRE_EQUAL(straight.size(), 6u);
  CAF_CHECK_EQUAL(straight[0], "A|1|The Broken Foxes|" + m1 + "|1");
  CAF_CHECK(straight[2].starts_with("C|1|"));
  CAF_CHECK(straight[3].starts_with("D|1|"));
  CAF_CHECK(straight[4].starts_with("E|2|Broken Foxes|" + m2));
  CAF_CHECK_EQUAL(straight[5], "2");
}

CAF_TEST(auto queue makes new liked tracks pending) {
  auto b = batch("deezer", "liked");
  b.auto_queue = true;
  b.tracks.push_back(track("New", artist("Someone"), "Record"));
  set_provider_id(b.tracks[0], "deezer", "dz1");
  merge(b);
  CAF_CHECK_EQUAL(text("SELECT download_state FROM tracks"), "pending");
  auto none = batch("deezer", "");
  none.tracks.push_back(track("Other", artist("Someone"), "Record"));
  merge(none);
  CAF_CHECK_EQUAL(text("SELECT ownership_state FROM tracks WHERE title = "
                       "'Other'"),
                  "discovered");
}

CAF_TEST_FIXTURE_SCOPE_END()
