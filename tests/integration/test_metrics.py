"""GET /metrics on the real binary: the Prometheus text format, checked by a
strict parser (promparse.py: Debian 12's apt has no prometheus package
here, so no promtool); the values move with real work (a Run Now), the
provider counters move with a provider that does not answer, and the
endpoint takes the API key or the metrics token, nothing else."""
import time
import urllib.error
import urllib.request

import promparse
from harness import Service, check, run_tests, wait_for

TOKEN = "scrape-token-123"
# Deezer on a closed local port: its sync fails (connection refused), so its
# gateway counts requests, errors and retries.
CONFIG = {"metrics": {"token": TOKEN},
          "providers": {"deezer": {"enabled": True,
                                   "api_base": "http://127.0.0.1:9/deezer",
                                   "access_token": "dz-token"}}}


def scrape(s, headers=None, query="", key=True):
    hdrs = dict(headers or {})
    if key:
        hdrs["X-Api-Key"] = s.api_key()
    req = urllib.request.Request(f"http://127.0.0.1:{s.port}/metrics{query}",
                                 headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers.get("Content-Type"), resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read().decode()


def test_the_exposition_is_strictly_valid_and_complete():
    with Service(CONFIG) as s:
        s.start()
        wait_for(lambda: s.get("/api/library/tasks/health_check")[1]["last_run"],
                 what="the start-up health check")
        status, ctype, text = scrape(s)
        check(status == 200, (status, text))
        check(ctype == "text/plain; version=0.0.4; charset=utf-8", ctype)
        fams = promparse.parse(text)
        for name, kind in [
                ("discotheque_up", "gauge"),
                ("discotheque_task_runs_total", "counter"),
                ("discotheque_task_duration_seconds", "histogram"),
                ("discotheque_task_running", "gauge"),
                ("discotheque_store_transactions_total", "counter"),
                ("discotheque_store_writes_total", "counter"),
                ("discotheque_store_commit_duration_seconds", "histogram"),
                ("discotheque_store_writes_per_transaction", "histogram"),
                ("discotheque_dedup_rows_total", "counter"),
                ("discotheque_provider_requests_total", "counter"),
                ("discotheque_provider_errors_total", "counter"),
                ("discotheque_provider_rate_limited_total", "counter"),
                ("discotheque_provider_retries_total", "counter"),
                ("discotheque_provider_limiter_wait_seconds_total", "counter"),
                ("discotheque_provider_breaker_state", "gauge"),
                ("discotheque_provider_request_duration_seconds", "histogram"),
                ("discotheque_actor_mailbox_messages", "gauge"),
                ("discotheque_actor_messages_handled_total", "counter"),
                ("discotheque_scan_files_per_second", "gauge"),
                ("discotheque_download_queue_length", "gauge")]:
            check(name in fams, f"{name} missing")
            check(fams[name]["type"] == kind, (name, fams[name]["type"]))
            check(fams[name]["help"], name)
        actors = {ls["actor"] for _, ls, _ in
                  fams["discotheque_actor_mailbox_messages"]["samples"]}
        for a in ["supervisor", "store", "dedup_store", "api", "gateway.deezer"]:
            check(a in actors, (a, actors))
        check(promparse.value(fams, "discotheque_provider_breaker_state",
                              provider="deezer", state="closed")
              + promparse.value(fams, "discotheque_provider_breaker_state",
                                provider="deezer", state="open")
              + promparse.value(fams, "discotheque_provider_breaker_state",
                                provider="deezer", state="half_open") == 1,
              fams["discotheque_provider_breaker_state"])


def test_values_move_with_real_work():
    with Service(CONFIG) as s:
        s.start()
        task = lambda: s.get("/api/library/tasks/health_check")[1]
        wait_for(lambda: task()["last_run"] and not task()["running"],
                 what="the start-up health check")
        before = promparse.parse(scrape(s)[2])
        runs = promparse.value(before, "discotheque_task_runs_total",
                               task="health_check", status="succeeded")
        tx = promparse.value(before, "discotheque_store_transactions_total")
        last = task()["last_run"]
        status, body = s.post("/api/library/tasks/health_check/run")
        check(status == 202, (status, body))
        wait_for(lambda: task()["last_run"] != last and not task()["running"],
                 what="the Run Now")

        def moved():
            fams = promparse.parse(scrape(s)[2])
            return fams if promparse.value(
                fams, "discotheque_task_runs_total", task="health_check",
                status="succeeded") == runs + 1 else None
        after = wait_for(moved, timeout=10, what="task_runs_total + 1")
        check(promparse.value(after, "discotheque_store_transactions_total") > tx,
              "no new transaction")
        check(promparse.value(after, "discotheque_store_commit_duration_seconds",
                              "discotheque_store_commit_duration_seconds_count")
              >= promparse.value(after, "discotheque_store_transactions_total"),
              "every commit observed")
        check(promparse.value(after, "discotheque_task_duration_seconds",
                              "discotheque_task_duration_seconds_count",
                              task="health_check") >= runs + 1, "duration observed")
        # the Deezer sync of the start-up cycle met a closed port
        fams = wait_for(lambda: (lambda f: f if promparse.value(
            f, "discotheque_provider_errors_total", provider="deezer") > 0 else None)(
                promparse.parse(scrape(s)[2])), timeout=30, what="deezer errors")
        check(promparse.value(fams, "discotheque_provider_requests_total",
                              provider="deezer") > 0, "no deezer requests")
        check(promparse.value(fams, "discotheque_provider_retries_total",
                              provider="deezer") > 0, "no deezer retries")


def test_key_or_token_only():
    with Service(CONFIG) as s:
        s.start()
        check(scrape(s, key=False)[0] == 401, "no credentials")
        check(scrape(s, key=False, headers={"X-Api-Key": "wrong"})[0] == 401, "bad key")
        check(scrape(s, key=False, headers={"Authorization": "Bearer nope"})[0] == 401,
              "bad token")
        check(scrape(s, key=False, headers={"Authorization": f"Bearer {TOKEN}"})[0] == 200,
              "bearer token")
        check(scrape(s, key=False, query=f"?token={TOKEN}")[0] == 200, "query token")
        check(scrape(s, key=False, query=f"?apikey={s.api_key()}")[0] == 200, "query key")
    with Service() as s:  # no token configured: an empty token is no credential
        s.start()
        check(scrape(s, key=False, query="?token=")[0] == 401, "empty token")


def test_the_parser_is_strict():
    good = "# HELP a_total x\n# TYPE a_total counter\na_total{k=\"v\"} 1\n"
    promparse.parse(good)
    for bad in [good.rstrip("\n"),
                good + "a_total{k=\"v\"} 2\n",
                good + "# TYPE b gauge\nb 1\na_total{k=\"w\"} 1\n",
                "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
                "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",
                "a{k=v} 1\n", "a 1x\n", "1a 1\n"]:
        try:
            promparse.parse(bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad!r}")


if __name__ == "__main__":
    run_tests([test_the_parser_is_strict,
               test_the_exposition_is_strictly_valid_and_complete,
               test_values_move_with_real_work,
               test_key_or_token_only])
