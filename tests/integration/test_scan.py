"""The local scan on the real binary: kill -9 in the middle of a scan, then a
restart and a rescan give a complete library without duplicates; progress is
visible in the task API while the scan runs; the read API lists what the scan
found, including the broken files."""
import json
import os
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


def run_scan(data, music, wait=True):
    cfg = os.path.join(os.path.dirname(data), "config.json")
    with open(cfg, "w") as f:
        json.dump({}, f)
    cmd = [BIN, "--config", cfg, "--data", data, "--music", music,
           "--log-level", "warn", "run", "scan_local_library"]
    if not wait:
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    check(p.returncode == 0, p.stderr.decode(errors="replace"))
    return json.loads(p.stdout)["completed"][0]["stats"]


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


if __name__ == "__main__":
    run_tests([test_kill_9_mid_scan_then_rescan_is_complete,
               test_scan_progress_and_read_api])
