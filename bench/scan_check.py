#!/usr/bin/env python3
"""bench/scan_check.py: how right a scan is. Compares the SQLite database of a
scanned data folder (read-only) with the ground truth of a library made by
tests/corpus/generate.py --realistic (its manifest.json).

Usage: scan_check.py DB MANIFEST MUSIC_FOLDER [--json]

Every file of the manifest is found by its path (MUSIC_FOLDER + its relative
path, as the scan stores it). Each database row is then named by the truth
it holds most of ("home" of a true artist / album: the row most of its
tracks landed on). It prints:
- wrong artist merges: true artists that share a database row with another
  true artist (track artists and album artists); the worst error;
- wrong album merges: true albums sharing a row with another true album;
- split artists / split albums: extra rows a true artist / album is spread
  over; albums whose album artist row is not their true album artist's;
- tracks without their album: files whose truth has an album but whose row
  has none, or another album than its album's home;
- variant spellings merged: of the files spelled otherwise than their
  entity's canonical name (case, accents, spaces, "The"), the share that
  landed on the entity's home row;
- owned album artists and owned albums against the truth;
- the folder evidence: files without an album tag (or without an album
  artist) that joined their album, and how many rows say album_inferred.
"""
import collections
import json
import os
import sqlite3
import sys


def _home(pairs):
    """pairs: iterable of (truth, row). -> {truth: most common row}."""
    counts = collections.defaultdict(collections.Counter)
    for truth, row in pairs:
        if row is not None:
            counts[truth][row] += 1
    return {t: c.most_common(1)[0][0] for t, c in counts.items()}


def _merges(pairs):
    """-> (number of truths beyond the first on a shared row, examples)."""
    by_row = collections.defaultdict(set)
    for truth, row in pairs:
        if row is not None:
            by_row[row].add(truth)
    shared = [sorted(s) for s in by_row.values() if len(s) > 1]
    return sum(len(s) - 1 for s in shared), shared


def _splits(pairs):
    by_truth = collections.defaultdict(set)
    for truth, row in pairs:
        if row is not None:
            by_truth[truth].add(row)
    return sum(len(s) - 1 for s in by_truth.values())


def check(db, manifest, music):
    """-> dict of figures (see the module doc); 'examples' holds a few names."""
    if isinstance(manifest, str):
        with open(manifest) as f:
            manifest = json.load(f)
    music = os.path.abspath(os.path.normpath(music))
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        cols = {r[1] for r in con.execute("PRAGMA table_info(tracks)")}
        inferred_col = "album_inferred" if "album_inferred" in cols else "0"
        tracks = {r[0]: r[1:] for r in con.execute(
            "SELECT local_path, artist_id, album_id, %s FROM tracks "
            "WHERE local_path IS NOT NULL" % inferred_col)}
        album_artist = {}
        for album, artist in con.execute(
                "SELECT album_id, artist_id FROM album_artists ORDER BY position DESC"):
            album_artist[album] = artist  # the first by position wins
        artist_names = dict(con.execute("SELECT id, name FROM artists"))
        album_titles = dict(con.execute("SELECT id, title FROM albums"))
        owned_albums = con.execute(
            "SELECT count(*) FROM albums WHERE ownership_state = 'owned'").fetchone()[0]
        owned_album_artists = con.execute(
            "SELECT count(DISTINCT aa.artist_id) FROM album_artists aa "
            "JOIN albums a ON a.id = aa.album_id "
            "WHERE a.ownership_state = 'owned'").fetchone()[0]
    finally:
        con.close()

    files = [f for f in manifest["files"] if not f.get("broken")]
    rows = []  # (file, artist row, album row, album artist row, inferred)
    missing = 0
    for f in files:
        t = tracks.get(os.path.join(music, f["path"]))
        if t is None:
            missing += 1
            continue
        artist, album, inferred = t
        rows.append((f, artist, album, album_artist.get(album), bool(inferred)))

    # Identity: the artists the files name (an album artist only where the
    # file has one: a stand-in is a wrong credit, not a merge).
    artist_pairs = [(f["artist"], a) for f, a, _, _, _ in rows]
    artist_pairs += [(f["album_artist"], aa) for f, _, al, aa, _ in rows
                     if al and f.get("album_artist_tag", True)]
    album_pairs = [(f["album"], al) for f, _, al, _, _ in rows if f.get("album")]
    artist_home = _home(artist_pairs)
    album_home = _home(album_pairs)
    # Albums credited to another album artist than their truth's.
    row_truth = _home((al, t) for t, al in album_pairs)  # row -> its truth
    wrong_credit = sum(
        1 for al, t in row_truth.items()
        if album_artist.get(al) != artist_home.get(manifest["albums"][t]["artist"]))
    wrong_artist, artist_examples = _merges(artist_pairs)
    wrong_album, album_examples = _merges(album_pairs)

    without_album = sum(1 for f, _, al, _, _ in rows
                        if f.get("album") and al != album_home.get(f["album"]))
    variants = merged = 0
    for f, a, al, aa, _ in rows:
        v = f.get("variant") or {}
        if not any(v.values()):
            continue
        variants += 1
        ok = a == artist_home.get(f["artist"])
        if v.get("album"):
            ok = ok and al == album_home.get(f["album"])
        if v.get("album_artist"):
            ok = ok and al is not None and aa == artist_home.get(f["album_artist"])
        merged += ok

    def joined(sel):
        picked = [(f, al, inf) for f, _, al, _, inf in rows if sel(f)]
        return (len(picked),
                sum(1 for f, al, _ in picked if al == album_home.get(f["album"])),
                sum(1 for _, _, inf in picked if inf))

    untagged = joined(lambda f: f.get("album") and f.get("album_tag") is False)
    no_aa = joined(lambda f: f.get("album_tag") and f.get("album_artist_tag") is False)
    truth_albums = {f["album"] for f in files if f.get("album")}
    truth_album_artists = {manifest["albums"][a]["artist"] for a in truth_albums}
    name = lambda k: manifest["artists"].get(k, {}).get("name", k)  # noqa: E731
    title = lambda k: manifest["albums"].get(k, {}).get("title", k)  # noqa: E731
    return {
        "files": len(files), "tracks_found": len(rows), "files_missing": missing,
        "wrong_artist_merges": wrong_artist, "wrong_album_merges": wrong_album,
        "split_artists": _splits(artist_pairs), "split_albums": _splits(album_pairs),
        "albums_wrong_album_artist": wrong_credit,
        "tracks_without_album": without_album,
        "tracks_with_album_pct": 100.0 * (1 - without_album / max(1, len(album_pairs))),
        "variant_files": variants,
        "variants_merged_pct": 100.0 * merged / variants if variants else 100.0,
        "owned_albums": owned_albums, "truth_albums": len(truth_albums),
        "owned_album_artists": owned_album_artists,
        "truth_album_artists": len(truth_album_artists),
        "untagged_files": untagged[0], "untagged_joined": untagged[1],
        "untagged_inferred": untagged[2],
        "no_album_artist_files": no_aa[0], "no_album_artist_joined": no_aa[1],
        "no_album_artist_inferred": no_aa[2],
        "inferred_rows": sum(1 for r in rows if r[4]),
        "examples": {
            "artist_merges": [[name(k) for k in s] for s in artist_examples[:5]],
            "album_merges": [["%s (%s)" % (title(k), name(manifest["albums"][k]["artist"]))
                              for k in s] for s in album_examples[:5]],
            "db_names": {"artists": len(artist_names), "albums": len(album_titles)},
        },
    }


