"""The user's actions on the real binary (issue 14): own, unown, ignore and
unignore on artists, albums and tracks with their SPEC §4 cascades; ignore
beats a later sync and a later scan; an unowned row a sync still claims is owned again (the
dedup store learns of the user's change); downloads of one track, an album
and a discography; retry; the playlist buttons; 404 / 400 / 409 answers."""
import os
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Service, check, run_task, run_tests, wait_for  # noqa: E402
from cloud import FakeProviders  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus"))
import generate  # noqa: E402

# Catalogue: track i on album i // 3, album a by artist a // 2. Liked 0..11:
# albums 0..3, artists 0 and 1. The playlist holds 12..14 (album 4, artist 2).
SCENARIO = {"spotify": {"liked": 12,
                        "playlists": [{"id": "p1", "name": "Mix", "tracks": [12, 13, 14],
                                       "owner": True}]}}



class Lib:
    def __init__(self, svc):
        self.svc = svc
        self.path = os.path.join(svc.data, "discotheque.db")

    def q(self, sql, args=()):
        con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def one(self, sql, args=()):
        return self.q(sql, args)[0][0]

    def track(self, i):
        return self.q("SELECT id, ownership_state, download_state, album_id, artist_id FROM tracks "
                      "WHERE isrc = ?", (f"TESTI{i:07d}",))[0]

    def state(self, table, id_):
        return self.one(f"SELECT ownership_state FROM {table} WHERE id = ?", (id_,))

    def run(self, task):
        run_task(self.svc, task)

    def act(self, path, status=200):
        s, body = self.svc.post(path)
        check(s == status, (path, s, body))
        return body


def service(fake):
    return Service({"providers": {"spotify": fake.provider_config("spotify")}})


def seeded(svc):
    lib = Lib(svc)
    lib.run("sync_spotify_likes")
    lib.run("sync_playlists")
    check(lib.one("SELECT count(*) FROM tracks WHERE ownership_state = 'owned'") == 12, "seed")
    return lib


def test_ownership_actions_cascade_on_all_three_types():
    with FakeProviders(SCENARIO) as fake, service(fake) as svc:
        svc.start()
        lib = seeded(svc)
        t0, _, _, album0, artist0 = lib.track(0)
        t3, _, _, album1, _ = lib.track(3)
        t6, _, _, album2, artist1 = lib.track(6)
        # Unown a track: discovered; its album keeps its other owned tracks.
        body = lib.act(f"/api/library/tracks/{t0}/unown")
        check(body["ownership_state"] == "discovered" and body["changed"] == 1, body)
        check(lib.track(0)[1] == "discovered" and lib.state("albums", album0) == "owned", "track")
        check(lib.act(f"/api/library/tracks/{t0}/unown")["changed"] == 0, "idempotent")
        # Unown an album: album and tracks discovered; the artist stays owned
        # through album 1.
        body = lib.act(f"/api/library/albums/{album0}/unown")
        check(body["changed"] == 3, body)  # the album and its two owned tracks
        check(lib.state("albums", album0) == "discovered", "album")
        check(all(lib.track(i)[1] == "discovered" for i in range(3)), "album tracks")
        check(lib.state("artists", artist0) == "owned", "artist held by album 1")
        # Unown the artist: artist, its albums and their tracks discovered.
        lib.act(f"/api/library/artists/{artist0}/unown")
        check(lib.state("artists", artist0) == "discovered", "artist")
        check(lib.state("albums", album1) == "discovered", "album 1")
        check(all(lib.track(i)[1] == "discovered" for i in range(6)), "artist's tracks")
        check(lib.one("SELECT count(*) FROM ownership_claims WHERE entity_type = 'track' AND "
                      "entity_id = ?", (t3,)) == 0, "claims dropped")
        # Own a track: owned with a user claim, its album and artist owned too;
        # the rest of the album stays discovered.
        body = lib.act(f"/api/library/tracks/{t3}/own")
        check(body["ownership_state"] == "owned", body)
        check(lib.state("albums", album1) == "owned" and lib.state("artists", artist0) == "owned",
              "parents of an owned track")
        check(lib.track(4)[1] == "discovered", "album neighbour untouched")
        check(lib.one("SELECT source FROM ownership_claims WHERE entity_type = 'track' AND "
                      "entity_id = ?", (t3,)) == "user", "user claim")
        # Own an album: its tracks owned.
        lib.act(f"/api/library/albums/{album0}/own")
        check(all(lib.track(i)[1] == "owned" for i in range(3)), "album own cascade")
        # Ignore an artist: it, its albums and their tracks ignored.
        body = lib.act(f"/api/library/artists/{artist1}/ignore")
        check(body["ownership_state"] == "ignored" and body["changed"] == 1 + 2 + 6, body)
        check(lib.state("albums", album2) == "ignored", "ignored album")
        check(all(lib.track(i)[1] == "ignored" for i in range(6, 12)), "ignored tracks")
        lib.act(f"/api/library/tracks/{t6}/unown", 409)
        lib.act(f"/api/library/tracks/{t6}/download", 409)
        # A later sync still likes them: ignore wins.
        lib.run("sync_spotify_likes")
        check(lib.state("artists", artist1) == "ignored", "ignore beats sync (artist)")
        check(all(lib.track(i)[1] == "ignored" for i in range(6, 12)), "ignore beats sync")
        # The unowned tracks 4 and 5 are still liked: the sync owns them again.
        check(lib.track(4)[1] == "owned", "still liked: owned again by the sync")
        # Unignore: back to what the claims say (still liked: owned).
        body = lib.act(f"/api/library/artists/{artist1}/unignore")
        check(body["ownership_state"] == "owned", body)
        check(lib.state("albums", album2) == "owned" and lib.track(6)[1] == "owned", "unignored")
        check(lib.act(f"/api/library/artists/{artist1}/unignore")["changed"] == 0, "idempotent")
        # Ignore a track, then an album.
        lib.act(f"/api/library/tracks/{t6}/ignore")
        check(lib.track(6)[1] == "ignored" and lib.state("albums", album2) == "owned", "track ig")
        lib.act(f"/api/library/albums/{album2}/ignore")
        check(all(lib.track(i)[1] == "ignored" for i in range(6, 9)), "album ignore")
        lib.run("sync_spotify_likes")
        check(lib.state("albums", album2) == "ignored", "album ignore beats sync")


