"""Serve reader pages over HTTP: ``GET /r/<token>`` (tornado, on the bot's event loop).

tornado is already here (python-telegram-bot's webhook server), so the reader
needs no new dependency and runs the same in polling and webhook mode: a proxy
such as Caddy forwards ``https://<domain>/r/*`` to ``reader_listen:reader_port``.
"""

from __future__ import annotations

import logging
import re

from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from bot.reader.page import READER_PATH, render_reader_page
from bot.storage import Storage

log = logging.getLogger(__name__)

# token_urlsafe(16) gives 22 characters; anything else is not one of ours.
_PAGE_ADDRESS = r"[A-Za-z0-9_-]{22,64}"
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
_NOT_FOUND = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Not found</title></head>"
    "<body><p>This page has expired or never existed. Send the link to the bot again.</p></body></html>"
)


class _ReaderHandler(RequestHandler):
    """One reader page, or 404 for an unknown or expired token."""

    def initialize(self, storage: Storage, max_age_seconds: float) -> None:
        self._storage = storage
        self._max_age = max_age_seconds

    def set_default_headers(self) -> None:
        self.clear_header("Server")
        for name, value in _SECURITY_HEADERS.items():
            self.set_header(name, value)
        self.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        self.set_header("Cache-Control", "no-store")

    async def get(self, token: str) -> None:
        digest = await self._storage.reader_digest(token, self._max_age)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        if digest is None:
            self.set_status(404)
            self.finish(_NOT_FOUND)
            return
        language = "zh" if digest.summary.language.startswith("zh") else "en"
        page = render_reader_page(digest, language)
        self.set_header("Content-Security-Policy", page.content_security_policy)
        # Private: the address is the secret, so no shared cache may keep the page.
        self.set_header("Cache-Control", "private, max-age=300")
        self.finish(page.html)

    def write_error(self, status_code: int, **kwargs: object) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code}")


def reader_application(storage: Storage, max_age_seconds: float) -> Application:
    """The tornado application: reader pages and nothing else (other paths are 404)."""
    route = re.escape(READER_PATH) + f"({_PAGE_ADDRESS})"
    return Application(
        [(route, _ReaderHandler, {"storage": storage, "max_age_seconds": max_age_seconds})],
        default_handler_class=_NotFound,
        compress_response=True,
    )


class _NotFound(RequestHandler):
    def set_default_headers(self) -> None:
        self.clear_header("Server")
        for name, value in _SECURITY_HEADERS.items():
            self.set_header(name, value)

    def prepare(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("not found")


def start_reader(storage: Storage, max_age_seconds: float, listen: str, port: int) -> HTTPServer:
    """Listen for reader requests on ``listen:port`` in the running event loop."""
    server = HTTPServer(reader_application(storage, max_age_seconds), xheaders=True)
    server.listen(port, address=listen)
    log.info("reader pages on %s:%d", listen, port)
    return server
