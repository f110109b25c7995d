"""Cloud sync against fake Spotify / Deezer / TIDAL servers on 127.0.0.1:
paging of thousands of liked tracks, rate limits over every window, a 429
storm, a provider that is down, token expiry mid-sync, hostile answers,
blocked-until surviving a restart, auto-queue, unlike -> reconcile."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, run_tests  # noqa: E402
from cloud import FakeProviders, Probe, max_in_window  # noqa: E402

SYNCS = ["sync_spotify_likes", "sync_deezer_favorites", "sync_tidal_favorites"]


def seen(out, key, kind="tracks"):
    return out["seen"].get(key, {}).get(kind, {"count": 0, "unique": 0, "ids": []})


def test_thousands_of_liked_tracks_land_exactly_once():
    scenario = {"spotify": {"liked": 3000, "saved": [0, 1, 2], "followed": [0, 1]},
                "deezer": {"liked": 2000, "saved": [3], "followed": [2], "page_size": 100,
                           "access_token": "dz-token"},
                "tidal": {"liked": 1000, "saved": [4], "followed": [3]}}
    with FakeProviders(scenario) as fake:
        probe = Probe(fake, {p: fake.provider_config(p) for p in ("spotify", "deezer", "tidal")})
        out = probe.run(SYNCS)
        for t in SYNCS:
            r = out["results"][t]
            check(r["status"] == "succeeded", f"{t}: {r}")
            check(r["stats"]["errors"] == [], f"{t}: {r['stats']['errors']}")
        for key, n in (("spotify/liked", 3000), ("deezer/liked", 2000), ("tidal/liked", 1000)):
            s = seen(out, key)
            check(s["count"] == n and s["unique"] == n, f"{key}: {s['count']} / {s['unique']} of {n}")
        # every id given by the provider: ISRCs where the list carries them
        check(seen(out, "spotify/liked", "isrcs")["unique"] == 3000, "spotify ISRCs")
        check(seen(out, "tidal/liked", "isrcs")["unique"] == 1000, "tidal ISRCs")
        # followed artists with their albums and tracks; saved albums with tracks
        f = out["seen"]["spotify/followed"]
        check(f["artists"]["count"] == 2 and f["albums"]["count"] == 4 and f["tracks"]["count"] == 12,
              f"spotify followed: {f}")
        check(out["seen"]["spotify/saved"]["albums"]["count"] == 3, "saved albums")
        # TIDAL too: /artists/{id}/relationships/albums, then each album's items
        f = out["seen"]["tidal/followed"]
        check(f["artists"]["count"] == 1 and f["albums"]["count"] == 2 and f["tracks"]["count"] == 6,
              f"tidal followed: {f}")
        paths = [e["path"] for e in fake.requests("tidal")]
        check("/tidal/v2/artists/700003/relationships/albums" in paths, str(paths[:20]))
        check(sorted(out["reconciled"]) == sorted(f"{p}/{r}/1" for p in ("spotify", "deezer", "tidal")
                                                  for r in ("followed", "saved", "liked")),
              f"reconciled {out['reconciled']}")
        # the User-Agent names Discotheque, its version and a contact URL
        ua = fake.requests("spotify")[0]["ua"]
        check(ua.startswith("Discotheque/") and "https://github.com/discotheque/discotheque" in ua, ua)


def test_rate_limit_is_never_exceeded_and_wall_time_matches():
    rate = 10
    scenario = {"spotify": {"liked": 400, "page_size": 10},
                "deezer": {"liked": 100, "page_size": 10, "access_token": "dz-token"}}
    with FakeProviders(scenario) as fake:
        probe = Probe(fake, {"spotify": fake.provider_config("spotify", rate_per_second=rate),
                             "deezer": fake.provider_config("deezer", rate_per_second=rate)})
        # two tasks on Spotify at once share one limiter
        out = probe.run(["sync_spotify_likes", "sync_deezer_favorites", "sync_playlists"])
        check(out["results"]["sync_spotify_likes"]["status"] == "succeeded", str(out["results"]))
        for prov in ("spotify", "deezer"):
            times = [e["t"] for e in fake.requests(prov)]
            worst = max_in_window(times, 1.0)
            check(worst <= rate, f"{prov}: {worst} requests in one second (limit {rate})")
            n = len(times)
            span = max(times) - min(times)
            ideal = (n - 1) / rate
            check(span <= ideal * 1.10 + 0.2, f"{prov}: {n} requests took {span:.2f}s, ideal {ideal:.2f}s")
            check(span >= ideal * 0.95, f"{prov}: {n} requests in {span:.2f}s: too fast")


def test_a_429_storm_is_ridden_out():
    scenario = {"spotify": {"liked": 500},
                "faults": [{"provider": "spotify", "path": "/me/tracks", "kind": "status",
                            "status": 429, "retry_after": "1", "every": 2, "count": 3}]}
    with FakeProviders(scenario) as fake:
        probe = Probe(fake, {"spotify": fake.provider_config("spotify")})
        out = probe.run(["sync_spotify_likes"])
        r = out["results"]["sync_spotify_likes"]
        check(r["status"] == "succeeded" and r["stats"]["errors"] == [], str(r))
        s = seen(out, "spotify/liked")
        check(s["count"] == 500 and s["unique"] == 500, str(s))
        statuses = [e["status"] for e in fake.requests("spotify")]
        check(statuses.count(429) == 3, f"429s: {statuses.count(429)}")
        # after a 429 no request started before its Retry-After (1 s) was over
        reqs = sorted(fake.requests("spotify"), key=lambda e: e["t"])
        for e in reqs:
            if e["status"] == 429:
                # (a call already handed to a client when the 429 came is let go)
                early = [x for x in reqs if e["end"] + 0.25 < x["t"] < e["t"] + 0.95]
                check(not early, f"{len(early)} requests within Retry-After of a 429")


def test_a_down_provider_opens_its_breaker_while_others_complete():
    scenario = {"spotify": {"liked": 200}, "deezer": {"liked": 100, "access_token": "dz-token"},
                "tidal": {"liked": 50},
                "faults": [{"provider": "tidal", "kind": "status", "status": 503, "count": -1}]}
    with FakeProviders(scenario) as fake:
        probe = Probe(fake, {p: fake.provider_config(p) for p in ("spotify", "deezer", "tidal")})
        out = probe.run(SYNCS)
        res = out["results"]
        check(res["sync_spotify_likes"]["status"] == "succeeded", str(res["sync_spotify_likes"]))
        check(res["sync_deezer_favorites"]["status"] == "succeeded", str(res["sync_deezer_favorites"]))
        t = res["sync_tidal_favorites"]
        # skipped (not failed): its dependents (identify_*) still run
        check(t["status"] == "skipped" and t["reason"] == "provider_unavailable", str(t))
        check("circuit breaker open" in t["error"], t["error"])
        check(seen(out, "spotify/liked")["unique"] == 200, "spotify completed")
        check(not any(r.startswith("tidal/") for r in out["reconciled"]), str(out["reconciled"]))
        # 5 failures opened it (plus what the 2 HTTP clients had in flight): then no more calls
        calls = len(fake.requests("tidal"))
        check(5 <= calls <= 7, f"{calls} tidal calls")
        db = probe.db()
        state, fails, opened = db.execute("SELECT breaker_state, consecutive_failures, opened_at "
                                          "FROM provider_state WHERE provider='tidal'").fetchone()
        check(state == "open" and fails >= 5 and opened, f"{state} {fails} {opened}")
        n = db.execute("SELECT count(*) FROM provider_errors WHERE provider='tidal'").fetchone()[0]
        check(n == calls, f"{n} tidal errors recorded for {calls} calls")
        ok = db.execute("SELECT last_success_at FROM provider_state WHERE provider='spotify'").fetchone()
        check(ok and ok[0], "spotify's last successful call recorded")
        # a restart within the open time keeps it open: no call at all
        out2 = probe.run(["sync_tidal_favorites"], run_id=2)
        check(out2["results"]["sync_tidal_favorites"]["status"] == "skipped", str(out2["results"]))
        check(len(fake.requests("tidal")) == calls, "no tidal call while open")


def test_a_token_expiring_mid_sync_is_refreshed():
    scenario = {"spotify": {"liked": 1000}, "tidal": {"liked": 400},
                "tokens": {"refresh_token": "rt-1", "expire_after_requests": 7}}
    with FakeProviders(scenario) as fake:
        probe = Probe(fake, {p: fake.provider_config(p) for p in ("spotify", "tidal")})
        out = probe.run(["sync_spotify_likes", "sync_tidal_favorites"])
        for t in ("sync_spotify_likes", "sync_tidal_favorites"):
            check(out["results"][t]["status"] == "succeeded", str(out["results"][t]))
        check(seen(out, "spotify/liked")["unique"] == 1000, "spotify all tracks")
        check(seen(out, "tidal/liked")["unique"] == 400, "tidal all tracks")
        refreshes = [e for e in fake.requests("spotify-accounts")]
        check(len(refreshes) >= 3, f"{len(refreshes)} spotify token refreshes")
        check(sum(1 for e in fake.requests("spotify") if e["status"] == 401) >= 2, "401s seen")
        # stored (never in the log), old refresh token kept (answers had none)
        db = probe.db()
        access, refresh, exp = db.execute("SELECT access_token, refresh_token, expires_at "
                                          "FROM provider_tokens WHERE provider='spotify'").fetchone()
        check(access.startswith("spotify-access-") and refresh == "rt-1" and exp > 0,
              f"{access} {refresh} {exp}")
        check("spotify-access-" not in out["log"] and "rt-1" not in out["log"], "tokens in the log")


def test_a_rejected_refresh_token_makes_the_provider_unavailable():
    scenario = {"spotify": {"liked": 10}, "tokens": {"refresh_token": "other"}}
    with FakeProviders(scenario) as fake:
        probe = Probe(fake, {"spotify": fake.provider_config("spotify")})
        out = probe.run(["sync_spotify_likes"])
        r = out["results"]["sync_spotify_likes"]
        check(r["status"] == "skipped" and r["reason"] == "provider_unavailable", str(r))
        check("invalid_grant" in r["error"], r["error"])


def test_not_configured_providers_are_skipped():
    with FakeProviders({}) as fake:
        probe = Probe(fake, {"spotify": {"enabled": False},
                             "tidal": {"enabled": True, "api_base": fake.base + "/tidal/v2"}})
        out = probe.run(SYNCS)
        for t in SYNCS:
            r = out["results"][t]
            check(r["status"] == "skipped" and r["reason"] == "provider_unavailable", f"{t}: {r}")
        check(fake.requests() == [], "no request to a provider that is not configured")


def test_hostile_and_malformed_answers_are_recorded_not_fatal():
    scenario = {"spotify": {"liked": 120, "saved": [0]},
                "deezer": {"liked": 60, "access_token": "dz-token"},
                "faults": [{"provider": "spotify", "path": "/me/tracks", "kind": "hostile", "count": 1},
                           {"provider": "spotify", "path": "/me/albums", "kind": "malformed", "count": 1},
                           {"provider": "deezer", "path": "/user/me/tracks", "kind": "huge", "count": 1}]}
    with FakeProviders(scenario) as fake:
        probe = Probe(fake, {p: fake.provider_config(p) for p in ("spotify", "deezer")})
        out = probe.run(["sync_spotify_likes", "sync_deezer_favorites"])
        sp = out["results"]["sync_spotify_likes"]
        check(sp["status"] == "succeeded", str(sp))
        errors = " | ".join(sp["stats"]["errors"])
        check("malformed JSON" in errors, errors)
        check("item" in errors, errors)
        # incomplete lists are not reconciled: nothing is un-owned by a bad page
        check("liked" in sp["stats"]["not_reconciled"] and "saved" in sp["stats"]["not_reconciled"],
              str(sp["stats"]["not_reconciled"]))
        check("spotify/followed/1" in out["reconciled"], str(out["reconciled"]))
        dz = out["results"]["sync_deezer_favorites"]
        check("1000000 items" in " ".join(dz["stats"]["errors"]), str(dz["stats"]["errors"]))
        check("deezer/liked/1" not in out["reconciled"], str(out["reconciled"]))


def test_deezer_errors_inside_http_200():
    scenario = {"deezer": {"liked": 80, "access_token": "dz-token"},
                "faults": [{"provider": "deezer", "path": "/user/me/tracks", "kind": "deezer_error",
                            "code": 4, "count": 2}]}
    with FakeProviders(scenario) as fake:
        probe = Probe(fake, {"deezer": fake.provider_config("deezer")})
        out = probe.run(["sync_deezer_favorites"])
        r = out["results"]["sync_deezer_favorites"]
        check(r["status"] == "succeeded" and r["stats"]["errors"] == [], str(r))
        check(seen(out, "deezer/liked")["unique"] == 80, "all deezer tracks after quota errors")
    # a wrong access token: code 300 in HTTP 200 -> provider unavailable
    with FakeProviders({"deezer": {"liked": 5, "access_token": "dz-token"}}) as fake:
        probe = Probe(fake, {"deezer": fake.provider_config("deezer", access_token="wrong")})
        r = probe.run(["sync_deezer_favorites"])["results"]["sync_deezer_favorites"]
        check(r["status"] == "skipped" and r["reason"] == "provider_unavailable", str(r))


def test_a_long_retry_after_blocks_the_provider_across_restarts():
    scenario = {"spotify": {"liked": 10},
                "faults": [{"provider": "spotify", "kind": "status", "status": 429,
                            "retry_after": "3600", "count": -1}]}
    with FakeProviders(scenario) as fake:
        probe = Probe(fake, {"spotify": fake.provider_config("spotify")})
        r = probe.run(["sync_spotify_likes"])["results"]["sync_spotify_likes"]
        check(r["status"] == "skipped" and "blocked until" in r["error"], str(r))
        calls = len(fake.requests("spotify"))
        # one call per HTTP client at most (they ran at once), no retries
        check(1 <= calls <= 2, f"{calls} calls: no sleeping retries")
        blocked = probe.db().execute(
            "SELECT blocked_until FROM provider_state WHERE provider='spotify'").fetchone()[0]
        import time
        check(blocked > time.time() * 1000 + 3500 * 1000, f"blocked_until {blocked}")
        r2 = probe.run(["sync_spotify_likes"], run_id=2)["results"]["sync_spotify_likes"]
        check(r2["status"] == "skipped" and "blocked until" in r2["error"], str(r2))
        check(len(fake.requests("spotify")) == calls, "still blocked after a restart")


def test_auto_queue_and_unlike_reconcile():
    scenario = {"spotify": {"liked": [0, 1, 2, 3, 4]}}
    with FakeProviders(scenario) as fake:
        probe = Probe(fake, {"spotify": fake.provider_config("spotify")})
        out = probe.run(["sync_spotify_likes"])
        check(out["results"]["sync_spotify_likes"]["stats"]["auto_queue"] is False, "default off")
        db = probe.db()
        db.execute("UPDATE settings SET value='true' WHERE key='library.auto_queue_downloads'")
        db.commit()
        fake.update({"spotify": {"liked": [0, 1, 3]}})  # 2 and 4 unliked
        out2 = probe.run(["sync_spotify_likes"], run_id=2)
        check(out2["results"]["sync_spotify_likes"]["stats"]["auto_queue"] is True, "setting read")
        ids = seen(out2, "spotify/liked")["ids"]
        check(sorted(ids) == ["sptr0", "sptr1", "sptr3"], str(ids))
        # the run is complete, so the dedup store releases the claims not renewed
        check("spotify/liked/2" in out2["reconciled"], str(out2["reconciled"]))


if __name__ == "__main__":
    run_tests([
        test_thousands_of_liked_tracks_land_exactly_once,
        test_rate_limit_is_never_exceeded_and_wall_time_matches,
        test_a_429_storm_is_ridden_out,
        test_a_down_provider_opens_its_breaker_while_others_complete,
        test_a_token_expiring_mid_sync_is_refreshed,
        test_a_rejected_refresh_token_makes_the_provider_unavailable,
        test_not_configured_providers_are_skipped,
        test_hostile_and_malformed_answers_are_recorded_not_fatal,
        test_deezer_errors_inside_http_200,
        test_a_long_retry_after_blocks_the_provider_across_restarts,
        test_auto_queue_and_unlike_reconcile,
    ])
