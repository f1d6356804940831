"""Main text and metadata of an HTML page: trafilatura, readability-lxml as a second opinion.

Settings were chosen on the development sets (``benchmarks/extract_bench.py``):
``favor_precision`` beat the default, ``favor_recall`` and ``deduplicate`` on
English (Zyte, trafilatura-eval) and Chinese (CWCED) pages alike. When
trafilatura finds little, readability-lxml reads the page too and the text
with the better quality score (:func:`quality`) wins.
"""

from __future__ import annotations

import html as html_lib
import re

import trafilatura

from bot.errors import NotAnArticleError
from bot.extract.decode import decode_bytes
from bot.extract.gate import check_article, text_weight
from bot.extract.title import clean_title
from bot.models import Article

_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
# trafilatura's text is examined against readability's only below this weight:
# long extractions are already good, and readability costs ~15 ms a page.
SECOND_OPINION_BELOW = 2000
# readability must beat trafilatura's quality by this factor to be chosen.
SECOND_OPINION_MARGIN = 1.5
# Below this weight trafilatura's default (recall-leaning) mode is asked as well.
_DEFAULT_BELOW = 600
_SENTENCE_END = re.compile(r"[.!?。！？…」”\"')]\s*$")


_DATE_PARAMS = {"extensive_search": False, "original_date": True}


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
        favor_precision=True,
        # htmldate's extensive search runs dateparser over the whole page: half
        # of all extraction time for a date the reply does not even show.
        date_extraction_params=_DATE_PARAMS,
    )
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    title = (getattr(document, "title", None) if document is not None else None) or _title_tag(html)
    if text_weight(text) < SECOND_OPINION_BELOW:
        text = _second_opinion(html, url, text)
    check_article(text, _title_tag(html) or title)
    if not text:
        raise NotAnArticleError("the page is empty: no article text was found")
    site_name = getattr(document, "sitename", None)
    page_url = url or getattr(document, "url", None)
    return Article(
        text=text,
        title=clean_title(title, site_name, page_url),
        author=getattr(document, "author", None),
        date=getattr(document, "date", None),
        site_name=site_name,
        language=getattr(document, "language", None),
        url=page_url,
    )


def _second_opinion(html: str, url: str | None, text: str) -> str:
    """The best of ``text``, readability-lxml's and (for a very short ``text``) trafilatura's default.

    Precision mode sometimes cuts a page down to a line; the others must beat
    it clearly to be chosen, since a longer text is not always a better one.
    """
    best, best_score = text, quality(text)
    threshold = SECOND_OPINION_MARGIN * best_score
    candidates = [readability_text(html)]
    if text_weight(text) < _DEFAULT_BELOW:
        candidates.append(
            trafilatura.extract(html, url=url, include_comments=False, include_tables=True) or ""
        )
    for candidate in candidates:
        score = quality(candidate)
        if score > threshold and score > best_score:
            best, best_score = candidate.strip(), score
    return best


def quality(text: str) -> float:
    """How much readable prose ``text`` holds: the weight of its sentence-like paragraphs.

    Paragraphs that end like a sentence count fully, others (menus, captions,
    link lists) a quarter; very short lines count nothing.
    """
    score = 0.0
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        weight = text_weight(paragraph)
        if weight < 20:
            continue
        score += weight if _SENTENCE_END.search(paragraph) else weight / 4
    return score


def readability_text(html: str) -> str:
    """readability-lxml's main text, one paragraph per line ("" if it fails or is absent)."""
    try:
        from lxml import html as lxml_html
        from readability import Document
    except ImportError:  # pragma: no cover - readability-lxml is a dependency
        return ""
    try:
        summary = Document(html).summary(html_partial=True)
        root = lxml_html.fromstring(summary)
    except Exception:
        return ""
    blocks = root.xpath("//p|//li|//h1|//h2|//h3|//h4|//blockquote|//pre|//td")
    if not blocks:
        return " ".join(root.text_content().split())
    lines = []
    for block in blocks:
        if block.xpath("ancestor::p|ancestor::li|ancestor::blockquote|ancestor::td"):
            continue  # its text is already in the enclosing block
        line = " ".join(block.text_content().split())
        if line:
            lines.append(line)
    return "\n".join(lines)


def _title_tag(html: str) -> str | None:
    match = _TITLE_TAG.search(html[:20_000])
    if not match:
        return None
    title = " ".join(html_lib.unescape(match.group(1)).split())
    return title or None
