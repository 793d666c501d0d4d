"""A tiny SMTP server for tests: it keeps every message it is given and can be told to stall
(never greet, or take a message and hold back the final answer)."""

import contextlib
import socketserver
import threading
import time
from email import message_from_bytes


class CaptureSMTP:
    def __init__(self, *, greeting_delay: float = 0.0, answer_delay: float = 0.0):
        self.greeting_delay, self.answer_delay = greeting_delay, answer_delay
        self.messages = []
        capture = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                time.sleep(capture.greeting_delay)
                with contextlib.suppress(OSError, ValueError):  # the client gave up
                    self._talk()

            def _say(self, line: str):
                self.wfile.write(line.encode() + b"\r\n")

            def _talk(self):
                self._say("220 capture ESMTP")
                while line := self.rfile.readline():
                    verb = line.decode(errors="replace").strip().upper()
                    if verb.startswith(("EHLO", "HELO")):
                        self._say("250 capture")
                    elif verb == "DATA":
                        self._say("354 go ahead")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk
                        capture.messages.append(message_from_bytes(data))
                        time.sleep(capture.answer_delay)
                        self._say("250 queued")
                    elif verb == "QUIT":
                        self._say("221 bye")
                        return
                    else:
                        self._say("250 ok")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
