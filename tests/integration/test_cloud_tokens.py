"""Token refresh failures go through the gateway's retry and breaker rules:
a 503 from the token endpoint is retried (1 s, 2 s, 4 s), a token endpoint
that stays down fails the sync (so the supervisor retries it) with the
provider's errors recorded, and only a refused grant (400/401) makes the
provider unavailable (a skipped sync). Secrets never reach the log: not the
tokens of a refresh, not an `?apikey=` at debug level."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Service, check, run_tests  # noqa: E402
from cloud import FakeProviders, Probe  # noqa: E402

TASK = "sync_spotify_likes"


def token_fault(count, status=503, error="temporarily_unavailable"):
    return {"provider": "spotify-accounts", "kind": "status", "status": status,
            "error": error, "count": count}


def liked_seen(out):
    return out["seen"].get("spotify/liked", {}).get("tracks", {}).get("unique", 0)


def test_one_failed_refresh_is_retried_and_the_sync_succeeds():
    scenario = {"spotify": {"liked": 10}, "faults": [token_fault(1)]}
    with FakeProviders(scenario) as fake:
        probe = Probe(fake, {"spotify": fake.provider_config("spotify")})
        out = probe.run([TASK])
        r = out["results"][TASK]
        check(r["status"] == "succeeded", str(r))
        check(liked_seen(out) == 10, f"{liked_seen(out)} liked tracks on a fresh database")
        calls = fake.requests("spotify-accounts")
        check([c["status"] for c in calls] == [503, 200], str(calls))
        gap = calls[1]["t"] - calls[0]["t"]
        check(0.9 <= gap <= 3, f"retried after {gap:.2f} s")
        db = probe.db()
        n = db.execute("SELECT count(*) FROM provider_errors WHERE provider='spotify'").fetchone()[0]
        check(n == 1, f"{n} spotify errors recorded")
        fails = db.execute("SELECT consecutive_failures FROM provider_state "
                           "WHERE provider='spotify'").fetchone()
        check(fails and fails[0] == 0, f"consecutive failures {fails}")


def test_a_token_endpoint_that_stays_down_fails_the_sync():
    scenario = {"spotify": {"liked": 10}, "faults": [token_fault(-1)]}
    with FakeProviders(scenario) as fake:
        probe = Probe(fake, {"spotify": fake.provider_config("spotify")}, log_level="debug")
        out = probe.run([TASK])
        r = out["results"][TASK]
        # failed, not skipped: the supervisor retries it with backoff
        check(r["status"] == "failed", str(r))
        check("token refresh failed: HTTP 503" in r["error"]
              and "after 3 retries" in r["error"], r["error"])
        # one refresh for the lists in flight together: 1 + 3 retries
        calls = fake.requests("spotify-accounts")
        check(len(calls) == 4, f"{len(calls)} token calls")
        gaps = [round(b["t"] - a["t"]) for a, b in zip(calls, calls[1:])]
        check(gaps == [1, 2, 4], f"backoff {gaps}")
        check(fake.requests("spotify") == [], "no API call without a token")
        db = probe.db()
        n = db.execute("SELECT count(*) FROM provider_errors WHERE provider='spotify'").fetchone()[0]
        check(n == 4, f"{n} spotify errors recorded")
        fails, last = db.execute("SELECT consecutive_failures, last_error FROM provider_state "
                                 "WHERE provider='spotify'").fetchone()
        check(fails == 4 and "token refresh" in last, f"{fails} {last}")
        # the refresh token and the client's Basic credentials (cid:secret)
        check("rt-1" not in out["log"] and "Y2lkOnNlY3JldA" not in out["log"],
              "a secret in the log")


def test_a_refused_grant_makes_the_provider_unavailable():
    for status in (400, 401):
        scenario = {"spotify": {"liked": 10},
                    "faults": [token_fault(-1, status=status, error="invalid_grant")]}
        with FakeProviders(scenario) as fake:
            probe = Probe(fake, {"spotify": fake.provider_config("spotify")})
            out = probe.run([TASK])
            r = out["results"][TASK]
            check(r["status"] == "skipped" and r["reason"] == "provider_unavailable", str(r))
            check(f"HTTP {status} invalid_grant" in r["error"], r["error"])
            # a definite answer: not retried, not counted by the breaker
            check(len(fake.requests("spotify-accounts")) == 1, "refused grant retried")
            n = probe.db().execute("SELECT count(*) FROM provider_errors "
                                   "WHERE provider='spotify'").fetchone()[0]
            check(n == 0, f"{n} spotify errors recorded")


def test_an_api_key_in_the_query_is_not_logged_at_debug_level():
    with Service({"log_level": "debug"}) as svc:
        svc.start()
        key = svc.api_key()
        s, _ = svc.get(f"/api/library/status?apikey={key}", key=False)
        check(s == 200, f"apikey query parameter: {s}")
        svc.stop()
        out = svc.output()
        check("/api/library/status" in out, "the request was not logged at all")
        check(key not in out, "the api key is in the log")
        check("apikey=***" in out, "the redacted request is not in the log")


if __name__ == "__main__":
    run_tests([test_one_failed_refresh_is_retried_and_the_sync_succeeds,
               test_a_token_endpoint_that_stays_down_fails_the_sync,
               test_a_refused_grant_makes_the_provider_unavailable,
               test_an_api_key_in_the_query_is_not_logged_at_debug_level])
