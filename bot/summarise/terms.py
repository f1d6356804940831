"""Terms for comparing sentences: stemmed words, or Han character bigrams.

Chinese is compared by overlapping character bigrams rather than segmented
words: on the CSL development set bigrams scored as well as a dictionary
segmenter (see benchmarks/README.md) while needing no dictionary, no start-up
time and nothing to go stale on new names.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import filterfalse
from operator import add

from bot.language import function_words
from bot.summarise.lexicon import word_list

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Two word characters in a row: all a term outside Han runs needs.
_NOT_HAN_WORD = re.compile(r"[^\W_]{2}")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_SUFFIXES = (
    ("ational", "ate"),
    ("ization", "ize"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("ments", "ment"),
    ("ings", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ing", ""),
    ("edly", ""),
    ("ly", ""),
    ("ed", ""),
)
# "-es" is a plural ending only after a hissing sound (boxes, churches);
# elsewhere only the "s" goes (turbines -> turbine, like turbine itself).
_HISSING = ("sses", "xes", "zes", "ches", "shes")


@cache
def stopwords(language: str) -> frozenset[str]:
    """The stopword list of ``language``: our own list, else the language's most
    frequent function words (those that tell languages apart), else empty."""
    return word_list(f"stopwords-{language}") or function_words(language)


# Korean particles glued to the end of a noun (엘제이의, 류화영은, 사진을), longest first.
_KO_PARTICLES = (
    "에서",
    "에게",
    "까지",
    "부터",
    "처럼",
    "으로",
    "의",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "에",
    "도",
    "와",
    "과",
    "로",
)

_KO_VERB_FORMS = ("하는", "되는", "있는", "없는", "않는", "하던", "되던")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English suffix stripper: enough to join plurals, tenses and -ly.

    Korean words lose a trailing particle instead (Korean is not first-class;
    this is enough for its keywords and sentence similarity to work).
    """
    if word and "\uac00" <= word[-1] <= "\ud7af":
        if word.endswith(_KO_VERB_FORMS):
            return word  # 사랑하는 (loving) ends in 는 but is a verb form, not noun + particle
        for particle in _KO_PARTICLES:
            if word.endswith(particle) and len(word) - len(particle) >= 2:
                return word[: -len(particle)]
        return word
    if word.endswith(("ss", "us", "is")):
        return word
    for suffix, keep in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    if word.endswith(_HISSING) and len(word) >= 5:
        return word[:-2]
    if word.endswith("s") and len(word) >= 4:
        return word[:-1]
    return word


def han_terms(run: str) -> list[str]:
    """Overlapping character bigrams of a Han run (a lone character stays itself)."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


@cache
def _word_stopwords(language: str) -> frozenset[str]:
    """The language's stopwords plus English ones (English words turn up everywhere)."""
    return stopwords(language) | stopwords("en")


def terms(text: str, language: str) -> list[str]:
    """Content terms of ``text``: Han bigrams for Chinese runs, stemmed words otherwise."""
    found: list[str] = []
    zh_stop = stopwords("zh")
    runs = _HAN_RUN.findall(text)
    for run in runs:
        if len(run) == 1:
            found.append(run)
        else:
            found += filterfalse(zh_stop.__contains__, map(add, run, run[1:]))
    rest = _HAN_RUN.sub(" ", text) if runs else text
    if not _NOT_HAN_WORD.search(rest):
        return found  # all Chinese: nothing left to scan word by word
    stop = _word_stopwords(language)
    for word in _WORD.findall(rest):
        lowered = word.lower()
        if lowered in stop or lowered.isdigit() or len(lowered) < 2:
            continue
        found.append(stem(lowered))
    return found
