"""Choose which quotes a reply shows.

Rules, from the issue: informative over short; one per speaker before a
second from anyone; none that repeats a chosen key point; at most ``limit``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.models import Quote

_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f']+|[\u3400-\u9fff]")
# Beyond this many words (or Han characters / 2) a quote is not more informative.
_ENOUGH = 40
# Share of a quote's words found in one point above which it repeats the point.
_REPEATS = 0.6


def _units(text: str) -> list[str]:
    """Words, and Han characters paired into bigrams (Chinese has no spaces)."""
    tokens = _WORD.findall(text.lower())
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if len(tok) == 1 and "\u3400" <= tok <= "\u9fff":
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if len(nxt) == 1 and "\u3400" <= nxt <= "\u9fff":
                out.append(tok + nxt)
        else:
            out.append(tok)
    return out


def _informative(quote: Quote) -> float:
    """Longer is better up to a point; a named speaker counts for more."""
    size = len(_units(quote.text))
    score = min(size, _ENOUGH) / _ENOUGH
    if size < 5:
        score -= 0.5
    return score + (0.5 if quote.speaker else 0.0)


def _repeats(quote: Quote, points: list[str]) -> bool:
    units = set(_units(quote.text))
    if not units:
        return True
    for point in points:
        if quote.text in point:
            return True
        shared = units & set(_units(point))
        if len(shared) / len(units) >= _REPEATS:
            return True
    return False


def select_quotes(quotes: list[Quote], points: list[str], limit: int = 3) -> list[Quote]:
    """The same quotes, in order, with up to ``limit`` marked ``selected``."""
    candidates = [(i, q) for i, q in enumerate(quotes) if not _repeats(q, points)]
    candidates.sort(key=lambda pair: (-_informative(pair[1]), pair[0]))
    chosen: set[int] = set()
    speakers: set[str | None] = set()
    for repeat_allowed in (False, True):
        for index, quote in candidates:
            if len(chosen) >= max(0, limit):
                break
            if index in chosen or (not repeat_allowed and quote.speaker in speakers):
                continue
            chosen.add(index)
            speakers.add(quote.speaker)
    return [replace(q, selected=i in chosen) for i, q in enumerate(quotes)]
