"""expand_discography on the real binary: a scanned corpus of real MP3
files whose artists carry their MBIDs in the tags, identified against the
fake MusicBrainz (tests/fakes/fake_musicbrainz.py, 1 request/s enforced),
then expanded. The missing albums of the default profile (Album, EP) appear
as discovered with their track lists; a live album, a compilation and a
single are filtered out; the second self-titled "Weezer" is its own album,
not the one on disk; the unidentified self-titled "Nirvana" on disk is not
taken for MusicBrainz's; a second run adds nothing and sends nothing. Then
the settings API refuses a bad profile (400 naming the key), an artist's
override and monitor flag go through PUT /api/library/artists/{id}, and
the next run adds the single as owned."""
import os
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Service, check, run_tests  # noqa: E402
from test_identify import FakeMusicBrainz  # noqa: E402
from test_identify_albums import run_task, run_tasks  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus"))
import generate  # noqa: E402

NIRVANA = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
WEEZER = "c0000000-0000-4000-8000-000000000002"


def mbid(kind, n):
    return f"{kind}0000000-0000-4000-8000-{n:012d}"


NEVERMIND = ["Smells Like Teen Spirit", "In Bloom", "Come as You Are"]
BLEACH = ["Blew", "Floyd the Barber", "About a Girl"]
BLUE = ["My Name Is Jonas", "Buddy Holly", "Say It Ain't So"]
GREEN = ["Don't Let Go", "Photograph", "Hash Pipe"]
PINKERTON = ["Tired of Sex", "Getchoo", "No Other One", "Why Bother?"]


def release(n, titles, date, status="Official"):
    return {"id": mbid("e", n), "status": status, "date": date,
            "tracks": [{"title": t, "length": None, "recording": mbid("f", n * 100 + i)}
                       for i, t in enumerate(titles)]}


def group(n, title, date, releases, kind="Album", secondary=None):
    return {"id": mbid("d", n), "title": title, "type": kind, "secondary": secondary or [],
            "date": date, "releases": releases}


SCENARIO = {
    "rate": 1,
    "artists": [
        {"id": NIRVANA, "name": "Nirvana", "type": "Group", "country": "US",
         "release_groups": [
             group(1, "Nevermind", "1991-09-24", [release(1, NEVERMIND, "1991")]),
             group(2, "Bleach", "1989-06", [release(2, BLEACH, "1989"),
                                            release(21, BLEACH, "1988", "Bootleg")]),
             # self-titled, none of the songs on disk
             group(3, "Nirvana", "2002-10-29", [release(3, ["You Know You're Right"], "2002")]),
             group(4, "MTV Unplugged in New York", "1994", [release(4, ["About a Girl"], "1994")],
                   secondary=["Live"]),
             group(5, "Incesticide", "1992", [release(5, ["Dive"], "1992")],
                   secondary=["Compilation"])]},
        {"id": WEEZER, "name": "Weezer", "type": "Group", "country": "US",
         "release_groups": [
             group(6, "Weezer", "1994-05-10", [release(6, BLUE, "1994")]),
             group(7, "Weezer", "2001-05-15", [release(7, GREEN, "2001")]),
             group(8, "Pinkerton", "1996-09-24", [release(8, PINKERTON, "1996")]),
             group(9, "Buddy Holly", "1994-09-07", [release(9, ["Buddy Holly"], "1994")],
                   kind="Single")]},
    ],
}


def write_corpus(music):
    bases = tempfile.mkdtemp(prefix="disco-bases-")
    wav = os.path.join(bases, "base.wav")
    generate.run("sox", "-n", "-r", "44100", "-c", "2", "-b", "16", wav, "synth", "0.1", "sine", "440")
    generate.run("lame", "--silent", "-b", "64", wav, os.path.join(bases, "base.mp3"))
    albums = [("Nirvana", NIRVANA, "Nevermind", NEVERMIND, "1991"),
              ("Weezer", WEEZER, "Weezer", BLUE, "1994"),
              ("Nirvana", NIRVANA, "Nirvana", ["Unknown One", "Unknown Two"], "2002")]
    for artist, artist_mbid, album, titles, year in albums:
        for i, t in enumerate(titles):
            tags = {"title": t, "artist": artist, "album_artist": artist, "album": album,
                    "track": f"{i + 1}/{len(titles)}", "date": year,
                    "artist_mbid": artist_mbid, "album_artist_mbid": artist_mbid}
            path = os.path.join(music, artist, album, f"{i + 1:02d} {t}.mp3")
            generate.write_file(bases, "mp3v24", path, tags)


def rows(db_path, sql, args=()):
    db = sqlite3.connect(db_path)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def albums(db_path):
    return sorted(rows(db_path, "SELECT title, release_group_mbid, ownership_state, added_by FROM albums"),
                  key=lambda r: (r[0], r[1] or ""))


