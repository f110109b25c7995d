"""Provider credentials through the settings API on the real binary
(SPEC §8, issue 14) against the fake providers on 127.0.0.1: a provider
without its credential skips its task; PUT the credential and Run Now syncs
(the provider's actors are spawned again with it, no restart); GET shows
"set", never the value, and the log never carries it; after a restart the
stored credential wins over the config file's; a provider that had no
actors at all (disabled) is spawned when the PUT enables it."""
import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Service, check, run_tests, wait_for  # noqa: E402
from cloud import FakeProviders  # noqa: E402


def settings(svc):
    s, body = svc.get("/api/settings")
    check(s == 200, (s, body))
    return {e["key"]: e for e in body["settings"]}


def run_now(svc, task):
    """Run Now of `task`; the task's entry once that run ended."""
    def last():
        return svc.get(f"/api/library/tasks/{task}")[1]
    wait_for(lambda: not last()["running"], what=f"{task} idle")
    before = last()["last_run"]
    s, body = svc.post(f"/api/library/tasks/{task}/run")
    check(s == 202, (s, body))
    wait_for(lambda: last()["last_run"] != before and not last()["running"], what=task)
    return last()


def tracks(svc, column):
    con = sqlite3.connect(f"file:{os.path.join(svc.data, 'discotheque.db')}?mode=ro", uri=True)
    try:
        return con.execute(f"SELECT count(*) FROM tracks WHERE {column} IS NOT NULL").fetchone()[0]
    finally:
        con.close()


def provider_status(svc, name):
    _, st = svc.get("/api/library/status")
    for p in st["providers"]:
        if p["name"] == name:
            return p
    raise AssertionError(f"{name} missing from the status: {st['providers']}")


def test_a_credential_put_takes_effect_and_is_never_shown():
    secret = "dz-token-6f1c9a"
    scenario = {"deezer": {"liked": 5, "access_token": secret}}
    with FakeProviders(scenario) as fake:
        deezer = fake.provider_config("deezer")
        del deezer["access_token"]
        svc = Service({"log_level": "debug", "providers": {"deezer": deezer}})
        with svc:
            svc.start()
            s = settings(svc)
            entry = s["providers.deezer.access_token"]
            check(entry["value"] == "unset" and entry["type"] == "secret"
                  and entry["write_only"] is True, entry)
            check(s["providers.deezer.enabled"]["value"] is True, s["providers.deezer.enabled"])
            # Without its token the task is skipped.
            t = run_now(svc, "sync_deezer_favorites")
            check(t["last_status"] == "skipped" and t["last_skip_reason"] == "provider_unavailable", t)
            check(tracks(svc, "deezer_id") == 0, "synced without a token")

            # A wrong type: 400 naming the key, nothing stored.
            st, body = svc.request("PUT", "/api/settings", {"providers.deezer.access_token": 42})
            check(st == 400 and "providers.deezer.access_token" in body["message"], (st, body))
            check(settings(svc)["providers.deezer.access_token"]["value"] == "unset", "changed by a 400")

            st, body = svc.request("PUT", "/api/settings", {"providers.deezer.access_token": secret})
            check(st == 200, (st, body))
            check(secret not in json.dumps(body), "the PUT answer shows the token")
            got = {e["key"]: e["value"] for e in body["settings"]}
            check(got["providers.deezer.access_token"] == "set", got["providers.deezer.access_token"])
            # Run Now right after the answer uses the new actors.
            t = run_now(svc, "sync_deezer_favorites")
            check(t["last_status"] == "succeeded", t)
            check(tracks(svc, "deezer_id") == 5, tracks(svc, "deezer_id"))
            # (the status API's snapshot is renewed every 2 s)
            wait_for(lambda: provider_status(svc, "deezer")["authenticated"] is True, timeout=15,
                     what="deezer authenticated in the status")
            _, raw = svc.get("/api/settings")
            check(secret not in json.dumps(raw), "GET shows the token")
            svc.stop()
            check(secret not in svc.output(), "the token was logged")

            # The stored token wins over a stale one in the config file.
            with open(svc.config_path) as f:
                cfg = json.load(f)
            cfg["providers"]["deezer"]["access_token"] = "stale-config-token"
            with open(svc.config_path, "w") as f:
                json.dump(cfg, f)
            fake.update({"deezer": {"liked": 7, "access_token": secret}})
            svc.start()
            check(settings(svc)["providers.deezer.access_token"]["value"] == "set", "lost by a restart")
            t = run_now(svc, "sync_deezer_favorites")
            check(t["last_status"] == "succeeded", t)
            check(tracks(svc, "deezer_id") == 7, tracks(svc, "deezer_id"))
            svc.stop()
            check(secret not in svc.output(), "the token was logged")
            stale = [e for e in fake.requests("deezer") if "stale-config-token" in e["query"]]
            check(not stale, f"the config's token was used: {stale[:2]}")


def test_enabling_a_provider_with_its_credentials_spawns_it():
    scenario = {"spotify": {"liked": 4}}
    with FakeProviders(scenario) as fake:
        spotify = fake.provider_config("spotify")
        for k in ("client_id", "client_secret", "refresh_token"):
            del spotify[k]
        spotify["enabled"] = False
        svc = Service({"providers": {"spotify": spotify}})
        with svc:
            svc.start()
            t = run_now(svc, "sync_spotify_likes")
            check(t["last_status"] == "skipped", t)
            wait_for(lambda: provider_status(svc, "spotify")["enabled"] is False, timeout=15,
                     what="spotify disabled in the status")
            # Several keys at once, one of them bad: nothing changes.
            st, body = svc.request("PUT", "/api/settings", {
                "providers.spotify.enabled": True, "providers.spotify.client_id": "cid",
                "providers.spotify.password": "x"})
            check(st == 400 and "providers.spotify.password" in body["message"], (st, body))
            check(settings(svc)["providers.spotify.enabled"]["value"] is False, "changed by a 400")
            st, body = svc.request("PUT", "/api/settings", {
                "providers.spotify.enabled": True, "providers.spotify.client_id": "cid",
                "providers.spotify.client_secret": "secret",
                "providers.spotify.refresh_token": "rt-1"})
            check(st == 200, (st, body))
            got = {e["key"]: e["value"] for e in body["settings"]}
            for k in ("client_id", "client_secret", "refresh_token"):
                check(got[f"providers.spotify.{k}"] == "set", (k, got[f"providers.spotify.{k}"]))
            check(got["providers.spotify.enabled"] is True, got["providers.spotify.enabled"])
            t = run_now(svc, "sync_spotify_likes")
            check(t["last_status"] == "succeeded", t)
            check(tracks(svc, "spotify_id") == 4, tracks(svc, "spotify_id"))
            wait_for(lambda: provider_status(svc, "spotify")["enabled"] is True
                     and provider_status(svc, "spotify")["authenticated"] is True, timeout=15,
                     what="spotify enabled and authenticated in the status")
            # The node supervises the new actors.
            _, actors = svc.get("/api/system/actors")
            names = json.dumps(actors)
            check("gateway.spotify" in names, "the new gateway is not listed")
            # Switched off again: its task is skipped, nothing was restarted.
            st, body = svc.request("PUT", "/api/settings", {"providers.spotify.enabled": False})
            check(st == 200, (st, body))
            t = run_now(svc, "sync_spotify_likes")
            check(t["last_status"] == "skipped", t)
            check("restarted" not in svc.output(), "a respawn counted as a failure")


if __name__ == "__main__":
    run_tests([test_a_credential_put_takes_effect_and_is_never_shown,
               test_enabling_a_provider_with_its_credentials_spawns_it])
