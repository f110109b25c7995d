"""The status API on the real binary: every endpoint with its documented
fields, API-key auth, error statuses, Run Now, persistence across restarts."""
import http.client
import json
import os
import re
import socket
import stat
import time

from harness import wait_for, Service, check, run_tests

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
TASK_FIELDS = {"name", "phase", "depends_on", "implemented", "enabled", "interval_seconds",
               "running", "last_run", "last_success", "last_error", "next_run", "stats"}
SPEC_TASKS = {"scan_local_library", "sync_spotify_likes", "sync_deezer_favorites",
              "sync_tidal_favorites", "sync_playlists", "identify_artists", "identify_albums",
              "identify_tracks", "enrich_metadata", "expand_discography", "enrich_images",
              "cleanup_library", "health_check", "sync_new_releases",
              "download_queue"}



def raw_request(port, payload, timeout=5):
    """Sends raw bytes, returns the status line (or '' if closed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(payload)
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            pass
        return data.split(b"\r\n", 1)[0].decode(errors="replace")


def test_status_endpoints_have_the_documented_fields():
    with Service() as svc:
        svc.start()
        key_file = os.path.join(svc.data, "api_key")
        check(stat.S_IMODE(os.stat(key_file).st_mode) == 0o600, "api_key mode")
        # The startup cycle runs the health check.
        wait_for(lambda: svc.get("/api/library/tasks/health_check")[1]["last_status"] == "succeeded",
                 what="first health check")
        status, body = svc.get("/api/library/status")
        check(status == 200, status)
        for k in ("status", "uptime_seconds", "tasks", "providers", "last_cycle", "totals"):
            check(k in body, f"status lacks {k}: {body.keys()}")
        check(body["status"] in ("healthy", "degraded", "error"), body["status"])
        check({t["name"] for t in body["tasks"]} == SPEC_TASKS, body["tasks"])
        for k in ("artists", "albums", "tracks", "owned_artists", "owned_albums",
                  "owned_tracks", "pending_downloads"):
            check(isinstance(body["totals"][k], int), f"totals.{k}")
        # the seed's names for the same answer
        check(body["state"] == body["status"], (body["state"], body["status"]))
        for k in ("artists", "albums", "tracks"):
            check(body["total_" + k] == body["totals"][k], k)
            check(body["owned_" + k] == body["totals"]["owned_" + k], k)
        check(body["pending_downloads"] == body["totals"]["pending_downloads"], "pending")
        names = {p["name"] for p in body["providers"]}
        # the providers that exist. MusicBrainz and the Cover Art Archive
        # are public catalogues: no account, so never "authenticated"
        # (null), and need no credential.
        check(names == {"spotify", "deezer", "tidal", "musicbrainz", "coverartarchive",
                        "slskd"}, names)
        mb = next(p for p in body["providers"] if p["name"] == "musicbrainz")
        check(mb["kind"] == "metadata" and mb["authenticated"] is None
              and mb["needs_auth"] is False, mb)
        for p in body["providers"]:
            for k in ("enabled", "authenticated", "circuit_breaker_open",
                      "last_successful_call", "errors_24h"):
                check(k in p, f"provider lacks {k}: {p}")
        cyc = body["last_cycle"]
        check(cyc is not None and {"completed", "skipped", "failed"} <= cyc.keys(), cyc)
        done = {c["task"] for c in cyc["completed"]}
        check("health_check" in done, cyc)
        skipped = {s["task"]: s["reason"] for s in cyc["skipped"]}
        # Honest about what is not built: never reported as succeeded.
        for t in body["tasks"]:
            if not t["implemented"]:
                check(t["name"] not in done, f"{t['name']} reported done")
                check(t["last_status"] != "succeeded", t)
        check(skipped.get("sync_new_releases") == "disabled", skipped)
        check(skipped.get("identify_albums") in ("dependencies_not_met", "provider_unavailable"), skipped)

        status, tasks = svc.get("/api/library/tasks")
        check(status == 200 and len(tasks["tasks"]) == len(SPEC_TASKS), tasks)
        for t in tasks["tasks"]:
            check(TASK_FIELDS <= t.keys(), f"task lacks {TASK_FIELDS - t.keys()}")
        status, hc = svc.get("/api/library/tasks/health_check")
        check(status == 200 and hc["name"] == "health_check", hc)
        check(ISO.match(hc["last_run"]) and ISO.match(hc["last_success"]), hc)
        check(ISO.match(hc["next_run"]), hc)
        check(hc["stats"]["state"] in ("healthy", "degraded"), hc["stats"])
        check(hc["stats"]["database"]["consistent"] is True, hc["stats"])


def test_auth_and_error_statuses():
    with Service() as svc:
        svc.start()
        key = svc.api_key()
        check(len(key) >= 32, key)
        s, body = svc.get("/api/library/status", key=False)
        check(s == 401 and body["error"] == "unauthorized", (s, body))
        s, _ = svc.get("/api/library/status", key=False, headers={"X-Api-Key": "wrong"})
        check(s == 401, s)
        s, _ = svc.get(f"/api/library/status?apikey={key}", key=False)
        check(s == 200, f"apikey query parameter: {s}")
        s, _ = svc.get("/api/health", key=False)
        check(s == 200, "health needs no key")
        s, body = svc.get("/api/library/tasks/defragment")
        check(s == 404 and body["error"] == "unknown_task", (s, body))
        s, body = svc.get("/api/nothing/here")
        check(s == 404 and body["error"] == "not_found", (s, body))
        # Outside /api/ only the dashboard's files are served (test_web.py).
        s, body = svc.get("/no-such-page.html", key=False)
        check(s == 404 and body["error"] == "not_found", (s, body))
        s, body = svc.request("DELETE", "/api/library/status")
        check(s == 405 and body["error"] == "method_not_allowed", (s, body))
        s, body = svc.get("/api/library/tasks/health_check/run")
        check(s == 405, s)
        s, body = svc.request("PUT", "/api/library/tasks/health_check", body=b"{not json")
        check(s == 400, (s, body))
        check("not valid JSON" in body["message"], body)
        # messages do not repeat the code
        s, body = svc.get("/api/library/tasks/defragment")
        check(not body["message"].startswith("unknown_task"), body)
        check("defragment" in body["message"], body)
        # A body over the limit is refused as soon as its Content-Length is
        # read (sending the body itself would race the server's close).
        line = raw_request(svc.port, b"PUT /api/library/tasks/health_check HTTP/1.1\r\n"
                           b"Host: x\r\nX-Api-Key: " + key.encode()
                           + b"\r\nContent-Length: 2097152\r\n\r\n")
        check(" 413 " in line, f"oversized body got {line!r}")
        line = raw_request(svc.port, b"THIS IS NOT HTTP\r\n\r\n")
        check(" 400 " in line, f"garbage got {line!r}")
        line = raw_request(svc.port, b"GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")
        check(" 400 " in line, f"bad content-length got {line!r}")
        # Still alive after all that.
        s, _ = svc.get("/api/health", key=False)
        check(s == 200, "service survived bad input")


def test_health_without_the_key_is_lean():
    with Service() as svc:
        svc.start()
        wait_for(lambda: svc.get("/api/library/tasks/health_check")[1]["last_status"] == "succeeded",
                 what="first health check")
        # Without the key: the verdict and the problems, nothing else.
        s, lean = svc.get("/api/health", key=False)
        check(s == 200, (s, lean))
        check(set(lean) == {"state", "problems"}, lean)
        check(lean["state"] in ("healthy", "degraded"), lean)
        check(isinstance(lean["problems"], list), lean)
        # With it (header or parameter): the full answer.
        for full in (svc.get("/api/health")[1],
                     svc.get(f"/api/health?apikey={svc.api_key()}", key=False)[1]):
            check(set(full) == {"status", "version", "uptime_seconds", "last_check", "problems"},
                  full)
            check(full["status"] == lean["state"], (full, lean))
            check(ISO.match(full["last_check"]), full)
        # A wrong key is no key (not a 401: health stays open).
        s, wrong = svc.get("/api/health", key=False, headers={"X-Api-Key": "wrong"})
        check(s == 200 and set(wrong) == {"state", "problems"}, (s, wrong))


def test_idle_connections_are_closed():
    with Service(config={"http": {"idle_timeout_s": 1}}) as svc:
        svc.start()
        with socket.create_connection(("127.0.0.1", svc.port), timeout=5) as s:
            start = time.time()
            data = s.recv(100)  # server closes: recv returns b""
            check(data == b"", data)
            check(time.time() - start < 4, "closed after the idle timeout")


def test_keep_alive_serves_many_requests_on_one_connection():
    with Service() as svc:
        svc.start()
        conn = http.client.HTTPConnection("127.0.0.1", svc.port, timeout=10)
        for _ in range(50):
            conn.request("GET", "/api/library/tasks", headers={"X-Api-Key": svc.api_key()})
            r = conn.getresponse()
            check(r.status == 200, r.status)
            json.loads(r.read())
        conn.close()


def test_head_sends_headers_only_and_keeps_the_connection():
    with Service() as svc:
        svc.start()
        key = svc.api_key()
        for path, hdrs in (("/api/health", ""), ("/api/library/status", f"X-Api-Key: {key}\r\n"),
                           ("/api/library/artists", f"X-Api-Key: {key}\r\n")):
            with socket.create_connection(("127.0.0.1", svc.port), timeout=5) as s:
                s.sendall(f"HEAD {path} HTTP/1.1\r\nHost: x\r\n{hdrs}\r\n".encode())
                data = b""
                while b"\r\n\r\n" not in data:
                    data += s.recv(4096)
                head, rest = data.split(b"\r\n\r\n", 1)
                check(b" 200 " in head.split(b"\r\n")[0], head)
                length = re.search(rb"Content-Length: (\d+)", head, re.I)
                check(length and int(length.group(1)) > 0, f"{path}: GET's Content-Length: {head!r}")
                # A body would be read as the start of the next response:
                # the same connection must answer a GET cleanly next.
                s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n{hdrs}\r\n".encode())
                time.sleep(0.2)
                s.settimeout(2)
                more = rest + s.recv(65536)
                check(more.startswith(b"HTTP/1.1 200"), f"{path}: after HEAD came {more[:80]!r}")


def test_run_now_and_settings():
    with Service() as svc:
        svc.start()
        wait_for(lambda: not svc.get("/api/library/tasks/health_check")[1]["running"]
                 and svc.get("/api/library/tasks/health_check")[1]["last_run"], what="startup check")
        before = svc.get("/api/library/tasks/health_check")[1]["last_run"]
        time.sleep(0.01)
        s, body = svc.post("/api/library/tasks/health_check/run")
        check(s == 202 and body["started"] is True, (s, body))
        wait_for(lambda: svc.get("/api/library/tasks/health_check")[1]["last_run"] != before
                 and not svc.get("/api/library/tasks/health_check")[1]["running"], what="run now")
        _, st = svc.get("/api/library/status")
        hc = [t for t in st["tasks"] if t["name"] == "health_check"][0]
        check(hc["last_run"] != before and hc["last_status"] == "succeeded", hc)
        s, body = svc.post("/api/library/tasks/enrich_metadata/run")
        check(s == 409 and body["error"] == "not_implemented", (s, body))
        s, body = svc.post("/api/library/tasks/nope/run")
        check(s == 404, s)
        s, body = svc.request("PUT", "/api/library/tasks/health_check",
                              body={"enabled": False, "interval_seconds": 600})
        check(s == 200 and body["enabled"] is False and body["interval_seconds"] == 600, body)
        check(body["next_run"] is None, "a disabled task has no next run")
        s, body = svc.request("PUT", "/api/library/tasks/health_check", body={"colour": "red"})
        check(s == 400, (s, body))
        s, body = svc.post("/api/library/cycle")
        check(s in (202, 409), (s, body))


def test_history_and_settings_survive_a_restart():
    with Service() as svc:
        svc.start()
        wait_for(lambda: svc.get("/api/library/tasks/health_check")[1]["last_success"],
                 what="first health check")
        svc.request("PUT", "/api/library/tasks/scan_local_library", body={"interval_seconds": 7200})
        _, hc1 = svc.get("/api/library/tasks/health_check")
        check(svc.stop() == 0, "clean stop")
        svc.start()
        _, hc2 = svc.get("/api/library/tasks/health_check")
        check(hc2["last_success"] == hc1["last_success"], (hc1, hc2))
        # Not rerun at start: it ran less than its interval ago.
        check(hc2["next_run"] == hc1["next_run"], (hc1["next_run"], hc2["next_run"]))
        _, scan = svc.get("/api/library/tasks/scan_local_library")
        check(scan["interval_seconds"] == 7200, scan)


if __name__ == "__main__":
    run_tests([test_head_sends_headers_only_and_keeps_the_connection,
               test_status_endpoints_have_the_documented_fields,
               test_auth_and_error_statuses, test_health_without_the_key_is_lean,
               test_idle_connections_are_closed,
               test_keep_alive_serves_many_requests_on_one_connection,
               test_run_now_and_settings, test_history_and_settings_survive_a_restart])
