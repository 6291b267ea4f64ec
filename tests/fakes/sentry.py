"""A fake Sentry on 127.0.0.1 that takes envelopes as Sentry's ingest does.

`POST /api/<project>/envelope/`, optionally gzip-compressed, with the `X-Sentry-Auth` header
naming the DSN's public key; it answers 200 and keeps every envelope's items for the test.
"""

import gzip
import json
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PUBLIC_KEY = "publickey0123456789abcdef"


class FakeSentry:
    def __init__(self):
        self.envelopes: list[list[dict]] = []
        self.raw: list[bytes] = []
        self.received = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                encoding = self.headers.get("Content-Encoding", "")
                if encoding == "br":
                    import brotli  # sentry-sdk sends brotli whenever the module is there

                    body = brotli.decompress(body)
                elif encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "deflate":
                    body = zlib.decompress(body)
                auth = self.headers.get("X-Sentry-Auth", "")
                if not self.path.endswith("/envelope/") or f"sentry_key={PUBLIC_KEY}" not in auth:
                    self.send_response(403)
                    self.end_headers()
                    return
                fake.raw.append(body)
                fake.envelopes.append(_items(body))
                fake.received.set()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.dsn = f"http://{PUBLIC_KEY}@127.0.0.1:{self.server.server_port}/42"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[dict]:
        return [
            payload
            for envelope in self.envelopes
            for header, payload in envelope
            if header.get("type") == "event"
        ]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def _items(body: bytes) -> list:
    """An envelope's items: a header line, then (item header line, payload line) pairs."""
    lines = body.split(b"\n")
    items, index = [], 1
    while index + 1 < len(lines):
        header = json.loads(lines[index])
        payload = lines[index + 1]
        items.append((header, json.loads(payload) if payload.startswith(b"{") else payload))
        index += 2
    return items


@pytest.fixture
def fake_sentry():
    fake = FakeSentry()
    yield fake
    fake.stop()
