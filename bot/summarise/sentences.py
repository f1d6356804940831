"""Split article text into sentences, in English, Chinese and mixed text.

Each line is split on its own, so text without end punctuation still falls
into units (one per line). Hard-wrapped English (a line that stops mid-sentence
and a next line starting in lowercase) is joined back first. Every unit keeps
its character offsets into the original text and a ``kind`` from
:mod:`bot.summarise.units` saying whether it is a sentence worth ranking.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from bot.summarise.lexicon import word_list
from bot.summarise.units import classify, size


@dataclass(frozen=True, slots=True)
class Sentence:
    """One unit of text, where it sits, and what it is (``"sentence"``, ``"heading"``, …)."""

    text: str
    start: int
    end: int
    paragraph: int
    kind: str = "sentence"
    size: float = 0.0  # in words: words plus Han characters / 1.6 (see units.size)


_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_CLOSERS = "\"'”’」』）)】》»]"
_QUOTE_CLOSERS = "\"'”’」』"
_ZH_END = "。！？；…"
# Pairs that protect their content from being split (Chinese rules): a
# sentence never ends inside 《…》 or inside a quotation.
_PAIRS = {"「": "」", "『": "』", "《": "》", "“": "”", "（": "）"}
_OPENER = re.compile("[" + "".join(_PAIRS) + "]")
_MAX_PROTECTED = 600  # longer "quotes" are broken marks, not quotations
# Possessive closers: `."` before a lowercase word must not backtrack and
# treat the closing quote as the next sentence's opening one.
# Capitals of Latin, Greek and Cyrillic scripts (and a dialogue dash) may start
# a sentence, so German, French, Russian… text splits too, not only English.
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0391-\u03a9\u0400-\u042f"
# Scripts without capitals (Hebrew, Arabic, Devanagari, Thai, kana, Hangul):
# any of their letters may start a sentence.
_CASELESS = "\u0590-\u06ff\u0900-\u0dff\u0e00-\u0e7f\u3040-\u30ff\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
# Only from the start of a run of marks: a run that cannot end a sentence
# cannot from its middle either (the same marks and closers follow), and
# trying every position of "....…" was quadratic.
_EN_END = re.compile(
    rf"(?<![.!?…])[.!?…]++[{re.escape(_CLOSERS)}]*+(?=\s+[\"'“‘«„(\[—{_UPPER}{_CASELESS}0-9{_HAN}]|[{_HAN}])"
)
_ZH_CUT = re.compile(rf"(?:[{_ZH_END}]+|(?<=[{_HAN}])[.!?;](?![0-9]))[{re.escape(_CLOSERS)}]*")
_URL = re.compile(r"(?:https?://|www\.)[^\s]*[^\s.,;:!?)\]」”’'\"]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# The word before a full stop, only if it stands alone ("Mr", "U.S"), not the
# tail of a URL or formula ("a.b?c=d").
_TOKEN_BEFORE = re.compile(r"(?:^|(?<=[\s(\"'“‘]))([A-Za-z][A-Za-z.]*)$")
_NEXT_WORDS = re.compile(r"[\"'“‘(]*\s*([A-Za-z]+)")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences (and other units) of ``text`` in order, with offsets into it."""
    flat = _join_wrapped_lines(text)
    units: list[Sentence] = []
    offset = 0
    for number, line in enumerate(flat.split("\n")):
        spans = _split_line(line)
        for start, end in spans:
            chunk = line[start:end]
            # A pipe left over from a menu ("| 即使是…") never starts a sentence.
            body = _without_label(chunk.lstrip().lstrip("|｜").lstrip())
            stripped = body.rstrip().rstrip("|｜").rstrip()
            if not stripped:
                continue
            lead = len(chunk) - len(body)
            begin = offset + start + lead
            words = size(stripped)
            kind = classify(stripped, whole_line=len(spans) == 1, words=words)
            units.append(
                Sentence(
                    text[begin : begin + len(stripped)].replace("\n", " "),
                    begin,
                    begin + len(stripped),
                    number,
                    kind,
                    words,
                )
            )
        offset += len(line) + 1
    return units


def _without_label(body: str) -> str:
    """``body`` without a structured abstract's section label ("目的 ", "Results: ")."""
    match = _section_label().match(body)
    if match and len(body) - match.end() >= _MIN_AFTER_LABEL:
        return body[match.end() :]
    return body


@cache
def _section_label() -> re.Pattern[str]:
    labels = sorted(word_list("section-labels"), key=len, reverse=True)
    han = "|".join(re.escape(w) for w in labels if not w.isascii())
    latin = "|".join(re.escape(w) for w in labels if w.isascii())
    return re.compile(rf"(?:(?:{han})(?:\s*[:：]\s*|\s+(?=[{_HAN}]))|(?i:{latin})\s*[:：]\s*)")


_MIN_AFTER_LABEL = 8


def _join_wrapped_lines(text: str) -> str:
    """Replace a newline by a space where a line was wrapped mid-sentence.

    Same length as ``text``, so offsets stay valid.
    """
    return re.sub(r"(?<=[A-Za-z,;])\n(?=[a-z])", " ", text)


def _split_line(line: str) -> list[tuple[int, int]]:
    protected = _protected_spans(line)
    # The e-mail pattern is costly on long runs of \w (Han text): run it only when it can match.
    urls = (
        # (a, b - 1]: a cut strictly inside the address.
        _Spans([(m.start(), m.end() - 1) for m in _URL.finditer(line)])
        if ("@" in line or "www." in line or "://" in line)
        else _Spans([])
    )
    cuts = set()
    for cut in _english_cuts(line) + _chinese_cuts(line):
        if protected.covers(cut) or urls.covers(cut):
            continue
        cuts.add(cut)
    spans, start = [], 0
    for cut in sorted(cuts):
        if cut > start:
            spans.append((start, cut))
            start = cut
    if start < len(line):
        spans.append((start, len(line)))
    if any(end - begin > _LONG_UNIT for begin, end in spans):
        spans = [piece for span in spans for piece in _split_long(line, *span)]
    return spans


