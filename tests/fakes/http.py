"""What the fake services share: a threaded HTTP server on a free loopback port, and a
request handler that keeps test output quiet and answers JSON or text."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeServer:
    """Serves `handler` on 127.0.0.1 at a free port (`url`) between `start()` and `stop()`."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        pass  # keep test output quiet

    def _json(self, status, payload, headers=None):
        self._send(status, "application/json; charset=utf-8", json.dumps(payload), headers)

    def _send(self, status, content_type, text, headers=None):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
