"""cleanup_library on the real binary, exactly SPEC §4 (issue 14): each
scenario as its own test, observed through the HTTP API after a Run Now of
the task, plus a library with incomplete data that cleanup leaves exactly as
it is. No row is ever deleted.

The library is synced from the fake Spotify (tests/fakes/fake_providers.py:
track i on album i // 3, album a by artist a // 2; liked 0..11 = albums 0..3,
artists 0 and 1). The states cleanup exists for (what a crash between a
claim's removal and its cascade, an older version or an edit of the file
leaves) cannot be reached through the API, whose actions cascade at once:
each test writes them into the stopped service's database with sqlite3, as
the brief allows, then starts the service again and runs the task."""
import contextlib
import json
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Service, check, run_task, run_tests  # noqa: E402
from cloud import FakeProviders  # noqa: E402

SCENARIO = {"spotify": {"liked": 12}}
DAY_MS = 24 * 3600 * 1000


class Lib:
    """The running service, the ids of the synced rows, and the API reads."""

    def __init__(self, svc, ids):
        self.svc = svc
        self.ids = ids

    def track(self, i):
        s, body = self.svc.get(f"/api/library/tracks/{self.ids['tracks'][i]}")
        check(s == 200, (s, body))
        return body

    def album(self, a):
        s, body = self.svc.get(f"/api/library/albums/{self.ids['albums'][a]}")
        check(s == 200, (s, body))
        return body

    def artist(self, a):
        s, body = self.svc.get(f"/api/library/artists/{self.ids['artists'][a]}")
        check(s == 200, (s, body))
        return body

    def row(self, kind, id_):
        s, body = self.svc.get(f"/api/library/{kind}/{id_}")
        check(s == 200, (s, body))
        return body

    def listing(self):
        """Every artist, album and track as the API lists them."""
        out = {}
        for kind in ("artists", "albums", "tracks"):
            s, body = self.svc.get(f"/api/library/{kind}?limit=500&sort=id")
            check(s == 200, (s, body))
            out[kind] = body["items"]
        return out

    def totals(self):
        _, st = self.svc.get("/api/library/status")
        t = st["totals"]
        return t["artists"], t["albums"], t["tracks"]

    def cleanup(self):
        """Run Now of cleanup_library; its stats."""
        run_task(self.svc, "cleanup_library")
        _, t = self.svc.get("/api/library/tasks/cleanup_library")
        return t["stats"]


