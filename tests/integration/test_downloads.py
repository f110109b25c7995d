"""The download worker on the real binary: liked tracks of a fake Spotify
(auto-queue on) are searched on a fake slskd (tests/fakes/fake_slskd.py),
whose peers answer well, slowly, with wrong files (truncated, 0-byte
"Completed, TimedOut"), with transfers that stall or sit queued remotely,
with live takes, or not at all, under a search budget that counts every
search beyond it as a ban. Every track must end `downloaded` at the right
path (and be known to the next scan) or `failed` with a reason; no budget
violation, no file downloaded twice, every wrong file quarantined. Then a
kill -9 in the middle of the transfers: the restart reconciles and ends in
the same state with nothing fetched twice."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, SOURCE, Failure, check, run_tests, wait_for  # noqa: E402
from cloud import FakeProviders  # noqa: E402

FAKE_SLSKD = os.path.join(SOURCE, "tests", "fakes", "fake_slskd.py")
KEY = "fake-slskd-key-0123456789"
TPA = 5          # tracks per album
TRACK_S = 20     # the catalogue's tracks last 20 s (+ i ms)
YEAR = 2001      # the catalogue's release year


def artist_of(a):
    return a // 2  # albums_per_artist 2


def remote(a, i, folder="Music", suffix=""):
    r = artist_of(a)
    return f"{folder}\\Artist {r}\\Album {a}\\{i % TPA + 1:02d} - Track {i}{suffix}.mp3"


def album_files(a, folder="Music", wrong=None, suffix=""):
    out = []
    for i in range(a * TPA, (a + 1) * TPA):
        f = {"path": remote(a, i, folder, suffix), "length": TRACK_S,
             "artist": f"Artist {artist_of(a)}", "title": f"Track {i}",
             "album": f"Album {a}", "track": str(i % TPA + 1)}
        if wrong:
            f["wrong"] = wrong
        out.append(f)
    return out


class FakeSlskd:
    def __init__(self, scenario, downloads):
        self.tmp = tempfile.mkdtemp(prefix="disco-slskd-")
        path = os.path.join(self.tmp, "scenario.json")
        with open(path, "w") as f:
            json.dump(scenario, f)
        ready = os.path.join(self.tmp, "port")
        self.proc = subprocess.Popen([sys.executable, FAKE_SLSKD, "--scenario", path,
                                      "--downloads", downloads, "--api-key", KEY,
                                      "--ready-file", ready],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 10
        while not os.path.exists(ready) or os.path.getsize(ready) == 0:
            if time.time() > deadline or self.proc.poll() is not None:
                raise Failure("fake slskd did not start")
            time.sleep(0.02)
        with open(ready) as f:
            self.port = int(f.read())
        self.base = f"http://127.0.0.1:{self.port}"

    def stats(self):
        with urllib.request.urlopen(self.base + "/_stats", timeout=10) as r:
            return json.loads(r.read())

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.tmp, ignore_errors=True)


class Library:
    """A data folder, a music folder and slskd's downloads folder; the
    config pointing at the fakes."""

    def __init__(self, fake, slskd_port, downloads, budget):
        self.tmp = tempfile.mkdtemp(prefix="disco-dl-")
        self.data = os.path.join(self.tmp, "data")
        self.music = os.path.join(self.tmp, "music")
        os.makedirs(self.music)
        self.downloads = downloads
        self.cfg = os.path.join(self.tmp, "config.json")
        self.port = None
        cfg = {"data_dir": self.data, "log_level": "info", "music_dirs": [self.music],
               "providers": {"spotify": fake.provider_config("spotify"),
                             "musicbrainz": {"enabled": False},
                             "coverartarchive": {"enabled": False},
                             "slskd": {"enabled": True,
                                       "api_base": f"http://127.0.0.1:{slskd_port}/api/v0",
                                       "api_key": KEY, "downloads_dir": downloads,
                                       "rate_per_second": 200}},
               "downloads": {"formats": ["flac", "mp3 320", "mp3"],
                             "search_budget": budget["ours"],
                             "search_window_s": budget["window_s"],
                             "search_timeout_s": 1, "poll_interval_ms": 200,
                             "requested_timeout_s": 5, "queued_timeout_s": 3,
                             "stalled_timeout_s": 2, "max_transfers": 20}}
        with open(self.cfg, "w") as f:
            json.dump(cfg, f)

    def run(self, *tasks, timeout=600):
        p = subprocess.run([BIN, "run", *tasks, "--config", self.cfg],
                           capture_output=True, text=True, timeout=timeout)
        check(p.returncode == 0, f"run exited {p.returncode}: {p.stdout[-3000:]} {p.stderr[-3000:]}")
        return json.loads(p.stdout)

    def db(self):
        return sqlite3.connect(os.path.join(self.data, "discotheque.db"))

    def queue_liked(self):
        """Sync the likes, then auto-queue them (the setting, then a sync)."""
        self.run("sync_spotify_likes")
        with self.db() as w:
            w.execute("UPDATE settings SET value = 'true' WHERE key = 'library.auto_queue_downloads'")
        self.run("sync_spotify_likes")

    def tracks(self):
        return self.db().execute(
            "SELECT t.title, t.download_state, t.local_path, coalesce(t.last_error, ''),"
            " al.title FROM tracks t LEFT JOIN albums al ON al.id = t.album_id").fetchall()


def expected_path(lib, title):
    i = int(title.split()[1])
    a = i // TPA
    return os.path.join(lib.music, f"Artist {artist_of(a)}", f"Album {a} ({YEAR})",
                        f"{i % TPA + 1:02d} - Track {i}.mp3")


def music_files(root):
    out = []
    for d, _, fs in os.walk(root):
        out += [os.path.join(d, f) for f in fs]
    return out


def report_stat(report, key):
    """A counter of the download_queue run in `discotheque run`'s report."""
    for c in report.get("completed", []):
        if c["task"] == "download_queue":
            return c["stats"].get(key, 0)
    raise Failure(f"download_queue did not complete: {report}")


