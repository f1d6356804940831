"""Score sentences and choose the key points.

A sentence's score is a weighted sum of features, each in about [0, 1]:

- ``centroid``: its distinct terms against the term counts of the rest of the
  document (the strongest single signal on the dev data);
- ``coverage``: how many recurring terms it holds; ``long``/``length``: size;
- ``overlap``, ``pagerank``: TextRank-overlap degree and PageRank in a graph
  linking each sentence only to its ``WINDOW`` neighbours on either side
  (fewer for huge texts), so cost stays linear;
- ``lead``/``position``: the news lead, counted over real sentences only;
- ``title``: share of title terms; ``cue``: cue words (``data/cues-*.txt``);
- ``speech``: reported speech, a speech verb (``data/attribution-*.txt``:
  said, told, 表示): news summaries keep what people said;
- ``statement``: the text saying what it does ("本文提出了…", "In this paper
  we…", "针对这一问题，…"; ``data/self-reference-*.txt`` and
  ``data/contributions-*.txt``), which outranks a background lead;
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
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from importlib import resources
from itertools import chain
from operator import itemgetter, mul
from typing import NotRequired, TypedDict

from bot.summarise.lexicon import phrases
from bot.summarise.terms import terms
from bot.summarise.units import size as length_units

FEATURES = (
    "centroid",
    "coverage",
    "long",
    "overlap",
    "pagerank",
    "lead",
    "position",
    "title",
    "cue",
    "length",
    "numbers",
    "names",
    "statement",
    "speech",
)

# Neighbours on each side a sentence is linked with in the graph: bounded, so
# it never grows quadratically with the text.
WINDOW = 10
_MAX_PAIRS = 20_000
# Centrality divides by |terms| ** this: below the cosine's 0.5, so sentences
# that say more are mildly preferred (ROUGE F1 against news summaries rewards them).
CENTROID_EXPONENT = 0.15
# Two sentences this similar (TF-IDF cosine) are the same point: never both.
NEAR_IDENTICAL = 0.9
_DIGIT = re.compile(r"\d")
_NAME = re.compile(r"(?<=[\s(“\"'‘])[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")


class Weights(TypedDict):
    """The layout of ``data/weights.json``."""

    _doc: NotRequired[str]
    weights: dict[str, float]  # by feature name
    ideal_length: float  # word units (see length_score)
    max_similarity: float  # TF-IDF cosine above which a sentence repeats a chosen one
    overrides: NotRequired[dict[str, dict[str, float]]]  # by language, weights replaced


@lru_cache(maxsize=1)
def weights() -> Weights:
    """The fitted weights and selection settings (``data/weights.json``)."""
    text = resources.files("bot.summarise").joinpath("data", "weights.json").read_text("utf-8")
    loaded: Weights = json.loads(text)
    return loaded


def language_weights(language: str) -> dict[str, float]:
    """The shared weights with ``language``'s overrides applied."""
    settings = weights()
    merged = dict(settings["weights"])
    overrides = settings.get("overrides", {})
    merged.update(overrides.get(language, {}))
    return merged


def length_score(units: float, ideal: float) -> float:
    """Rises to 1 at ``ideal`` word units, flat to twice that, then falls gently.

    Very long "sentences" are usually run-on lists or unsplit paragraphs.
    """
    if units <= ideal:
        return units / ideal
    return max(0.0, 1.0 - 0.25 * max(0.0, units - 2 * ideal) / ideal)


