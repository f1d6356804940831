"""A first ranker: term-frequency centrality plus position and title overlap."""

from __future__ import annotations

import math
from collections import Counter

from bot.summarise.sentences import Sentence
from bot.summarise.terms import terms


def rank_sentences(
    sentences: list[Sentence], language: str, title: str | None = None
) -> list[tuple[float, int]]:
    """(score, index) for every sentence, best first."""
    bags = [Counter(terms(s.text, language)) for s in sentences]
    frequency: Counter[str] = Counter()
    for bag in bags:
        frequency.update(set(bag))
    title_terms = set(terms(title or "", language))
    scored = []
    total = len(sentences)
    for index, bag in enumerate(bags):
        if not bag:
            scored.append((0.0, index))
            continue
        centrality = sum(math.log1p(frequency[t]) for t in bag) / (len(bag) ** 0.5)
        position = 1.0 - index / max(1, total)
        overlap = len(title_terms & set(bag)) / (len(title_terms) or 1)
        scored.append((centrality * (1 + 0.5 * position + 0.5 * overlap), index))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return scored
