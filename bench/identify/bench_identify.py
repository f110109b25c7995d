#!/usr/bin/env python3
"""Identification benchmark: a library of identified artists (default 5,000)
with their albums (default 4 each: 20,000) and tracks (10 each), identified
by the real binary (`discotheque run identify_albums identify_tracks`)
against tests/fakes/fake_musicbrainz.py with its rate limit lifted.

Prints requests per album and per track (all phases together), cache hits,
CPU time per entity (the service's user+system time / albums+tracks), the
wall time and the wall time 1 request/s (musicbrainz.org) would take, then
runs again on the unchanged library (target: 0 requests).
Target: <= 2 requests per album, all phases together.

usage: bench_identify.py DISCOTHEQUE_BIN [--artists 5000] [--albums 4] [--tracks 10]
"""
import argparse
import hashlib
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
os.environ.setdefault("DISCOTHEQUE_SOURCE", ROOT)

from test_identify import FakeMusicBrainz  # noqa: E402


WORDS = ("neon blue silent river glass winter northern electric golden hollow paper "
         "burning velvet iron crystal midnight ocean wild broken distant summer echo "
         "stone fire shadow morning violet thunder desert silver scarlet cold bright "
         "lonely frozen secret empty heavy quiet rising falling endless hidden open "
         "strange sacred savage tender urban lunar solar static digital analog "
         "radio cinema garden harbor mirror").split()


def title(n):
    # three words: titles of one artist are rarely alike, as in real life
    h = hashlib.sha256(str(n).encode()).digest()
    return " ".join(WORDS[b % len(WORDS)] for b in h[:3]).title() + f" {n}"


def uid(kind, n):
    return f"{kind}{n:07x}-0000-4000-8000-{n:012d}"


def scenario(artists, albums, tracks):
    out = []
    for a in range(artists):
        groups = []
        for b in range(albums + 1):  # one group the library does not have
            n = a * (albums + 1) + b
            groups.append({"id": uid("d", n), "title": title(n),
                           "date": "2001",
                           "releases": [{"id": uid("e", n), "date": "2001",
                                         "tracks": [{"title": f"Song {t} of {n}", "length": 200000 + t,
                                                     "recording": uid("f", n * 100 + t)}
                                                    for t in range(tracks)]}]})
        out.append({"id": uid("c", a), "name": f"Artist {a}", "type": "Group",
                    "release_groups": groups})
    return {"rate": 0, "artists": out}


def seed(db_path, artists, albums, tracks):
    db = sqlite3.connect(db_path)
    db.execute("BEGIN")
    for a in range(artists):
        db.execute("INSERT INTO artists(id, name, normalized_name, mbid, mbid_source)"
                   " VALUES (?, ?, ?, ?, 'auto')", (a + 1, f"Artist {a}", f"artist {a}", uid("c", a)))
        for b in range(albums):
            n = a * (albums + 1) + b
            db.execute("INSERT INTO albums(id, title, normalized_title, release_date, total_tracks)"
                       " VALUES (?, ?, ?, '2001', ?)",
                       (n + 1, title(n), title(n).lower(), tracks))
            db.execute("INSERT INTO album_artists(album_id, artist_id) VALUES (?, ?)", (n + 1, a + 1))
            for t in range(tracks):
                db.execute("INSERT INTO tracks(title, normalized_title, album_id, artist_id,"
                           " track_number, duration_ms) VALUES (?, ?, ?, ?, ?, ?)",
                           (f"Song {t} of {n}", f"song {t} of {n}", n + 1, a + 1, t + 1, 200000 + t))
    db.commit()
    db.close()


def run(binary, cfg, tasks):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    p = subprocess.run([binary, "run", *tasks, "--config", cfg], capture_output=True, text=True,
                       timeout=7200)
    wall = time.time() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"run exited {p.returncode}: {p.stdout[-2000:]} {p.stderr[-2000:]}")
    out = json.loads(p.stdout)
    stats = {c["task"]: c["stats"] for c in out["completed"]}
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return stats, wall, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--artists", type=int, default=5000)
    ap.add_argument("--albums", type=int, default=4)
    ap.add_argument("--tracks", type=int, default=10)
    args = ap.parse_args()
    n_albums = args.artists * args.albums
    n_tracks = n_albums * args.tracks
    fake = FakeMusicBrainz(scenario(args.artists, args.albums, args.tracks))
    tmp = tempfile.mkdtemp(prefix="disco-bench-identify-")
    cfg = os.path.join(tmp, "config.json")
    with open(cfg, "w") as f:
        json.dump({"data_dir": os.path.join(tmp, "data"), "log_level": "warn",
                   "providers": {"musicbrainz": {"api_base": fake.base + "/ws/2",
                                                 "rate_per_second": 100000,
                                                 "contact": "bench@example.org"}}}, f)
    try:
        run(args.binary, cfg, ["health_check"])  # creates the database
        seed(os.path.join(tmp, "data", "discotheque.db"), args.artists, args.albums, args.tracks)
        stats, wall, cpu = run(args.binary, cfg, ["identify_albums", "identify_tracks"])
        al, tr = stats["identify_albums"], stats["identify_tracks"]
        requests = al["requests"] + tr["requests"]
        sent = fake.get("/_stats")
        print(f"library: {args.artists} artists, {n_albums} albums, {n_tracks} tracks")
        print(f"identified: {al['identified']} albums, {tr['identified']} tracks;"
              f" uncertain {al['uncertain']} / {tr['uncertain']}")
        print(f"requests: {requests} (fake saw {sent['requests']}, {sent['by_kind']})")
        print(f"requests per artist {requests / args.artists:.2f}, per album {requests / n_albums:.2f},"
              f" per track {requests / n_tracks:.3f} (target <= 2 per album)")
        print(f"cache hits: {al['cache_hits'] + tr['cache_hits']}")
        print(f"CPU (service) {cpu:.1f} s = {1000 * cpu / (n_albums + n_tracks):.3f} ms per entity;"
              f" wall {wall:.1f} s; at 1 request/s: {requests / 3600:.1f} h")
        stats, wall, cpu = run(args.binary, cfg, ["identify_albums", "identify_tracks"])
        again = stats["identify_albums"]["requests"] + stats["identify_tracks"]["requests"]
        print(f"second run: {again} requests, wall {wall:.1f} s")
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