def test_two_hundred_tracks_right_files_no_ban_nothing_twice():
    full_albums = list(range(36))           # 180 tracks, whole albums
    single_albums = list(range(36, 56))     # one track each: 20 singles
    liked = [i for a in full_albums for i in range(a * TPA, (a + 1) * TPA)]
    liked += [a * TPA + 2 for a in single_albums]
    # Nobody shares the single of album 55: it must fail with a reason.
    scenario_sp = {"spotify": {"liked": liked},
                   "catalogue": {"albums_per_artist": 2, "tracks_per_album": TPA,
                                 "track_ms": TRACK_S * 1000}}
    peers = {}
    for a in full_albums + single_albums[:-1]:
        # The honest sources: no free slot, slow, so every faulty peer
        # below outranks them and is tried first.
        peers[f"good{a}"] = {"behaviour": "good", "slot": False, "speed": 20000,
                             "queue": 3, "files": album_files(a, "Share")}
    bad = {"liar": ("good", "truncated", range(0, 6)),
           "zerobytes": ("timeout", None, range(6, 9)),
           "staller": ("stall", None, range(9, 10)),
           "queuer": ("queued", None, range(10, 11)),
           "gone": ("offline", None, range(11, 12))}
    for name, (behaviour, wrong, albums) in bad.items():
        files = []
        for a in albums:
            files += album_files(a, "Music", wrong)
        peers[name] = {"behaviour": behaviour, "slot": True, "speed": 5000000,
                       "queue": 0, "files": files}
    # Live takes of album 12, better placed: the gates never take them.
    peers["bootlegs"] = {"behaviour": "good", "slot": True, "speed": 5000000,
                         "files": album_files(12, "Live", suffix=" (Live)")}
    # Our budget binds (56 searches, 10 per 15 s); the fake bans at 12 in
    # a window (ours + 1: its clock sees a search when it arrives).
    budget = {"fake": 11, "ours": 10, "window_s": 15}
    with FakeProviders(scenario_sp) as fake:
        tmp = tempfile.mkdtemp(prefix="disco-dlroot-")
        downloads = os.path.join(tmp, "slskd-downloads")
        slskd = FakeSlskd({"peers": peers, "budget": budget["fake"],
                           "window_s": budget["window_s"]}, downloads)
        try:
            lib = Library(fake, slskd.port, downloads, budget)
            lib.queue_liked()
            rows = lib.tracks()
            check(len(rows) >= 200, f"{len(rows)} tracks")
            pending = [r for r in rows if r[1] == "pending"]
            check(len(pending) == 200, f"{len(pending)} pending")

            start = time.time()
            report = lib.run("download_queue")
            took = time.time() - start
            rows = {r[0]: r for r in lib.tracks() if r[1] != "not_needed"}
            done = [r for r in rows.values() if r[1] == "downloaded"]
            failed = [r for r in rows.values() if r[1] == "failed"]
            check(len(done) == 199 and len(failed) == 1,
                  f"{len(done)} downloaded, {len(failed)} failed in {took:.0f}s: "
                  + json.dumps(report)[:3000])
            check(failed[0][0] == f"Track {55 * TPA + 2}", failed[0])
            check("no peer offered" in failed[0][3], failed[0])
            for title, state, path, err, album in done:
                want = expected_path(lib, title)
                check(path == want, (title, path, want))
                check(os.path.getsize(path) > 10000, (path, "too small"))
            # Nothing else in the music folder: no second copy, no live take.
            files = music_files(lib.music)
            check(len(files) == 199, f"{len(files)} files in the music folder")
            check(not any("Live" in f or "(2)" in f for f in files), files)

            st = slskd.stats()
            check(st["ban_violations"] == 0, st)
            check(st["max_searches_in_window"] <= budget["fake"], st)
            check(report_stat(report, "budget_waits") > 0, "the budget never bound")
            twice = {k: n for k, n in st["downloads_by_file"].items() if n > 1}
            check(not twice, f"downloaded twice: {twice}")
            # 36 album searches + 20 single searches, nothing searched twice.
            check(st["searches"] == 56, st)
            # Every wrong file (30 truncated) quarantined, its pair blocked.
            q = music_files(os.path.join(lib.data, "quarantine"))
            check(len(q) == 30, f"{len(q)} files quarantined")
            db = lib.db()
            blocked = dict(db.execute("SELECT username, count(*) FROM download_blocklist"
                                      " GROUP BY username").fetchall())
            check(blocked.get("liar") == 30, blocked)
            check(blocked.get("zerobytes") == 15, blocked)
            # The stalled and queued transfers moved on by their timers.
            notes = [r[0] for r in db.execute(
                "SELECT reason FROM download_events WHERE reason IS NOT NULL")]
            decisions = db.execute("SELECT count(*) FROM download_decisions").fetchone()[0]
            check(decisions == 200, f"{decisions} decisions")
            jobs = dict(db.execute(
                "SELECT phase, count(*) FROM download_jobs GROUP BY phase").fetchall())
            check(jobs.get("done") == 199, jobs)
            check(len(notes) > 0, "events carry reasons")

            # The next scan sees the imported files as known: no new rows.
            before = db.execute("SELECT count(*) FROM tracks").fetchone()[0]
            lib.run("scan_local_library")
            db = lib.db()
            after = db.execute("SELECT count(*) FROM tracks").fetchone()[0]
            check(after == before, f"{before} -> {after} track rows after the scan")
            still = db.execute("SELECT count(*) FROM tracks WHERE download_state ="
                               " 'downloaded'").fetchone()[0]
            check(still == 199, f"{still} downloaded after the scan")

            # A second run finds nothing to do and searches nothing.
            lib.run("download_queue")
            check(slskd.stats()["searches"] == 56, "searched again")
        finally:
            slskd.stop()
            shutil.rmtree(tmp, ignore_errors=True)


