#!/usr/bin/env python3
"""A fake slskd (REST API /api/v0) on 127.0.0.1 for the download worker's tests.

Speaks the shapes of slskd's API v0 (github.com/slskd/slskd, 0.24+): camelCase JSON,
null properties omitted, flag states as comma-joined names.
  POST   /api/v0/searches                    {"id"?,"searchText","searchTimeout"(ms)} -> 200 Search
                                             429 while another POST /searches is processed
  GET    /api/v0/searches/{id}               Search; isComplete once the peers answered
                                             and searchTimeout (ms) has passed
  GET    /api/v0/searches/{id}/responses     [] until complete, then the responses
  POST   /api/v0/transfers/downloads/{user}  [{"filename","size"}] -> 201 {"enqueued":[Transfer],"failed":[]}
                                             429 while another enqueue is processed;
                                             500 "User x appears to be offline"
  GET    /api/v0/transfers/downloads         [{"username","directories":[{"directory","fileCount","files":[Transfer]}]}]
  GET    /api/v0/transfers/downloads/{user}/{id}   one Transfer
  DELETE /api/v0/transfers/downloads/{user}/{id}   cancel ("Completed, Cancelled")
Every /api/v0 call needs X-API-Key (401 otherwise).

Peers (scenario "peers": {name: {"behaviour", "files": [...], "speed", "slot", "queue"}}):
  good      answers at once; transfers go Requested -> Queued, Remotely -> InProgress
            -> Completed, Succeeded and write the file into the downloads folder
  slow      answers after 1 s; transfers take `seconds` (default 3)
  never     never answers a search
  locked    its files are in lockedFiles
  queued    transfers sit in "Queued, Remotely" forever
  stall     transfers go InProgress and never move again
  timeout   transfers end "Completed, TimedOut" with 0 bytes
  offline   enqueues answer 500 "User NAME appears to be offline"
A file: {"path": "Artist\\\\Album\\\\01 - T.flac", "length": S, "artist", "title", "album",
"track", "wrong": "truncated"|"empty"?}. The written file is real audio made with
sox/lame/flac (tests/corpus's tools), `length` seconds long (a truncated file: a
third of it), tagged with artist/title/album/track.

Search budget: "budget" searches per "window_s" seconds (default 34 / 220); every
search beyond it is counted in `ban_violations`.
Control (no key needed):
  GET  /_stats   {"searches", "ban_violations", "concurrent_rejected", "enqueues",
                  "downloads_by_file": {"user|path": n}, "max_searches_in_window"}
  POST /_reset   forget the counters
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler

from serve import read_scenario, serve

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "corpus"))
import generate  # noqa: E402  (the corpus's ID3 writer)


def now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".0000000Z"


def make_audio(path, seconds, tags):
    """A real audio file of `seconds` with tags, by the file's extension."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ext = os.path.splitext(path)[1].lower()
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "a.wav")
        subprocess.run(["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", wav,
                        "synth", str(max(seconds, 0.1)), "sine", "440"], check=True)
        if ext == ".flac":
            args = []
            for k, v in (("ARTIST", tags.get("artist")), ("TITLE", tags.get("title")),
                         ("ALBUM", tags.get("album")), ("TRACKNUMBER", tags.get("track"))):
                if v:
                    args += ["-T", "%s=%s" % (k, v)]
            subprocess.run(["flac", "--silent", "-f", *args, "-o", path, wav], check=True)
        else:
            mp3 = os.path.join(tmp, "a.mp3")
            subprocess.run(["lame", "--silent", "-b", "64", wav, mp3], check=True)
            id3 = {k: str(v) for k, v in tags.items() if v}
            with open(mp3, "rb") as f:
                audio = f.read()
            with open(path, "wb") as f:
                f.write(generate.id3v2(4, id3) + audio)