def test_unown_then_sync_owns_again_through_the_dedup_cache():
    with FakeProviders(SCENARIO) as fake, service(fake) as svc:
        svc.start()
        lib = seeded(svc)
        _, _, _, album0, artist0 = lib.track(0)
        lib.act(f"/api/library/artists/{artist0}/unown")
        check(lib.state("albums", album0) == "discovered", "unowned")
        # Still followed through the liked tracks: the next sync claims the
        # album again, though the dedup store saw it owned before.
        lib.run("sync_spotify_likes")
        check(lib.state("albums", album0) == "owned", "album owned again")
        check(lib.state("artists", artist0) == "owned", "artist owned again")


def test_downloads_retry_playlists_and_errors():
    with FakeProviders(SCENARIO) as fake, service(fake) as svc:
        svc.start()
        lib = seeded(svc)
        t0, _, _, album0, artist0 = lib.track(0)
        # One track: pending, the rest of its album stays not_needed.
        body = lib.act(f"/api/library/tracks/{t0}/download")
        check(body["changed"] == 1 and body["download_state"] == "pending", body)
        check(lib.track(1)[2] == "not_needed" and lib.track(2)[2] == "not_needed", "single track")
        check(lib.act(f"/api/library/tracks/{t0}/download")["changed"] == 0, "idempotent")
        # A downloaded track stays downloaded.
        t1 = lib.track(1)[0]
        con = sqlite3.connect(lib.path)
        con.execute("UPDATE tracks SET download_state = 'downloaded' WHERE id = ?", (t1,))
        con.execute("UPDATE tracks SET download_state = 'failed' WHERE isrc = 'TESTI0000010'")
        con.commit()
        con.close()
        body = lib.act(f"/api/library/albums/{album0}/download")
        check(body["changed"] == 1, body)  # track 2 only
        check(lib.track(1)[2] == "downloaded" and lib.track(2)[2] == "pending", "album download")
        # Discography by the metadata profile: album 1 typed as a single is
        # not what the default profile (Album, EP) counts.
        album1 = lib.track(3)[3]
        con = sqlite3.connect(lib.path)
        con.execute("UPDATE albums SET album_type = 'single' WHERE id = ?", (album1,))
        con.commit()
        con.close()
        body = lib.act(f"/api/library/artists/{artist0}/download")
        check(body["changed"] == 0 and body["albums_skipped_by_profile"] == 1, body)
        check(lib.track(3)[2] == "not_needed", "a single left out")
        # The artist's own profile counts singles: the owned albums of
        # artist 0 (0 and 1), tracks 3..5.
        s, put = svc.request("PUT", f"/api/library/artists/{artist0}",
                             {"metadata_profile": {"primary_types": ["Album", "EP", "Single"],
                                                   "secondary_types": []}})
        check(s == 200, (s, put))
        body = lib.act(f"/api/library/artists/{artist0}/download")
        check(body["changed"] == 3 and body["albums_skipped_by_profile"] == 0, body)
        check(lib.track(6)[2] == "not_needed", "another artist untouched")
        # Retry: only a failed track.
        t10 = lib.track(10)[0]
        check(lib.act(f"/api/library/tracks/{t10}/retry")["download_state"] == "pending", "retry")
        lib.act(f"/api/library/tracks/{t1}/retry", 409)
        lib.act(f"/api/library/albums/{album0}/retry", 400)
        # Playlists: own-all, then download-owned.
        pid = lib.one("SELECT id FROM playlists WHERE provider_id = 'p1'")
        check(lib.track(12)[1] == "discovered", "playlist tracks are references")
        body = lib.act(f"/api/library/playlists/{pid}/own-all")
        check(body["changed"] == 3, body)
        check(all(lib.track(i)[1] == "owned" for i in (12, 13, 14)), "own-all")
        check(lib.state("albums", lib.track(12)[3]) == "owned", "their album")
        body = lib.act(f"/api/library/playlists/{pid}/download-owned")
        check(body["changed"] == 3, body)
        check(lib.track(13)[2] == "pending", "download-owned")
        # Errors.
        lib.act("/api/library/tracks/999999/own", 404)
        lib.act("/api/library/playlists/999999/own-all", 404)
        lib.act("/api/library/tracks/abc/own", 400)
        lib.act(f"/api/library/playlists/{pid}/ignore", 400)
        s, _ = svc.post(f"/api/library/tracks/{t0}/own", key=False)
        check(s == 401, s)


