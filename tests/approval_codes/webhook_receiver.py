"""A donor's webhook receiver, as a donor would write one: a real HTTP server in a thread.

It checks the signature with the shared secret (and that the timestamp is recent), records
each event at most once by its event id, and can be told to fail the first N requests.
"""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 300


def signature_is_valid(*, secret: str, header: str, body: bytes, now: float) -> bool:
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


class WebhookReceiver:
    def __init__(self, secret: str):
        self.secret = secret
        self.fail_next = 0
        self.requests = []  # (headers, body, answer) of every request, in order
        self.events = {}  # event id -> event, each recorded once
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def fail_first(self, count: int) -> None:
        self.fail_next = count

    def receive(self, headers, body: bytes) -> int:
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                answer = 503
            elif not signature_is_valid(
                secret=self.secret,
                header=headers.get("Clearinghouse-Signature", ""),
                body=body,
                now=time.time(),
            ):
                answer = 400
            else:
                event = json.loads(body)
                if event["id"] != headers.get("Clearinghouse-Event-Id"):
                    answer = 400
                else:
                    self.events.setdefault(event["id"], event)  # at most once per event id
                    answer = 200
            self.requests.append((dict(headers), body, answer))
            return answer

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                answer = receiver.receive(self.headers, body)
                self.send_response(answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler
