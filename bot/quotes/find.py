"""Find quoted spans: a first version that pairs marks within a paragraph."""

from __future__ import annotations

import re

from bot.models import Quote

_PAIRS = {"“": "”", "「": "」", "『": "』", "«": "»", "„": "“", '"': '"'}
_MIN_WORDS = 4
_MIN_HAN = 6
_HAN = re.compile(r"[\u3400-\u9fff]")


def find_quotes(text: str, language: str = "en") -> list[Quote]:
    """Every direct quote in ``text``, in document order, speaker unknown."""
    quotes: list[Quote] = []
    offset = 0
    for paragraph in text.split("\n"):
        index = 0
        while index < len(paragraph):
            closer = _PAIRS.get(paragraph[index])
            if closer is None:
                index += 1
                continue
            end = paragraph.find(closer, index + 1)
            if end == -1:
                index += 1
                continue
            inner = paragraph[index + 1 : end].strip()
            if _is_statement(inner):
                quotes.append(Quote(inner, None, offset + index + 1, offset + end))
            index = end + 1
        offset += len(paragraph) + 1
    return quotes


def _is_statement(inner: str) -> bool:
    han = len(_HAN.findall(inner))
    if han:
        return han >= _MIN_HAN
    return len(inner.split()) >= _MIN_WORDS
