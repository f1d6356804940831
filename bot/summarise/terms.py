"""Terms for comparing sentences: stemmed words, or Han character bigrams."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")


@lru_cache(maxsize=None)
def stopwords(language: str) -> frozenset[str]:
    """The stopword list of ``language`` (empty if we have none)."""
    try:
        text = resources.files("bot.summarise").joinpath("data", f"stopwords-{language}.txt").read_text("utf-8")
    except FileNotFoundError:
        return frozenset()
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def stem(word: str) -> str:
    """A light English suffix stripper: enough to join plurals and tenses."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def terms(text: str, language: str) -> list[str]:
    """Content terms of ``text``: Han bigrams for Chinese runs, stemmed words otherwise."""
    found: list[str] = []
    stop = stopwords(language)
    for run in _HAN_RUN.findall(text):
        if len(run) == 1:
            found.append(run)
        found.extend(run[i : i + 2] for i in range(len(run) - 1))
    for word in _WORD.findall(_HAN_RUN.sub(" ", text)):
        lowered = word.lower()
        if lowered in stop or lowered.isdigit() or len(lowered) < 2:
            continue
        found.append(stem(lowered))
    return found
