"""The local scan on the real binary: kill -9 in the middle of a scan, then a
restart and a rescan give a complete library without duplicates; progress is
visible in the task API while the scan runs; the read API lists what the scan
found, including the broken files; a missing music folder fails the scan; a
file or folder unreadable for permissions is neither gone nor forgotten."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

from harness import BIN, SOURCE, Service, check, run_tests

GENERATE = os.path.join(SOURCE, "tests", "corpus", "generate.py")
BIG = 3000  # files; big enough to be interrupted, small enough for CI


def make_library(kind, count=None):
    out = tempfile.mkdtemp(prefix="disco-scan-")
    args = [sys.executable, GENERATE, out] + (["--bench", str(count)] if kind == "bench" else [])
    subprocess.run(args, check=True)
    return out


def run_scan(data, music, wait=True, prefix=(), expect_ok=True):
    cfg = os.path.join(os.path.dirname(data), "config.json")
    with open(cfg, "w") as f:
        json.dump({}, f)
    cmd = list(prefix) + [BIN, "--config", cfg, "--data", data, "--music", music,
                          "--log-level", "warn", "run", "scan_local_library"]
    if not wait:
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if not expect_ok:
        return p
    check(p.returncode == 0, p.stderr.decode(errors="replace"))
    return json.loads(p.stdout)["completed"][0]["stats"]


def unprivileged():
    """The command prefix that runs the binary as a user for whom chmod 000
    means something: nothing when not root, else `setpriv` to nobody."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    check(setpriv is not None, "running as root without setpriv: cannot test EACCES")
    return [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def count(db, sql):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_kill_9_mid_scan_then_rescan_is_complete():
    root = make_library("bench", BIG)
    music = os.path.join(root, "library")
    data = os.path.join(root, "data")
    db = os.path.join(data, "discotheque.db")
    try:
        proc = run_scan(data, music, wait=False)
        deadline = time.time() + 60
        seen = 0
        while time.time() < deadline and proc.poll() is None:
            try:
                seen = count(db, "SELECT count(*) FROM tracks")
            except sqlite3.Error:
                seen = 0
            if seen > 0:
                break
            time.sleep(0.01)
        check(proc.poll() is None, "scan finished before it could be killed; raise BIG")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        partial = count(db, "SELECT count(*) FROM tracks")
        check(0 < partial < BIG, f"killed mid-scan with {partial} of {BIG} tracks")
        stats = run_scan(data, music)
        check(stats["files_opened"] <= BIG - partial + 0, stats)
        # Complete, consistent and without duplicates.
        check(count(db, "SELECT count(*) FROM tracks") == BIG, "track count")
        check(count(db, "SELECT count(DISTINCT local_path) FROM tracks") == BIG, "paths")
        check(count(db, "SELECT count(*) FROM artists") == BIG // 50, "artists")
        check(count(db, "SELECT count(*) FROM albums") == BIG // 10, "albums")
        check(count(db, "SELECT count(*) FROM ownership_claims WHERE source = 'local'") == BIG,
              "claims")
        check(count(db, "SELECT count(*) FROM tracks WHERE mbid IS NULL OR album_id IS NULL") == 0,
              "ids and albums")
        con = sqlite3.connect(db)
        try:
            check(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity")
            check(con.execute("PRAGMA foreign_key_check").fetchall() == [], "foreign keys")
        finally:
            con.close()
        again = run_scan(data, music)
        check(again["files_opened"] == 0 and again["folders_skipped"] == again["folders_seen"],
              again)
    finally:
        subprocess.run(["rm", "-rf", root])


def test_scan_progress_and_read_api():
    big = make_library("bench", BIG)
    small = make_library("corpus")
    try:
        with Service(config={"music_dirs": [os.path.join(big, "library"),
                                            os.path.join(small, "library")]}) as svc:
            svc.start()
            # The startup cycle runs the scan: progress while it runs.
            progress = None
            deadline = time.time() + 60
            while time.time() < deadline:
                s, t = svc.get("/api/library/tasks/scan_local_library")
                check(s == 200, (s, t))
                if t["running"] and t.get("progress") and t["progress"].get("files_seen"):
                    progress = t["progress"]
                    break
                if t["last_run"] and not t["running"]:
                    break
                time.sleep(0.02)
            check(progress is not None, "no progress seen while scanning")
            for k in ("files_seen", "files_read", "files_per_second", "errors"):
                check(k in progress, (k, progress))
            deadline = time.time() + 120
            while time.time() < deadline:
                s, t = svc.get("/api/library/tasks/scan_local_library")
                if t["last_run"] and not t["running"]:
                    break
                time.sleep(0.1)
            check(t["last_status"] == "succeeded", t)
            s, body = svc.get("/api/library/tracks?limit=5&download_state=downloaded")
            check(s == 200 and body["total"] >= BIG and len(body["items"]) == 5, body)
            s, body = svc.get("/api/library/artists?q=bjork")
            check(s == 200 and body["total"] == 1, body)
            artist = body["items"][0]
            check(artist["name"] == "Björk" and artist["mbid"], artist)
            s, detail = svc.get(f"/api/library/artists/{artist['id']}")
            check(s == 200 and detail["albums"] and detail["owned_track_count"] == 5, detail)
            s, errors = svc.get("/api/library/scan/errors")
            check(s == 200 and errors["total"] == 6, errors)
            check(any("mislabeled" in e["reason"] for e in errors["items"]), errors)
            s, _ = svc.get("/api/library/tracks", key=False)
            check(s == 401, s)
    finally:
        subprocess.run(["rm", "-rf", big, small])


def test_missing_music_folder_fails_the_scan():
    root = tempfile.mkdtemp(prefix="disco-scan-")
    try:
        missing = os.path.join(root, "nonexistent")
        p = run_scan(os.path.join(root, "data"), missing, expect_ok=False)
        out = p.stdout.decode(errors="replace") + p.stderr.decode(errors="replace")
        check(p.returncode != 0, out)
        check(missing in out, out)
    finally:
        subprocess.run(["rm", "-rf", root])


def test_max_file_seconds_is_validated():
    root = tempfile.mkdtemp(prefix="disco-scan-")
    try:
        for bad in (0, -1, "30", 1.5):
            cfg = os.path.join(root, "config.json")
            with open(cfg, "w") as f:
                json.dump({"scan": {"max_file_seconds": bad}}, f)
            p = subprocess.run([BIN, "--config", cfg, "--data", os.path.join(root, "data"),
                                "run", "scan_local_library"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
            err = p.stderr.decode(errors="replace")
            check(p.returncode != 0 and "scan.max_file_seconds" in err, (bad, p.returncode, err))
        with open(cfg, "w") as f:
            json.dump({"scan": {"max_file_second": 5}}, f)
        p = subprocess.run([BIN, "--config", cfg, "--data", os.path.join(root, "data"),
                            "run", "scan_local_library"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        check(p.returncode != 0 and "scan.max_file_second" in p.stderr.decode(), p.stderr)
    finally:
        subprocess.run(["rm", "-rf", root])


def test_permission_denied_is_retried_and_hides_nothing():
    root = make_library("corpus")
    music = os.path.join(root, "library")
    data = os.path.join(root, "data")
    db = os.path.join(data, "discotheque.db")
    prefix = unprivileged()
    locked_file = os.path.join(music, "misc", "long.flac")
    locked_dir = os.path.join(music, "beatles")
    try:
        os.makedirs(data)
        if prefix:
            subprocess.run(["chown", "-R", "nobody:nogroup", root], check=True)
        os.chmod(root, 0o755)
        # Unreadable at the first scan: an error that must not stick.
        os.chmod(locked_file, 0)
        stats = run_scan(data, music, prefix=prefix)
        reason = count(db, f"SELECT reason FROM scan_errors WHERE path = '{locked_file}'")
        check("Permission denied" in reason, reason)
        check(count(db, f"SELECT count(*) FROM tracks WHERE local_path = '{locked_file}'") == 0,
              "locked file read")
        os.chmod(locked_file, 0o644)
        stats = run_scan(data, music, prefix=prefix)
        check(stats["files_opened"] == 1, stats)
        check(count(db, f"SELECT count(*) FROM tracks WHERE local_path = '{locked_file}'") == 1,
              "file readable again is not a track")
        check(count(db, f"SELECT count(*) FROM scan_errors WHERE path = '{locked_file}'") == 0,
              "error of a readable file kept")
        # A folder that cannot be listed hides its files; it does not delete them.
        owned = count(db, "SELECT count(*) FROM tracks WHERE local_path IS NOT NULL")
        under = count(db, f"SELECT count(*) FROM tracks WHERE local_path LIKE '{locked_dir}/%'")
        check(under > 0, "no tracks under the locked folder")
        os.chmod(locked_dir, 0)
        stats = run_scan(data, music, prefix=prefix)
        check(stats["files_gone"] == 0, stats)
        check(count(db, "SELECT count(*) FROM tracks WHERE local_path IS NOT NULL") == owned,
              "tracks under an unreadable folder lost their files")
        # Listable but not searchable: its entries cannot be stat()ed.
        os.chmod(locked_dir, 0o644)
        stats = run_scan(data, music, prefix=prefix)
        check(stats["files_gone"] == 0, stats)
        check(count(db, "SELECT count(*) FROM tracks WHERE local_path IS NOT NULL") == owned,
              "tracks under an unsearchable folder lost their files")
        os.chmod(locked_dir, 0o755)
        stats = run_scan(data, music, prefix=prefix)
        check(stats["files_gone"] == 0 and stats["files_opened"] == 0, stats)
    finally:
        subprocess.run(["chmod", "-R", "u+rwX", root])
        subprocess.run(["rm", "-rf", root])


if __name__ == "__main__":
    run_tests([test_missing_music_folder_fails_the_scan,
               test_max_file_seconds_is_validated,
               test_permission_denied_is_retried_and_hides_nothing,
               test_kill_9_mid_scan_then_rescan_is_complete,
               test_scan_progress_and_read_api])