def ids_of(con):
    tracks, albums, artists = {}, {}, {}
    for i in range(12):
        tid, album, artist = con.execute(
            "SELECT id, album_id, artist_id FROM tracks WHERE isrc = ?", (f"TESTI{i:07d}",)).fetchone()
        tracks[i] = tid
        albums.setdefault(i // 3, album)
        artists.setdefault(i // 6, artist)
    return {"tracks": tracks, "albums": albums, "artists": artists}


@contextlib.contextmanager
def library(prepare=None):
    """A synced library; `prepare(con, ids)` then writes into the stopped
    service's database; yields the started service's Lib."""
    with FakeProviders(SCENARIO) as fake:
        svc = Service({"providers": {"spotify": fake.provider_config("spotify")}})
        with svc:
            svc.start()
            run_task(svc, "sync_spotify_likes")
            # From here on only the test's Run Now changes the library: no
            # scheduled sync re-likes, no scheduled cleanup runs first, no
            # other task touches a row while the test compares them.
            _, tasks = svc.get("/api/library/tasks")
            st, body = svc.request("PUT", "/api/settings", {
                f"tasks.{t['name']}.enabled": False for t in tasks["tasks"]})
            check(st == 200, (st, body))
            svc.stop()
            con = sqlite3.connect(os.path.join(svc.data, "discotheque.db"))
            try:
                # Referential orphans only exist where foreign keys were off.
                con.execute("PRAGMA foreign_keys = OFF")
                ids = ids_of(con)
                claims = con.execute("SELECT count(*) FROM ownership_claims WHERE "
                                     "entity_type = 'track'").fetchone()[0]
                check(claims == 12, f"{claims} track claims after the sync")
                if prepare:
                    prepare(con, ids)
                con.commit()
            finally:
                con.close()
            svc.start()
            lib = Lib(svc, ids)
            before = lib.totals()
            yield lib
            check(lib.totals() == before, f"rows deleted: {before} -> {lib.totals()}")


def unown(con, kind, id_):
    """What the user's unown leaves: the row discovered, its claims gone, the
    change logged (the cascade below it is cleanup's)."""
    table = kind + "s"
    con.execute(f"UPDATE {table} SET ownership_state = 'discovered' WHERE id = ?", (id_,))
    con.execute("DELETE FROM ownership_claims WHERE entity_type = ? AND entity_id = ?", (kind, id_))
    con.execute("INSERT INTO ownership_changes(action, entity_type, entity_id, at) "
                "VALUES ('unown', ?, ?, ?)", (kind, id_, int(time.time() * 1000)))


def unclaim(con, ids, tracks):
    for i in tracks:
        con.execute("DELETE FROM ownership_claims WHERE entity_type = 'track' AND entity_id = ?",
                    (ids["tracks"][i],))


def test_1_an_artist_the_user_deleted_takes_its_albums_and_tracks():
    def prepare(con, ids):
        unown(con, "artist", ids["artists"][0])
        # its tracks' claims went with it; track 5 was liked again since
        unclaim(con, ids, range(5))
    with library(prepare) as lib:
        check(lib.track(0)["ownership_state"] == "owned", "the cascade is cleanup's")
        stats = lib.cleanup()
        check(stats["artist_deleted"]["tracks"] == 5, stats)
        check(stats["artist_deleted"]["albums"] == 1, stats)
        for i in range(5):
            check(lib.track(i)["ownership_state"] == "discovered", (i, lib.track(i)))
        check(lib.album(0)["ownership_state"] == "discovered", lib.album(0))
        # still liked: track 5 and its album stay owned
        check(lib.track(5)["ownership_state"] == "owned", lib.track(5))
        check(lib.album(1)["ownership_state"] == "owned", lib.album(1))
        check(lib.artist(0)["ownership_state"] == "discovered", lib.artist(0))
        # the other artist is untouched
        check(lib.artist(1)["ownership_state"] == "owned", lib.artist(1))
        check(all(lib.track(i)["ownership_state"] == "owned" for i in range(6, 12)), "artist 1")
        again = lib.cleanup()
        check(again["changed"] == 0, again)


def test_2_an_album_the_user_deleted_takes_its_tracks_and_a_lone_artist():
    def prepare(con, ids):
        # artist 0 keeps album 1; artist 1 loses both its albums
        for a in (0, 2, 3):
            unown(con, "album", ids["albums"][a])
        unclaim(con, ids, [0, 1, 2, 6, 7, 8, 9, 10, 11])
    with library(prepare) as lib:
        stats = lib.cleanup()
        check(stats["album_deleted"]["tracks"] == 9, stats)
        check(stats["album_deleted"]["artists"] == 1, stats)
        for i in (0, 1, 2, 6, 7, 8, 9, 10, 11):
            check(lib.track(i)["ownership_state"] == "discovered", (i, lib.track(i)))
        check(lib.artist(0)["ownership_state"] == "owned", "artist 0 still has album 1")
        check(lib.album(1)["ownership_state"] == "owned", lib.album(1))
        check(lib.artist(1)["ownership_state"] == "discovered", lib.artist(1))


def test_3_an_unliked_track_goes_and_its_album_only_when_nothing_holds_it():
    def prepare(con, ids):
        # unliked in the cloud: track 0 (album 0 keeps 1 and 2), all of
        # album 1, all of album 2 (which was saved as an album itself)
        unclaim(con, ids, [0, 3, 4, 5, 6, 7, 8])
        con.execute("INSERT INTO ownership_claims(entity_type, entity_id, source, reason) "
                    "VALUES ('album', ?, 'spotify', 'saved')", (ids["albums"][2],))
    with library(prepare) as lib:
        stats = lib.cleanup()
        check(stats["track_unliked"]["tracks"] == 7, stats)
        check(stats["track_unliked"]["albums"] == 1, stats)
        check(stats["track_unliked"]["artists"] == 0, stats)
        for i in (0, 3, 4, 5, 6, 7, 8):
            check(lib.track(i)["ownership_state"] == "discovered", (i, lib.track(i)))
        check(lib.album(0)["ownership_state"] == "owned", "album 0 has tracks 1 and 2")
        check(lib.album(1)["ownership_state"] == "discovered", lib.album(1))
        check(lib.album(2)["ownership_state"] == "owned", "album 2 was saved itself")
        check(lib.artist(0)["ownership_state"] == "owned", lib.artist(0))
        check(lib.artist(1)["ownership_state"] == "owned", lib.artist(1))


def test_4_referential_orphans_are_cleared_marked_and_reattached():
    made = {}

    def prepare(con, ids):
        now = int(time.time() * 1000)

        def orphan(title, artist_id, isrc=None, album_id=None):
            cur = con.execute(
                "INSERT INTO tracks(title, normalized_title, artist_id, album_id, isrc, "
                "ownership_state, primary_source, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, 'discovered', 'spotify', ?, ?)",
                (title, title.lower(), artist_id, album_id, isrc, now, now))
            made[title] = cur.lastrowid
        # whose artist row is gone: the same recording (ISRC) as track 6
        orphan("Same Recording", 990001, isrc="TESTI0000006")
        # credited (main) to artist 0 by name
        orphan("Credited", 990002)
        con.execute("INSERT INTO track_artists(track_id, artist_id, role, position) "
                    "VALUES (?, ?, 'main', 0)", (made["Credited"], ids["artists"][0]))
        # nothing to re-attach it by
        orphan("Lost", 990003)
        # an album reference to a missing row
        orphan("No Album", ids["artists"][1], album_id=990004)
    with library(prepare) as lib:
        stats = lib.cleanup()
        check(stats["orphans"]["found"] == 3, stats)
        check(stats["orphans"]["reattached_by_isrc"] == 1, stats)
        check(stats["orphans"]["reattached_by_name"] == 1, stats)
        check(stats["orphans"]["album_refs_cleared"] == 1, stats)
        same = lib.row("tracks", made["Same Recording"])
        check(same["artist_id"] == lib.ids["artists"][1] and same["orphaned"] is False, same)
        credited = lib.row("tracks", made["Credited"])
        check(credited["artist_id"] == lib.ids["artists"][0] and credited["orphaned"] is False, credited)
        lost = lib.row("tracks", made["Lost"])
        check(lost["artist_id"] is None and lost["orphaned"] is True, lost)
        no_album = lib.row("tracks", made["No Album"])
        check(no_album["album_id"] is None and no_album["artist_id"] == lib.ids["artists"][1]
              and no_album["orphaned"] is False, no_album)
        # the listing can find the orphan
        s, body = lib.svc.get("/api/library/tracks?limit=500")
        check(any(t["id"] == made["Lost"] and t["orphaned"] for t in body["items"]), "listed")


def test_5_downloads_failed_for_more_than_7_days_become_not_needed():
    def prepare(con, ids):
        now = int(time.time() * 1000)
        for i, age in ((9, 8), (10, 6)):
            con.execute("UPDATE tracks SET download_state = 'failed', "
                        "download_state_updated_at = ? WHERE id = ?",
                        (now - age * DAY_MS, ids["tracks"][i]))
    with library(prepare) as lib:
        check(lib.track(9)["download_state"] == "failed", lib.track(9))
        stats = lib.cleanup()
        check(stats["failed_downloads"]["reset"] == 1, stats)
        check(lib.track(9)["download_state"] == "not_needed", lib.track(9))
        check(lib.track(10)["download_state"] == "failed", "failed 6 days ago: stays")
        check(lib.track(9)["ownership_state"] == "owned", "ownership untouched")


def test_incomplete_data_is_left_exactly_as_it_is():
    def prepare(con, ids):
        now = int(time.time() * 1000)
        # beside the synced rows (no MBIDs, no covers): an owned artist
        # without albums (followed), one without anything, a discovered
        # album and track, a track without ISRC, artist or album
        con.executescript(f"""
          INSERT INTO artists(name, normalized_name, ownership_state, primary_source)
            VALUES ('Followed Only', 'followed only', 'owned', 'spotify'),
                   ('Bare', 'bare', 'owned', 'local'),
                   ('Seen', 'seen', 'discovered', 'spotify');
          INSERT INTO ownership_claims(entity_type, entity_id, source, reason)
            SELECT 'artist', id, 'spotify', 'followed' FROM artists WHERE name = 'Followed Only';
          INSERT INTO albums(title, normalized_title, ownership_state, primary_source)
            VALUES ('Elsewhere', 'elsewhere', 'discovered', 'spotify');
          INSERT INTO tracks(title, normalized_title, ownership_state, primary_source,
                             download_state)
            VALUES ('Loose', 'loose', 'discovered', 'spotify', 'not_needed');
          UPDATE tracks SET isrc = NULL WHERE id = {ids['tracks'][4]};
          UPDATE tracks SET download_state = 'failed', download_state_updated_at = {now}
            WHERE id = {ids['tracks'][5]};
        """)
    with library(prepare) as lib:
        before = lib.listing()
        stats = lib.cleanup()
        check(stats["changed"] == 0, stats)
        after = lib.listing()
        for kind in before:
            check(json.dumps(before[kind], sort_keys=True) == json.dumps(after[kind], sort_keys=True),
                  f"{kind} changed by cleanup")
        check(len(after["artists"]) == 5, [a["name"] for a in after["artists"]])
        bare = next(a for a in after["artists"] if a["name"] == "Bare")
        check(bare["ownership_state"] == "owned", bare)


if __name__ == "__main__":
    run_tests([test_1_an_artist_the_user_deleted_takes_its_albums_and_tracks,
               test_2_an_album_the_user_deleted_takes_its_tracks_and_a_lone_artist,
               test_3_an_unliked_track_goes_and_its_album_only_when_nothing_holds_it,
               test_4_referential_orphans_are_cleared_marked_and_reattached,
               test_5_downloads_failed_for_more_than_7_days_become_not_needed,
               test_incomplete_data_is_left_exactly_as_it_is])
