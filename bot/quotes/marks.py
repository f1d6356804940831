"""Pair quotation marks into quoted spans.

Rules, in the order news text needs them:

* a quote never crosses a paragraph break unless the next paragraph opens
  with the same kind of mark (the convention for a quote that runs over
  several paragraphs: an opening mark at each, a closing mark only at the
  end);
* an opening mark with no closing mark in its paragraph ends at the paragraph
  end (``closed=False``), so a damaged or stray mark can never swallow the
  rest of the article;
* a closing mark with nothing open is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# opener → the closers that end it. „ closes with “ (German) or ” (Polish).
_CLOSERS: dict[str, tuple[str, ...]] = {
    "“": ("”", '"', "“"),
    "「": ("」",),
    "『": ("』",),
    "«": ("»",),
    "‹": ("›",),
    "„": ("“", "”"),
    "‘": ("’",),
    '"': ('"', "”"),
    "''": ("''",),
    "``": ("''",),
}
_MARK = re.compile(r"''|``|[“”„«»‹›「」『』\"‘’]")
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Span:
    """One quoted span: offsets of the words inside and of the marks around."""

    start: int
    end: int
    open_at: int
    close_end: int
    opener: str
    closed: bool
    pieces: tuple[tuple[int, int], ...]


def _paragraph_ends(text: str) -> list[int]:
    """Offsets of every newline, plus the end of the text."""
    ends = [m.start() for m in re.finditer("\n", text)]
    ends.append(len(text))
    return ends


def _cjk(char: str) -> bool:
    """A Han character or CJK/full-width punctuation."""
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def _is_opening(text: str, at: int, mark: str) -> bool:
    """Whether an ambiguous mark at ``at`` opens (rather than closes) a quote."""
    if mark == "“" and at > 0 and not text[at - 1].isspace() and _is_closing(text, at, mark):
        return text[at - 1] in "([{—–-/:「“"  # a misused “ closing a quote
    if mark in ("“", "「", "『", "«", "‹", "„", "``"):
        return True
    before = text[at - 1] if at > 0 else " "
    after = text[at + len(mark)] if at + len(mark) < len(text) else " "
    if mark == "‘":
        # ‘ is only an opener when a word follows and none precedes (not ’90s).
        return not _WORD_CHAR.match(before) and not after.isspace()
    # Straight marks: open after space or opening punctuation, before a non-space.
    # Chinese puts no space around them ("特别是"外部性"问题"): a Han character
    # or CJK punctuation next to the mark is a boundary too.
    chinese = _cjk(after) and (_cjk(before) or before in ";,.!?")
    return (before.isspace() or before in "([{—–-/:「“" or chinese) and not after.isspace()


def _is_closing(text: str, at: int, mark: str) -> bool:
    """Whether a closing mark really closes (’ inside a word is an apostrophe;
    “ and " close only where a closer stands: after a word, before a space)."""
    if mark in ("“", '"'):
        before = text[at - 1] if at > 0 else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        closes = after.isspace() or after in ".,;:!?)—–-"
        return not before.isspace() and (closes or (mark == '"' and _cjk(after)))
    if mark != "’":
        return True
    after = text[at + 1] if at + 1 < len(text) else " "
    return not _WORD_CHAR.match(after)


def find_spans(text: str) -> list[Span]:
    """Every quoted span in ``text``, in order, nested quotes left inside."""
    ends = _paragraph_ends(text)
    marks = [(m.start(), m.group()) for m in _MARK.finditer(text)]
    spans: list[Span] = []
    para_index = 0
    i = 0
    while i < len(marks):
        at, mark = marks[i]
        if mark not in _CLOSERS or not _is_opening(text, at, mark):
            i += 1
            continue
        while ends[para_index] < at:
            para_index += 1
        opener, closers = mark, _CLOSERS[mark]
        start = at + len(mark)
        piece_start = start
        pieces: list[tuple[int, int]] = []
        para_end = ends[para_index]
        j = i + 1
        result: Span | None = None
        while result is None:
            if j < len(marks) and marks[j][0] < para_end:
                pos, found = marks[j]
                if found in closers and _is_closing(text, pos, found) and pos >= start:
                    pieces.append((piece_start, pos))
                    result = Span(start, pos, at, pos + len(found), opener, True, tuple(pieces))
                    i = j + 1
                j += 1
                continue
            # Paragraph ends with the quote still open: continue only when the
            # next non-blank paragraph opens with the same mark.
            pieces.append((piece_start, para_end))
            nxt = _next_paragraph_start(text, para_end)
            if nxt is not None and text.startswith(opener, nxt):
                while j < len(marks) and marks[j][0] < nxt:
                    j += 1
                j += 1  # the continuation opener itself
                piece_start = nxt + len(opener)
                while ends[para_index] < nxt:
                    para_index += 1
                para_end = ends[para_index]
                continue
            end = _rstrip_at(text, start, para_end)
            pieces[-1] = (pieces[-1][0], end)
            result = Span(start, end, at, end, opener, False, tuple(pieces))
            i = j
        spans.append(result)
    return spans


def _next_paragraph_start(text: str, newline_at: int) -> int | None:
    """Offset of the first non-space character after ``newline_at``."""
    match = re.compile(r"\S").search(text, newline_at)
    return match.start() if match else None


def _rstrip_at(text: str, start: int, end: int) -> int:
    """``end`` moved left past trailing whitespace (never before ``start``)."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
