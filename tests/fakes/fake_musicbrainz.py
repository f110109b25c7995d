#!/usr/bin/env python3
"""A fake MusicBrainz web service (ws/2, JSON) for tests, on 127.0.0.1.

  api_base http://127.0.0.1:PORT/ws/2
  GET /ws/2/artist?query=artist:"NAME"&limit=N&offset=M   artist search (Lucene phrase)
  GET /ws/2/artist/MBID                                   artist lookup (merged ids answer the new id)
  GET /ws/2/release-group?artist=MBID&limit=N&offset=M    release-group browse, paged (types, secondary
                                                          types, first-release dates as the scenario says)
  GET /ws/2/release?release-group=MBID                    the group's releases (media with track counts)
  GET /ws/2/release/MBID                                  release lookup (media, tracks, recordings, ISRCs;
                                                          its release group with the group's types)
  GET /ws/2/isrc/ISRC                                     recordings of an ISRC
Control (not rate limited, not logged):
  GET  /_stats      {"requests", "violations", "rejected", "by_kind"}
  GET  /_log        every request: {"t", "path", "query", "ua", "status"}
  POST /_scenario   merge a JSON object into the scenario
  POST /_reset      forget the log and the counters

Bodies are built from the real ones in tests/fixtures/musicbrainz/ (ids, names
and titles replaced), so the service under test parses real shapes.

The rate limit is enforced like musicbrainz.org's: more than `rate` requests
(default 1) arriving within any one second are answered 503 with MusicBrainz's
JSON body and counted as a violation.

Scenario (JSON, all keys optional):
{
  "rate": 1,
  "artists": [{"id": MBID, "name": "Nirvana", "sort_name": "...", "type": "Group",
               "country": "US", "disambiguation": "...", "aliases": ["..."],
               "score": 100,                 # the search score when the name matches
               "release_groups": [{"title": "Nevermind", "type": "Album", "id": MBID,
                                   "secondary": [], "date": "1991-09-24",
                                   "releases": [{"id": MBID, "status": "Official", "date": "1991",
                                                 "barcode": "", "tracks": [{"title": "...",
                                                 "length": 301000, "recording": MBID,
                                                 "isrcs": ["..."]}]}]}] | N}],
  "merged": {"OLD-MBID": "NEW-MBID"},
  "releases": {"MBID": {"title": "...", "artist": MBID}},
  "isrcs": {"ISRC": [{"id": MBID, "title": "...", "length": 180000}]},
  "faults": [{"path": "/artist", "kind": "503_json" | "503_html" | "slow",
              "count": 1, "retry_after": "1", "delay": 2}]
}
"""
import argparse
import copy
import json
import os
import re
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler

from serve import read_scenario, serve

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures", "musicbrainz")


def load(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return json.loads(f.read().decode("utf-8"))


ARTIST = load("fuzzbin_musicbrainz_artist_search_response.json")["artists"][0]
RELEASE_GROUP = load("mbsolr_search_release-group-list.json")["release-groups"][0]
RELEASE = load("fuzzbin_musicbrainz_release_response.json")
ISRC = load("fuzzbin_musicbrainz_isrc_response.json")

RATE_BODY = {"error": "Your requests are exceeding the allowable rate limit. Please see "
                      "https://musicbrainz.org/doc/XML_Web_Service/Rate_Limiting for more information.",
             "help": "For usage, please see: https://musicbrainz.org/development/mmd"}
NOT_FOUND = {"error": "Not Found", "help": "For usage, please see: https://musicbrainz.org/development/mmd"}
HTML_503 = (b"<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n"
            b"<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n"
            b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
PHRASE = re.compile(r'artist:"((?:[^"\\]|\\.)*)"')


def fold(s):
    return " ".join(s.casefold().split())


def rg_id(artist_id, i):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"rg/{artist_id}/{i}"))


class State:
    def __init__(self, scenario, log_path):
        self.lock = threading.Lock()
        self.scenario = scenario
        self.log_path = log_path
        self.index = None
        self.artist_index = None
        self.by_group = {}
        self.reset()

    def reset(self):
        self.log = []
        self.arrivals = []
        self.violations = 0
        self.rejected = 0
        self.by_kind = {}

    def artists(self):
        return self.scenario.get("artists", [])

    def artist(self, mbid):
        if self.index is None or self.artist_index is None:
            group_releases(self)
            self.artist_index = {a["id"]: a for a in self.artists()}
        return self.artist_index.get(mbid)

    def admit(self, now):
        """Counts the arrival; False when it is one too many in its second."""
        rate = float(self.scenario.get("rate", 1))
        self.arrivals = [t for t in self.arrivals if t > now - 1.0]
        self.arrivals.append(now)
        return rate <= 0 or len(self.arrivals) <= rate

    def fault_for(self, path):
        for f in self.scenario.get("faults", []):
            if path.startswith("/ws/2" + f.get("path", "")) and f.get("count", 1) != 0:
                if f.get("count", 1) > 0:
                    f["count"] = f.get("count", 1) - 1
                return f
        return None


