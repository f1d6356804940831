"""A real HTTP server on loopback that serves pages the tests define."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class PageServer:
    """Serve ``pages`` (path → Page or a custom handler) on 127.0.0.1."""

    def __init__(self) -> None:
        self.pages: dict[str, Page | Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                entry = server.pages.get(self.path.split("?")[0])
                if entry is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "9")
                    self.end_headers()
                    self.wfile.write(b"not found")
                    return
                if callable(entry):
                    entry(self)
                    return
                self.send_response(entry.status)
                self.send_header("Content-Type", entry.content_type)
                self.send_header("Content-Length", str(len(entry.body)))
                for key, value in entry.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(entry.body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def slow_page(seconds: float, body: bytes, content_type: str = "text/html; charset=utf-8") -> Handler:
    """A handler that waits ``seconds`` before serving ``body``."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        request.send_response(200)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handler


@contextmanager
def serving() -> Iterator[PageServer]:
    server = PageServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
