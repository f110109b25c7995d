"""The correctness benchmark on a small library: tests/corpus/generate.py
--realistic makes 300 files with the hard cases of identity and their truth,
the real binary scans them, bench/scan_check.py compares. Asserted: what the
scan's folder rule guarantees (every file without an album tag, or without
an album artist, among agreeing siblings joins their album, is marked
album_inferred in the database and in the read API), and that the checker
sees errors: a database corrupted on purpose (two artists merged, two
albums merged, a track cut from its album, a variant moved away) moves its
figures. The dedup merge rules' own figures are printed, not asserted."""
import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

from harness import BIN, SOURCE, Service, check, run_tests

GENERATE = os.path.join(SOURCE, "tests", "corpus", "generate.py")
FILES = 300


def checker():
    spec = importlib.util.spec_from_file_location(
        "scan_check", os.path.join(SOURCE, "bench", "scan_check.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def scanned_library(root):
    subprocess.run([sys.executable, GENERATE, root, "--realistic", str(FILES)], check=True)
    music = os.path.join(root, "library")
    data = os.path.join(root, "data")
    cfg = os.path.join(root, "config.json")
    with open(cfg, "w") as f:
        json.dump({}, f)
    p = subprocess.run([BIN, "--config", cfg, "--data", data, "--music", music,
                        "--log-level", "warn", "run", "scan_local_library"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    check(p.returncode == 0, p.stderr.decode(errors="replace"))
    stats = json.loads(p.stdout)["completed"][0]["stats"]
    return music, data, os.path.join(data, "discotheque.db"), stats


def copy_db(db, to):
    src, dst = sqlite3.connect(db), sqlite3.connect(to)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def test_folder_evidence_and_checker():
    cc = checker()
    with tempfile.TemporaryDirectory(prefix="disco-corpus-") as root:
        music, data, db, stats = scanned_library(root)
        manifest = os.path.join(root, "manifest.json")
        r = cc.check(db, manifest, music)
        print("\n".join(cc.report(r)))
        check(r["tracks_found"] == FILES and r["files_missing"] == 0, r)
        # The folder rule (this change): the generator puts such files in
        # every library of this size, and each one joins its album.
        check(r["untagged_files"] >= 3, r)
        check(r["untagged_joined"] == r["untagged_files"], r)
        check(r["untagged_inferred"] == r["untagged_files"], r)
        check(r["no_album_artist_files"] >= 2, r)
        check(r["no_album_artist_joined"] == r["no_album_artist_files"], r)
        check(stats["albums_inferred"] == r["inferred_rows"] > 0, (stats, r))
        # The file tagged with another album than its folder's stays so.
        with open(manifest) as f:
            truth = json.load(f)
        sessions = [f for f in truth["files"]
                    if truth["albums"][f["album"]]["title"].endswith(" Sessions")]
        check(sessions, "the generator made no file tagged against its folder")
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            for f in sessions:
                title, inferred = con.execute(
                    "SELECT al.title, t.album_inferred FROM tracks t JOIN albums al "
                    "ON al.id = t.album_id WHERE t.local_path = ?",
                    (os.path.join(music, f["path"]),)).fetchone()
                check(title.endswith(" Sessions") and not inferred, (f, title, inferred))
            inferred_id = con.execute(
                "SELECT id FROM tracks WHERE album_inferred = 1 LIMIT 1").fetchone()[0]
            plain_id = con.execute(
                "SELECT id FROM tracks WHERE album_inferred = 0 LIMIT 1").fetchone()[0]
        finally:
            con.close()
        # The read API shows the flag.
        with Service(config={"music_dirs": [music]}, data=data) as svc:
            svc.start()
            s, t = svc.get(f"/api/library/tracks/{inferred_id}")
            check(s == 200 and t["album_inferred"] is True, (s, t))
            s, t = svc.get(f"/api/library/tracks/{plain_id}")
            check(s == 200 and t["album_inferred"] is False, (s, t))
            s, body = svc.get("/api/library/tracks?limit=500")
            check(s == 200 and sum(i["album_inferred"] for i in body["items"])
                  == r["inferred_rows"], body["total"])

        # The checker on databases corrupted on purpose.
        def corrupted(sql_fn):
            bad = os.path.join(root, "bad.db")
            if os.path.exists(bad):
                os.remove(bad)
            copy_db(db, bad)
            con = sqlite3.connect(bad)
            try:
                sql_fn(con)
                con.commit()
            finally:
                con.close()
            return cc.check(bad, manifest, music)

        def two(con, table_col):
            return [row[0] for row in con.execute(
                "SELECT %s, count(*) n FROM tracks WHERE %s IS NOT NULL "
                "GROUP BY 1 ORDER BY n DESC, 1 LIMIT 2" % (table_col, table_col))]

        def merge_artists(con):
            a, b = two(con, "artist_id")
            con.execute("UPDATE tracks SET artist_id = ? WHERE artist_id = ?", (a, b))
        bad = corrupted(merge_artists)
        check(bad["wrong_artist_merges"] >= r["wrong_artist_merges"] + 1, (bad, r))

        def merge_albums(con):
            a, b = two(con, "album_id")
            con.execute("UPDATE tracks SET album_id = ? WHERE album_id = ?", (a, b))
        bad = corrupted(merge_albums)
        check(bad["wrong_album_merges"] >= r["wrong_album_merges"] + 1, (bad, r))

        def cut_from_album(con):
            con.execute("UPDATE tracks SET album_id = NULL WHERE id IN "
                        "(SELECT id FROM tracks WHERE album_id IS NOT NULL LIMIT 3)")
        bad = corrupted(cut_from_album)
        check(bad["tracks_without_album"] == r["tracks_without_album"] + 3, (bad, r))

        # A variant spelling that did merge: its row is its artist's home.
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = dict(con.execute("SELECT local_path, artist_id FROM tracks"))
        finally:
            con.close()
        rows_of = {}
        for f in truth["files"]:
            rows_of.setdefault(f["artist"], []).append(row[os.path.join(music, f["path"])])
        path = next(os.path.join(music, f["path"]) for f in truth["files"]
                    if f["variant"]["artist"]
                    and row[os.path.join(music, f["path"])]
                    == max(set(rows_of[f["artist"]]), key=rows_of[f["artist"]].count))

        def move_variant(con):
            own = con.execute("SELECT artist_id FROM tracks WHERE local_path = ?",
                              (path,)).fetchone()[0]
            other = con.execute("SELECT id FROM artists WHERE id <> ? LIMIT 1",
                                (own,)).fetchone()[0]
            con.execute("UPDATE tracks SET artist_id = ? WHERE local_path = ?", (other, path))
        bad = corrupted(move_variant)
        check(bad["variants_merged_pct"] < r["variants_merged_pct"], (bad, r))
        check(bad["split_artists"] >= r["split_artists"] + 1, (bad, r))


if __name__ == "__main__":
    run_tests([test_folder_evidence_and_checker])
