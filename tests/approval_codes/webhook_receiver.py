"""A donor's webhook receiver, as a donor would write one: a real HTTP server in a thread.

It verifies each delivery with the `standardwebhooks` package (signature and a recent
timestamp), records each event at most once by its `webhook-id`, and can be told to fail the
first N requests or to answer a given status.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def signature_is_valid(*, secret: str, headers, body: bytes) -> bool:
    try:
        Webhook(secret).verify(body, dict(headers.items()))
    except WebhookVerificationError:
        return False
    return True


class WebhookReceiver:
    def __init__(self, secret: str):
        self.secret = secret
        self.fail_next = 0
        self.fail_status = 503
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

    def fail_first(self, count: int, status: int = 503) -> None:
        self.fail_next, self.fail_status = count, status

    def receive(self, headers, body: bytes) -> int:
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                answer = self.fail_status
            elif not signature_is_valid(secret=self.secret, headers=headers, body=body):
                answer = 400
            else:
                event = json.loads(body)
                if event["id"] != headers.get("webhook-id"):
                    answer = 400
                else:
                    self.events.setdefault(event["id"], event)  # at most once per event id
                    answer = 200
            self.requests.append(({k.lower(): v for k, v in headers.items()}, body, answer))
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
