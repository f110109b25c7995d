"""The web dashboard in headless Chromium (issue 16): the real binary with a
fake Spotify (a liked library and a playlist), driven by dashboard.mjs
(playwright-core on Debian's /usr/bin/chromium). Screenshots of each page go
to $BROWSER_OUT (ctest: build/.../tests/browser-output); with
UPDATE_SCREENSHOTS=1 they are also copied to docs/screenshots/.

Nothing is skipped: without chromium, node or the node modules the test
fails and says how to install them (scripts/deps --test)."""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from harness import SOURCE, Failure, Service, check, run_task, run_tests  # noqa: E402
from cloud import FakeProviders  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
OUT = os.environ.get("BROWSER_OUT", os.path.join(SOURCE, "build", "browser-output"))
# Liked tracks 0..11 (albums 0..3, artists 0 and 1); the playlist holds
# 12..14 (album 4, artist 2: only discovered, so the page can own it).
SCENARIO = {"spotify": {"liked": 12,
                        "playlists": [{"id": "p1", "name": "Summer Mix", "tracks": [12, 13, 14],
                                       "owner": True}]}}


def require_tools():
    hint = "run scripts/deps --test (installs chromium and the node modules of tests/browser)"
    if not os.access(CHROMIUM, os.X_OK):
        raise Failure(f"no Chromium at {CHROMIUM}: {hint}")
    if shutil.which("node") is None:
        raise Failure(f"node is not installed: {hint}")
    if not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        raise Failure(f"tests/browser/node_modules/playwright-core is missing: {hint}")


def test_dashboard_in_headless_chromium():
    require_tools()
    with FakeProviders(SCENARIO) as fake, \
            Service({"providers": {"spotify": fake.provider_config("spotify")}}) as svc:
        svc.start()
        run_task(svc, "sync_spotify_likes")
        run_task(svc, "sync_playlists")
        _, playlists = svc.get("/api/library/playlists")
        check(len(playlists["playlists"]) == 1, playlists)
        playlist = playlists["playlists"][0]
        _, artists = svc.get("/api/library/artists?ownership_state=discovered")
        check(artists["items"], ("a discovered artist to own", artists))
        artist = artists["items"][0]
        env = dict(os.environ, BASE=f"http://127.0.0.1:{svc.port}", KEY=svc.api_key(), OUT=OUT,
                   CHROMIUM=CHROMIUM, PLAYLIST_ID=str(playlist["id"]),
                   ARTIST_ID=str(artist["id"]), ARTIST_NAME=artist["name"])
        try:
            proc = subprocess.run(["node", os.path.join(HERE, "dashboard.mjs")], env=env,
                                  cwd=HERE, capture_output=True, text=True, timeout=240)
        except subprocess.TimeoutExpired as e:
            raise Failure(f"the browser run took over 240 s:\n{e.stdout}\n{e.stderr}")
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        check(proc.returncode == 0, f"dashboard.mjs failed ({proc.returncode}); screenshots in {OUT}")
        # What the page did is what the service stored.
        _, settings = svc.get("/api/settings")
        auto = [s for s in settings["settings"] if s["key"] == "library.auto_queue_downloads"]
        check(auto and auto[0]["value"] is True, auto)
        _, p = svc.get(f"/api/library/playlists/{playlist['id']}")
        check(p["sync_mode"] == "auto_own_tracks", p)
        _, a = svc.get(f"/api/library/artists/{artist['id']}")
        check(a["ownership_state"] == "ignored", a)
        for name in ("tasks", "health", "settings", "playlist", "library", "downloads"):
            path = os.path.join(OUT, f"{name}.png")
            check(os.path.getsize(path) > 1000, f"screenshot {path}")
        if os.environ.get("UPDATE_SCREENSHOTS") == "1":
            dest = os.path.join(SOURCE, "docs", "screenshots")
            os.makedirs(dest, exist_ok=True)
            for name in ("tasks", "health", "library", "playlist", "settings"):
                shutil.copy(os.path.join(OUT, f"{name}.png"), dest)


if __name__ == "__main__":
    run_tests([test_dashboard_in_headless_chromium])
