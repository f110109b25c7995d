"""GET /api/system/events on the real binary: a Run Now's task_started and
task_finished arrive as Server-Sent Events (with task, status, time), the
messages actors handle stream while someone listens, ?filter= narrows the
stream, the key is required, and an open stream does not hold the
shutdown back."""
import time

from harness import Service, check, run_tests
from sse import EventStream


def test_run_now_streams_task_started_and_finished():
    with Service() as s:
        s.start()
        ev = EventStream(s.port, s.api_key())
        try:
            check(ev.status == 200, ev.status)
            check(ev.headers.get("content-type") == "text/event-stream", ev.headers)
            check(ev.headers.get("cache-control") == "no-cache", ev.headers)
            # let the start-up cycle's health_check end first
            time.sleep(0.5)
            status, body = s.post("/api/library/tasks/health_check/run")
            if status == 409:  # still running from the start-up cycle
                time.sleep(2)
                status, body = s.post("/api/library/tasks/health_check/run")
            check(status == 202, (status, body))
            seen = ev.wait_for(lambda n, d: n == "task_finished"
                               and d["task"] == "health_check"
                               and d["trigger"] == "manual")
            started = [d for n, d in seen if n == "task_started"
                       and d["task"] == "health_check" and d["trigger"] == "manual"]
            check(started, seen)
            finished = seen[-1][1]
            check(finished["type"] == "task_finished", finished)
            check(finished["status"] == "succeeded", finished)
            check(finished["run_id"] == started[-1]["run_id"], (finished, started))
            check(isinstance(finished["duration_ms"], int), finished)
            check(isinstance(finished["stats"], dict), finished)
            check(finished["time"].endswith("Z"), finished)
            # the actors' messages of that run: the supervisor got `run`, the
            # store wrote the task run (events of different actors may come
            # in any order: read on for a moment)
            while True:
                more = ev.next(timeout=1)
                if more is None:
                    break
                seen.append(more)
            messages = [(d["actor"], d["message"]) for n, d in seen if n == "message"]
            check(("supervisor", "run") in messages, messages)
            check(any(a == "store" and m == "write" for a, m in messages), messages)
        finally:
            ev.close()


def test_filter_and_query_key():
    with Service() as s:
        s.start()
        ev = EventStream(s.port, None,
                         query=f"apikey={s.api_key()}&filter=task_")
        try:
            check(ev.status == 200, ev.status)
            time.sleep(0.5)
            status, _ = s.post("/api/library/tasks/health_check/run")
            if status == 409:
                time.sleep(2)
                s.post("/api/library/tasks/health_check/run")
            seen = ev.wait_for(lambda n, d: n == "task_finished")
            names = {n for n, _ in seen}
            check(names <= {"task_started", "task_finished"}, names)
        finally:
            ev.close()


def test_the_key_is_required():
    with Service() as s:
        s.start()
        ev = EventStream(s.port, "wrong-key")
        check(ev.status == 401, ev.status)
        ev.close()
        ev = EventStream(s.port, None)
        check(ev.status == 401, ev.status)
        ev.close()


def test_an_open_stream_does_not_hold_the_shutdown_back():
    with Service() as s:
        s.start()
        ev = EventStream(s.port, s.api_key())
        check(ev.status == 200, ev.status)
        started = time.time()
        rc = s.stop()
        check(rc == 0, (rc, s.output()))
        check(time.time() - started < 10, time.time() - started)
        # the stream ended with the service
        deadline = time.time() + 5
        while ev.next(timeout=1) is not None and time.time() < deadline:
            pass
        check(ev.next(timeout=1) is None, "stream still open")
        ev.close()


if __name__ == "__main__":
    run_tests([test_run_now_streams_task_started_and_finished,
               test_filter_and_query_key,
               test_the_key_is_required,
               test_an_open_stream_does_not_hold_the_shutdown_back])
