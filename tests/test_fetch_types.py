"""Content types: what is fetched and handed on, what is refused and when."""

from __future__ import annotations

import socket
import time

import pytest

from bot.errors import UnsupportedContentError
from tests.support.fetch_servers import fetch_once, fetch_settings, raw_server, respond

ALLOW = fetch_settings(allow_private_addresses=True)
HTML = "<!DOCTYPE html><html><head><title>港口</title></head><body><p>潮汐發電站今日動工。</p></body></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00" + bytes(200)
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256))


@pytest.mark.parametrize(
    ("header", "body", "expected"),
    [
        ("text/html; charset=utf-8", HTML.encode(), "text/html"),
        ("text/html; charset=gbk", HTML.encode("gbk"), "text/html"),
        ("text/html; charset=big5", HTML.encode("big5", "replace"), "text/html"),
        ("text/html", b"\xff\xfe" + HTML.encode("utf-16-le"), "text/html"),
        ("application/xhtml+xml", HTML.encode(), "application/xhtml+xml"),
        ("text/plain; charset=utf-8", b"Plain words about the harbour.\n", "text/plain"),
        ("text/plain", b"MZ Wallace sells bags; this line only starts like an .exe file.", "text/plain"),
        ("text/markdown", b"# Title\n\nSome *markdown* text.\n", "text/markdown"),
        ("text/x-markdown", b"# Title\n", "text/x-markdown"),
        ("application/pdf", PDF, "application/pdf"),
        ("application/x-pdf", PDF, "application/pdf"),
        ("application/octet-stream", PDF, "application/pdf"),
        ("text/html", PDF, "application/pdf"),  # mislabelled PDF
        ("", HTML.encode(), "text/html"),  # no Content-Type at all
        ("application/octet-stream", b"Just text, no markup at all.", "text/plain"),
        ("text/html", b"<html><body><p>A guide to the %PDF- header.</p></body></html>", "text/html"),
    ],
)
async def test_supported_types_are_handed_on(header: str, body: bytes, expected: str) -> None:
    with raw_server(respond(body, content_type=header)) as server:
        page = await fetch_once(server.url(), ALLOW)
    assert page.content_type == expected
    assert page.body == body


async def test_declared_charset_is_passed_on() -> None:
    with raw_server(respond(HTML.encode("gbk"), content_type='text/html; charset="GBK"')) as server:
        page = await fetch_once(server.url(), ALLOW)
    assert page.declared_charset == "gbk"


@pytest.mark.parametrize(
    ("header", "body"),
    [
        ("text/html", PNG),  # binary sent as text/html
        ("text/html; charset=utf-8", bytes(range(256)) * 8),
        ("text/plain", ZIP),
        ("application/octet-stream", b"\x7fELF\x02\x01\x01" + bytes(300)),
        ("application/pdf", b"<html>not a pdf</html>"),
    ],
)
async def test_binary_bodies_are_refused_whatever_the_label(header: str, body: bytes) -> None:
    with raw_server(respond(body, content_type=header)) as server, pytest.raises(UnsupportedContentError):
        await fetch_once(server.url(), ALLOW)


@pytest.mark.parametrize(
    "header", ["image/png", "video/mp4", "application/json", "application/zip", "text/css"]
)
async def test_unsupported_types_are_refused_before_the_body(header: str) -> None:
    """The server sends headers and then nothing: reading the body would time out."""

    def headers_only(conn: socket.socket, _head: bytes) -> None:
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: {header}\r\nContent-Length: 100000\r\n\r\n".encode())
        time.sleep(3)

    with raw_server(headers_only) as server:
        started = time.monotonic()
        with pytest.raises(UnsupportedContentError, match="unsupported content type"):
            await fetch_once(server.url(), fetch_settings(allow_private_addresses=True, read_timeout=2))
    assert time.monotonic() - started < 1.0
