"""Text of a PDF, page by page in reading order (pypdf)."""

from __future__ import annotations

import io

from bot.errors import NotAnArticleError, UnsupportedContentError
from bot.models import Article


def extract_pdf(body: bytes, *, url: str | None = None) -> Article:
    """An :class:`Article` from the bytes of a PDF."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is a dependency
        raise UnsupportedContentError("PDF support is not installed") from exc
    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or None
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise UnsupportedContentError("this PDF could not be read") from exc
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text:
        raise NotAnArticleError("the PDF has no text (it may be scanned images)")
    return Article(text=text, title=str(title).strip() if title else None, url=url)
