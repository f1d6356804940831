"""Keywords: names and short noun phrases that recur, in English and Chinese.

Candidates are runs of one to three content words between stopwords and
punctuation (the RAKE idea) in space-separated text, and repeated two- to
six-character runs in Chinese, plus Latin-script names inside Chinese. A
candidate scores by how often it occurs, more for phrases, names and title
words; a shorter candidate that mostly occurs inside a longer one is dropped
("Warner" under "Time Warner", "模型" under "语言模型").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from functools import lru_cache
from itertools import compress
from operator import add
from typing import TypeVar

from bot.summarise.lexicon import phrases, word_list
from bot.summarise.terms import stem, stopwords

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Words of any script, keeping inner hyphens, dots and digits ("GPT-4",
# "Hernández"), abbreviations with their last dot ("U.S."), and the
# punctuation that ends a phrase.
_ABBREVIATION = re.compile(r"(?:[^\W\d_]\.){2,}")
_TOKEN = re.compile(_ABBREVIATION.pattern + r"|[^\W_][\w'’&.-]*[^\W_]|[^\W_]|[^\s\w]")
# A piece without a letter yields only numbers, which are never keywords.
_LETTER = re.compile(r"[^\W\d_]")
_HIRAGANA = re.compile(r"[\u3040-\u309f]+")
_HANGUL_END = re.compile(r"[\uac00-\ud7af]$")
_DIGIT = re.compile(r"\d")
_NUMBER_CHARS = "0123456789.,-'’&"
_MAX_WORDS = 3
_MAX_HAN = 6  # 潮汐发电站, 人工智能公司: Chinese names and terms run to five or six characters
MIN_KEYWORDS, MAX_KEYWORDS = 5, 8
# An n-gram: a tuple of word stems, or a string of Han characters.
Gram = TypeVar("Gram", tuple[str, ...], str)


def extract_keywords(
    text: str, language: str, *, title: str | None = None, limit: int = MAX_KEYWORDS
) -> list[str]:
    """Up to ``limit`` keywords of ``text``, best first (at least 5 when there are that many)."""
    text = _sample(text)
    scored: dict[str, float] = {}
    surface: dict[str, str] = {}
    for key, shown, score in _latin_candidates(text, title, language):
        scored[key], surface[key] = score, shown
    if language == "zh" or _HAN_RUN.search(text):
        for key, score in _han_candidates(text, title):
            scored[key], surface[key] = score, key
    ranked = sorted(scored, key=lambda k: (-scored[k], k))
    chosen: list[str] = []
    for key in ranked:
        if len(chosen) >= limit:
            break
        if scored[key] < 1.5 and len(chosen) >= MIN_KEYWORDS:
            break  # a word seen once is not a keyword unless we are short of five
        if any(key in other or other in key for other in chosen):
            continue
        chosen.append(key)
    return [surface[key] for key in chosen]


def _latin_candidates(text: str, title: str | None, language: str) -> list[tuple[str, str, float]]:
    """(key, surface form, score) for word n-grams of space-separated text."""
    stop = _keyword_stopwords(language)
    counts: Counter[tuple[str, ...]] = Counter()
    forms: dict[tuple[str, ...], list[str]] = defaultdict(list)
    capitalised: Counter[tuple[str, ...]] = Counter()
    for run in _content_runs(text, stop):
        # Each word is stemmed and checked for a capital once, not once per n-gram.
        stems = [stem(w.lower()) for w in run]
        upper = [w[:1].isupper() or w[:1].isdigit() for w in run]
        for size in range(1, _MAX_WORDS + 1):
            for start in range(len(run) - size + 1):
                end = start + size
                key = tuple(stems[start:end])
                counts[key] += 1
                forms[key].append(" ".join(run[start:end]))
                if all(upper[start:end]):
                    capitalised[key] += 1
    title_keys = {stem(w.lower()) for run in _content_runs(title or "", stop) for w in run}
    longest = _longest_extension(counts)
    results = []
    for key, count in counts.items():
        if (len(key) == 1 and len(key[0]) < 3) or not "".join(key).strip(_NUMBER_CHARS):
            continue  # two-letter words and numbers ("2020", "6.0", "1976-1982") are never keywords
        name = capitalised[key] >= 0.6 * count
        # Mostly part of a longer phrase: dropped — but a name outlives a
        # phrase that only adds a word to it ("Port Wenlow" in "Port Wenlow council").
        if longest.get(key, 0) >= (0.9 if name else 0.6) * count:
            continue
        shown = _most_common(forms[key])
        if _HANGUL_END.search(shown):
            # Korean words without their particles: 엘제이, not 엘제이의 (case kept: SNS).
            shown = " ".join(stem(w) if _HANGUL_END.search(w) else w for w in shown.split())
        if len(key) > 1 and (_DIGIT.search(shown) or shown.endswith("ed")):
            continue  # "sales rose 8%", "profits jumped": a clause, not a phrase
        score = count * (1.0 + 0.6 * (len(key) - 1))
        if count < 2:
            score *= 0.3  # seen once: only to make up the minimum
        if name:
            score *= 1.6
        elif len(key) == 1:
            score *= 0.6  # a single common word says least
        if not title_keys.isdisjoint(key):
            score *= 1.5
        results.append((" ".join(key), shown, score))
    return results


@lru_cache(maxsize=64)
def _keyword_stopwords(language: str) -> frozenset[str]:
    """Words never keywords: stopwords of English and ``language``, and the not-keywords lists."""
    return (
        stopwords("en")
        | stopwords(language)
        | word_list("not-keywords-en")
        | word_list(f"not-keywords-{language}")
    )


def _most_common(items: list[str]) -> str:
    """The most frequent of ``items``, the first seen among equals (Counter.most_common's choice)."""
    return items[0] if len(items) == 1 else Counter(items).most_common(1)[0][0]


SAMPLE_CHARS = 200_000
_SAMPLE_WINDOWS = 8


def _sample(text: str) -> str:
    """At most :data:`SAMPLE_CHARS` of ``text``, in windows spread over all of it.

    Keyword counts settle long before a book-length text ends; counting a
    spread-out sample keeps a megabyte of Chinese from costing seconds.
    """
    if len(text) <= SAMPLE_CHARS:
        return text
    width = SAMPLE_CHARS // _SAMPLE_WINDOWS
    starts = [round(k * (len(text) - width) / (_SAMPLE_WINDOWS - 1)) for k in range(_SAMPLE_WINDOWS)]
    return "\n".join(text[start : start + width] for start in starts)


def _content_runs(text: str, stop: frozenset[str]) -> list[list[str]]:
    """Runs of consecutive content words, broken at stopwords, punctuation and Chinese."""
    runs: list[list[str]] = []
    # Chinese text is mostly Han runs, punctuation and numbers: only the
    # pieces between Han runs that hold a Latin letter are worth tokenising.
    for piece in _HAN_RUN.split(text):
        if _LETTER.search(piece):
            # Hiragana write Japanese particles and endings (は, を, したと):
            # never a word of their own, so they end a phrase like a line break.
            piece = _HIRAGANA.sub("\n", piece)
            # A line break ends a phrase too: a headline without a full stop
            # ("… to Real Madrid") is not the start of the next line's name.
            for line in piece.split("\n"):
                _collect_runs(line, stop, runs)
    return runs


def _collect_runs(piece: str, stop: frozenset[str], runs: list[list[str]]) -> None:
    current: list[str] = []
    for token in _TOKEN.findall(piece):
        # An abbreviation keeps its last dot ("U.S."); other words lose edge marks.
        word = token if _ABBREVIATION.fullmatch(token) else token.strip(".'’")
        if not word or not word[0].isalnum() or word.lower() in stop or len(current) >= 6:
            if current:
                runs.append(current)
            current = []
            if word and word[0].isalnum() and word.lower() not in stop:
                current = [word]
            continue
        current.append(word)
    if current:
        runs.append(current)


def _longest_extension(counts: Mapping[Gram, int], shortest_part: int = 1) -> dict[Gram, int]:
    """For each n-gram, the highest count of an (n+1)-gram that starts or ends with it.

    Only parts of at least ``shortest_part`` items are wanted (a single Han
    character is never a keyword, so its extensions need no counting).
    """
    best: dict[Gram, int] = {}
    for gram, count in counts.items():
        if len(gram) <= shortest_part:
            continue
        for part in (gram[1:], gram[:-1]):
            if count > best.get(part, 0):
                best[part] = count
    return best


@lru_cache(maxsize=1)
def _breaks_pattern() -> re.Pattern[str]:
    """A break character, unless it is part of a word that holds one (过程, 和谐, 共和)."""
    words = word_list("keyword-edge-words-zh")
    pieces = []
    for char in sorted(word_list("keyword-breaks-zh")):
        holding = [w for w in words if char in w]
        before = sorted({w[: w.index(char)] for w in holding if w.index(char) > 0})
        after = sorted({w[w.index(char) + 1 :] for w in holding if w.index(char) < len(w) - 1})
        # One lookbehind per prefix: Python's must each be of fixed width.
        guard_before = "".join(f"(?<!{re.escape(b)})" for b in before)
        guard_after = f"(?!{'|'.join(map(re.escape, after))})" if after else ""
        pieces.append(f"{guard_before}{re.escape(char)}{guard_after}")
    # The class first, so the alternatives are tried only at a break character.
    chars = "".join(sorted(word_list("keyword-breaks-zh")))
    return re.compile(f"(?=[{chars}])(?:{'|'.join(pieces)})")


def _han_candidates(text: str, title: str | None) -> list[tuple[str, float]]:
    """(n-gram, score) for repeated 2-6 character runs of Chinese text."""
    edges = word_list("keyword-edges-zh")
    edge_words = _edge_words()
    breaks = _breaks_pattern()
    # Han runs, cut again at characters that join phrases, one per line.
    joined = breaks.sub("\n", "\n".join(_HAN_RUN.findall(text)))
    # Apriori over positions in the joined runs: an n-gram can repeat only if
    # both (n-1)-grams inside it do, so each longer size looks only at the
    # positions where the shorter one repeated. Working on one string rather
    # than run by run halves the time (hundreds of short runs per article).
    bigrams = list(map(add, joined, joined[1:]))
    level = Counter(bigrams)
    # Every gram seen twice or more, of any size (each gram has one size, so
    # plain dict updates merge the sizes).
    every = {g: c for g, c in level.items() if c >= 2 and "\n" not in g}
    # compress/map keep these passes over every character in C.
    positions = list(compress(range(len(bigrams)), map(every.__contains__, bigrams)))
    for size in range(3, _MAX_HAN + 1):
        repeated = set(positions)
        found = list(compress(positions, map(repeated.__contains__, [i + 1 for i in positions])))
        grams = [joined[i : i + size] for i in found]
        twice = {g: c for g, c in Counter(grams).items() if c >= 2}
        if not twice:
            break
        every.update(twice)
        positions = list(compress(found, map(twice.__contains__, grams)))
    # Only repeated grams can be keywords, or outvote a shorter one.
    counts = {
        g: c
        for g, c in every.items()
        if not ((g[0] in edges or g[-1] in edges) and _clipped(g, edges, edge_words))
    }
    stop, function = _keyword_stopwords("zh"), stopwords("zh")
    longest = _longest_extension(counts, shortest_part=2)
    results = []
    for gram, count in counts.items():
        if gram in stop or longest.get(gram, 0) >= 0.7 * count:
            continue  # a function word, or mostly inside one longer gram
        if len(gram) >= 4 and (gram[:2] in function or gram[-2:] in function):
            continue  # glued to a function word (我们的城市); general nouns may head a term (相互作用)
        score = count * (1.0 + 0.3 * (len(gram) - 2))
        if title and gram in title:
            score *= 1.5
        results.append((gram, score))
    return _grow_capped(results, joined, edges, edge_words)


_GROW_AMONG = 4 * MAX_KEYWORDS
# 中国社会科学院世界历史研究所 (14), 松花江下游右岸堤防加固河道疏浚工程 (17): names
# of bodies and projects run long; a longer repeat is a phrase.
_LONGEST_TERM = 18


EdgeWords = tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]