def test_expand_against_the_fake():
    fake = FakeMusicBrainz(SCENARIO)
    mb = {"api_base": fake.base + "/ws/2", "contact": "expand-test@example.org"}
    music = tempfile.mkdtemp(prefix="disco-music-")
    write_corpus(music)
    with Service(config={"log_level": "warn", "music_dirs": [music],
                         "providers": {"musicbrainz": mb}}) as svc:
        db_path = os.path.join(svc.data, "discotheque.db")
        try:
            run_task(svc.config_path, "scan_local_library")
            run_tasks(svc.config_path, "identify_artists", "identify_albums")
            before = albums(db_path)
            check(("Weezer", mbid("d", 6), "owned", None) in before, before)
            check(("Nirvana", None, "owned", None) in before, f"self-titled unidentified: {before}")
            sent_before = fake.get("/_stats")["requests"]
            # each `run` is its own process with its own 1/s limiter
            time.sleep(1.1)

            stats = run_task(svc.config_path, "expand_discography")
            after = albums(db_path)
            added = [a for a in after if a not in before]
            check(sorted((t, rg, s, by) for t, rg, s, by in added) == sorted([
                ("Bleach", mbid("d", 2), "discovered", "discography"),
                ("Pinkerton", mbid("d", 8), "discovered", "discography"),
                ("Weezer", mbid("d", 7), "discovered", "discography")]), (added, stats))
            check(stats["added"] == 3 and stats["filtered_out"] == 3 and stats["uncertain"] == 1
                  and stats["matched"] == 2 and stats["browsed"] == 9, stats)
            check(stats["degraded"] is False, stats)
            # the representative release's track list, official before bootleg
            green = rows(db_path, "SELECT t.title, t.track_number, t.ownership_state, t.download_state"
                                  " FROM tracks t JOIN albums al ON al.id = t.album_id"
                                  " WHERE al.release_group_mbid = ? ORDER BY t.track_number",
                         (mbid("d", 7),))
            check(green == [(t, i + 1, "discovered", "not_needed") for i, t in enumerate(GREEN)], green)
            bleach = rows(db_path, "SELECT mbid FROM albums WHERE release_group_mbid = ?", (mbid("d", 2),))
            check(bleach == [(mbid("e", 2),)], bleach)
            stats_fake = fake.get("/_stats")
            check(stats_fake["violations"] == 0, stats_fake)
            # browses were cache hits after identify; per missing group one
            # release browse and one lookup (+ the held-back self-titled)
            check(stats_fake["requests"] - sent_before <= 2 * 4, (stats_fake, sent_before, stats))

            # A second run: nothing added, nothing sent.
            sent = fake.get("/_stats")["requests"]
            again = run_task(svc.config_path, "expand_discography")
            check(again["added"] == 0 and again["requests"] == 0, again)
            check(fake.get("/_stats")["requests"] == sent, "the second run asked MusicBrainz")
            check(albums(db_path) == after, "the second run changed albums")

            # Settings and the per-artist override.
            svc.start()
            status, body = svc.request("PUT", "/api/settings", {
                "library.metadata_profile": {"primary_types": ["Album", "LP"], "secondary_types": []},
                "library.new_release_days": 7})
            check(status == 400 and "library.metadata_profile" in body["message"], (status, body))
            status, body = svc.get("/api/settings")
            entries = {e["key"]: e for e in body["settings"]}
            check(entries["library.new_release_days"]["value"] == 30, entries["library.new_release_days"])
            check(entries["library.metadata_profile"]["value"] ==
                  {"primary_types": ["Album", "EP"], "secondary_types": []},
                  entries["library.metadata_profile"])
            weezer_id = rows(db_path, "SELECT id FROM artists WHERE mbid = ?", (WEEZER,))[0][0]
            status, body = svc.request("PUT", f"/api/library/artists/{weezer_id}",
                                       {"metadata_profile": {"primary_types": ["album", "single"],
                                                             "secondary_types": []},
                                        "monitor_new_albums": True})
            check(status == 200 and body["monitor_new_albums"] is True
                  and body["metadata_profile"]["primary_types"] == ["Album", "Single"], (status, body))
            status, body = svc.request("PUT", f"/api/library/artists/{weezer_id}",
                                       {"monitor_new_albums": "yes"})
            check(status == 400 and "monitor_new_albums" in body["message"], (status, body))
            status, body = svc.request("PUT", f"/api/library/artists/{weezer_id}",
                                       {"metadata_profile": {"primary_types": ["Bootleg"],
                                                             "secondary_types": []}})
            check(status == 400 and "Bootleg" in body["message"], (status, body))
            status, body = svc.request("PUT", "/api/library/artists/999999", {"monitor_new_albums": True})
            check(status == 404, (status, body))
            status, body = svc.get(f"/api/library/artists/{weezer_id}/settings")
            check(status == 200 and body["monitor_new_albums"] is True, (status, body))
            svc.stop()

            time.sleep(1.1)
            monitored = run_task(svc.config_path, "expand_discography")
            check(monitored["added"] == 1 and monitored["owned"] == 1, monitored)
            single = rows(db_path, "SELECT al.ownership_state, t.ownership_state, t.download_state"
                                   " FROM albums al JOIN tracks t ON t.album_id = al.id"
                                   " WHERE al.release_group_mbid = ?", (mbid("d", 9),))
            check(single == [("owned", "owned", "not_needed")], single)
            check(fake.get("/_stats")["violations"] == 0, "rate violations")
        finally:
            fake.stop()


if __name__ == "__main__":
    run_tests([test_expand_against_the_fake])