def credit_of(a):
    return [{"name": a["name"], "joinphrase": "",
             "artist": {"id": a["id"], "name": a["name"], "sort-name": a.get("sort_name", a["name"]),
                        "disambiguation": a.get("disambiguation", ""), "type": a.get("type")}}]


def group_releases(st):
    """release id -> (artist, group id, group title, release) over the scenario
    (built once per scenario: a benchmark's scenario holds thousands)."""
    if st.index is not None:
        return st.index
    out = {}
    for a in st.artists():
        groups = a.get("release_groups", [])
        if isinstance(groups, int):
            continue
        for i, g in enumerate(groups):
            for r in g.get("releases", []):
                out[r["id"]] = (a, g.get("id", rg_id(a["id"], i)), g["title"], r, g)
    st.index = out
    st.by_group = {}
    for rid, (a, g, gt, r, _) in out.items():
        st.by_group.setdefault(g, []).append(rid)
    return out


def render_release(a, group, group_title, r, g, with_tracks):
    x = copy.deepcopy(RELEASE)
    tracks = r.get("tracks", [])
    medium = {"position": 1, "format": "CD", "title": "", "track-count": len(tracks),
              "track-offset": 0}
    if with_tracks:
        medium["tracks"] = []
        for i, t in enumerate(tracks):
            rec = t.get("recording") or str(uuid.uuid5(uuid.NAMESPACE_URL, f"rec/{r['id']}/{i}"))
            rec_body = {"id": rec, "title": t["title"], "length": t.get("length"), "video": False,
                        "disambiguation": "", "artist-credit": credit_of(a)}
            if "isrcs" in t:
                rec_body["isrcs"] = t["isrcs"]
            medium["tracks"].append({
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"track/{r['id']}/{i}")),
                "position": i + 1, "number": str(i + 1), "title": t["title"],
                "length": t.get("length"), "artist-credit": credit_of(a), "recording": rec_body})
    x.update({"id": r["id"], "title": r.get("title", group_title),
              "status": r.get("status", "Official"), "date": r.get("date", ""),
              "country": r.get("country", "XW"), "barcode": r.get("barcode", ""),
              "disambiguation": "", "artist-credit": credit_of(a),
              "release-group": {"id": group, "title": group_title,
                                "primary-type": g.get("type", "Album"),
                                "secondary-types": g.get("secondary", []),
                                "first-release-date": g.get("date", ""), "disambiguation": ""},
              "media": [medium]})
    return x


def render_artist(a, score=None):
    x = copy.deepcopy(ARTIST)
    x.update({"id": a["id"], "name": a["name"], "sort-name": a.get("sort_name", a["name"]),
              "type": a.get("type"), "country": a.get("country"),
              "disambiguation": a.get("disambiguation", "")})
    x["aliases"] = [{"sort-name": n, "name": n, "locale": None, "type": "Artist name",
                     "primary": None, "begin-date": None, "end-date": None}
                    for n in a.get("aliases", [])]
    if score is None:
        x.pop("score", None)
    else:
        x["score"] = score
    return x


