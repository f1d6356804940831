"""Raw-socket HTTP servers on loopback that misbehave on purpose.

Each server counts the TCP connections it accepted, so a test can prove that
a refused link never reached it, and hands every connection to a handler
that writes whatever bytes (and at whatever pace) the test wants.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from bot.config import Settings
from bot.errors import UnreachableError
from bot.fetch import Fetcher
from bot.fetch.guard import IPAddress, Resolver
from bot.models import FetchedPage

Handler = Callable[[socket.socket, bytes], None]


class RawServer:
    """Accepts connections on ``host``; runs ``handler(conn, request_head)`` for each."""

    def __init__(self, handler: Handler, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, 0))
        self._sock.listen(16)
        self.host = host
        self.port: int = self._sock.getsockname()[1]
        self.handler = handler
        self.tls = tls
        self.connections = 0
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, path: str = "/", host: str | None = None, scheme: str = "http") -> str:
        name = host or (f"[{self.host}]" if ":" in self.host else self.host)
        return f"{scheme}://{name}:{self.port}{path}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return  # the listening socket was shut down by stop()
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            while True:  # keep-alive: one handler call per request
                head = _read_head(conn)
                if not head:
                    return
                self.requests.append(head)
                self.handler(conn, head)
        except (OSError, ssl.SSLError):
            pass  # the client gave up, as these tests intend
        finally:
            conn.close()

    def start(self) -> RawServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        with suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self._thread.join(timeout=2)
        self._sock.close()


def _read_head(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return b""
        data += chunk
    return data


@contextmanager
def raw_server(
    handler: Handler, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None
) -> Iterator[RawServer]:
    server = RawServer(handler, host, tls).start()
    try:
        yield server
    finally:
        server.stop()


# --- handlers -----------------------------------------------------------------


def respond(
    body: bytes,
    content_type: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    headers: dict[str, str] | None = None,
) -> Handler:
    """A correct response with the given body."""
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())

    def handler(conn: socket.socket, _head: bytes) -> None:
        head = (
            f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
        )
        conn.sendall(head.encode("latin-1") + body)

    return handler


def redirect(location: str, status: str = "302 Found") -> Handler:
    return respond(b"", headers={"Location": location}, status=status)


def routes(table: dict[str, Handler]) -> Handler:
    """Dispatch on the request path; unknown paths get a 404."""
    missing = respond(b"not found", "text/plain", "404 Not Found")

    def handler(conn: socket.socket, head: bytes) -> None:
        path = head.split(b" ", 2)[1].decode("latin-1").split("?", 1)[0]
        table.get(path, missing)(conn, head)

    return handler


def trickle(interval: float = 1.0) -> Handler:
    """Headers at once, then one byte of body per ``interval`` seconds, for ever."""

    def handler(conn: socket.socket, _head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
        for _ in range(120):
            conn.sendall(b"x")
            time.sleep(interval)

    return handler


def silent(conn: socket.socket, _head: bytes) -> None:
    """Reads the request, never answers."""
    time.sleep(10)


def endless(chunked: bool) -> Handler:
    """A body that never ends: chunked, or with no length and no close."""

    def handler(conn: socket.socket, _head: bytes) -> None:
        framing = "Transfer-Encoding: chunked" if chunked else "Connection: close"
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n{framing}\r\n\r\n".encode())
        block = b"<p>" + b"spam " * 3000 + b"</p>\n"
        piece = b"%x\r\n%s\r\n" % (len(block), block) if chunked else block
        for _ in range(100_000):
            conn.sendall(piece)

    return handler


def lying_length(declared: int, actual: bytes, hold_open: float = 0.0) -> Handler:
    """Content-Length says ``declared``; the body is ``actual``."""

    def handler(conn: socket.socket, _head: bytes) -> None:
        conn.sendall(
            f"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {declared}\r\n\r\n".encode()
            + actual
        )
        time.sleep(hold_open)
        conn.shutdown(socket.SHUT_RDWR)

    return handler


# --- client side ---------------------------------------------------------------


def table_resolver(table: dict[str, list[str]], calls: list[str] | None = None) -> Resolver:
    """A name service we control: ``table`` maps names to addresses."""

    async def resolve(host: str, port: int) -> list[IPAddress]:
        if calls is not None:
            calls.append(host)
        if host not in table:
            raise UnreachableError(f"the site {host} could not be found")
        return [ipaddress.ip_address(a) for a in table[host]]

    return resolve


def fetch_settings(**overrides: object) -> Settings:
    """Small limits so that every refusal shows within a second or two."""
    values: dict[str, object] = {
        "allow_private_addresses": False,
        "connect_timeout": 1.0,
        "read_timeout": 1.0,
        "total_timeout": 3.0,
        "max_body_bytes": 200_000,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


async def fetch_once(url: str, settings: Settings | None = None, **seams: object) -> FetchedPage:
    """Fetch one URL with a fresh :class:`Fetcher` (``seams``: resolver, trusted, verify)."""
    async with Fetcher(settings or fetch_settings(), **seams) as fetcher:  # type: ignore[arg-type]
        return await fetcher.fetch(url)


@contextmanager
def black_hole(host: str = "127.0.0.1", port: int = 0) -> Iterator[int]:
    """A port whose accept queue is full, so new connections hang in SYN-SENT.

    ``listen(0)`` leaves room for one pending connection; a filler takes it,
    and the kernel then drops further SYNs (a firewalled host, locally).
    """
    listener = socket.socket()
    listener.bind((host, port))
    listener.listen(0)
    bound = listener.getsockname()[1]
    filler = socket.create_connection((host, bound), timeout=1)
    try:
        yield bound
    finally:
        filler.close()
        listener.close()
