"""A round-robin HTTP proxy in front of bot replicas, with Telegram's delivery faults.

What a load balancer does (each POST to the next replica; a replica that refuses
the connection is skipped), plus, seeded and counted:

- ``resend``: the share of updates also posted to the next replica, as Telegram
  does when it believes a delivery failed;
- ``timeout``: the share answered 504 at once while the replica still works on
  it, so the sender posts it again.
"""

from __future__ import annotations

import itertools
import random
import threading
import urllib.error
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ReplicaProxy:
    def __init__(self, upstreams: list[str], *, resend: float = 0.0, timeout: float = 0.0, seed: int = 1):
        self.upstreams = upstreams
        self.faults: Counter[str] = Counter()
        self.forwarded: Counter[str] = Counter()  # upstream → requests it answered
        self._resend, self._timeout = resend, timeout
        self._random = random.Random(seed)
        self._turn = itertools.count()
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {
                    k: v for k, v in self.headers.items() if k.lower().startswith(("x-", "content-type"))
                }
                status, answer = proxy.handle(self.path, body, headers)
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def handle(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        with self._lock:
            roll = self._random.random()
        if roll < self._timeout:
            self.faults["timeout"] += 1
            threading.Thread(target=self._forward, args=(path, body, headers), daemon=True).start()
            return 504, b"gateway time-out"
        status, answer = self._forward(path, body, headers)
        if roll < self._timeout + self._resend:
            self.faults["resend"] += 1
            threading.Thread(target=self._forward, args=(path, body, headers), daemon=True).start()
        return status, answer

    def _forward(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """POST to the next replica that accepts the connection; 502 if none does."""
        for _ in range(len(self.upstreams)):
            with self._lock:
                upstream = self.upstreams[next(self._turn) % len(self.upstreams)]
            request = urllib.request.Request(upstream + path, data=body, method="POST", headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    answer: Any = response.read()
                    self.forwarded[upstream] += 1
                    return response.status, answer
            except urllib.error.HTTPError as exc:
                self.forwarded[upstream] += 1
                return exc.code, exc.read()
            except OSError:
                continue  # down (refused, reset): the balancer tries the next one
        return 502, b"no replica answered"


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the sender gave up on a slow answer (as Telegram does): nothing to report