def report(r):
    """The figures as lines of text (bench/scan prints them)."""
    def names(s):
        return " + ".join(s[:3]) + (" (+%d more)" % (len(s) - 3) if len(s) > 3 else "")

    def pct(a, b):
        return "%+.1f %%" % (100.0 * (a - b) / b) if b else "n/a"
    lines = [
        "tracks found: %d of %d files" % (r["tracks_found"], r["files"]),
        "wrong artist merges: %d%s" % (r["wrong_artist_merges"], "".join(
            "\n    e.g. " + names(s) for s in r["examples"]["artist_merges"][:3])),
        "wrong album merges: %d%s" % (r["wrong_album_merges"], "".join(
            "\n    e.g. " + names(s) for s in r["examples"]["album_merges"][:3])),
        "split artists: %d, split albums: %d" % (r["split_artists"], r["split_albums"]),
        "albums under another album artist than their own: %d" % (
            r["albums_wrong_album_artist"]),
        "tracks without their album: %d (%.2f %% with their album)" % (
            r["tracks_without_album"], r["tracks_with_album_pct"]),
        "variant spellings merged: %.2f %% of %d files" % (
            r["variants_merged_pct"], r["variant_files"]),
        "owned album artists: %d (truth %d, %s)" % (
            r["owned_album_artists"], r["truth_album_artists"],
            pct(r["owned_album_artists"], r["truth_album_artists"])),
        "owned albums: %d (truth %d, %s)" % (
            r["owned_albums"], r["truth_albums"], pct(r["owned_albums"], r["truth_albums"])),
        "folder evidence: %d of %d files without album tag joined their album "
        "(%d marked inferred); %d of %d without album artist (%d marked)" % (
            r["untagged_joined"], r["untagged_files"], r["untagged_inferred"],
            r["no_album_artist_joined"], r["no_album_artist_files"],
            r["no_album_artist_inferred"]),
    ]
    return lines


def main():
    args = [a for a in sys.argv[1:] if a != "--json"]
    if len(args) != 3:
        sys.exit(__doc__)
    r = check(*args)
    if "--json" in sys.argv:
        print(json.dumps(r, indent=1, ensure_ascii=False))
    else:
        print("\n".join(report(r)))


if __name__ == "__main__":
    main()
