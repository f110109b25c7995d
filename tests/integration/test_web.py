"""The web dashboard's files on the real binary (issue 16): served at /
without the API key (the API calls still need it), with content types,
ETag and Cache-Control, 304 on If-None-Match, HEAD like GET; every module
the page imports is there. The page itself: tests/browser."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Service, check, run_tests  # noqa: E402


def fetch(svc, path, method="GET", headers=None):
    """Without the key: the files need none."""
    return svc.raw(method, path, headers=headers)


def test_files_are_served_without_the_key():
    with Service() as svc:
        svc.start()
        s, h, body = fetch(svc, "/")
        check(s == 200 and h["Content-Type"].startswith("text/html"), (s, h))
        check(b'src="/app.js"' in body, body[:200])
        check(h.get("Cache-Control") == "no-cache" and h.get("ETag", "").startswith('"'), h)
        s2, _, body2 = fetch(svc, "/index.html")
        check(s2 == 200 and body2 == body, s2)
        s, h, js = fetch(svc, "/app.js")
        check(s == 200 and h["Content-Type"].startswith("text/javascript"), (s, h))
        # Every module app.js (and those) import is served too.
        seen, todo = set(), ["app.js"]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            s, h, src = fetch(svc, "/" + name)
            check(s == 200 and h["Content-Type"].startswith("text/javascript"), (name, s))
            todo += re.findall(r'from "\./([a-z_]+\.js)"', src.decode())
        check({"api.js", "tasks.js", "settings.js"} <= seen, seen)
        s, h, _ = fetch(svc, "/style.css")
        check(s == 200 and h["Content-Type"].startswith("text/css"), (s, h))
        # The API behind it still needs the key.
        s, _, _ = fetch(svc, "/api/library/tasks")
        check(s == 401, s)


def test_etag_head_and_errors():
    with Service() as svc:
        svc.start()
        s, h, body = fetch(svc, "/app.js")
        etag = h["ETag"]
        s, h2, again = fetch(svc, "/app.js", headers={"If-None-Match": etag})
        check(s == 304 and again == b"", (s, again[:50]))
        s, h3, head = fetch(svc, "/app.js", method="HEAD")
        check(s == 200 and head == b"" and int(h3["Content-Length"]) == len(body), (s, h3))
        s, _, err = fetch(svc, "/api_key")
        check(s == 404 and b"not_found" in err, (s, err))
        s, _, err = fetch(svc, "/../discotheque.db")
        check(s in (400, 404), s)
        s, h, _ = fetch(svc, "/index.html", method="POST")
        check(s == 405 and "GET" in h.get("Allow", ""), (s, h))


if __name__ == "__main__":
    run_tests([test_files_are_served_without_the_key, test_etag_head_and_errors])
