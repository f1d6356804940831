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
from itertools import islice

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from bot.errors import NotAnArticleError
from bot.extract.decode import decode_bytes
from bot.extract.gate import check_article, text_weight, weighs_less_than
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

# trafilatura's cost grows faster than the element count (a page of 5,000 tiny
# <p> 0.5 s, of 12,000 1.2 s; readability's second opinion adds as much), so a
# page of 100,000 tiny elements held a worker for over 10 s. Above this many
# start tags a page is read by :func:`flat_text` instead. The largest of the
# 405 development pages (Zyte, trafilatura-eval, CWCED) has 7,778 (0.4 s), and
# 99 % have under 3,200.
MAX_ELEMENTS = 10_000
_START_TAG = re.compile(r"<[A-Za-z]")
# Elements whose content is never article text.
_NOT_TEXT = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object", "select")
# Elements that end a line of text: each becomes a line of the flat text.
_BLOCKS = (
    *("p", "div", "br", "li", "dt", "dd", "tr", "td", "th", "blockquote", "pre", "section"),
    *("article", "main", "header", "footer", "nav", "aside", "h1", "h2", "h3", "h4", "h5", "h6"),
    *("ul", "ol", "dl", "table", "figure", "figcaption", "hr", "form", "address"),
)


def extract_html(
    html: str | bytes,
    *,
    url: str | None = None,
    declared_charset: str | None = None,
    max_elements: int | None = MAX_ELEMENTS,
) -> Article:
    """An :class:`Article` from a page; bytes are decoded here, never by trafilatura.

    A page of more than ``max_elements`` start tags (None: no bound) is read
    as flat text (:func:`flat_text`): trafilatura's cost per element would
    make such a page cost seconds.
    """
    if isinstance(html, bytes):
        html, _codec = decode_bytes(html, declared_charset)
    if max_elements is not None and count_start_tags(html, max_elements + 1) > max_elements:
        return _flat_article(html, url)
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
    if weighs_less_than(text, SECOND_OPINION_BELOW):
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


def count_start_tags(html: str, stop_at: int) -> int:
    """How many start tags ``html`` holds, counting no further than ``stop_at``.

    A ``<`` before a letter, wherever it stands (in a script too): a slight
    overcount is harmless for a bound, and the count costs a regex scan of at
    most ``stop_at`` tags instead of a parse.
    """
    return sum(1 for _ in islice(_START_TAG.finditer(html), stop_at))


def _flat_article(html: str, url: str | None) -> Article:
    """An :class:`Article` of the page's flat text (:func:`flat_text`) and its ``<title>``."""
    text = flat_text(html)
    title = _title_tag(html)
    check_article(text, title)
    if not text:
        raise NotAnArticleError("the page is empty: no article text was found")
    return Article(text=text, title=clean_title(title, None, url), url=url)


def flat_text(html: str) -> str:
    """The text of a page, one line per block element, without scripts, styles or markup.

    The cheap reading for pages too large for trafilatura: libxml2 parses
    (about 0.3 µs an element, unclosed and deeply nested tags included), one
    pass marks where blocks end, and the text is read in one go. Menus and
    footers stay in; for a page of this size an answer matters more.
    """
    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""  # nothing parseable (an empty document)
    etree.strip_elements(root, *_NOT_TEXT, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for block in root.iter(*_BLOCKS):
        block.text = "\n" + block.text if block.text else "\n"
        block.tail = "\n" + block.tail if block.tail else "\n"
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


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