def test_ignore_beats_a_later_scan():
    """An artist the user ignored stays ignored, with its albums and
    tracks, when a later scan reads its files again (their tags changed)."""
    root = tempfile.mkdtemp(prefix="disco-ignore-scan-")
    music = os.path.join(root, "music")
    bases = os.path.join(root, "bases")
    os.makedirs(bases)
    wav = os.path.join(bases, "base.wav")
    generate.run("sox", "-n", "-r", "44100", "-c", "2", "-b", "16", wav, "synth", "0.1", "sine", "440")
    generate.run("lame", "--silent", "-b", "64", wav, os.path.join(bases, "base.mp3"))

    def write(title_suffix=""):
        for artist, album in (("Ignored Band", "Unwanted"), ("Kept Band", "Wanted")):
            for i in (1, 2):
                path = os.path.join(music, artist, album, f"{i:02d}.mp3")
                generate.write_file(bases, "mp3v24", path, {
                    "title": f"Song {i}{title_suffix}", "artist": artist, "album_artist": artist,
                    "album": album, "track": f"{i}/2", "date": "2001"})
    write()
    with Service({"music_dirs": [music]}) as svc:
        svc.start()
        lib = Lib(svc)
        lib.run("scan_local_library")
        ignored = lib.one("SELECT id FROM artists WHERE name = 'Ignored Band'")
        kept = lib.one("SELECT id FROM artists WHERE name = 'Kept Band'")
        body = lib.act(f"/api/library/artists/{ignored}/ignore")
        check(body["ownership_state"] == "ignored" and body["changed"] == 1 + 1 + 2, body)
        # The files change: the next scan reads and merges them again.
        write(" (remaster)")
        for path in [os.path.join(d, f) for d, _, fs in os.walk(music) for f in fs]:
            st = os.stat(path)
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
        lib.run("scan_local_library")
        _, last = svc.get("/api/library/tasks/scan_local_library")
        check(last["stats"]["files_read"] == 4, last["stats"])
        check(lib.state("artists", ignored) == "ignored", "ignore beats a scan (artist)")
        states = lib.q("SELECT t.title, t.ownership_state FROM tracks t WHERE t.artist_id = ?",
                       (ignored,))
        check(len(states) == 2 and all(s == "ignored" for _, s in states)
              and all(t.endswith("(remaster)") for t, _ in states), states)
        albums = lib.q("SELECT al.ownership_state FROM albums al JOIN album_artists aa "
                       "ON aa.album_id = al.id WHERE aa.artist_id = ?", (ignored,))
        check(albums == [("ignored",)], albums)
        # The other artist is untouched: owned by its files.
        check(lib.state("artists", kept) == "owned", lib.state("artists", kept))


if __name__ == "__main__":
    run_tests([test_ownership_actions_cascade_on_all_three_types,
               test_unown_then_sync_owns_again_through_the_dedup_cache,
               test_downloads_retry_playlists_and_errors,
               test_ignore_beats_a_later_scan])
