"""Main text and metadata from a fetched page, an HTML string or a text file.

Public API: :func:`extract` (a :class:`~bot.models.FetchedPage`),
:func:`extract_html` (HTML you already hold) and :func:`article_from_text`.
"""

from __future__ import annotations

from bot.errors import UnsupportedContentError
from bot.extract.decode import decode_bytes
from bot.extract.html import MAX_ELEMENTS, extract_html
from bot.extract.text import article_from_text
from bot.models import Article, FetchedPage

__all__ = ["article_from_text", "decode_bytes", "document_text", "extract", "extract_html"]

_TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")


def document_text(page: FetchedPage) -> str | None:
    """The decoded text of a plain-text or Markdown ``page``; None for any other type."""
    if not page.content_type.startswith(_TEXT_TYPES):
        return None
    text, _codec = decode_bytes(page.body, page.declared_charset)
    return text


def extract(page: FetchedPage, *, max_elements: int | None = MAX_ELEMENTS) -> Article:
    """The article in ``page``, whatever its supported content type.

    ``max_elements``: the bound on an HTML page's start tags above which it is
    read as flat text (:func:`bot.extract.html.extract_html`).
    """
    kind = page.content_type
    if kind.startswith("application/pdf"):
        from bot.extract.pdf import extract_pdf

        return extract_pdf(page.body, url=page.final_url)
    text = document_text(page)
    if text is not None:
        return article_from_text(text, url=page.final_url)
    if kind.startswith(("text/html", "application/xhtml+xml")):
        return extract_html(
            page.body, url=page.final_url, declared_charset=page.declared_charset, max_elements=max_elements
        )
    raise UnsupportedContentError(f"unsupported content type {kind}")
