"""identify_artists on the real binary against the fake MusicBrainz
(tests/fakes/fake_musicbrainz.py, 1 request/s enforced): evidence decides,
same-name artists without evidence get no MBID, a merged tag MBID is
followed, no rate violation, a second run sends nothing (the cache answers),
the matches API shows the decisions, and MusicBrainz down makes the run
`degraded` without clearing anything."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, SOURCE, Failure, Service, check, run_tests  # noqa: E402

FAKE = os.path.join(SOURCE, "tests", "fakes", "fake_musicbrainz.py")

US_NIRVANA = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
UK_NIRVANA = "9282c8b4-ca0b-4c6b-b7e3-4f7762dfc4d6"
TWIN_A = "aaaaaaaa-0000-4000-8000-000000000001"
TWIN_B = "aaaaaaaa-0000-4000-8000-000000000002"
BJORK = "87c5dedd-371d-4a53-9f7f-80522fb7f3cb"
OLD_TAGGED = "bbbbbbbb-0000-4000-8000-000000000001"
NEW_TAGGED = "bbbbbbbb-0000-4000-8000-000000000002"

SCENARIO = {
    "rate": 1,
    "artists": [
        {"id": US_NIRVANA, "name": "Nirvana", "type": "Group", "country": "US",
         "disambiguation": "1980s–1990s US grunge band",
         "release_groups": [{"title": "Bleach"}, {"title": "Nevermind"}, {"title": "In Utero"}]},
        {"id": UK_NIRVANA, "name": "Nirvana", "type": "Group", "country": "GB",
         "disambiguation": "60s band from the UK",
         "release_groups": [{"title": "The Story of Simon Simopath"}, {"title": "Local Anaesthetic"}]},
        {"id": TWIN_A, "name": "Twin", "type": "Group", "country": "US", "disambiguation": "US duo",
         "release_groups": [{"title": "First Light"}]},
        {"id": TWIN_B, "name": "Twin", "type": "Group", "country": "DE", "disambiguation": "German trio",
         "release_groups": [{"title": "Zweite"}]},
        {"id": BJORK, "name": "Björk", "type": "Person", "country": "IS",
         "release_groups": [{"title": "Debut"}, {"title": "Post"}, {"title": "Homogenic"}]},
        {"id": NEW_TAGGED, "name": "Tagged Band", "type": "Group", "country": "US"},
    ],
    "merged": {OLD_TAGGED: NEW_TAGGED},
    # MusicBrainz's rate-limit answers, once each: JSON from the web service
    # (with Retry-After), an HTML page from its proxy (without)
    "faults": [{"path": "/artist", "kind": "503_json", "count": 1, "retry_after": "1"},
               {"path": "/release-group", "kind": "503_html", "count": 1}],
}


class FakeMusicBrainz:
    def __init__(self, scenario):
        self.tmp = tempfile.mkdtemp(prefix="disco-fakemb-")
        path = os.path.join(self.tmp, "scenario.json")
        with open(path, "w") as f:
            json.dump(scenario, f)
        ready = os.path.join(self.tmp, "port")
        self.proc = subprocess.Popen([sys.executable, FAKE, "--scenario", path, "--ready-file", ready],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 20
        while not os.path.exists(ready):
            if time.time() > deadline or self.proc.poll() is not None:
                raise Failure("fake MusicBrainz did not start")
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


def seed(db_path):
    db = sqlite3.connect(db_path)
    db.executescript(f"""
        INSERT INTO artists(id, name, normalized_name, mbid) VALUES
          (1, 'Nirvana', 'nirvana', NULL), (2, 'Twin', 'twin', NULL),
          (3, 'Björk', 'bjork', NULL), (4, 'Tagged Band', 'tagged band', '{OLD_TAGGED}');
        INSERT INTO albums(id, title, normalized_title) VALUES
          (10, 'Nevermind', 'nevermind'), (11, 'Zzz', 'zzz'), (12, 'Debut', 'debut'),
          (13, 'Post', 'post'), (14, 'In Utero', 'in utero');
        INSERT INTO album_artists(album_id, artist_id) VALUES (10, 1), (11, 2), (12, 3), (13, 3),
          (14, 1);
    """)
    db.commit()
    db.close()


def mbids(db_path):
    db = sqlite3.connect(db_path)
    try:
        return dict(db.execute("SELECT id, mbid FROM artists").fetchall())
    finally:
        db.close()


def test_identify_artists_against_the_fake():
    fake = FakeMusicBrainz(SCENARIO)
    mb = {"api_base": fake.base + "/ws/2", "contact": "identify-test@example.org",
          "breaker_failures": 2}
    with Service(config={"log_level": "warn", "providers": {"musicbrainz": mb}}) as svc:
        db_path = os.path.join(svc.data, "discotheque.db")
        try:
            run_task(svc.config_path, "health_check")  # creates the database
            seed(db_path)

            first = run_task(svc.config_path, "identify_artists")
            ids = mbids(db_path)
            check(ids[1] == US_NIRVANA, f"Nirvana: {ids[1]} ({first})")
            check(ids[2] is None, f"two Twins, no evidence: {ids[2]}")
            check(ids[3] == BJORK, f"Björk: {ids[3]}")
            check(ids[4] == NEW_TAGGED, f"merged tag MBID not followed: {ids[4]}")
            check(first["identified"] == 3 and first["uncertain"] == 1, first)
            check(first["degraded"] is False, first)
            stats = fake.get("/_stats")
            check(stats["violations"] == 0, f"rate violations: {stats}")
            # 9 requests of the task; the two 503s were retried by the gateway
            check(first["requests"] == 9 and stats["requests"] == 11 and stats["rejected"] == 2,
                  (first, stats))
            log = fake.get("/_log")
            check(all("identify-test@example.org" in e["ua"] and e["ua"].startswith("Discotheque/")
                      for e in log), log[0]["ua"])

            # Unchanged library: everything from the cache, nothing sent.
            second = run_task(svc.config_path, "identify_artists")
            check(second["requests"] == 0, second)
            check(second["cache_hits"] == 3, second)  # Twin: search and two browses
            check(fake.get("/_stats")["requests"] == 11, "the second run asked MusicBrainz")
            check(mbids(db_path) == ids, "the second run changed MBIDs")

            # The decisions are visible.
            svc.start()
            status, body = svc.get("/api/library/artists/2/matches")
            check(status == 200, (status, body))
            d = body["decision"]
            check(d["outcome"] == "uncertain" and d["chosen"] is None, d)
            check({c["mbid"] for c in d["candidates"]} >= {TWIN_A, TWIN_B}, d["candidates"])
            check(d["why"], d)
            status, body = svc.get("/api/library/artists/1/matches")
            check(status == 200 and body["mbid"] == US_NIRVANA and body["mbid_source"] == "auto", body)
            check(body["decision"]["outcome"] == "identified", body)
            status, body = svc.get("/api/library/artists/4/matches")
            check(body["mbid_source"] == "tags" and "merged" in body["decision"]["why"], body)
            status, _ = svc.get("/api/library/artists/999/matches")
            check(status == 404, status)
            status, body = svc.get("/api/library/status")
            mbp = [p for p in body["providers"] if p["name"] == "musicbrainz"]
            check(len(mbp) == 1 and mbp[0]["authenticated"] is None and mbp[0]["enabled"], mbp)
            svc.stop()
        finally:
            fake.stop()

        # MusicBrainz down: degraded, not failed, nothing cleared.
        db = sqlite3.connect(db_path)
        db.execute("INSERT INTO artists(id, name, normalized_name) VALUES (5, 'Newcomer', 'newcomer')")
        db.commit()
        db.close()
        down = run_task(svc.config_path, "identify_artists")
        check(down["degraded"] is True and down["unreachable"] == 1, down)
        after = mbids(db_path)
        check(all(after[k] == ids[k] for k in ids), f"MBIDs changed while down: {after}")
        check(after[5] is None, after)


if __name__ == "__main__":
    run_tests([test_identify_artists_against_the_fake])