def test_kill_9_in_the_middle_then_the_same_end_state():
    albums = list(range(8))
    liked = [i for a in albums for i in range(a * TPA, (a + 1) * TPA)]
    scenario_sp = {"spotify": {"liked": liked},
                   "catalogue": {"albums_per_artist": 2, "tracks_per_album": TPA,
                                 "track_ms": TRACK_S * 1000}}
    # Slow transfers: 4 s each, so the kill lands while they run.
    peers = {f"slow{a}": {"behaviour": "slow", "seconds": 4, "files": album_files(a, "Share")}
             for a in albums}
    budget = {"fake": 30, "ours": 28, "window_s": 20}
    with FakeProviders(scenario_sp) as fake:
        tmp = tempfile.mkdtemp(prefix="disco-dlroot-")
        downloads = os.path.join(tmp, "slskd-downloads")
        slskd = FakeSlskd({"peers": peers, "budget": 30, "window_s": 20}, downloads)
        try:
            lib = Library(fake, slskd.port, downloads, budget)
            lib.queue_liked()
            log = open(os.path.join(lib.tmp, "serve.log"), "wb")
            proc = subprocess.Popen([BIN, "run", "download_queue", "--config", lib.cfg],
                                    stdout=log, stderr=subprocess.STDOUT)

            def transferring():
                try:
                    n = lib.db().execute("SELECT count(*) FROM download_jobs WHERE"
                                         " phase = 'transferring'").fetchone()[0]
                except sqlite3.Error:
                    return False
                return n >= 5
            wait_for(transferring, timeout=120, what="transfers running")
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            db = lib.db()
            held = db.execute("SELECT count(*) FROM tracks WHERE download_state ="
                              " 'downloading'").fetchone()[0]
            check(held >= 5, f"{held} tracks downloading at the kill")

            report = lib.run("download_queue")
            rows = [r for r in lib.tracks() if r[1] != "not_needed"]
            done = [r for r in rows if r[1] == "downloaded"]
            check(len(done) == 40, f"{len(done)} of 40 downloaded after the restart: "
                  + json.dumps(report)[:2000])
            for title, _, path, _, _ in done:
                check(path == expected_path(lib, title), (title, path))
            files = music_files(lib.music)
            check(len(files) == 40, f"{len(files)} files")
            st = slskd.stats()
            twice = {k: n for k, n in st["downloads_by_file"].items() if n > 1}
            check(not twice, f"downloaded twice: {twice}")
            check(st["ban_violations"] == 0, st)
        finally:
            slskd.stop()
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    run_tests([test_two_hundred_tracks_right_files_no_ban_nothing_twice,
               test_kill_9_in_the_middle_then_the_same_end_state])
