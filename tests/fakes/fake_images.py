#!/usr/bin/env python3
"""A fake Cover Art Archive plus provider image hosts for tests, on 127.0.0.1.

Cover Art Archive (api_base http://127.0.0.1:PORT/caa), as metabrainz/artwork-redirect
answers: everything is a 307 into the "Internet Archive" part of this server,
absence of art is a 404 with a text/plain body.
  GET /caa/release/MBID                 307 -> /ia/download/mbid-MBID/index.json, or 404
  GET /caa/release-group/MBID           307 -> the index of the release chosen for it, or 404
  GET /caa/release/MBID/ID-SIZE.jpg     307 -> /ia/download/mbid-MBID/mbid-MBID-ID_thumbSIZE.jpg
  GET /ia/download/mbid-MBID/index.json the JSON index (tests/fixtures/coverartarchive/release_index.json
                                        with this server's URLs and the release's MBID)
  GET /ia/download/...jpg               a JPEG naming the file in its bytes

Provider image URLs, GET /img/KIND/NAME[?delay=S]:
  ok       200 image/jpeg (ETag, Last-Modified; If-None-Match answered 304)
  png      200 image/png
  webp     200 image/webp
  missing  404
  huge     200 image/jpeg of 50 MB (JPEG magic, then filler), Content-Length set
  html     200 text/html body (named .jpg)
  slow     waits `delay` s (default 1), then ok
  stall    waits `delay` s (default 30), then ok (for the client's timeout)
  redirect 307 to /img/ok/NAME
  ftp      302 to ftp://127.0.0.1/NAME (a non-http URL)
  file     302 to file:///etc/passwd
  loop     302 to itself (endless redirects)
Control (not counted):
  GET  /_stats   {"requests", "image_requests", "max_concurrent", "by_path"}
  GET  /_log     every request: {"t", "path", "status"}
  POST /_reset   forget the log and the counters

It MEASURES concurrency: the number of image transfers (every /img/ and /ia/
request but the index) in progress at once, whose maximum is `max_concurrent`.

Scenario (JSON, all keys optional):
{"releases": ["MBID", ...],                # releases with a front image
 "release_groups": {"RG-MBID": "RELEASE-MBID"}}
"""
import argparse
import copy
import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

from serve import read_scenario, serve

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(os.path.dirname(HERE), "fixtures", "coverartarchive", "release_index.json")
FIXTURE_MBID = "e47d04a4-7c2f-4d5c-8ad5-8d2c4e2a3f1b"

JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
WEBP_HEAD = b"RIFF\x24\x00\x00\x00WEBPVP8 "
HUGE = 50 * 1024 * 1024


def jpeg(name):
    return JPEG_HEAD + ("image:" + name).encode() + b"\xff\xd9"


class State:
    def __init__(self, scenario):
        self.scenario = scenario
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.requests = 0
        self.image_requests = 0
        self.active = 0
        self.max_concurrent = 0
        self.by_path = {}
        self.log = []