class State:
    def __init__(self, scenario, downloads, key):
        self.lock = threading.Lock()
        self.scenario = scenario
        self.downloads = downloads
        self.key = key
        self.peers = scenario.get("peers", {})
        self.budget = scenario.get("budget", 34)
        self.window = scenario.get("window_s", 220)
        self.searching = False
        self.enqueuing = False
        self.searches = {}
        self.transfers = {}
        self.reset()

    def reset(self):
        self.search_times = []
        self.stats = {"searches": 0, "ban_violations": 0, "concurrent_rejected": 0,
                      "enqueues": 0, "downloads_by_file": {}, "max_searches_in_window": 0}

    # --- searches ---
    def start_search(self, body):
        t = time.time()
        self.search_times = [x for x in self.search_times if x > t - self.window]
        self.search_times.append(t)
        self.stats["searches"] += 1
        n = len(self.search_times)
        self.stats["max_searches_in_window"] = max(self.stats["max_searches_in_window"], n)
        if n > self.budget:
            self.stats["ban_violations"] += 1
        sid = body.get("id") or str(uuid.uuid4())
        timeout_ms = body.get("searchTimeout", 15000)
        words = [w.lower() for w in body.get("searchText", "").split()]
        s = {"id": sid, "searchText": body.get("searchText", ""), "startedAt": now_iso(),
             "token": len(self.searches) + 1, "t0": t, "timeout_s": timeout_ms / 1000.0,
             "words": words}
        self.searches[sid] = s
        return self.search_view(s)

    def matching_peers(self, s):
        out = []
        for name, p in self.peers.items():
            if p.get("behaviour") == "never":
                continue
            delay = 1.0 if p.get("behaviour") == "slow" else 0.0
            files = [f for f in p.get("files", [])
                     if all(w in f["path"].lower() for w in s["words"])]
            if files:
                out.append((name, p, files, delay))
        return out

    def complete(self, s):
        peers = self.matching_peers(s)
        last = max([d for _, _, _, d in peers], default=0.0)
        return time.time() >= s["t0"] + last + s["timeout_s"]

    def search_view(self, s):
        done = self.complete(s)
        peers = self.matching_peers(s) if done else []
        v = {"id": s["id"], "searchText": s["searchText"], "startedAt": s["startedAt"],
             "token": s["token"], "isComplete": done,
             "state": "Completed, TimedOut" if done else "InProgress",
             "responseCount": len(peers), "fileCount": sum(len(f) for _, _, f, _ in peers),
             "lockedFileCount": 0, "responses": []}
        if done:
            v["endedAt"] = now_iso()
        return v

    def responses(self, s):
        if not self.complete(s):
            return []
        out = []
        for name, p, files, _ in self.matching_peers(s):
            entries = [self.file_entry(f) for f in files]
            locked = p.get("behaviour") == "locked"
            out.append({"username": name, "token": s["token"],
                        "hasFreeUploadSlot": p.get("slot", True),
                        "queueLength": p.get("queue", 0),
                        "uploadSpeed": p.get("speed", 1000000),
                        "fileCount": 0 if locked else len(entries),
                        "files": [] if locked else entries,
                        "lockedFileCount": len(entries) if locked else 0,
                        "lockedFiles": [dict(e, isLocked=True) for e in entries] if locked else []})
        return out

    def file_entry(self, f):
        e = {"code": 1, "extension": "", "filename": f["path"], "size": self.size_of(f),
             "isLocked": False}
        if "length" in f:
            e["length"] = f["length"]
        if f["path"].lower().endswith(".mp3"):
            e["bitRate"] = f.get("bitrate", 320)
            e["isVariableBitRate"] = False
        else:
            e["bitDepth"] = 16
            e["sampleRate"] = 44100
        return e

    @staticmethod
    def size_of(f):
        return f.get("size", 1000 + len(f["path"]) * 97 + f.get("length", 0) * 1000)

    # --- transfers ---
    def enqueue(self, user, items):
        p = self.peers.get(user)
        if p is None or p.get("behaviour") == "offline":
            return 500, "User %s appears to be offline" % user
        self.stats["enqueues"] += 1
        enqueued = []
        for it in items:
            f = next((x for x in p.get("files", []) if x["path"] == it.get("filename")), None)
            if f is None:
                continue
            tid = str(uuid.uuid4())
            t = {"id": tid, "username": user, "direction": "Download",
                 "filename": f["path"], "size": self.size_of(f), "startOffset": 0,
                 "state": "Requested", "requestedAt": now_iso()[:-1],
                 "bytesTransferred": 0, "averageSpeed": 0, "bytesRemaining": self.size_of(f),
                 "percentComplete": 0, "attempts": 0, "removed": False,
                 "_t0": time.time(), "_file": f, "_peer": p, "_done": False}
            self.transfers[tid] = t
            key = user + "|" + f["path"]
            self.stats["downloads_by_file"][key] = self.stats["downloads_by_file"].get(key, 0) + 1
            enqueued.append(self.transfer_view(t))
        return 201, {"enqueued": enqueued, "failed": []}

    def advance(self, t):
        if t["_done"]:
            return
        b = t["_peer"].get("behaviour", "good")
        age = time.time() - t["_t0"]
        secs = t["_peer"].get("seconds", 3 if b == "slow" else 0.6)
        if b == "queued":
            t["state"] = "Queued, Remotely" if age > 0.2 else "Requested"
        elif b == "stall":
            t["state"] = "InProgress" if age > 0.2 else "Requested"
            t["bytesTransferred"] = min(t["size"] // 10, t["size"]) if age > 0.2 else 0
        elif b == "timeout":
            if age > secs:
                t["state"] = "Completed, TimedOut"
                t["endedAt"] = now_iso()
                t["_done"] = True
        elif age < secs * 0.3:
            t["state"] = "Queued, Remotely"
            t["placeInQueue"] = 1
        elif age < secs:
            t.pop("placeInQueue", None)
            t["state"] = "InProgress"
            t["startedAt"] = t.get("startedAt", now_iso())
            t["bytesTransferred"] = int(t["size"] * age / secs)
        else:
            self.write_file(t)
            t["state"] = "Completed, Succeeded"
            t["bytesTransferred"] = t["size"]
            t["endedAt"] = now_iso()
            t["_done"] = True
        t["bytesRemaining"] = t["size"] - t["bytesTransferred"]
        t["percentComplete"] = 100.0 * t["bytesTransferred"] / max(t["size"], 1)

    def write_file(self, t):
        f = t["_file"]
        parts = f["path"].replace("/", "\\").split("\\")
        dest = os.path.join(self.downloads, *parts[-2:])
        wrong = f.get("wrong")
        if wrong == "empty":
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            open(dest, "wb").close()
            return
        length = f.get("length", 5)
        if wrong == "truncated":
            length = max(length // 3, 1)
        make_audio(dest, length, {"artist": f.get("artist"), "title": f.get("title"),
                                  "album": f.get("album"), "track": f.get("track")})

    def transfer_view(self, t):
        self.advance(t)
        return {k: v for k, v in t.items() if not k.startswith("_")}

    def grouped(self):
        users = {}
        for t in self.transfers.values():
            v = self.transfer_view(t)
            d = "\\".join(v["filename"].split("\\")[:-1])
            users.setdefault(v["username"], {}).setdefault(d, []).append(v)
        return [{"username": u, "directories": [
                    {"directory": d, "fileCount": len(fs), "files": fs} for d, fs in ds.items()]}
                for u, ds in users.items()]


class Handler(BaseHTTPRequestHandler):
    state = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, ctype="application/json"):
        data = body if isinstance(body, bytes) else (
            json.dumps(body).encode() if ctype == "application/json" else body.encode())
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            return json.loads(raw or b"null")
        except ValueError:
            return None

    def route(self, method):
        st = self.state
        path = urllib.parse.urlsplit(self.path).path
        if path == "/_stats":
            with st.lock:
                return self.send(200, st.stats)
        if path == "/_reset" and method == "POST":
            with st.lock:
                st.reset()
            return self.send(200, {})
        if not path.startswith("/api/v0/"):
            return self.send(404, {"error": "not found"})
        if self.headers.get("X-API-Key") != st.key:
            return self.send(401, "Unauthorized", "text/plain")
        parts = [urllib.parse.unquote(p) for p in path[len("/api/v0/"):].split("/") if p]
        body = self.body() if method in ("POST", "PUT") else None
        if parts == ["searches"] and method == "POST":
            with st.lock:
                if st.searching:
                    st.stats["concurrent_rejected"] += 1
                    return self.send(429, "Only one concurrent operation is permitted. "
                                          "Wait until the previous operation is complete "
                                          "and try again", "text/plain")
                st.searching = True
            try:
                time.sleep(0.05)  # the time slskd takes to register a search
                with st.lock:
                    return self.send(200, st.start_search(body or {}))
            finally:
                with st.lock:
                    st.searching = False
        if len(parts) >= 2 and parts[0] == "searches" and method == "GET":
            with st.lock:
                s = st.searches.get(parts[1])
                if s is None:
                    return self.send(404, "Not found", "text/plain")
                if len(parts) == 3 and parts[2] == "responses":
                    return self.send(200, st.responses(s))
                return self.send(200, st.search_view(s))
        if parts[:2] == ["transfers", "downloads"]:
            if len(parts) == 3 and method == "POST":
                with st.lock:
                    if st.enqueuing:
                        st.stats["concurrent_rejected"] += 1
                        return self.send(429, "Only one concurrent operation is permitted.",
                                         "text/plain")
                    st.enqueuing = True
                try:
                    if not isinstance(body, list) or not body:
                        return self.send(400, "empty list", "text/plain")
                    time.sleep(0.05)
                    with st.lock:
                        status, out = st.enqueue(parts[2], body)
                    if isinstance(out, str):
                        return self.send(status, out, "text/plain")
                    return self.send(status, out)
                finally:
                    with st.lock:
                        st.enqueuing = False
            with st.lock:
                if len(parts) == 2 and method == "GET":
                    return self.send(200, st.grouped())
                if len(parts) == 4:
                    t = st.transfers.get(parts[3])
                    if t is None or t["username"] != parts[2]:
                        return self.send(404, "Not found", "text/plain")
                    if method == "DELETE":
                        t["state"] = "Completed, Cancelled"
                        t["_done"] = True
                        return self.send(204, b"")
                    return self.send(200, st.transfer_view(t))
        return self.send(404, "Not found", "text/plain")

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_DELETE(self):
        self.route("DELETE")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", help="JSON file")
    ap.add_argument("--downloads", required=True, help="slskd's downloads folder")
    ap.add_argument("--api-key", default="fake-slskd-key-0123456789")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--ready-file", help="written with the port once listening")
    args = ap.parse_args()
    Handler.state = State(read_scenario(args.scenario), args.downloads, args.api_key)
    serve(Handler, args.port, args.ready_file)


if __name__ == "__main__":
    main()