def _split_long(line: str, begin: int, end: int) -> list[tuple[int, int]]:
    """A Chinese unit over :data:`_LONG_UNIT` characters cut at its spaces.

    No 。 in hundreds of characters means a list or a programme whose items
    only spaces separate ("…会议议程 12月10日代表注册 地点：…"): it is not one
    sentence, and as a key point it would fill the reply. Pieces are packed
    to at least :data:`_PACKED` characters, so short items stay together.
    English runs on with spaces between every word, so only a space next to
    a Han character counts.
    """
    if end - begin <= _LONG_UNIT or not _HAN_CHAR.search(line, begin, end):
        return [(begin, end)]
    pieces, start = [], begin
    for gap in _HAN_GAP.finditer(line, begin, end):
        if gap.start() - start >= _PACKED and end - gap.end() >= _PACKED:
            pieces.append((start, gap.start()))
            start = gap.end()
    pieces.append((start, end))
    return pieces


_LONG_UNIT = 300
_HAN_CHAR = re.compile(f"[{_HAN}]")
_PACKED = 40
_HAN_GAP = re.compile(rf"(?<=[{_HAN}）」”])\s+|\s+(?=[{_HAN}（「“])")


def _protected_spans(line: str) -> _Spans:
    """Where a cut may not fall: inside balanced 《…》 and quotes holding Chinese.

    Each opener is paired with the closer that ends its nesting level (openers
    of the same mark nest; other marks do not count), at most
    :data:`_MAX_PROTECTED` characters on. One pass with a stack per mark, so a
    line of ten thousand unclosed 「 costs ten thousand steps, not ten
    thousand scans of 600 characters each.
    """
    open_at: dict[str, list[int]] = {opener: [] for opener in _PAIRS}
    opener_of = {closer: opener for opener, closer in _PAIRS.items()}
    spans = []
    han_positions: list[int] | None = None
    for found in _MARK.finditer(line):
        index, char = found.start(), found.group(0)
        if char in open_at:
            open_at[char].append(index)
            continue
        stack = open_at[opener_of[char]]
        if not stack:
            continue
        start = stack.pop()
        if index - start >= _MAX_PROTECTED:
            continue
        if line[start] == "“":
            # Curly quotes guard only Chinese: an English quotation may hold whole sentences.
            if han_positions is None:
                han_positions = [m.start() for m in _HAN_CHAR.finditer(line)]
            first_han = bisect_left(han_positions, start)
            if first_han == len(han_positions) or han_positions[first_han] >= index:
                continue
        spans.append((start, index))
    return _Spans(spans)


_MARK = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_PAIRS.values())) + "]")


class _Spans:
    """Half-open spans ``(a, b]`` merged, so "is this point inside one?" is a binary search."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _end in merged]
        self._ends = [end for _start, end in merged]

    def covers(self, point: int) -> bool:
        """Whether ``a < point <= b`` for some span."""
        index = bisect_left(self._starts, point) - 1
        return index >= 0 and point <= self._ends[index]


def _chinese_cuts(line: str) -> list[int]:
    """Cuts after 。！？；… (and ASCII ends after a Han character), closers included."""
    cuts = []
    for match in _ZH_CUT.finditer(line):
        end = match.end()
        closed_quote = match.group(0)[-1] in _QUOTE_CLOSERS
        if closed_quote and _attribution_follows_zh(line[end : end + 40]):
            continue  # “这是对的。”他说。 is one sentence
        cuts.append(end)
    return cuts


def _attribution_follows_zh(rest: str) -> bool:
    clause = re.split(f"[{_ZH_END}，,：:]", rest, maxsplit=1)[0]
    return len(clause) <= 16 and any(verb in clause for verb in word_list("attribution-zh"))


def _english_cuts(line: str) -> list[int]:
    cuts = []
    for match in _EN_END.finditer(line):
        marks = match.group(0)
        # Bounded look-behind and look-ahead: a huge single-line text stays linear.
        after = line[match.end() : match.end() + 80]
        if marks[0] == "." and not _full_stop_ends(line[max(0, match.start() - 40) : match.start()], after):
            continue
        if marks[0] in "?!" and marks[-1] in _QUOTE_CLOSERS and _attribution_follows_en(after):
            continue  # "Is it over?" Smith asked.
        if marks[0] == "." and after[:1].isdigit() and line[match.start() - 1 : match.start()].isdigit():
            continue  # a decimal that somehow has a space after the point
        cuts.append(match.end())
    return cuts


def _full_stop_ends(before: str, after: str) -> bool:
    """Whether a full stop after ``before`` ends the sentence, given what follows."""
    found = _TOKEN_BEFORE.search(before)
    if not found:
        return True
    token = found.group(1).lower().rstrip(".")
    if len(token) == 1 and token.isalpha():
        return False  # an initial: "J. K. Rowling"
    if token in word_list("abbreviations-en"):
        return False
    if token in word_list("abbreviations-final-en") or "." in token:
        nxt = _NEXT_WORDS.match(after.lstrip())
        return bool(nxt and nxt.group(1).lower() in word_list("starters-en"))
    return True


def _attribution_follows_en(after: str) -> bool:
    words = re.findall(r"[A-Za-z]+", after[:60])[:4]
    verbs = word_list("attribution-en")
    return any(word.lower() in verbs for word in words) and not re.match(r"\s*[\"“]", after)
