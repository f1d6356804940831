"""Choose which quotes a reply shows."""

from __future__ import annotations

from dataclasses import replace

from bot.models import Quote


def select_quotes(quotes: list[Quote], points: list[str], limit: int = 3) -> list[Quote]:
    """Mark up to ``limit`` quotes as selected: longest first, one per speaker
    before a second from anyone, none already inside a chosen point."""
    candidates = [
        (index, quote)
        for index, quote in enumerate(quotes)
        if not any(quote.text in point for point in points)
    ]
    candidates.sort(key=lambda pair: -len(pair[1].text))
    chosen: set[int] = set()
    speakers: set[str | None] = set()
    for repeat_allowed in (False, True):
        for index, quote in candidates:
            if len(chosen) >= limit:
                break
            if index in chosen or (not repeat_allowed and quote.speaker in speakers):
                continue
            chosen.add(index)
            speakers.add(quote.speaker)
    return [replace(q, selected=i in chosen) for i, q in enumerate(quotes)]
