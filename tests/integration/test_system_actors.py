"""GET /api/system/actors on the real binary: every long-lived actor answers
the shared inspect protocol (name, kind, id, mailbox, counters, a summary),
one actor's state comes in full, the store's commit counters move with real
work (a Run Now), and the endpoints are behind the API key."""
import time

from harness import Service, check, run_tests

# One account provider enabled (its base on a closed local port: nothing is
# called), so that its gateway, breaker, limiter are spawned and listed.
CONFIG = {"providers": {"deezer": {"enabled": True,
                                   "api_base": "http://127.0.0.1:9/deezer",
                                   "access_token": "dz-token"}}}


def by_name(actors):
    return {a["name"]: a for a in actors}


def test_the_list_shows_every_long_lived_actor():
    with Service(CONFIG) as s:
        s.start()
        status, body = s.get("/api/system/actors")
        check(status == 200, (status, body))
        actors = by_name(body["actors"])
        for name in ["supervisor", "store", "dedup_store", "reader", "api",
                     "node", "gateway.deezer", "breaker.deezer",
                     "limiter.deezer", "task.health_check"]:
            check(name in actors, f"{name} missing: {sorted(actors)}")
            a = actors[name]
            check(a["answered"] is True, a)
            check(isinstance(a["id"], int) and a["id"] > 0, a)
            check(isinstance(a["summary"], str) and a["summary"], a)
            check("details" not in a, a)
        for name in ["supervisor", "store", "dedup_store", "reader", "api",
                     "node", "gateway.deezer"]:
            a = actors[name]
            check(isinstance(a["mailbox"], int) and a["mailbox"] >= 0, a)
            check(isinstance(a["handled"], int), a)
            check(isinstance(a["uptime_s"], int) and a["uptime_s"] >= 0, a)
            check(a["started_at"].endswith("Z"), a)
        check(actors["store"]["kind"] == "store", actors["store"])
        check(actors["gateway.deezer"]["kind"] == "gateway", actors["gateway.deezer"])
        check("breaker closed" in actors["gateway.deezer"]["summary"],
              actors["gateway.deezer"])
        # the store handled the start-up writes; the api is answering an
        # http request right now (or had its snapshot timer in between)
        check(actors["store"]["handled"] >= 1, actors["store"])
        check(actors["api"]["last_message"] in ("http", "tick"), actors["api"])
        # disabled providers have no actors
        check(not any(n.endswith(".spotify") or n.endswith(".tidal") for n in actors),
              sorted(actors))
        # one actor, in full
        status, one = s.get("/api/system/actors/dedup_store")
        check(status == 200, (status, one))
        details = one["details"]
        check("warmed" in details and "writes_in_flight" in details, one)
        # the indexes are made at the first batch
        if details.get("indexes") is not None:
            check("artists" in details["indexes"], one)
        status, gw = s.get("/api/system/actors/gateway.deezer")
        check(status == 200, gw)
        check(gw["details"]["breaker"]["state"] == "closed", gw)
        status, sup = s.get("/api/system/actors/supervisor")
        check(status == 200, sup)
        check("health_check" in sup["details"]["tasks"], sup)
        status, missing = s.get("/api/system/actors/nobody")
        check(status == 404, (status, missing))
        check(missing["error"] == "not_found", missing)
        check(s.stop() == 0, s.output())


def test_store_counters_move_after_a_run_now():
    with Service(CONFIG) as s:
        s.start()
        # the start-up cycle runs the health check once: let it finish first
        deadline = time.time() + 30
        while time.time() < deadline:
            hc = s.get("/api/library/tasks/health_check")[1]
            if hc["last_run"] and not hc["running"]:
                break
            time.sleep(0.1)
        status, before = s.get("/api/system/actors/store")
        check(status == 200, before)
        tx0 = before["details"]["transactions"]
        writes0 = before["details"]["writes"]
        status, body = s.post("/api/library/tasks/health_check/run")
        check(status == 202, (status, body))
        deadline = time.time() + 30
        after = before
        while time.time() < deadline:
            status, after = s.get("/api/system/actors/store")
            if after["details"]["writes"] >= writes0 + 2:  # started + finished
                break
            time.sleep(0.1)
        check(after["details"]["transactions"] > tx0, (before, after))
        check(after["details"]["writes"] >= writes0 + 2, (before, after))
        check(after["handled"] > before["handled"], (before, after))
        check(after["details"]["last_commit_us"] > 0, after)
        check(after["details"]["writes_per_transaction"] > 0, after)


def test_a_wrong_key_is_401():
    with Service(CONFIG) as s:
        s.start()
        status, body = s.get("/api/system/actors", key=False)
        check(status == 401, (status, body))
        status, body = s.get("/api/system/actors/store", key=False,
                             headers={"X-Api-Key": "wrong"})
        check(status == 401, (status, body))
        status, body = s.request("GET", "/api/system/actors?apikey=wrong", key=False)
        check(status == 401, (status, body))


if __name__ == "__main__":
    run_tests([test_the_list_shows_every_long_lived_actor,
               test_store_counters_move_after_a_run_now,
               test_a_wrong_key_is_401])
