"""Score sentences and choose the key points.

A sentence's score is a weighted sum of features, each in about [0, 1]:

- ``centroid``: its distinct terms against the term counts of the rest of the
  document (the strongest single signal on the dev data);
- ``coverage``: how many recurring terms it holds; ``long``/``length``: size;
- ``window``, ``overlap``, ``pagerank``: cosine degree, TextRank-overlap degree
  and PageRank in a graph linking each sentence only to its ``WINDOW``
  neighbours on either side (fewer for huge texts), so cost stays linear;
- ``lead``/``position``: the news lead, counted over real sentences only;
- ``title``: share of title terms; ``cue``: cue words (``data/cues-*.txt``);
  ``numbers``/``names``: digits, capitalised names.

The weights live in ``data/weights.json`` (fitted by
``benchmarks/_summ_fit.py``). Points are chosen best first, skipping a
sentence too similar to one already chosen, and returned in document order.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain
from functools import lru_cache
from importlib import resources

from bot.summarise.lexicon import phrases
from bot.summarise.terms import terms

FEATURES = (
    "centroid", "coverage", "long", "window", "overlap", "pagerank",
    "lead", "position", "title", "cue", "length", "numbers", "names",
)

# Neighbours on each side that the windowed degree looks at: bounded, so the
# graph never grows quadratically with the text.
WINDOW = 10
_MAX_PAIRS = 20_000
# Centrality divides by |terms| ** this: below the cosine's 0.5, so sentences
# that say more are mildly preferred (ROUGE F1 against news summaries rewards them).
CENTROID_EXPONENT = 0.15
# Two sentences this similar (TF-IDF cosine) are the same point: never both.
NEAR_IDENTICAL = 0.9
_DIGIT = re.compile(r"\d")
_NAME = re.compile(r"(?<=[\s(“\"'‘])[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.-][A-Za-z0-9]+)*")
_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def weights() -> dict[str, object]:
    """The fitted weights and selection settings (``data/weights.json``)."""
    text = resources.files("bot.summarise").joinpath("data", "weights.json").read_text("utf-8")
    return json.loads(text)


def language_weights(language: str) -> dict[str, float]:
    """The shared weights with ``language``'s overrides applied."""
    settings = weights()
    merged = dict(settings["weights"])  # type: ignore[arg-type]
    merged.update(settings.get("overrides", {}).get(language, {}))  # type: ignore[attr-defined]
    return merged


def length_units(text: str) -> float:
    """Length in word units: a word, or about 1.6 Han characters (a Chinese word)."""
    return len(_LATIN_WORD.findall(text)) + len(_HAN_CHAR.findall(text)) / 1.6


def length_score(units: float, ideal: float) -> float:
    """Rises to 1 at ``ideal`` word units, flat to twice that, then falls gently.

    Very long "sentences" are usually run-on lists or unsplit paragraphs.
    """
    if units <= ideal:
        return units / ideal
    return max(0.0, 1.0 - 0.25 * max(0.0, units - 2 * ideal) / ideal)


