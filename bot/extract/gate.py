"""Tell articles from pages that only stand where an article should be.

Challenge pages ("Just a moment…"), 404 pages, paywalls, login and cookie
walls and empty shells yield little text; summarising it would be junk. The
phrases live in ``data/not_article.json``. A phrase counts only when the
extracted text is short, because real articles mention cookies and logins too.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from bot.errors import NotAnArticleError

# Extracted text shorter than this (in characters; CJK counted double) is
# examined for wall phrases; an article body is almost always longer.
SHORT_TEXT = 1200
# Below this there is nothing to summarise at all.
EMPTY_TEXT = 80
# A wall phrase condemns the page only if the paragraphs without one are shorter than this.
REST_TEXT = 500


@lru_cache(maxsize=1)
def _phrases() -> dict[str, dict[str, list[str]]]:
    raw = resources.files("bot.extract").joinpath("data", "not_article.json").read_text("utf-8")
    return {kind: lists for kind, lists in json.loads(raw).items() if not kind.startswith("_")}


def text_weight(text: str) -> int:
    """Length with CJK characters counted twice (they carry about two letters' worth)."""
    return len(text) + sum(1 for c in text if "\u3000" <= c <= "\u9fff")


def weighs_less_than(text: str, limit: int) -> bool:
    """``text_weight(text) < limit``, without reading a text whose length alone reaches it."""
    return len(text) < limit and text_weight(text) < limit


def check_article(text: str, title: str | None = None) -> None:
    """Raise :class:`NotAnArticleError` (saying which kind) if ``text`` is not an article."""
    text = text.strip()
    if not weighs_less_than(text, SHORT_TEXT):
        return
    weight = text_weight(text)
    lowered_title = (title or "").lower()
    paragraphs = [p.strip().lower() for p in text.split("\n") if p.strip()]
    for kind, lists in _phrases().items():
        if any(p in lowered_title for p in lists["title"]) and weight < SHORT_TEXT // 2:
            raise NotAnArticleError(f"this looks like a {kind}, not an article")
        walled = [any(p in paragraph for p in lists["text"]) for paragraph in paragraphs]
        rest = sum(text_weight(p) for p, hit in zip(paragraphs, walled, strict=True) if not hit)
        if any(walled) and rest < REST_TEXT:
            raise NotAnArticleError(f"this looks like a {kind}, not an article")
    if weight < EMPTY_TEXT:
        raise NotAnArticleError("the page is empty: no article text was found")
