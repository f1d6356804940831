"""Main text and metadata from a fetched page, an HTML string or a text file.

Public API: :func:`extract` (a :class:`~bot.models.FetchedPage`),
:func:`extract_html` (HTML you already hold) and :func:`article_from_text`.
"""

from __future__ import annotations

from bot.errors import UnsupportedContentError
from bot.extract.decode import decode_bytes
from bot.extract.html import extract_html
from bot.extract.text import article_from_text
from bot.models import Article, FetchedPage

__all__ = ["article_from_text", "decode_bytes", "extract", "extract_html"]


def extract(page: FetchedPage) -> Article:
    """The article in ``page``, whatever its supported content type."""
    kind = page.content_type
    if kind.startswith("application/pdf"):
        from bot.extract.pdf import extract_pdf

        return extract_pdf(page.body, url=page.final_url)
    if kind.startswith(("text/plain", "text/markdown", "text/x-markdown")):
        text, _codec = decode_bytes(page.body, page.declared_charset)
        return article_from_text(text, url=page.final_url)
    if kind.startswith(("text/html", "application/xhtml+xml")):
        return extract_html(page.body, url=page.final_url, declared_charset=page.declared_charset)
    raise UnsupportedContentError(f"unsupported content type {kind}")
