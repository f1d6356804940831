"""Language identification and script helpers shared by every stage.

Chinese is decided by script (Han characters without kana or hangul), because
statistical identifiers confuse short Chinese texts with Japanese. Other
scripts decide their language where one script means one language; Latin and
Cyrillic text is told apart by its most frequent function words
(``bot/data/function-words/*.txt``). We wrote this instead of using py3langid
because py3langid pulls in numpy (about 75 MB of a container image, and a
second of model loading) to answer a question that, for choosing stopwords,
function words answer as well; unknown languages simply fall back to English
rules, which degrade gracefully.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_WORD = re.compile(r"\w+")
_LETTER = re.compile(r"[^\W\d_]")

# Enough text to decide on; longer samples only cost time.
_SAMPLE = 4000


def is_cjk_char(char: str) -> bool:
    """True for a Han ideograph (the characters Chinese text is made of)."""
    return bool(_HAN.match(char))


def han_ratio(text: str) -> float:
    """Share of Han characters among the letters and ideographs of ``text``."""
    sample = text[:_SAMPLE]
    han = len(_HAN.findall(sample))
    latin = sum(len(w) for w in _LATIN_WORD.findall(sample))
    # A Han character carries about as much as a short word: weigh letters down.
    denominator = han + latin / 4
    return han / denominator if denominator else 0.0


def language_code(value: str | None) -> str | None:
    """``value`` as a bare ISO 639 code ("zh-Hant" → "zh", "EN_gb" → "en"), or
    None when it is not one (it may come from input, and names data files)."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code if _CODE.fullmatch(code) else None


_CODE = re.compile(r"[a-z]{2,3}")


def detect_language(text: str, hint: str | None = None) -> str:
    """ISO 639-1 code of ``text``; ``hint`` (e.g. from the page) wins when plausible."""
    sample = text[:_SAMPLE]
    hint = language_code(hint)
    if hint:
        if hint == "zh" and _HAN.search(sample):
            return "zh"
        if hint != "zh" and len(hint) == 2 and hint.isalpha() and han_ratio(sample) < 0.3:
            return hint
    kana = len(_KANA.findall(sample))
    hangul = len(_HANGUL.findall(sample))
    han = len(_HAN.findall(sample))
    if hangul > max(20, han):
        return "ko"
    if kana > 20 and kana * 5 > han:
        return "ja"
    if han_ratio(sample) >= 0.3:
        return "zh"
    if not _LETTER.search(sample):
        return "en"  # digits and symbols only: nothing to tell, English is the safe default
    return _classify(sample)


def _classify(sample: str) -> str:
    for pattern, code in _SCRIPTS:
        if len(pattern.findall(sample)) > 20:
            return code
    words = _WORD.findall(sample.lower())
    if not words:
        return "en"
    best, best_hits = "en", 0
    for code, vocabulary in _function_words().items():
        hits = sum(1 for word in words if word in vocabulary)
        if hits > best_hits or (hits == best_hits and code == "en"):
            best, best_hits = code, hits
    if best_hits < 2 and _CYRILLIC.search(sample):
        return "ru"
    return best


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SCRIPTS = (
    (re.compile(r"[\u0370-\u03ff]"), "el"),
    (re.compile(r"[\u0590-\u05ff]"), "he"),
    (re.compile(r"[\u0600-\u06ff]"), "ar"),
    (re.compile(r"[\u0900-\u097f]"), "hi"),
    (re.compile(r"[\u0e00-\u0e7f]"), "th"),
)


def function_word_languages() -> tuple[str, ...]:
    """Codes of the languages told apart by their function words (``en``, ``de``, …)."""
    return tuple(sorted(_function_words()))


def function_words(language: str) -> frozenset[str]:
    """The most frequent function words of ``language`` (empty if we have none).

    They double as a small stopword list for languages without a full one.
    """
    return _function_words().get(language, frozenset())


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    folder = resources.files("bot").joinpath("data", "function-words")
    vocabularies = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".txt"):
            words = entry.read_text("utf-8").split("\n")
            vocabularies[entry.name[:-4]] = frozenset(
                w.strip() for w in words if w.strip() and not w.startswith("#")
            )
    return vocabularies


def count_reading_units(text: str) -> tuple[int, int]:
    """(words outside Han script, Han characters) — the two reading speeds."""
    han = len(_HAN.findall(text))
    words = len(_WORD.findall(_HAN.sub(" ", text)))
    return words, han
