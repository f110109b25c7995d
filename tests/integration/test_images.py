"""enrich_images on the real binary against tests/fakes/fake_images.py (a
fake Cover Art Archive and provider image hosts on 127.0.0.1): the right
images are stored (archive release front, release-group fallback, provider
links, a local cover.jpg), the bad ones are `failed` with the reason (a
50 MB body, text/html named .jpg, a redirect to ftp:// and file://, endless
redirects, a stalled server), a 404 is `none`, never more downloads at once
than configured (measured by the fake), nothing is written outside
<data>/images, a second run fetches nothing, and the image API serves the
files with their caching headers."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, SOURCE, Failure, Service, check, run_tests  # noqa: E402

FAKE = os.path.join(SOURCE, "tests", "fakes", "fake_images.py")

REL_A = "aaaaaaaa-1111-4000-8000-000000000001"   # has a front image
REL_B = "aaaaaaaa-1111-4000-8000-000000000002"   # chosen for RG_B
REL_NONE = "aaaaaaaa-1111-4000-8000-000000000003"
REL_NONE2 = "aaaaaaaa-1111-4000-8000-000000000004"
REL_NOFRONT = "aaaaaaaa-1111-4000-8000-000000000005"
RG_B = "bbbbbbbb-1111-4000-8000-000000000002"
IMAGE_ID = "31935858269"  # the front image of the fixture index

CONCURRENCY = 3


class FakeImages:
    def __init__(self, scenario):
        self.tmp = tempfile.mkdtemp(prefix="disco-fakeimg-")
        path = os.path.join(self.tmp, "scenario.json")
        with open(path, "w") as f:
            json.dump(scenario, f)
        ready = os.path.join(self.tmp, "port")
        self.proc = subprocess.Popen([sys.executable, FAKE, "--scenario", path, "--ready-file", ready],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 20
        while not os.path.exists(ready):
            if time.time() > deadline or self.proc.poll() is not None:
                raise Failure("fake images server did not start")
            time.sleep(0.05)
        with open(ready) as f:
            self.port = int(f.read())
        self.base = f"http://127.0.0.1:{self.port}"

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=30) as r:
            return json.loads(r.read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


def run_task(cfg, task):
    p = subprocess.run([BIN, "run", task, "--config", cfg], capture_output=True, text=True, timeout=300)
    check(p.returncode == 0, f"run {task} exited {p.returncode}: {p.stdout[-2000:]} {p.stderr[-2000:]}")
    out = json.loads(p.stdout)
    done = [c for c in out["completed"] if c["task"] == task]
    check(len(done) == 1, f"{task} did not complete: {out}")
    return done[0]["stats"]


def seed(db_path, img, music):
    """Albums 10-19, artists 1-9 and playlist 5, each a case."""
    db = sqlite3.connect(db_path)
    slow = [(i, f"{img}/img/slow/artist{i}.jpg?delay=0.6") for i in range(1, 9)]
    db.executescript(f"""
        INSERT INTO albums(id, title, normalized_title, mbid, release_group_mbid) VALUES
          (10, 'CAA release', 'caa release', '{REL_A}', NULL),
          (11, 'CAA group', 'caa group', '{REL_NONE}', '{RG_B}'),
          (12, 'Provider fallback', 'provider fallback', '{REL_NONE2}', NULL),
          (13, 'Huge', 'huge', NULL, NULL),
          (14, 'Html', 'html', NULL, NULL),
          (15, 'Ftp', 'ftp', NULL, NULL),
          (16, 'Missing', 'missing', NULL, NULL),
          (17, 'Local', 'local', NULL, NULL),
          (18, 'File redirect', 'file redirect', NULL, NULL),
          (19, 'Loop', 'loop', NULL, NULL),
          (20, 'No front', 'no front', '{REL_NOFRONT}', NULL),
          (21, 'Redirected', 'redirected', NULL, NULL);
        INSERT INTO tracks(id, title, normalized_title, album_id, local_path) VALUES
          (170, 't', 't', 17, '{os.path.join(music, "Local", "01.flac")}');
        INSERT INTO playlists(id, name, provider, provider_id, cover_url) VALUES
          (5, 'Mix', 'deezer', 'dz5', '{img}/img/png/p5.png');
        INSERT INTO provider_cache(url, provider, status, body, fetched_at) VALUES
          ('http://127.0.0.1:1/ws/2/release/{REL_NOFRONT}?fmt=json', 'musicbrainz', 200,
           '{{"cover-art-archive":{{"front":false,"count":0}}}}', 1);
    """)
    links = [("album", 12, f"{img}/img/ok/album12.jpg", "deezer"),
             ("album", 13, f"{img}/img/huge/album13.jpg", "deezer"),
             ("album", 14, f"{img}/img/html/album14.jpg", "spotify"),
             ("album", 15, f"{img}/img/ftp/album15.jpg", "tidal"),
             ("album", 16, f"{img}/img/missing/album16.jpg", "deezer"),
             ("album", 18, f"{img}/img/file/album18.jpg", "deezer"),
             ("album", 19, f"{img}/img/loop/album19.jpg", "deezer"),
             ("album", 20, f"{img}/img/webp/album20.jpg", "deezer"),
             ("album", 21, f"{img}/img/redirect/album21.jpg", "spotify"),
             ("artist", 9, f"{img}/img/stall/artist9.jpg?delay=8", "spotify")]
    links += [("artist", i, u, "spotify") for i, u in slow]
    db.executemany("INSERT INTO artists(id, name, normalized_name) VALUES (?, ?, ?)",
                   [(i, f"A{i}", f"a{i}") for i in range(1, 10)])
    db.executemany("INSERT INTO images(entity_type, entity_id, url, source, state)"
                   " VALUES (?, ?, ?, ?, 'url_found')", links)
    db.commit()
    db.close()


def images(db_path):
    db = sqlite3.connect(db_path)
    try:
        rows = db.execute("SELECT entity_type, entity_id, state, source, url, path, last_error"
                          " FROM images").fetchall()
    finally:
        db.close()
    return {(r[0], r[1]): {"state": r[2], "source": r[3], "url": r[4], "path": r[5],
                           "error": r[6]} for r in rows}


def files_under(root):
    out = set()
    for d, _, names in os.walk(root):
        for n in names:
            out.add(os.path.relpath(os.path.join(d, n), root))
    return out


def raw_get(svc, path, headers=None):
    return svc.raw("GET", path, headers=headers, key=True)


def test_enrich_images_against_the_fakes():
    fake = FakeImages({"releases": [REL_A, REL_B], "release_groups": {RG_B: REL_B}})
    tmp = tempfile.mkdtemp(prefix="disco-music-")
    music = os.path.join(tmp, "music")
    os.makedirs(os.path.join(music, "Local"))
    cover = b"\xff\xd8\xff\xe0local-cover-bytes\xff\xd9"
    with open(os.path.join(music, "Local", "cover.jpg"), "wb") as f:
        f.write(cover)
    cfg = {"log_level": "warn",
           "library": {"image_download_concurrency": CONCURRENCY, "image_timeout_s": 3},
           "providers": {"coverartarchive": {"api_base": fake.base + "/caa", "thumbnail": 500},
                         # the cached release lookups are keyed by this base
                         "musicbrainz": {"enabled": False, "api_base": "http://127.0.0.1:1/ws/2"}}}
    with Service(config=cfg) as svc:
        db_path = os.path.join(svc.data, "discotheque.db")
        try:
            run_task(svc.config_path, "health_check")  # creates the database
            seed(db_path, fake.base, music)
            before = files_under(svc.data)
            # the setting overrides the config file's value (no restart)
            db = sqlite3.connect(db_path)
            db.execute("UPDATE settings SET value = ? WHERE key = 'library.image_download_concurrency'",
                       (str(CONCURRENCY),))
            db.commit()
            db.close()

            t0 = time.time()
            stats = run_task(svc.config_path, "enrich_images")
            took = time.time() - t0
            rows = images(db_path)
            root = os.path.join(svc.data, "images")

            def ok(key, source, ext):
                r = rows.get(key)
                check(r and r["state"] == "downloaded", f"{key}: {r}")
                check(r["source"] == source, f"{key} source: {r}")
                want = os.path.join(root, key[0] + "s", f"{key[1]}.{ext}")
                check(r["path"] == want, f"{key} path {r['path']} != {want}")
                check(os.path.isfile(want), f"{key}: no file {want}")
                with open(want, "rb") as f:
                    return f.read()

            a10 = ok(("album", 10), "coverartarchive", "jpg")
            check(f"mbid-{REL_A}-{IMAGE_ID}_thumb500.jpg".encode() in a10, a10[:80])
            a11 = ok(("album", 11), "coverartarchive", "jpg")  # via the release group
            check(f"mbid-{REL_B}-{IMAGE_ID}_thumb500.jpg".encode() in a11, a11[:80])
            check(b"album12.jpg" in ok(("album", 12), "deezer", "jpg"), "album 12")
            check(ok(("album", 17), "local", "jpg") == cover, "the local cover")
            check(ok(("album", 20), "deezer", "webp").startswith(b"RIFF"), "webp")
            check(b"album21.jpg" in ok(("album", 21), "spotify", "jpg"), "307 followed")
            ok(("playlist", 5), "deezer", "png")
            for i in range(1, 9):
                ok(("artist", i), "spotify", "jpg")

            def failed(key, why):
                r = rows.get(key)
                check(r and r["state"] == "failed", f"{key}: {r}")
                check(why in (r["error"] or ""), f"{key}: error {r['error']!r}, want {why!r}")
                check(r["path"] is None, f"{key} has a path: {r}")

            failed(("album", 13), "larger than 20971520 bytes")
            failed(("album", 14), "content type text/html")
            failed(("album", 15), "not http(s)")
            failed(("album", 18), "not http(s)")
            failed(("album", 19), "redirects")
            failed(("artist", 9), "timed out")
            check(rows[("album", 16)]["state"] == "none", rows[("album", 16)])
            check(stats["downloaded"] == 15 and stats["failed"] == 6 and stats["none"] == 1, stats)
            check(stats.get("caa_skipped_no_front") == 1, stats)
            check(not os.path.exists("/etc/passwd.jpg"), "a file outside")

            fs = fake.get("/_stats")
            check(fs["max_concurrent"] <= CONCURRENCY, f"too many at once: {fs['max_concurrent']}")
            check(fs["max_concurrent"] == CONCURRENCY, f"the pool was not used fully: {fs}")
            check(stats["max_downloads_at_once"] <= CONCURRENCY, stats)
            # the archive was asked exactly: REL_A; REL_NONE then RG_B; REL_NONE2; not REL_NOFRONT
            caa = {p: n for p, n in fs["by_path"].items() if p.startswith("/caa/release")
                   and p.count("/") == 3}
            check(caa == {f"/caa/release/{REL_A}": 1, f"/caa/release/{REL_NONE}": 1,
                          f"/caa/release-group/{RG_B}": 1, f"/caa/release/{REL_NONE2}": 1}, caa)
            # 8 slow artists (0.6 s) at 3 at once: well under serial time
            check(took < 30, f"took {took:.1f}s")

            # nothing was written outside <data>/images
            after = files_under(svc.data)
            new = {p for p in after - before if not p.startswith("discotheque.db")}
            check(all(p.startswith("images" + os.sep) for p in new), sorted(new))
            check(not any(".tmp-" in p for p in after), "a temporary file was left")
            check(files_under(music) == {os.path.join("Local", "cover.jpg")}, files_under(music))

            # a second run fetches nothing: fresh files, failures in backoff
            fake_before = fake.get("/_stats")["requests"]
            again = run_task(svc.config_path, "enrich_images")
            check(again.get("downloaded", 0) == 0 and again.get("failed", 0) == 0, again)
            check(again.get("skipped_fresh") == 15 and again.get("skipped_backoff") == 6, again)
            check(fake.get("/_stats")["requests"] == fake_before, "the second run fetched")

            # the image API
            svc.start()
            st, hdrs, body = raw_get(svc, "/api/library/albums/10/image")
            check(st == 200 and hdrs.get("Content-Type") == "image/jpeg", (st, hdrs))
            check(body == a10, "served bytes differ")
            check(hdrs.get("ETag") and hdrs.get("Last-Modified") and "max-age" in hdrs.get("Cache-Control", ""),
                  hdrs)
            st, _, body = raw_get(svc, "/api/library/albums/10/image", {"If-None-Match": hdrs["ETag"]})
            check(st == 304 and body == b"", (st, body[:40]))
            st, hdrs, _ = raw_get(svc, "/api/library/playlists/5/image")
            check(st == 200 and hdrs.get("Content-Type") == "image/png", (st, hdrs))
            st, hdrs, _ = raw_get(svc, "/api/library/albums/20/image")
            check(st == 200 and hdrs.get("Content-Type") == "image/webp", (st, hdrs))
            st, _, body = raw_get(svc, "/api/library/albums/13/image")
            check(st == 404 and b"no_image" in body, (st, body))
            st, _, body = raw_get(svc, "/api/library/albums/999/image")
            check(st == 404 and b"not_found" in body, (st, body))
            st, _, _ = raw_get(svc, "/api/library/artists/x/image")
            check(st == 400, st)
            req = urllib.request.Request(f"http://127.0.0.1:{svc.port}/api/library/albums/10/image")
            try:
                urllib.request.urlopen(req, timeout=10)
                check(False, "no API key, but an image")
            except urllib.error.HTTPError as e:
                check(e.code == 401, e.code)
            # the status shows the last run's stats; the health check the folder
            status, body = svc.get("/api/library/status")
            task = next(t for t in body["tasks"] if t["name"] == "enrich_images")
            check(task["stats"].get("skipped_fresh") == 15, task)
            svc.stop()
            health = run_task(svc.config_path, "health_check")
            check(health["images"]["exists"] is True and health["images"]["writable"] is True, health)
            check(health["images"]["free_bytes"] > 0, health)
        finally:
            fake.stop()


if __name__ == "__main__":
    run_tests([test_enrich_images_against_the_fakes])
