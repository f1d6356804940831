"""The article pipeline: source → fetch → extract → repair → summarise.

The synchronous functions (``digest_*``) are pure CPU work; the bot runs them
in a worker pool. :func:`digest_url` is the only one that does I/O.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import replace
from functools import partial
from typing import TypedDict, TypeVar, Unpack

from bot.errors import EmptyTextError
from bot.extract import article_from_text, document_text, extract, extract_html
from bot.extract.html import MAX_ELEMENTS
from bot.extract.text import split_headline
from bot.fetch import Fetcher
from bot.language import detect_language
from bot.models import Article, Digest, FetchedPage
from bot.repair import fix_and_explain, fix_text
from bot.summarise import summarise

T = TypeVar("T")

__all__ = ["digest_article", "digest_html", "digest_page", "digest_text", "digest_url"]


class DigestOptions(TypedDict, total=False):
    """The keywords the ``digest_*`` functions pass on to :func:`digest_article`."""

    points: int | None
    language: str | None
    max_quotes: int
    max_chars: int | None


def digest_article(
    article: Article,
    *,
    points: int | None = None,
    language: str | None = None,
    max_quotes: int = 3,
    max_chars: int | None = None,
    guess_title: bool = False,
) -> Digest:
    """Repair and summarise an extracted article.

    ``guess_title``: for plain text with no title, take a headline first line
    as the title (after repair, so a spam line above it cannot be chosen).
    ``max_chars``: summarise only the first that many characters (about; the
    cut falls at a line or word end); the digest says where it cut.
    """
    started = time.perf_counter()
    source, truncated_at = cap_text(article.text, max_chars)
    repaired = fix_and_explain(source)
    if not repaired.text.strip():
        raise EmptyTextError("there is no text to summarise")
    title = fix_text(article.title).strip() if article.title else None
    text = repaired.text
    if title is None and guess_title:
        title, text = split_headline(text)
    language = language or detect_language(text, hint=article.language)
    summary = summarise(text, title=title or None, language=language, points=points, max_quotes=max_quotes)
    # The summariser's language is the checked one (a code, not whatever was asked for).
    clean = replace(article, text=text, title=title or None, language=summary.language)
    return Digest(clean, summary, list(repaired.applied), time.perf_counter() - started, truncated_at)


def cap_text(text: str, max_chars: int | None) -> tuple[str, int | None]:
    """``text`` cut to at most ``max_chars`` characters, and where it was cut (None: whole).

    Repair and summarising cost time in proportion to the text; the cap bounds
    that cost before they start. The cut moves back to the last line end, or
    else the last space, in the final fifth, so no word or sentence is split
    when it need not be.
    """
    if max_chars is None or len(text) <= max_chars:
        return text, None
    floor = max_chars - max_chars // 5
    cut = text.rfind("\n", floor, max_chars)
    if cut < 0:
        cut = max(text.rfind(" ", floor, max_chars), text.rfind("\u3000", floor, max_chars))
    if cut <= 0:
        cut = max_chars
    return text[:cut], cut


def digest_text(
    text: str, *, title: str | None = None, url: str | None = None, **options: Unpack[DigestOptions]
) -> Digest:
    """Summarise pasted text or a text/Markdown file."""
    if not text or not text.strip():
        raise EmptyTextError("there is no text to summarise")
    # Capped before the Markdown pass too, which reads every line of the text.
    text, cut = cap_text(text, options.get("max_chars"))
    article = article_from_text(text, title=title, url=url)
    return _noting_cut(digest_article(article, guess_title=article.title is None, **options), cut)


def digest_html(
    html: str | bytes,
    *,
    url: str | None = None,
    title: str | None = None,
    max_elements: int | None = MAX_ELEMENTS,
    **options: Unpack[DigestOptions],
) -> Digest:
    """Summarise an HTML page you already hold (``max_elements``: as for :func:`digest_page`)."""
    article = extract_html(html, url=url, max_elements=max_elements)
    if title:
        article = replace(article, title=title)
    return digest_article(article, **options)


def digest_page(
    page: FetchedPage, *, max_elements: int | None = MAX_ELEMENTS, **options: Unpack[DigestOptions]
) -> Digest:
    """Summarise a fetched page of any supported type.

    A text document is capped before the Markdown pass, as pasted text is; a
    page of more than ``max_elements`` HTML start tags is read as flat text
    (see :func:`bot.extract.html.extract_html`).
    """
    text = document_text(page)
    if text is None:
        return digest_article(extract(page, max_elements=max_elements), **options)
    text, cut = cap_text(text, options.get("max_chars"))
    return _noting_cut(digest_article(article_from_text(text, url=page.final_url), **options), cut)


def _noting_cut(digest: Digest, cut: int | None) -> Digest:
    """``digest``, saying it summarised only the first ``cut`` characters (None: all of them)."""
    if cut is not None and digest.truncated_at is None:
        digest.truncated_at = cut
    return digest


async def digest_url(
    url: str,
    fetcher: Fetcher,
    *,
    executor: Executor | None = None,
    max_elements: int | None = MAX_ELEMENTS,
    **options: Unpack[DigestOptions],
) -> Digest:
    """Fetch ``url`` and summarise it; CPU work runs in ``executor``."""
    page = await fetcher.fetch(url)
    return await run_cpu(executor, partial(digest_page, page, max_elements=max_elements, **options))


async def run_cpu(executor: Executor | None, work: Callable[[], T]) -> T:
    """Run ``work`` off the event loop (default: the loop's thread pool)."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor, work)