class Handler(BaseHTTPRequestHandler):
    state = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", ctype="text/plain", headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            ctype = "application/json"
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, status, location):
        self.send(status, f"See: {location}\n", headers={"Location": location})

    def base(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def do_POST(self):
        if self.path == "/_reset":
            with self.state.lock:
                self.state.reset()
            return self.send(200, {"ok": True})
        self.send(405, "method not allowed")

    def do_GET(self):
        st = self.state
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/_stats":
            with st.lock:
                return self.send(200, {"requests": st.requests, "image_requests": st.image_requests,
                                       "max_concurrent": st.max_concurrent, "by_path": st.by_path})
        if url.path == "/_log":
            with st.lock:
                return self.send(200, list(st.log))
        is_image = (url.path.startswith("/img/")
                    or (url.path.startswith("/ia/") and not url.path.endswith("index.json")))
        entry = {"t": time.time(), "path": url.path, "status": 0}
        with st.lock:
            st.requests += 1
            st.by_path[url.path] = st.by_path.get(url.path, 0) + 1
            st.log.append(entry)
            if is_image:
                st.image_requests += 1
                st.active += 1
                st.max_concurrent = max(st.max_concurrent, st.active)
        try:
            entry["status"] = self.route(url.path, q)
        except (BrokenPipeError, ConnectionResetError):
            entry["status"] = -1  # the client hung up (size limit, timeout)
        finally:
            if is_image:
                with st.lock:
                    st.active -= 1

    def route(self, path, q):
        parts = path.strip("/").split("/")
        if parts[0] == "caa":
            return self.caa(parts[1:])
        if parts[0] == "ia":
            return self.archive(parts[1:])
        if parts[0] == "img" and len(parts) >= 3:
            return self.image(parts[1], "/".join(parts[2:]), q)
        self.send(404, "no such path")
        return 404

    def caa(self, parts):
        releases = set(self.state.scenario.get("releases", []))
        groups = self.state.scenario.get("release_groups", {})
        if len(parts) == 2 and parts[0] == "release":
            if parts[1] not in releases:
                self.send(404, f"No cover art found for release {parts[1]}")
                return 404
            self.redirect(307, f"{self.base()}/ia/download/mbid-{parts[1]}/index.json")
            return 307
        if len(parts) == 2 and parts[0] == "release-group":
            rel = groups.get(parts[1])
            if rel not in releases:
                self.send(404, f"No cover art found for release group {parts[1]}")
                return 404
            self.redirect(307, f"{self.base()}/ia/download/mbid-{rel}/index.json")
            return 307
        if len(parts) == 3 and parts[0] == "release":
            mbid, name = parts[1], parts[2]
            image_id, _, size = name.removesuffix(".jpg").partition("-")
            thumb = f"_thumb{size}" if size else ""
            self.redirect(307, f"{self.base()}/ia/download/mbid-{mbid}/mbid-{mbid}-{image_id}{thumb}.jpg")
            return 307
        self.send(400, "unparsable request")
        return 400

    def archive(self, parts):
        if len(parts) == 3 and parts[0] == "download" and parts[2] == "index.json":
            mbid = parts[1].removeprefix("mbid-")
            with open(FIXTURE, "rb") as f:
                text = f.read().decode()
            text = text.replace("http://coverartarchive.org", self.base() + "/caa").replace(FIXTURE_MBID, mbid)
            self.send(200, json.loads(text))
            return 200
        if len(parts) == 3 and parts[0] == "download" and parts[2].endswith(".jpg"):
            self.send(200, jpeg(parts[2]), ctype="image/jpeg")
            return 200
        self.send(404, "not found")
        return 404

    def image(self, kind, name, q):
        etag = '"' + name + '-v1"'
        if kind in ("slow", "stall"):
            time.sleep(float(q.get("delay", 1 if kind == "slow" else 30)))
            kind = "ok"
        if kind == "ok":
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return 304
            self.send(200, jpeg(name), ctype="image/jpeg",
                      headers={"ETag": etag, "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"})
            return 200
        if kind == "png":
            self.send(200, PNG_HEAD + name.encode(), ctype="image/png")
            return 200
        if kind == "webp":
            self.send(200, WEBP_HEAD + name.encode(), ctype="image/webp")
            return 200
        if kind == "missing":
            self.send(404, "Not Found")
            return 404
        if kind == "html":
            self.send(200, "<!doctype html><html><body>Not found, but 200</body></html>",
                      ctype="text/html; charset=utf-8")
            return 200
        if kind == "redirect":
            self.redirect(307, f"{self.base()}/img/ok/{name}")
            return 307
        if kind == "ftp":
            self.redirect(302, f"ftp://127.0.0.1/{name}")
            return 302
        if kind == "file":
            self.redirect(302, "file:///etc/passwd")
            return 302
        if kind == "loop":
            self.redirect(302, f"{self.base()}/img/loop/{name}")
            return 302
        if kind == "huge":
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            self.wfile.write(JPEG_HEAD)
            chunk = b"\0" * (1 << 20)
            left = HUGE - len(JPEG_HEAD)
            while left > 0:
                n = min(left, len(chunk))
                self.wfile.write(chunk[:n])
                left -= n
            return 200
        self.send(404, "unknown kind")
        return 404


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", help="JSON file")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--ready-file", help="written with the port once listening")
    args = ap.parse_args()
    Handler.state = State(read_scenario(args.scenario))
    serve(Handler, args.port, args.ready_file)


if __name__ == "__main__":
    main()
