"""A small Server-Sent Events reader for the integration tests (standard
library only): GET /api/system/events on a plain socket, events parsed as
they come, every read bounded in time."""
import json
import socket
import time


class EventStream:
    def __init__(self, port, key, query="", timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        path = "/api/system/events" + (("?" + query) if query else "")
        hdr = f"X-Api-Key: {key}\r\n" if key else ""
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{hdr}"
                           "Accept: text/event-stream\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            self.buf += chunk
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.lower(): v.strip() for k, _, v in
                        (l.partition(":") for l in lines[1:])}
        self.comments = []

    def next(self, timeout=10):
        """The next event as (name, data dict), or None at the deadline or
        the end of the stream."""
        deadline = time.time() + timeout
        while True:
            if b"\n\n" in self.buf:
                block, _, self.buf = self.buf.partition(b"\n\n")
                name, data = "message", None
                for line in block.decode().split("\n"):
                    if line.startswith(":"):
                        self.comments.append(line)
                    elif line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("data: "):
                        data = json.loads(line[6:])
                if data is not None:
                    return name, data
                continue
            left = deadline - time.time()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                return None
            self.buf += chunk

    def wait_for(self, pred, timeout=30):
        """Events until one satisfies pred(name, data); all seen, in order."""
        seen = []
        deadline = time.time() + timeout
        while time.time() < deadline:
            ev = self.next(timeout=deadline - time.time())
            if ev is None:
                break
            seen.append(ev)
            if pred(*ev):
                return seen
        raise AssertionError(f"no matching event; saw {[(n, d.get('task') or d.get('actor')) for n, d in seen][-30:]}")

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