def release_groups(a):
    groups = a.get("release_groups", [])
    if isinstance(groups, int):
        groups = [{"title": f"{a['name']} Album {i + 1}", "date": f"{2000 + i % 20}"}
                  for i in range(groups)]
    out = []
    for i, g in enumerate(groups):
        x = {k: copy.deepcopy(RELEASE_GROUP[k]) for k in
             ("id", "title", "primary-type", "primary-type-id", "secondary-types", "secondary-type-ids")}
        x.update({"id": g.get("id", rg_id(a["id"], i)), "title": g["title"],
                  "primary-type": g.get("type", "Album"),
                  "secondary-types": g.get("secondary", []),
                  "secondary-type-ids": [], "first-release-date": g.get("date", ""),
                  "disambiguation": ""})
        out.append(x)
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, fmt, *args):  # quiet
        pass

    def send(self, status, body, ctype="application/json; charset=utf-8", headers=None):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self):
        st = self.state
        n = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(n) or b"{}")
        with st.lock:
            if self.path == "/_scenario":
                st.scenario.update(body)
                st.index = None
                st.artist_index = None
            elif self.path == "/_reset":
                st.reset()
            else:
                return self.send(404, NOT_FOUND)
        self.send(200, {"ok": True})

    def do_GET(self):
        st = self.state
        now = time.time()
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/_stats":
            with st.lock:
                return self.send(200, {"requests": len(st.log), "violations": st.violations,
                                       "rejected": st.rejected, "by_kind": st.by_kind})
        if url.path == "/_log":
            with st.lock:
                return self.send(200, st.log)
        with st.lock:
            admitted = st.admit(now)
            if not admitted:
                st.violations += 1
            fault = st.fault_for(url.path) if admitted else None
            entry = {"t": now, "path": url.path, "query": q,
                     "ua": self.headers.get("User-Agent", ""), "status": 0}
            st.log.append(entry)
        if not admitted:
            entry["status"] = 503
            return self.send(503, RATE_BODY)
        if fault and fault.get("kind") == "slow":
            time.sleep(float(fault.get("delay", 2)))
        elif fault and fault.get("kind") in ("503_json", "503_html"):
            with st.lock:
                st.rejected += 1
            entry["status"] = 503
            hdrs = {"Retry-After": fault["retry_after"]} if "retry_after" in fault else {}
            if fault["kind"] == "503_json":
                return self.send(503, RATE_BODY, headers=hdrs)
            return self.send(503, HTML_503, ctype="text/html", headers=hdrs)
        with st.lock:
            status, body, kind = self.route(url.path, q)
            entry["status"] = status
            st.by_kind[kind] = st.by_kind.get(kind, 0) + 1
        self.send(status, body)

    def route(self, path, q):
        st = self.state
        if q.get("fmt") != "json":
            return 400, {"error": "this fake speaks fmt=json only"}, "bad"
        parts = path.split("/")[3:]  # after /ws/2
        if parts == ["artist"]:
            m = PHRASE.search(q.get("query", ""))
            if not m:
                return 400, {"error": "expected artist:\"...\""}, "search"
            term = fold(re.sub(r"\\(.)", r"\1", m.group(1)))
            hits = []
            for a in st.artists():
                names = [a["name"], a.get("sort_name", "")] + a.get("aliases", [])
                if any(fold(n) == term for n in names if n):
                    hits.append((a.get("score", 100), a))
                elif term and term in fold(a["name"]):
                    hits.append((73, a))
            hits.sort(key=lambda h: -h[0])
            limit, offset = int(q.get("limit", 25)), int(q.get("offset", 0))
            page = hits[offset:offset + limit]
            return 200, {"created": "2026-01-01T00:00:00.000Z", "count": len(hits), "offset": offset,
                         "artists": [render_artist(a, s) for s, a in page]}, "search"
        if len(parts) == 2 and parts[0] == "artist":
            mbid = st.scenario.get("merged", {}).get(parts[1], parts[1])
            a = st.artist(mbid)
            if not a:
                return 404, NOT_FOUND, "lookup"
            return 200, render_artist(a), "lookup"
        if parts == ["release-group"]:
            a = st.artist(st.scenario.get("merged", {}).get(q.get("artist", ""), q.get("artist", "")))
            if not a:
                return 404, NOT_FOUND, "browse"
            groups = release_groups(a)
            limit, offset = min(int(q.get("limit", 25)), 100), int(q.get("offset", 0))
            return 200, {"release-group-count": len(groups), "release-group-offset": offset,
                         "release-groups": groups[offset:offset + limit]}, "browse"
        if parts == ["release"] and "release-group" in q:
            index = group_releases(st)
            hits = [render_release(*index[rid], False) for rid in st.by_group.get(q["release-group"], [])]
            limit, offset = min(int(q.get("limit", 25)), 100), int(q.get("offset", 0))
            return 200, {"release-count": len(hits), "release-offset": offset,
                         "releases": hits[offset:offset + limit]}, "browse"
        if len(parts) == 2 and parts[0] == "release" and parts[1] in group_releases(st):
            a, g, gt, r, grp = group_releases(st)[parts[1]]
            return 200, render_release(a, g, gt, r, grp, True), "release"
        if len(parts) == 2 and parts[0] == "release":
            r = st.scenario.get("releases", {}).get(parts[1])
            if not r:
                return 404, NOT_FOUND, "release"
            x = copy.deepcopy(RELEASE)
            x.update({"id": parts[1], "title": r["title"]})
            return 200, x, "release"
        if len(parts) == 2 and parts[0] == "isrc":
            recs = st.scenario.get("isrcs", {}).get(parts[1])
            if recs is None:
                return 404, NOT_FOUND, "isrc"
            x = copy.deepcopy(ISRC)
            x["isrc"] = parts[1]
            template = ISRC["recordings"][0]
            x["recordings"] = [dict(copy.deepcopy(template), **r) for r in recs]
            return 200, x, "isrc"
        return 404, NOT_FOUND, "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", help="JSON file")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--ready-file", help="written with the port once listening")
    ap.add_argument("--log")
    args = ap.parse_args()
    Handler.state = State(read_scenario(args.scenario), args.log)
    serve(Handler, args.port, args.ready_file)


if __name__ == "__main__":
    main()
