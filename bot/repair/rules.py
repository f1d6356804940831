"""The repair rules, each a small named function from text to text.

Rules must leave real text alone: every one has tests for what it changes
and for look-alike text it must not touch.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import resources

import ftfy

from bot.repair.damage import realign_shifted_gbk, restore_name_dots
from bot.repair.punctuation import balance_quote_marks, harmonise_punctuation

Rule = Callable[[str], str]

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"


@cache
def _lines_of(name: str) -> tuple[str, ...]:
    text = resources.files("bot.repair").joinpath("data", name).read_text("utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def fix_mojibake(text: str) -> str:
    """ftfy's fixes: mojibake, HTML entities only where unambiguous, odd spaces.

    ftfy's ``fix_latin_ligatures`` and ``uncurl_quotes`` stay off: curly quotes
    carry meaning for quote extraction and ligatures are rare in news.
    ``fix_character_width`` stays off too: it turns Chinese ``，！（`` into
    ASCII; :func:`bot.repair.punctuation.harmonise_punctuation` handles width
    per language instead.
    """
    fixed = ftfy.fix_text(
        text,
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        normalization="NFC",
    )
    if fixed != text and any(unicodedata.category(c) in ("Cn", "Co") for c in set(fixed) - set(text)):
        # A decoding that invents unassigned or private-use characters
        # ("±à¡à" → U+45B45) guessed wrong: real text never decodes to them.
        return text
    return fixed


_TAG = re.compile(r"</?(?:span|div|p|br|strong|em|b|i|a|font|section|img)\b[^<>]{0,200}/?>", re.IGNORECASE)
_BROKEN_CLOSE_TAG = re.compile(r"\?/(?:span|div|p|strong|em|b|i|a|font)>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")


_EMPTY_BRACKETS = re.compile(r"(?<![A-Za-z0-9_)\]])(?:（\s*）|\(\s*\)|【\s*】|\[\s*\])")


_EMPTY_PAIRS = {"）": "（", ")": "(", "】": "【", "]": "["}
_KEEPS_BRACKETS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_)]")


def drop_empty_brackets(text: str) -> str:
    """Remove brackets left empty where a link, image credit or icon was (``（）江苏…``).

    Brackets right after a Latin letter or digit stay: ``f()`` in a sentence about code is real.
    Nested empties (``（ () ）``) go too, so a second repair finds nothing left to drop.
    """
    if not _EMPTY_BRACKETS.search(text):
        return text
    return _drop_nested_empty_brackets(text)


def _drop_nested_empty_brackets(text: str) -> str:
    """:data:`_EMPTY_BRACKETS` removed until none is left, in one pass over ``text``.

    Removing the innermost empty pair and searching again cost a pass per
    level: 10,000 unclosed ``（`` that balancing closed took 4 s. Here each
    closer looks at the last kept character that is not a space for its opener, and
    that opener's own left neighbour decides as the pattern's look-behind
    would; what is to its left is final by then, so the result is the same.
    """
    kept: list[str] = []
    solid: list[int] = []  # where the kept characters that are not spaces stand
    for char in text:
        opener = _EMPTY_PAIRS.get(char)
        if opener is not None and solid:
            at = solid[-1]
            if kept[at] == opener and (at == 0 or kept[at - 1] not in _KEEPS_BRACKETS):
                del kept[at:]
                solid.pop()
                continue
        if not char.isspace():
            solid.append(len(kept))
        kept.append(char)
    return "".join(kept)


def strip_markup_remnants(text: str) -> str:
    """Drop leftover tags (``</span>``) and decode stray entities (``&nbsp;``)."""
    text = _BROKEN_CLOSE_TAG.sub("", text)
    text = _TAG.sub("", text)
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


_GLUED_PINYIN = re.compile(rf"(?<=[{_HAN}])\((?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}\)")
# The same annotation after a character lost in a charset round trip: "?dāng)".
_ORPHAN_PINYIN = re.compile(rf"(?<=[{_HAN}」』”。，])\?(?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}\)")


def remove_glued_pinyin(text: str) -> str:
    """``技術(shù)`` → ``技術``: pinyin with tone marks glued after a Han character.

    Only lower-case syllables with at least one tone mark, directly after a
    Han character, are removed, so ``(AI)``, ``(2023)`` and ``（注）`` stay.
    A ``?dāng)`` left where the annotated character itself was lost goes too.
    """
    return _ORPHAN_PINYIN.sub("", _GLUED_PINYIN.sub("", text))


_IMAGE_CREDIT = re.compile(
    # Possessive runs: the words between them hold no spaces, so giving space
    # back can never help, and backtracking over it made a line of n spaces cost n².
    r"^\s*+(?:圖片|图片|圖|图|image|photo)?\s*+(?:消息)?(?:來源|来源|出處|出处|source|credit)\s*+[:：]\s*+"
    r"(?:https?://|www\.)\S*+\s*+$",
    re.IGNORECASE,
)


def drop_image_placeholders(text: str) -> str:
    """Remove lines that only say an image was here (``圖片``, ``[image]``) or credit it by URL."""
    placeholders = set(_lines_of("placeholders.txt"))
    kept = [
        line
        for line in text.split("\n")
        if line.strip() not in placeholders and not _IMAGE_CREDIT.match(line)
    ]
    return "\n".join(kept)


_LIST_SEPARATORS = re.compile(r"[,，、|｜]")
_SENTENCE_END = re.compile(r"[。！？!?.;；:：」”\"]")


def drop_keyword_spam(text: str) -> str:
    """Remove keyword-stuffing lines: many short comma-separated phrases, no sentence.

    Such lines head content-farm copies (``午夜视频…,日韩视频…,…``). A line
    qualifies with at least six items, each at most 16 characters, and no
    sentence punctuation at all.
    """
    kept = []
    for line in text.split("\n"):
        items = [item.strip() for item in _LIST_SEPARATORS.split(line) if item.strip()]
        if len(items) >= 6 and max(len(i) for i in items) <= 16 and not _SENTENCE_END.search(line):
            continue
        kept.append(line)
    return "\n".join(kept)


_DEBRIS = re.compile(r"[\s\d()（）\[\]【】|｜·•:：,，.。/\\+\-_>›»«<]+")


def drop_widget_lines(text: str) -> str:
    """Remove lines made only of share/like/comment widget words and counters."""
    words = sorted(_lines_of("widget_words.txt"), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    kept = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and len(stripped) <= 40:
            residue = _DEBRIS.sub("", pattern.sub("", stripped))
            if not residue:
                continue
        kept.append(line)
    return "\n".join(kept)


@lru_cache(maxsize=1)
def _promo_pattern() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _lines_of("promo_lines.txt")), re.IGNORECASE)


def drop_promo_lines(text: str) -> str:
    """Remove boilerplate lines: newsletter and subscription prompts, "Read more:", follow-us,
    reprint notices.

    Only lines of at most 220 characters that *start* with such a phrase go,
    so an article that discusses newsletters or subscriptions keeps its text.
    """
    pattern = _promo_pattern()
    kept = [line for line in text.split("\n") if len(line) > 220 or not pattern.match(line.strip())]
    return "\n".join(kept)


def cut_site_footer(text: str) -> str:
    """End the text at a site footer (disclaimer, copyright) near its end."""
    phrases = _lines_of("footer_phrases.txt")
    lines = text.split("\n")
    total = len(text)
    offset = 0
    for index, line in enumerate(lines):
        if offset >= total * 0.6 and any(p.lower() in line.lower() for p in phrases):
            return "\n".join(lines[:index]).rstrip()
        offset += len(line) + 1
    return text


_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_CJK_SPACE = re.compile(rf"(?<=[{_HAN}，。！？；：、」』）])[ \t]+(?=[{_HAN}「『（，。！？；：、])")


def normalise_whitespace(text: str) -> str:
    """One space between words, none between Chinese characters, ≤ 1 blank line."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _CJK_SPACE.sub("", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


RULES: tuple[Rule, ...] = (
    fix_mojibake,
    realign_shifted_gbk,
    strip_markup_remnants,
    remove_glued_pinyin,
    restore_name_dots,
    drop_image_placeholders,
    drop_keyword_spam,
    drop_widget_lines,
    drop_promo_lines,
    cut_site_footer,
    balance_quote_marks,
    # After the removals and the balancing, any of which can leave "（）".
    drop_empty_brackets,
    harmonise_punctuation,
    normalise_whitespace,
)
