"""identify_albums and identify_tracks on the real binary: a scanned corpus
of real MP3 files (tests/corpus/generate.py's ID3v2.4 writer) against the
fake MusicBrainz (tests/fakes/fake_musicbrainz.py, 1 request/s enforced).
Substring titles (Neon Future I / II) and a self-titled album are decided by
their tracks or left unwritten, tracks get recording MBIDs from the release
lookup and from /isrc/, no rate violation, a second run sends nothing, a
user's MBID sticks through later runs, and MusicBrainz down makes the run
`degraded` without clearing anything."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, Service, check, run_tests  # noqa: E402
from test_identify import FakeMusicBrainz  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus"))
import generate  # noqa: E402

NIRVANA = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
AOKI = "c0000000-0000-4000-8000-000000000001"
WEEZER = "c0000000-0000-4000-8000-000000000002"


def mbid(kind, n):
    return f"{kind}0000000-0000-4000-8000-{n:012d}"


NEVERMIND = ["Smells Like Teen Spirit", "In Bloom", "Come as You Are"]
NEON_I = ["Free the Madness", "Neon Future", "Delirious"]
NEON_II = ["Hellfire", "Lightning Strike", "Warp"]
BLUE = ["My Name Is Jonas", "Buddy Holly", "Say It Ain't So"]
GREEN = ["Don't Let Go", "Photograph", "Hash Pipe"]
COMPILATION = ["Sliver", "Lithium", "Dumb"]


def release(n, titles, date):
    # no lengths: the corpus' files are 0.1 s long, no evidence either way
    return {"id": mbid("e", n), "status": "Official", "date": date,
            "tracks": [{"title": t, "length": None, "recording": mbid("f", n * 100 + i)}
                       for i, t in enumerate(titles)]}


SCENARIO = {
    "rate": 1,
    "artists": [
        {"id": NIRVANA, "name": "Nirvana", "type": "Group", "country": "US",
         "release_groups": [
             {"id": mbid("d", 1), "title": "Nevermind", "releases": [release(1, NEVERMIND, "1991")]},
             {"id": mbid("d", 2), "title": "Bleach"},
             {"id": mbid("d", 3), "title": "Nirvana", "releases": [release(3, COMPILATION, "2002")]}]},
        {"id": AOKI, "name": "Steve Aoki", "type": "Person", "country": "US",
         "release_groups": [
             {"id": mbid("d", 4), "title": "Neon Future I", "releases": [release(4, NEON_I, "2014")]},
             {"id": mbid("d", 5), "title": "Neon Future II", "releases": [release(5, NEON_II, "2015")]}]},
        {"id": WEEZER, "name": "Weezer", "type": "Group", "country": "US",
         "release_groups": [
             {"id": mbid("d", 6), "title": "Weezer", "releases": [release(6, BLUE, "1994")]},
             {"id": mbid("d", 7), "title": "Weezer", "releases": [release(7, GREEN, "2001")]}]},
    ],
    "isrcs": {"USGF19942501": [{"id": mbid("f", 9001), "title": "Lithium",
                                "artist-credit": [{"name": "Nirvana", "joinphrase": "",
                                                   "artist": {"id": NIRVANA, "name": "Nirvana"}}]}]},
}


def write_corpus(music):
    # one tagless MP3 (sox + lame), copied under ID3v2.4 tags
    bases = tempfile.mkdtemp(prefix="disco-bases-")
    wav = os.path.join(bases, "base.wav")
    generate.run("sox", "-n", "-r", "44100", "-c", "2", "-b", "16", wav, "synth", "0.1", "sine", "440")
    generate.run("lame", "--silent", "-b", "64", wav, os.path.join(bases, "base.mp3"))
    albums = [("Nirvana", NIRVANA, "Nevermind", NEVERMIND, "1991"),
              ("Steve Aoki", AOKI, "Neon Future I", NEON_I, "2014"),
              ("Weezer", WEEZER, "Weezer", BLUE, "1994"),
              # self-titled, and its songs are not the MusicBrainz "Nirvana"'s
              ("Nirvana", NIRVANA, "Nirvana", ["Unknown One", "Unknown Two"], "2002")]
    for artist, artist_mbid, album, titles, year in albums:
        for i, t in enumerate(titles):
            tags = {"title": t, "artist": artist, "album_artist": artist, "album": album,
                    "track": f"{i + 1}/{len(titles)}", "date": year,
                    "artist_mbid": artist_mbid, "album_artist_mbid": artist_mbid}
            path = os.path.join(music, artist, album, f"{i + 1:02d} {t}.mp3")
            generate.write_file(bases, "mp3v24", path, tags)
    # a loose single with an ISRC, on an album MusicBrainz does not know
    generate.write_file(bases, "mp3v24", os.path.join(music, "Nirvana", "Singles", "Lithium.mp3"),
                        {"title": "Lithium", "artist": "Nirvana", "album_artist": "Nirvana",
                         "album": "Singles Box", "track": "1", "isrc": "USGF19942501",
                         "artist_mbid": NIRVANA, "album_artist_mbid": NIRVANA})


def run_tasks(cfg, *tasks):
    """One process runs them in order: one limiter spaces all their requests."""
    p = subprocess.run([BIN, "run", *tasks, "--config", cfg], capture_output=True, text=True,
                       timeout=300)
    check(p.returncode == 0, f"run {tasks} exited {p.returncode}: {p.stdout[-2000:]} {p.stderr[-2000:]}")
    out = json.loads(p.stdout)
    stats = []
    for task in tasks:
        done = [c for c in out["completed"] if c["task"] == task]
        check(len(done) == 1, f"{task} did not complete: {out}")
        stats.append(done[0]["stats"])
    return stats


def run_task(cfg, task):
    return run_tasks(cfg, task)[0]


def albums(db_path):
    db = sqlite3.connect(db_path)
    try:
        return {t: (m, rg, s) for t, m, rg, s in db.execute(
            "SELECT title, mbid, release_group_mbid, mbid_source FROM albums")}
    finally:
        db.close()


def tracks(db_path):
    db = sqlite3.connect(db_path)
    try:
        return {t: m for t, m in db.execute(
            "SELECT title, mbid FROM tracks WHERE mbid IS NOT NULL")}
    finally:
        db.close()


def identify_all(cfg):
    return run_tasks(cfg, "identify_artists", "identify_albums", "identify_tracks")


def test_albums_and_tracks_against_the_fake():
    fake = FakeMusicBrainz(SCENARIO)
    mb = {"api_base": fake.base + "/ws/2", "contact": "identify-test@example.org"}
    music = tempfile.mkdtemp(prefix="disco-music-")
    write_corpus(music)
    with Service(config={"log_level": "warn", "music_dirs": [music],
                         "providers": {"musicbrainz": mb}}) as svc:
        db_path = os.path.join(svc.data, "discotheque.db")
        try:
            run_task(svc.config_path, "scan_local_library")
            artists, first, tr = identify_all(svc.config_path)
            al = albums(db_path)
            check(al["Nevermind"][:2] == (mbid("e", 1), mbid("d", 1)), (al, first))
            check(al["Neon Future I"][0] == mbid("e", 4), f"substring title: {al} {first}")
            check(al["Weezer"][0] == mbid("e", 6), f"self-titled by tracks: {al} {first}")
            check(al["Nirvana"][0] is None, f"self-titled, tracks differ: {al}")
            check(al["Singles Box"][0] is None, al)
            check(first["identified"] == 3 and first["degraded"] is False, first)
            t = tracks(db_path)
            check(t.get("In Bloom") == mbid("f", 101), (t, tr))
            check(t.get("Buddy Holly") == mbid("f", 601), t)
            check(t.get("Free the Madness") == mbid("f", 400), t)
            check(t.get("Lithium") == mbid("f", 9001), f"ISRC: {t} {tr}")
            check("Unknown One" not in t, t)
            stats = fake.get("/_stats")
            check(stats["violations"] == 0, f"rate violations: {stats}")
            # one release-group browse per artist, <= 2 requests per album
            by = stats["by_kind"]
            check(by.get("browse", 0) + by.get("release", 0) <= 3 + 2 * 4 + 4, by)

            # Unchanged library: nothing sent.
            sent = stats["requests"]
            again = identify_all(svc.config_path)
            check(all(s["requests"] == 0 for s in again), again)
            check(fake.get("/_stats")["requests"] == sent, "the second run asked MusicBrainz")
            check(albums(db_path) == al, "the second run changed albums")

            # A user's choice, the decisions, the listing of what is unidentified.
            svc.start()
            db = sqlite3.connect(db_path)
            nirvana_id = db.execute("SELECT id FROM albums WHERE title = 'Nirvana'").fetchone()[0]
            weezer_id = db.execute("SELECT id FROM albums WHERE title = 'Weezer'").fetchone()[0]
            db.close()
            status, body = svc.get(f"/api/library/albums/{nirvana_id}/matches")
            check(status == 200 and body["decision"]["outcome"] == "uncertain", body)
            check(body["decision"]["candidates"], body)
            status, body = svc.get("/api/library/unidentified?type=album")
            check(status == 200 and {i["title"] for i in body["items"]} >= {"Nirvana", "Singles Box"},
                  body)
            status, body = svc.request("PUT", f"/api/library/albums/{nirvana_id}/mbid",
                                       {"mbid": mbid("e", 3)})
            check(status == 200 and body["unverified"] is False, (status, body))
            status, body = svc.request("PUT", f"/api/library/albums/{weezer_id}/mbid",
                                       {"mbid": None})
            check(status == 200, (status, body))
            status, body = svc.request("PUT", f"/api/library/albums/{weezer_id}/mbid",
                                       {"mbid": "not-an-mbid"})
            check(status == 400, (status, body))
            status, body = svc.get(f"/api/library/albums/{nirvana_id}/matches")
            check(body["mbid"] == mbid("e", 3) and body["mbid_source"] == "user"
                  and body["decision"]["decided_by"] == "user", body)
            svc.stop()
            later = run_task(svc.config_path, "identify_albums")
            al2 = albums(db_path)
            check(al2["Nirvana"][0] == mbid("e", 3) and al2["Nirvana"][2] == "user", (al2, later))
            check(al2["Weezer"][0] is None and al2["Weezer"][2] == "user", al2)
        finally:
            fake.stop()

        # MusicBrainz down: degraded, not failed, nothing cleared.
        db = sqlite3.connect(db_path)
        aoki = db.execute("SELECT id FROM artists WHERE mbid = ?", (AOKI,)).fetchone()[0]
        db.execute("INSERT INTO albums(id, title, normalized_title) VALUES"
                   " (9000, 'Neon Future II', 'neon future ii')")
        db.execute("INSERT INTO album_artists(album_id, artist_id) VALUES (9000, ?)", (aoki,))
        db.execute("DELETE FROM provider_cache WHERE url LIKE ?", (f"%{mbid('d', 5)}%",))
        db.commit()
        db.close()
        down = run_task(svc.config_path, "identify_albums")
        check(down["degraded"] is True and down["unreachable"] == 1, down)
        after = albums(db_path)
        check(after["Nevermind"] == al2["Nevermind"] and after["Neon Future I"] == al2["Neon Future I"],
              after)
        check(after["Neon Future II"][0] is None, after)


if __name__ == "__main__":
    run_tests([test_albums_and_tracks_against_the_fake])
