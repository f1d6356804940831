"""Decide what a response really is, from its Content-Type and its first bytes.

Servers mislabel: PDFs come as ``application/octet-stream`` or even
``text/html``, images and archives as ``text/html``. The header decides
whether a body is worth downloading at all (:func:`precheck`); the first bytes
decide what it is (:func:`final_type`).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from bot.errors import UnsupportedContentError

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")
PDF_TYPES = ("application/pdf", "application/x-pdf")
SUPPORTED = HTML_TYPES + TEXT_TYPES + PDF_TYPES
# Labels that say nothing about the body, so the body is looked at instead.
VAGUE = (
    "",
    "application/octet-stream",
    "binary/octet-stream",
    "application/unknown",
    "application/x-download",
    "application/force-download",
    "application/download",
)
_TEXT_CONTROLS = set(b"\t\n\r\f\x1b")  # ESC for ISO-2022 encodings
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<!--", b"<?xml")


@lru_cache(maxsize=1)
def binary_signatures() -> tuple[tuple[bytes, str], ...]:
    """(leading bytes, format name) pairs from ``data/binary_signatures.txt``."""
    text = resources.files("bot.fetch").joinpath("data/binary_signatures.txt").read_text("utf-8")
    pairs = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            magic, _, name = line.partition(" ")
            pairs.append((bytes.fromhex(magic), name.strip()))
    return tuple(pairs)


def parse_content_type(header: str) -> tuple[str, str | None]:
    """('text/html', 'gbk') from 'text/html; charset="GBK"'."""
    main, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return main.strip().lower(), charset


def precheck(content_type: str) -> None:
    """Refuse, before reading the body, a type that can never be an article."""
    if content_type in SUPPORTED or content_type in VAGUE:
        return
    raise UnsupportedContentError(f"unsupported content type {content_type}: only web pages, text and PDF")


def _looks_binary(head: bytes) -> bool:
    """Control bytes a text encoding would not produce (NUL above all)."""
    if not head:
        return False
    controls = sum(1 for b in head if (b < 0x20 and b not in _TEXT_CONTROLS) or b == 0x7F)
    return b"\x00" in head or controls > len(head) // 20


def final_type(content_type: str, body: bytes, charset: str | None) -> str:
    """The type to hand to extraction, or raise :class:`UnsupportedContentError`."""
    head = body[:1024]
    # Readers accept a PDF header anywhere in the first 1024 bytes; a web page
    # quoting "%PDF-" is only taken for a PDF when it starts with it.
    if head.lstrip().startswith(b"%PDF-") or (content_type in PDF_TYPES + VAGUE and b"%PDF-" in head):
        return "application/pdf"
    binary = _looks_binary(head)
    for magic, name in binary_signatures():
        # All-ASCII signatures ("MZ", "ID3", "RIFF") could start real text too.
        if head.startswith(magic) and (binary or not magic.isascii() or not magic.isalnum()):
            raise UnsupportedContentError(
                f"unsupported content type: the link leads to a {name}, not an article"
            )
    if content_type in PDF_TYPES:
        raise UnsupportedContentError("the PDF is damaged: it has no PDF header")
    wide = head.startswith(_BOMS) or (charset or "").replace("-", "").startswith(("utf16", "utf32"))
    if not wide and binary:
        raise UnsupportedContentError(
            "unsupported content type: the link leads to a binary file, not an article"
        )
    if content_type in HTML_TYPES or content_type in TEXT_TYPES:
        return content_type
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return "text/html" if start.startswith(_HTML_STARTS) else "text/plain"
