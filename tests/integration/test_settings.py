"""The settings API on the real binary (SPEC §8, issue 14): GET lists every
setting with value, default, type and description; a PUT with one bad key
is a 400 naming it and changes nothing; a valid PUT applies every key at once
and survives a restart; auto-queue, a task's interval and a playlist's sync
mode take effect without a restart."""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Service, check, run_task, run_tests  # noqa: E402
from cloud import FakeProviders  # noqa: E402


def settings(svc):
    s, body = svc.get("/api/settings")
    check(s == 200, (s, body))
    return {e["key"]: e for e in body["settings"]}


def db_rows(svc, sql, args=()):
    con = sqlite3.connect(f"file:{os.path.join(svc.data, 'discotheque.db')}?mode=ro", uri=True)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def test_list_validate_apply_and_persist():
    svc = Service()
    with svc:
        svc.start()
        s = settings(svc)
        aq = s["library.auto_queue_downloads"]
        check(aq["value"] is False and aq["default"] is False and aq["type"] == "boolean", aq)
        check("bandwidth" in aq["warning"], aq)
        check(s["library.image_download_concurrency"]["value"] == 5, s["library.image_download_concurrency"])
        s_tasks, tasks = svc.get("/api/library/tasks")
        for t in tasks["tasks"]:
            for field in ("enabled", "interval_seconds"):
                key = f"tasks.{t['name']}.{field}"
                check(key in s, f"{key} missing from the settings list")
        check(s["tasks.health_check.interval_seconds"]["default"]
              == s["tasks.health_check.interval_seconds"]["value"], s["tasks.health_check.interval_seconds"])

        # One bad key: 400 naming it, nothing changed.
        st, body = svc.request("PUT", "/api/settings", {
            "library.auto_queue_downloads": True,
            "tasks.health_check.interval_seconds": 120,
            "library.image_download_concurrency": "lots"})
        check(st == 400, (st, body))
        check("library.image_download_concurrency" in body["message"], body)
        st, body = svc.request("PUT", "/api/settings", {"no.such.key": 1})
        check(st == 400 and "no.such.key" in body["message"], (st, body))
        after = settings(svc)
        check(after["library.auto_queue_downloads"]["value"] is False, "changed by a refused PUT")
        check(after["tasks.health_check.interval_seconds"]["value"]
              == s["tasks.health_check.interval_seconds"]["value"], "changed by a refused PUT")
        stored = db_rows(svc, "SELECT value FROM settings WHERE key = 'library.auto_queue_downloads'")
        check(stored == [("false",)], stored)

        # A valid PUT: every key at once, answered with the new list.
        st, body = svc.request("PUT", "/api/settings", {
            "library.auto_queue_downloads": True,
            "library.image_download_concurrency": 3,
            "tasks.health_check.interval_seconds": 120,
            "tasks.scan_local_library.enabled": False})
        check(st == 200, (st, body))
        got = {e["key"]: e["value"] for e in body["settings"]}
        check(got["library.auto_queue_downloads"] is True and got["library.image_download_concurrency"] == 3
              and got["tasks.health_check.interval_seconds"] == 120
              and got["tasks.scan_local_library.enabled"] is False, got)
        # The task endpoints see the change at once (no restart).
        _, hc = svc.get("/api/library/tasks/health_check")
        check(hc["interval_seconds"] == 120, hc)
        _, sc = svc.get("/api/library/tasks/scan_local_library")
        check(sc["enabled"] is False, sc)
        # Wrong methods and bodies.
        st, _ = svc.request("POST", "/api/settings", {})
        check(st == 405, st)
        st, body = svc.request("PUT", "/api/settings", b"{not json")
        check(st == 400, (st, body))
        st, _ = svc.request("GET", "/api/settings", key=False)
        check(st == 401, st)
        svc.stop()

        # Survives a restart.
        svc.start()
        again = settings(svc)
        check(again["library.auto_queue_downloads"]["value"] is True, again["library.auto_queue_downloads"])
        check(again["tasks.health_check.interval_seconds"]["value"] == 120, again["tasks.health_check.interval_seconds"])
        check(again["tasks.scan_local_library.enabled"]["value"] is False, again["tasks.scan_local_library.enabled"])
        check(again["library.image_download_concurrency"]["value"] == 3, again["library.image_download_concurrency"])


def test_auto_queue_and_playlist_mode_take_effect_without_restart():
    scenario = {"spotify": {"liked": 6,
                            "playlists": [{"id": "p1", "name": "Mix", "tracks": [10, 11],
                                           "owner": True}]}}
    with FakeProviders(scenario) as fake:
        svc = Service({"providers": {"spotify": fake.provider_config("spotify")}})
        with svc:
            svc.start()
            run_task(svc, "sync_spotify_likes")
            pending = db_rows(svc, "SELECT count(*) FROM tracks WHERE download_state = 'pending'")
            check(pending == [(0,)], pending)
            st, body = svc.request("PUT", "/api/settings", {"library.auto_queue_downloads": True})
            check(st == 200, (st, body))
            fake.update({"spotify": {"liked": 8}})
            run_task(svc, "sync_spotify_likes")
            pending = db_rows(svc, "SELECT count(*) FROM tracks WHERE download_state = 'pending'")
            check(pending == [(8,)], pending)

            run_task(svc, "sync_playlists")
            s = settings(svc)
            keys = [k for k in s if k.startswith("playlists.")]
            check(len(keys) == 1 and s[keys[0]]["value"] == "reference_only", keys)
            st, body = svc.request("PUT", "/api/settings", {keys[0]: "auto_own_tracks"})
            check(st == 200, (st, body))
            pid = int(keys[0].split(".")[1])
            mode = db_rows(svc, "SELECT sync_mode FROM playlists WHERE id = ?", (pid,))
            check(mode == [("auto_own_tracks",)], mode)
            _, pl = svc.get(f"/api/library/playlists/{pid}")
            check(pl["sync_mode"] == "auto_own_tracks", pl)


if __name__ == "__main__":
    run_tests([test_list_validate_apply_and_persist,
               test_auto_queue_and_playlist_mode_take_effect_without_restart])