class SentenceVectors(Sequence[dict[str, float]]):
    """Unit-length TF-IDF vectors of the sentences, each made when first asked for.

    Only the redundancy check compares sentences by cosine, and only the few
    it considers, so most vectors are never built. A vector holds just the
    terms its sentence shares with others (no other term can add to a
    cosine), but its norm counts the lone terms too, which all have the IDF
    of a term seen in one sentence. So the cosine of two sentences is exact;
    that of a sentence with itself is not 1 (it is never asked for).

    IDF is ``log((n + 1) / sentences with the term) + 1`` over the n sentences.
    """

    def __init__(
        self, bags: Sequence[Counter[str]], shared: Sequence[dict[str, int]], frequency: Counter[str]
    ) -> None:
        self._bags = bags
        self._shared = shared
        self._frequency = frequency
        self._lone_idf = math.log(len(bags) + 1) + 1.0  # log(1) = 0 for a term in one sentence
        self._made: dict[int, dict[str, float]] = {}

    def __len__(self) -> int:
        return len(self._shared)

    def __getitem__(self, index: int) -> dict[str, float]:  # type: ignore[override]  # int indices only, never slices
        made = self._made.get(index)
        if made is None:
            kept, frequency, base = self._shared[index], self._frequency, self._lone_idf
            values = [(base - math.log(frequency[t])) * _tf(c) for t, c in kept.items()]
            lone = _square_tf_sum(self._bags[index].values()) - _square_tf_sum(kept.values())
            square = sum(map(mul, values, values)) + self._lone_idf**2 * lone
            scale = 1.0 / (math.sqrt(square) or 1.0)
            made = self._made[index] = dict(zip(kept, [v * scale for v in values], strict=True))
        return made


def _square_tf_sum(counts: Iterable[int]) -> float:
    """Σ tf(c)² over ``counts``: a table lookup per term, in C."""
    counts = list(counts)
    if counts and max(counts) >= _TF_SIZE:
        return sum(_tf(c) ** 2 for c in counts)
    return sum(map(_TF_SQUARED.__getitem__, counts))


def _tf(count: int) -> float:
    """Sublinear term frequency."""
    return _TF[count] if count < _TF_SIZE else 1.0 + math.log(count)


