"""Keywords: the most frequent content terms, longest form first."""

from __future__ import annotations

from collections import Counter

from bot.summarise.terms import terms


def extract_keywords(text: str, language: str, *, title: str | None = None, limit: int = 6) -> list[str]:
    """Up to ``limit`` keywords of ``text``."""
    counts = Counter(terms(text, language))
    for term in terms(title or "", language):
        counts[term] += 2
    return [term for term, count in counts.most_common(limit) if count > 1]
