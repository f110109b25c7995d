"""What the fake servers share: their scenario file and serving on 127.0.0.1
with the port written to a ready file (temp file + rename, so a test never
reads half a number)."""
import json
import os
from http.server import ThreadingHTTPServer


def read_scenario(path):
    """The scenario JSON at `path`, or {} when none is given."""
    if not path:
        return {}
    with open(path) as f:
        return json.load(f)


def serve(handler, port, ready_file):
    """Serves `handler` on 127.0.0.1:`port` (0: any free one) until killed."""
    srv = ThreadingHTTPServer(("127.0.0.1", port), handler)
    srv.daemon_threads = True
    if ready_file:
        tmp = ready_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(srv.server_address[1]))
        os.rename(tmp, ready_file)
    srv.serve_forever()
