"""Main text and metadata of an HTML page with trafilatura."""

from __future__ import annotations

import re

import trafilatura

from bot.errors import NotAnArticleError
from bot.extract.decode import decode_bytes
from bot.models import Article

_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def extract_html(
    html: str | bytes,
    *,
    url: str | None = None,
    declared_charset: str | None = None,
) -> Article:
    """An :class:`Article` from a page; bytes are decoded here, never by trafilatura."""
    if isinstance(html, bytes):
        html, _codec = decode_bytes(html, declared_charset)
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=True,
    )
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not text:
        raise NotAnArticleError("no article text was found on the page")
    title = getattr(document, "title", None) or _title_tag(html)
    return Article(
        text=text,
        title=title,
        author=getattr(document, "author", None),
        date=getattr(document, "date", None),
        site_name=getattr(document, "sitename", None),
        language=getattr(document, "language", None),
        url=url or getattr(document, "url", None),
    )


def _title_tag(html: str) -> str | None:
    match = _TITLE_TAG.search(html[:20_000])
    if not match:
        return None
    import html as html_lib

    title = " ".join(html_lib.unescape(match.group(1)).split())
    return title or None
