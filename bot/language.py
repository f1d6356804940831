"""Language identification and script helpers shared by every stage.

Chinese is decided by script (Han characters without kana or hangul), because
statistical identifiers confuse short Chinese texts with Japanese; everything
else goes to py3langid, a small, well-kept classifier.
"""

from __future__ import annotations

import re

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


def detect_language(text: str, hint: str | None = None) -> str:
    """ISO 639-1 code of ``text``; ``hint`` (e.g. from the page) wins when plausible."""
    sample = text[:_SAMPLE]
    if hint:
        hint = hint.lower().split("-")[0].split("_")[0]
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
    import py3langid  # loads its model on first use (about a second)

    code, _score = py3langid.classify(sample)
    return str(code)


def count_reading_units(text: str) -> tuple[int, int]:
    """(words outside Han script, Han characters) — the two reading speeds."""
    han = len(_HAN.findall(text))
    words = len(_WORD.findall(_HAN.sub(" ", text)))
    return words, han
