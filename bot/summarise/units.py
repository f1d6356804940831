"""Tell sentences from the other units pages are made of.

A unit is one of: ``sentence`` (rankable), ``heading``, ``caption``,
``byline``, ``dateline``, ``list`` (a bulleted or numbered item),
``navigation`` (menus, keyword spam, share widgets, site furniture),
``question`` (to the reader) or ``fragment`` (too short, or a lead-in ending
in a colon). Only sentences become key points; the phrase lists live in
``data/`` (``boilerplate.txt``, ``disclaimers.txt``, ``captions.txt``, ``bylines.txt``).
"""

from __future__ import annotations

import re
from functools import cache

from bot.summarise.lexicon import phrases

RANKABLE = "sentence"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Words of any script but Han (counted by character): "Hernández", "скорость", "사진".
_WORD = re.compile(r"[^\W_\u3400-\u4dbf\u4e00-\u9fff]+(?:['’.-][^\W_\u3400-\u4dbf\u4e00-\u9fff]+)*")
_END = re.compile(r"[.!?。！？；…][\"'”’」』）)\]]*$")
_BULLET = re.compile(
    r"^(?:[•·▪►◆■●○\-–—*+]\s|\d{1,2}[.)、](?!\d)\s?|[（(][一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十]、)"
)
_DATE = re.compile(
    r"\d{4}[-/.年]\d{1,2}(?:[-/.月]\d{1,2})?|\d{1,2}:\d{2}|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)
# Menu separators, including a spaced dash ("搜狐首页 - 新闻 - 体育") and －.
_SEPARATORS = re.compile(r"\s[-–—]\s|[|｜>›»/·•,，、－]")
# Chinese punctuation of any kind: a long Han line with none is a heading or a
# menu run together ("首页组织机构工作动态…"), never a sentence.
_HAN_PUNCTUATION = re.compile(r"[，。！？；：、,.!?;:]")
_LABEL = re.compile(r"[\[【][^\]】\d][^\]】]{0,20}[\]】]")
_QUESTION = re.compile(r"[?？][)）]*$")


def size(text: str) -> float:
    """Length in words: words of other scripts plus Han characters / 1.6 (about a word each)."""
    # Runs, not characters: one list item per run keeps this linear and cheap.
    return len(_WORD.findall(text)) + sum(map(len, _HAN_RUN.findall(text))) / 1.6


def classify(text: str, *, whole_line: bool, words: float | None = None) -> str:
    """The kind of unit ``text`` is; ``whole_line`` when it fills its line alone.

    ``words`` is ``size(text)`` when the caller has it already.
    """
    lowered = text.lower()
    words = size(text) if words is None else words
    ended = bool(_END.search(text))
    if _is_navigation(text, lowered, words, ended):
        return "navigation"
    if lowered.startswith(phrases("captions")):
        return "caption"
    if words <= 12 and lowered.startswith(phrases("bylines")) and not (lowered.startswith("by ") and ended):
        return "byline"
    if words <= 10 and _DATE.search(text) and not ended:
        return "dateline"
    if _BULLET.match(text) and not (ended and words >= 8):
        return "list"  # a bulleted full sentence is still a sentence
    if text.rstrip().endswith((":", "：")):
        return "fragment"  # a lead-in to a list or a quote
    if whole_line and not ended and words <= 14:
        return "heading"
    if not ended and _HAN.search(text) and not _HAN_PUNCTUATION.search(text):
        return "heading"
    if _QUESTION.search(text):
        return "question"
    if words < 4 or text[0].islower():
        return "fragment"
    return RANKABLE


@cache
def _disclaimer() -> re.Pattern[str]:
    """Any phrase of ``disclaimers.txt``: site notices, never key points at any length."""
    return re.compile("|".join(map(re.escape, phrases("disclaimers"))))


def _is_navigation(text: str, lowered: str, words: float, ended: bool) -> bool:
    if _disclaimer().search(lowered):
        return True
    if words <= 12:
        for phrase in phrases("boilerplate"):
            # A real sentence may mention "comments"; furniture is unended or mostly the phrase.
            if phrase in lowered and (not ended or len(phrase) >= 0.4 * len(lowered)):
                return True
    # A list of links with their labels: "洞庭一叶[个人主页] 汉网[汉民族服饰] …"
    # (citation marks such as [1] are digits and do not count).
    if ("[" in text or "【" in text) and len(_LABEL.findall(text)) >= 3:
        return True
    if ended:
        return False
    # Menus and keyword spam: many separators, short pieces, no sentence end.
    pieces = [p for p in _SEPARATORS.split(text) if p.strip()]
    return len(pieces) >= 4 and words / len(pieces) <= 5