def tfidf_vectors(bags: Sequence[Counter[str]], frequency: Counter[str] | None = None) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors, IDF taken over the sentences themselves.

    ``frequency`` (each term's sentence count) is computed when not given.
    """
    if frequency is None:
        frequency = Counter(chain.from_iterable(bags))
    total = len(bags) + 1
    idf = {term: math.log(total / count) + 1.0 for term, count in frequency.items()}
    vectors = []
    for bag in bags:
        vector = {t: idf[t] if c == 1 else (1.0 + math.log(c)) * idf[t] for t, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({t: v / norm for t, v in vector.items()})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two unit vectors over their shared terms."""
    return sum(a[t] * b[t] for t in a.keys() & b.keys())


def features(
    texts: Sequence[str], language: str, title: str | None = None, eligible: Sequence[bool] | None = None
) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """(feature values of each sentence, each roughly in [0, 1]; TF-IDF vectors).

    Position counts only ``eligible`` sentences, so the lead is the first real
    sentence, not a menu or headline above it.
    """
    found = [terms(t, language) for t in texts]
    bags = [Counter(f) for f in found]
    # The document's term counts (the centroid each sentence is compared
    # with) and each term's sentence count; built from iterables, which
    # Counter counts in C, rather than by merging Counters in Python.
    counts: Counter[str] = Counter(chain.from_iterable(found))
    frequency: Counter[str] = Counter(chain.from_iterable(bags))
    vectors = tfidf_vectors(bags, frequency)
    total_square = sum(c * c for c in counts.values())
    # Coverage: how many of the document's recurring terms a sentence holds,
    # relative to the best sentence — long central sentences cover the most.
    log_frequency = {t: math.log(f) for t, f in frequency.items() if f > 1}
    covers = [sum(log_frequency.get(t, 0.0) for t in bag) for bag in bags]
    top_cover = max(covers, default=0.0) or 1.0
    title_terms = set(terms(title or "", language))
    cues = phrases(f"cues-{language}")
    ideal = float(weights()["ideal_length"])  # type: ignore[arg-type]
    count = len(texts)
    rows = []
    span = neighbourhood(count)
    window_sums, links = _graph(bags, vectors, span)
    ranks = _pagerank(links)
    allowed = eligible if eligible is not None else [True] * count
    places, seen = [], 0
    for ok in allowed:
        places.append(seen)
        seen += 1 if ok else 0
    # The lead is the first real sentence that says something: a greeting or
    # a one-line opener ("各位好，我是安东尼。", "Hello again.") is not the news.
    lead_at = next(
        (i for i, (ok, t) in enumerate(zip(allowed, texts)) if ok and length_units(t) >= MIN_LEAD_UNITS),
        next((i for i, ok in enumerate(allowed) if ok), -1),
    )
    for index, (text, vector) in enumerate(zip(texts, vectors)):
        # Centrality: the sentence's distinct terms against the counts of the
        # rest of the document (itself left out, or long sentences win by
        # self-similarity); dividing by |terms| ** CENTROID_EXPONENT rather
        # than the cosine's 0.5 keeps a mild preference for sentences that say more.
        bag = bags[index]
        dot = 0
        removed = 0
        for term, c in bag.items():
            whole = counts[term]
            dot += whole - c
            removed += c * (2 * whole - c)  # whole² - (whole - c)²
        rest = math.sqrt(max(1.0, total_square - removed))
        units = length_units(text)
        rows.append(
            {
                "centroid": dot / (len(bag) ** CENTROID_EXPONENT * rest) if bag else 0.0,
                "coverage": covers[index] / top_cover,
                "long": min(1.0, units / 60.0),
                "window": window_sums[index] / (2 * span),
                "overlap": sum(w for _, w in links[index]),
                "pagerank": ranks[index],
                "lead": 1.0 if index == lead_at else 0.0,
                "position": 1.0 / math.sqrt(places[index] + 1),
                "title": len(title_terms & vector.keys()) / len(title_terms) if title_terms else 0.0,
                "length": length_score(units, ideal),
                "cue": 1.0 if _has_cue(text, cues) else 0.0,
                "numbers": 1.0 if _DIGIT.search(text) else 0.0,
                "names": min(1.0, len(_NAME.findall(text)) / 3),
            }
        )
    for name in ("centroid", "overlap", "pagerank"):
        top = max((row[name] for row in rows), default=0.0) or 1.0
        for row in rows:
            row[name] /= top  # relative to the document's most central sentence
    return rows, vectors


MIN_LEAD_UNITS = 8.0  # word units (about 13 Han characters)


def neighbourhood(count: int) -> int:
    """Neighbours on each side a sentence is compared with.

    ``WINDOW`` for articles; for very long texts it shrinks so the pairs
    compared stay near ``_MAX_PAIRS`` — the global centroid still sees all.
    """
    return max(2, min(WINDOW, _MAX_PAIRS // max(1, count)))


def _graph(
    bags: Sequence[Counter[str]], vectors: Sequence[dict[str, float]], span: int
) -> tuple[list[float], list[list[tuple[int, float]]]]:
    """(sum of cosines to neighbours, TextRank overlap links) within ``span``."""
    count = len(bags)
    sums = [0.0] * count
    links: list[list[tuple[int, float]]] = [[] for _ in range(count)]
    logs = [math.log(len(bag)) if len(bag) > 1 else 0.0 for bag in bags]
    for i in range(count):
        vector = vectors[i]
        for j in range(i + 1, min(count, i + span + 1)):
            shared = vector.keys() & vectors[j].keys()
            if not shared:
                continue
            other = vectors[j]
            similarity = sum(vector[t] * other[t] for t in shared)
            sums[i] += similarity
            sums[j] += similarity
            if logs[i] and logs[j]:
                # TextRank's similarity: shared terms over the log lengths,
                # which (unlike the cosine) grows with how much both say.
                weight = len(shared) / (logs[i] + logs[j])
                links[i].append((j, weight))
                links[j].append((i, weight))
    return sums, links


def _pagerank(links: Sequence[Sequence[tuple[int, float]]], damping: float = 0.85, rounds: int = 6) -> list[float]:
    """PageRank over the (bounded) overlap graph: O(edges) per round, never O(n²)."""
    count = len(links)
    totals = [sum(w for _, w in edges) or 1.0 for edges in links]
    rank = [1.0] * count
    # A few rounds suffice: the scores only need to order sentences, and a
    # bounded graph of neighbours settles fast.
    for _ in range(rounds):
        share = [r / t for r, t in zip(rank, totals)]
        new = [1 - damping] * count
        for i, edges in enumerate(links):
            push = damping * share[i]
            for j, w in edges:
                new[j] += push * w
        rank = new
    return rank


def _has_cue(text: str, cues: tuple[str, ...]) -> bool:
    """Whether a cue phrase occurs (as a word, for Latin-script cues)."""
    lowered = text.lower()
    for cue in cues:
        at = lowered.find(cue)
        if at >= 0 and (not cue.isascii() or _is_word_at(lowered, at, len(cue))):
            return True
    return False


def _is_word_at(text: str, at: int, size: int) -> bool:
    before = text[at - 1] if at else " "
    after = text[at + size] if at + size < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def score_rows(rows: Sequence[dict[str, float]], weight: dict[str, float]) -> list[float]:
    """Weighted sum of each row's features."""
    return [sum(weight.get(name, 0.0) * row[name] for name in FEATURES) for row in rows]


def choose(
    scores: Sequence[float],
    vectors: Sequence[dict[str, float]],
    count: int,
    eligible: Sequence[bool],
    max_similarity: float,
) -> list[int]:
    """Best ``count`` eligible indices, skipping redundant ones, in document order.

    A sentence too similar to one already chosen is skipped; if that leaves
    too few (a text of templated sentences), a second pass fills up with any
    that are not near-identical, so an asked-for number of points still comes.
    """
    order = sorted((i for i in range(len(scores)) if eligible[i]), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    for threshold in (max_similarity, NEAR_IDENTICAL):
        for index in order:
            if len(chosen) >= count:
                break
            if index in chosen or any(cosine(vectors[index], vectors[j]) > threshold for j in chosen):
                continue
            chosen.append(index)
    return sorted(chosen)


def rank_points(
    texts: Sequence[str],
    language: str,
    title: str | None,
    count: int,
    eligible: Sequence[bool] | None = None,
) -> list[int]:
    """Indices of the ``count`` key-point sentences among ``texts``, in order."""
    if not texts or count <= 0:
        return []
    settings = weights()
    allowed = list(eligible) if eligible is not None else [True] * len(texts)
    rows, vectors = features(texts, language, title, allowed)
    scores = score_rows(rows, language_weights(language))
    return choose(scores, vectors, count, allowed, float(settings["max_similarity"]))  # type: ignore[arg-type]