@lru_cache(maxsize=1)
def _edge_words() -> EdgeWords:
    """(words of ``keyword-edge-words-zh.txt`` by first character, by last character)."""
    starting: dict[str, list[str]] = defaultdict(list)
    ending: dict[str, list[str]] = defaultdict(list)
    for word in phrases("keyword-edge-words-zh"):
        starting[word[0]].append(word)
        ending[word[-1]].append(word)
    return {c: tuple(w) for c, w in starting.items()}, {c: tuple(w) for c, w in ending.items()}


def _clipped(gram: str, edges: frozenset[str], edge_words: EdgeWords) -> bool:
    """Whether ``gram`` starts or ends with an edge character outside a word.

    ``的研究`` and ``人工智`` are clipped; ``人工智能`` and ``对照组`` are not,
    though 能 and 对 are edge characters (``keyword-edge-words-zh.txt``).
    """
    starting, ending = edge_words
    return (gram[0] in edges and not gram.startswith(starting.get(gram[0], ()))) or (
        gram[-1] in edges and not gram.endswith(ending.get(gram[-1], ()))
    )


def _grow_capped(
    results: list[tuple[str, float]], joined: str, edges: frozenset[str], edge_words: EdgeWords
) -> list[tuple[str, float]]:
    """Grams cut off at :data:`_MAX_HAN` grown to the whole repeated term.

    ``西藏自治区农业农村厅`` counts as the 6-grams ``藏自治区农业`` and ``自治区农业农``;
    where every occurrence goes on with the same characters the term is
    grown to where they part, and the pieces collapse into one keyword.
    What grows past :data:`_LONGEST_TERM` is a repeated phrase, not a term,
    and is dropped: cut to a fixed length, its pieces came out as several
    overlapping windows (``林省嫩江干流补充治理工程`` beside ``吉林省``).
    """
    # Only grams that can still be chosen are worth growing: growing merges
    # pieces under their best score, so it never lifts one from below this.
    scores = sorted((score for _, score in results), reverse=True)
    cutoff = scores[_GROW_AMONG - 1] if len(scores) >= _GROW_AMONG else 0.0
    best: dict[str, float] = {}
    for gram, score in results:
        if len(gram) == _MAX_HAN and score >= cutoff:
            gram = _maximal_repeat(joined, gram, _LONGEST_TERM + 1)
            if len(gram) > _LONGEST_TERM:
                continue
            while len(gram) > 2 and gram[-1] in edges and not gram.endswith(edge_words[1].get(gram[-1], ())):
                gram = gram[:-1]
            while len(gram) > 2 and gram[0] in edges and not gram.startswith(edge_words[0].get(gram[0], ())):
                gram = gram[1:]
        best[gram] = max(score, best.get(gram, 0.0))
    return list(best.items())


def _maximal_repeat(text: str, gram: str, limit: int = 12) -> str:
    """``gram`` extended while all its occurrences in ``text`` agree on the next character."""
    starts = []
    at = text.find(gram)
    while at >= 0:
        starts.append(at)
        at = text.find(gram, at + 1)
    if len(starts) < 2:
        return gram
    begin, end = 0, len(gram)
    while end - begin < limit:
        following = {text[s + end] if s + end < len(text) else "\n" for s in starts}
        if len(following) != 1 or following == {"\n"}:
            break
        end += 1
    while end - begin < limit:
        preceding = {text[s + begin - 1] if s + begin > 0 else "\n" for s in starts}
        if len(preceding) != 1 or preceding == {"\n"}:
            break
        begin -= 1
    return text[starts[0] + begin : starts[0] + end]