_TF_SIZE = 32
_TF = [0.0] + [1.0 + math.log(c) for c in range(1, _TF_SIZE)]
_TF_SQUARED = [w * w for w in _TF]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two unit vectors over their shared terms."""
    return sum(a[t] * b[t] for t in a.keys() & b.keys())


def as_rows(columns: dict[str, list[float]]) -> list[dict[str, float]]:
    """:func:`feature_columns` as a dict of values per sentence (the weight-fitting script reads them so)."""
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def feature_columns(
    texts: Sequence[str],
    language: str,
    title: str | None = None,
    eligible: Sequence[bool] | None = None,
    sizes: Sequence[float] | None = None,
    origins: Sequence[int] | None = None,
    unused: frozenset[str] = frozenset(),
) -> tuple[dict[str, list[float]], SentenceVectors]:
    """(each feature's values over the sentences, each roughly in [0, 1]; TF-IDF vectors).

    Position counts only ``eligible`` sentences, so the lead is the first real
    sentence, not a menu or headline above it; clauses of one sentence
    (the same ``origins`` entry) share its position. ``sizes`` are the texts'
    :func:`length_units` when the splitter has measured them already.
    Features named in ``unused`` (weighted 0) are not computed: all zeros.
    """
    found = [terms(t, language) for t in texts]
    bags = [Counter(f) for f in found]
    # The document's term counts (the centroid each sentence is compared
    # with) and each term's sentence count; built from iterables, which
    # Counter counts in C, rather than by merging Counters in Python.
    counts: Counter[str] = Counter(chain.from_iterable(found))
    frequency: Counter[str] = Counter(chain.from_iterable(bags))
    # A term of one sentence only links it to nothing: it adds to norms but
    # to no cosine, centroid dot product or coverage. Most Chinese bigrams are
    # such terms, so the per-term work below runs on the shared ones only.
    shared = [{t: c for t, c in bag.items() if frequency[t] > 1} for bag in bags]
    vectors = SentenceVectors(bags, shared, frequency)
    log_frequency = {t: math.log(f) for t, f in frequency.items() if f > 1}
    title_terms = set(terms(title or "", language))
    ideal = float(weights()["ideal_length"])
    count = len(texts)
    span = neighbourhood(count)
    links = _graph([len(bag) for bag in bags], shared, span)
    degrees = [sum(map(itemgetter(1), edges)) for edges in links]
    ranks = _pagerank(links, degrees)
    allowed = eligible if eligible is not None else [True] * count
    places, seen, last = [], -1, None
    for ok, origin in zip(allowed, origins if origins is not None else range(count), strict=True):
        if ok and origin != last:  # a clause sits where its sentence does
            seen, last = seen + 1, origin
        places.append(max(seen, 0))
    if sizes is None:
        sizes = [length_units(t) for t in texts]
    # The lead is the first real sentence that says something: a greeting or
    # a one-line opener ("各位好，我是安东尼。", "Hello again.") is not the news.
    lead_at = next(
        (
            i
            for i, (ok, units) in enumerate(zip(allowed, sizes, strict=True))
            if ok and units >= MIN_LEAD_UNITS
        ),
        next((i for i, ok in enumerate(allowed) if ok), -1),
    )
    covers = [sum(map(log_frequency.__getitem__, kept)) for kept in shared]
    top_cover = max(covers, default=0.0) or 1.0
    lead = [0.0] * count
    if lead_at >= 0:
        lead[lead_at] = 1.0

    def flags(test: Callable[[str], object], name: str) -> list[float]:
        return [0.0] * count if name in unused else [1.0 if test(t) else 0.0 for t in texts]

    columns = {
        "centroid": _relative(_centroid_scores(bags, shared, counts)),
        # Coverage: how many of the document's recurring terms it holds,
        # relative to the best sentence.
        "coverage": [c / top_cover for c in covers],
        "long": [min(1.0, units / 60.0) for units in sizes],
        "overlap": _relative(degrees),
        "pagerank": _relative(ranks),
        "lead": lead,
        "position": [1.0 / math.sqrt(place + 1) for place in places],
        "title": (
            [len(title_terms & bag.keys()) / len(title_terms) for bag in bags]
            if title_terms and "title" not in unused
            else [0.0] * count
        ),
        "length": [length_score(units, ideal) for units in sizes],
        "cue": flags(lambda t: _has_cue(t, language), "cue"),
        "numbers": flags(_DIGIT.search, "numbers"),
        "names": [0.0] * count if "names" in unused else [min(1.0, len(_NAME.findall(t)) / 3) for t in texts],
        "statement": flags(lambda t: _states_contribution(t, language), "statement"),
        "speech": flags(lambda t: _reports_speech(t, language), "speech"),
    }
    return columns, vectors


def _relative(values: list[float]) -> list[float]:
    """``values`` over the largest of them (the document's most central sentence)."""
    top = max(values, default=0.0) or 1.0
    return [v / top for v in values]


def _centroid_scores(
    bags: Sequence[Counter[str]], shared: Sequence[dict[str, int]], counts: Counter[str]
) -> list[float]:
    """Each sentence's distinct terms against the counts of the rest of the document.

    The sentence itself is left out, or long sentences win by
    self-similarity; dividing by |terms| ** CENTROID_EXPONENT rather than the
    cosine's 0.5 keeps a mild preference for sentences that say more. Only
    ``shared`` terms (in two sentences or more) reach the dot product; a lone
    term's whole count is its own, so it adds just c² to what leaving the
    sentence out removes.
    """
    total_square = sum(map(mul, counts.values(), counts.values()))
    scores = []
    for bag, kept in zip(bags, shared, strict=True):
        if not bag:
            scores.append(0.0)
            continue
        own = list(kept.values())
        whole = list(map(counts.__getitem__, kept))
        every = bag.values()
        dot = sum(whole) - sum(own)
        # Σ whole² - (whole - c)² over shared terms, plus Σ c² over lone ones.
        removed = 2 * sum(map(mul, own, whole)) - 2 * sum(map(mul, own, own)) + sum(map(mul, every, every))
        scores.append(dot / (len(bag) ** CENTROID_EXPONENT * math.sqrt(max(1.0, total_square - removed))))
    return scores


MIN_LEAD_UNITS = 8.0  # word units (about 13 Han characters)


def neighbourhood(count: int) -> int:
    """Neighbours on each side a sentence is compared with.

    ``WINDOW`` for articles; for very long texts it shrinks so the pairs
    compared stay near ``_MAX_PAIRS`` — the global centroid still sees all.
    """
    return max(2, min(WINDOW, _MAX_PAIRS // max(1, count)))


def _graph(
    term_counts: Sequence[int], shared: Sequence[dict[str, int]], span: int
) -> list[list[tuple[int, float]]]:
    """TextRank overlap links between sentences at most ``span`` apart.

    ``term_counts`` are the sentences' numbers of distinct terms (TextRank's
    lengths); ``shared`` holds each sentence's terms found in others too.
    """
    count = len(shared)
    links: list[list[tuple[int, float]]] = [[] for _ in range(count)]
    logs = [math.log(n) if n > 1 else 0.0 for n in term_counts]
    # Plain sets intersect faster than dict key views.
    term_sets = [set(kept) for kept in shared]
    for i in range(count):
        if not logs[i]:
            continue
        terms_i = term_sets[i]
        for j in range(i + 1, min(count, i + span + 1)):
            common = len(terms_i & term_sets[j])
            if common and logs[j]:
                # TextRank's similarity: shared terms over the log lengths,
                # which (unlike the cosine) grows with how much both say.
                weight = common / (logs[i] + logs[j])
                links[i].append((j, weight))
                links[j].append((i, weight))
    return links


def _pagerank(
    links: Sequence[Sequence[tuple[int, float]]],
    degrees: Sequence[float],
    damping: float = 0.85,
    rounds: int = 6,
) -> list[float]:
    """PageRank over the (bounded) overlap graph: O(edges) per round, never O(n²).

    ``degrees`` are each sentence's summed link weights (its overlap feature).
    """
    count = len(links)
    totals = [degree or 1.0 for degree in degrees]
    rank = [1.0] * count
    # A few rounds suffice: the scores only need to order sentences, and a
    # bounded graph of neighbours settles fast.
    for _ in range(rounds):
        share = [r / t for r, t in zip(rank, totals, strict=True)]
        new = [1 - damping] * count
        for i, edges in enumerate(links):
            push = damping * share[i]
            for j, w in edges:
                new[j] += push * w
        rank = new
    return rank


@cache
def _cue_pattern(language: str) -> re.Pattern[str] | None:
    """One pattern for all of a language's cue phrases; Latin-script ones as whole words."""
    cues = _alternatives(phrases(f"cues-{language}"), han_not_before="")
    return re.compile(cues) if cues else None


def _has_cue(text: str, language: str) -> bool:
    """Whether one of ``language``'s cue phrases occurs in ``text``."""
    pattern = _cue_pattern(language)
    return bool(pattern and pattern.search(text.lower()))


@cache
def _statement_patterns(language: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """(a self-reference opening the sentence or its second clause, a contribution phrase anywhere).

    Only an opening self-reference counts: "本文提出…" states the paper's
    point, while "本文的主人公…" or "…课文中…" in a news story do not.
    """
    openers = _alternatives(phrases(f"self-reference-{language}"))
    anywhere = _alternatives(phrases(f"contributions-{language}"))
    # One short opening clause may come first: "在此基础上，本文…", "Based on X, this paper…".
    opening = (
        re.compile(rf"(?:[^,，.。;；]{{0,40}}[,，]\s*)?(?:{openers})", re.IGNORECASE) if openers else None
    )
    return opening, re.compile(anywhere, re.IGNORECASE) if anywhere else None


def _states_contribution(text: str, language: str) -> bool:
    """Whether ``text`` says what the document itself does or proposes."""
    opening, anywhere = _statement_patterns(language)
    if opening and opening.match(text):
        return True
    if anywhere is None:
        return False
    # Latin-script phrases are tested as plain substrings first: a \b…\b
    # alternation is tried at every position of the sentence and almost no
    # sentence holds one. Han phrases need no help: their first characters
    # let the regex skip ahead.
    latin = _latin_phrases(language)
    return bool((latin is None or any(p in text.lower() for p in latin)) and anywhere.search(text))


@cache
def _latin_phrases(language: str) -> tuple[str, ...] | None:
    """The language's contribution phrases when all are Latin-script, else None."""
    entries = phrases(f"contributions-{language}")
    return entries if entries and all(e.isascii() for e in entries) else None


@cache
def _speech_pattern(language: str) -> re.Pattern[str] | None:
    verbs = _alternatives(phrases(f"attribution-{language}"))
    return re.compile(verbs) if verbs else None


def _reports_speech(text: str, language: str) -> bool:
    """Whether ``text`` reports what someone said (a speech verb of ``language``)."""
    pattern = _speech_pattern(language)
    return bool(pattern and pattern.search(text))


def _alternatives(entries: Iterable[str], han_not_before: str = "的之") -> str:
    """Entries as one alternation: Latin-script ones as whole words, Han ones
    not followed by a character of ``han_not_before`` (本文 but not 本文的).

    Each script is one group rather than look-arounds per entry: the engine
    tests a word boundary once per position, which keeps English text fast.
    """
    words = "|".join(re.escape(e) for e in entries if e.isascii())
    others = "|".join(re.escape(e) for e in entries if not e.isascii())
    after = f"(?![{han_not_before}])" if han_not_before else ""
    parts = ([rf"\b(?:{words})\b"] if words else []) + ([f"(?:{others}){after}"] if others else [])
    return "|".join(parts)


def score_columns(columns: dict[str, list[float]], weight: dict[str, float]) -> list[float]:
    """Weighted sum of the features of each sentence, from :func:`feature_columns`."""
    scores = [0.0] * len(next(iter(columns.values()), []))
    for name in FEATURES:
        if weight.get(name):
            scores = [s + weight[name] * v for s, v in zip(scores, columns[name], strict=True)]
    return scores


def choose(
    scores: Sequence[float],
    vectors: Sequence[dict[str, float]],
    count: int,
    eligible: Sequence[bool],
    max_similarity: float,
    origins: Sequence[int] | None = None,
) -> list[int]:
    """Best eligible indices making ``count`` points, skipping redundant ones, in document order.

    A sentence too similar to one already chosen is skipped; if that leaves
    too few (a text of templated sentences), a second pass fills up with any
    that are not near-identical, so an asked-for number of points still comes.
    Units with the same ``origins`` entry are clauses of one sentence: chosen
    next to each other they make one point, not two.
    """
    order = sorted((i for i in range(len(scores)) if eligible[i]), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    for threshold in (max_similarity, NEAR_IDENTICAL):
        for index in order:
            if point_count(chosen, origins) >= count:
                break
            if index in chosen or any(cosine(vectors[index], vectors[j]) > threshold for j in chosen):
                continue
            chosen.append(index)
    return sorted(chosen)


def point_runs(chosen: Sequence[int], origins: Sequence[int] | None) -> list[list[int]]:
    """``chosen`` (sorted) grouped into points: runs of neighbouring clauses of one sentence."""
    runs: list[list[int]] = []
    for index in sorted(chosen):
        if (
            runs
            and origins is not None
            and runs[-1][-1] == index - 1
            and origins[index] == origins[index - 1]
        ):
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def point_count(chosen: Sequence[int], origins: Sequence[int] | None) -> int:
    """How many points ``chosen`` makes (see :func:`point_runs`)."""
    return len(point_runs(chosen, origins)) if origins is not None else len(chosen)


def rank_points(
    texts: Sequence[str],
    language: str,
    title: str | None,
    count: int,
    eligible: Sequence[bool] | None = None,
    sizes: Sequence[float] | None = None,
    origins: Sequence[int] | None = None,
) -> list[int]:
    """Indices of the key-point sentences among ``texts``, in order, making ``count`` points.

    ``origins`` give each unit's sentence when long ones were cut into
    clauses (see :func:`choose`).
    """
    if not texts or count <= 0:
        return []
    settings = weights()
    allowed = list(eligible) if eligible is not None else [True] * len(texts)
    weight = language_weights(language)
    unused = frozenset(name for name in FEATURES if not weight.get(name))
    columns, vectors = feature_columns(texts, language, title, allowed, sizes, origins, unused)
    scores = score_columns(columns, weight)
    similarity = float(settings["max_similarity"])
    return choose(scores, vectors, count, allowed, similarity, origins)
