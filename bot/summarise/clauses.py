"""Cut long Chinese sentences at the commas that end a statement.

A Chinese sentence, up to 。！？；, often strings several statements together
with commas: "建立了湛江湾泥沙数学模型，模拟了海床冲淤演变，结果表明…". Work on
Chinese sentence segmentation treats many such commas as sentence ends
(Xue and Yang, 2011, frame it as classifying commas). As one key point such a
sentence is a paragraph on a phone, and it buries the statement that matters.

A comma is a cut when the clause after it opens a new statement — a
connective, a subject that refers back or a result marker
(``data/clause-openers-zh.txt``), or a verb with 了 ("分析了…") — and neither
side is short. Never inside quotation marks or brackets, never after a clause
that only introduces the next ("结果表明，", "他认为，":
``clause-introducers-zh.txt``), and never after a dependent clause still
waiting for its main clause (``clause-subordinators-zh.txt`` opening it,
``clause-conditions-zh.txt`` anywhere in it). A clause cut from the one
before loses the connective that tied it there ("所以…" → "…").

On zh-csl-title-dev (``benchmarks/_summ_csl_ceiling.py``) Keypoint's one
point goes from ROUGE-1 0.372 to 0.392 (even half 0.363 → 0.380, odd 0.381 →
0.403), against 0.364 for the first sentence and 0.380 for the first clause:
the finer units help the choice as well as the score. Cutting at every comma
scores higher still and is not done: it leaves fragments ("为了准确预测准备金。")
no reader wants as a point. English and other languages are not touched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from bot.summarise.lexicon import phrases
from bot.summarise.sentences import Sentence
from bot.summarise.units import RANKABLE, size

# Sentences up to this many Han characters stay whole: two lines on a phone.
LONG_SENTENCE = 50
# Neither side of a cut may be shorter (Han characters): "他表示，" or
# "结果，" is not a statement.
MIN_CLAUSE = 12

# A clause this short before a comma leads into the next one ("从此，", "同时，").
MIN_LEAD_IN = 6

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_COMMAS = "，,"
_PAIRS = {
    "「": "」",
    "『": "』",
    "《": "》",
    "“": "”",
    "（": "）",
    "(": ")",
    "【": "】",
    "〈": "〉",
    "[": "]",
    "<": ">",
}
# Only commas and the marks of pairs matter to where clauses end.
_MARKS = re.compile("[" + re.escape(_COMMAS + '"' + "".join(_PAIRS) + "".join(_PAIRS.values())) + "]")
# A verb and its 了 open a clause in the subjectless style of Chinese reports
# ("分析了…", "建立了…"); 了解 ("to learn") is a verb of its own.
_VERB_LE = re.compile(r"[\u4e00-\u9fff]{1,3}了(?!解)")
# 并 is not a connective in 并非 ("is not").
_NOT_CONNECTIVE = re.compile("并非|並非")


def split_clauses(units: Sequence[Sentence]) -> tuple[list[Sentence], list[int]]:
    """(``units`` with long Chinese sentences cut into clauses, each one's index in ``units``).

    A cut clause keeps its offsets into the text (after any dropped
    connective); its text ends with 。 where the comma was.
    """
    out: list[Sentence] = []
    origins: list[int] = []
    for index, unit in enumerate(units):
        long = unit.kind == RANKABLE and len(unit.text) > LONG_SENTENCE
        spans = _clause_spans(unit.text) if long else []
        if len(spans) < 2:
            out.append(unit)
            origins.append(index)
            continue
        for number, (start, end) in enumerate(spans):
            if number:
                start += _connective_length(unit.text[start:end])
            text = _as_point(unit.text[start:end])
            out.append(
                Sentence(text, unit.start + start, unit.start + end, unit.paragraph, unit.kind, size(text))
            )
            origins.append(index)
    return out, origins


def join_clauses(first: Sentence, last: Sentence, sentence: Sentence) -> Sentence:
    """One unit from clause ``first`` through clause ``last`` of ``sentence``.

    Two neighbouring clauses that both make key points read better as the
    part of the sentence they come from than as two bullets.
    """
    if first is last:
        return first
    text = _as_point(sentence.text[first.start - sentence.start : last.end - sentence.start])
    return replace(first, text=text, end=last.end, size=size(text))


def _as_point(clause: str) -> str:
    """``clause`` with a full stop where its comma was."""
    clause = clause.rstrip()
    return clause[:-1].rstrip() + "。" if clause.endswith(tuple(_COMMAS)) else clause


def _clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Where ``sentence`` is cut into clauses (none when it stays whole)."""
    # Only a comma before a clause opener can be a cut; most sentences have
    # none, and one regex search over the sentence finds those that do.
    candidates = {match.start() + 1 for match in _cut_candidate().finditer(sentence)}
    if not candidates or _han_count(sentence) <= LONG_SENTENCE:
        return []
    pieces = _comma_pieces(sentence)
    starts = [pieces[0][0]]
    for k in range(1, len(pieces)):
        start, end = pieces[k]
        if start not in candidates:
            continue
        last = sentence[pieces[k - 1][0] : start].strip().rstrip(_COMMAS)
        cut = (
            _han_count(sentence[starts[-1] : start]) >= MIN_CLAUSE
            and _han_count(sentence[start:end]) >= MIN_CLAUSE
            and _han_count(last) >= MIN_LEAD_IN
            and not _opens_dependent(sentence[start:end].lstrip())
            and not _ends_with(last, "clause-introducers-zh")
            and not _starts_with(last, "clause-subordinators-zh")
            and not _pattern("clause-conditions-zh").search(last)
        )
        if cut:
            starts.append(start)
    return list(zip(starts, [*starts[1:], len(sentence)], strict=True))


def _comma_pieces(sentence: str) -> list[tuple[int, int]]:
    """Spans of ``sentence`` ending at each comma outside quotation marks and brackets."""
    pieces: list[tuple[int, int]] = []
    expected: list[str] = []  # the closing marks awaited, innermost last
    start = 0
    for mark in _MARKS.finditer(sentence):
        char = mark.group()
        if expected and char == expected[-1]:
            expected.pop()
        elif char == '"':
            expected.append('"')  # straight quotes open here and close at the next one
        elif char in _PAIRS:
            expected.append(_PAIRS[char])
        elif char in _COMMAS and not expected:
            pieces.append((start, mark.end()))
            start = mark.end()
    if start < len(sentence):
        pieces.append((start, len(sentence)))
    return pieces


def _opens_dependent(clause: str) -> bool:
    """Whether ``clause``, though it matched an opener ("在…", "为了…", "并非…"), goes with the one before."""
    return _starts_with(clause, "clause-subordinators-zh") or bool(_NOT_CONNECTIVE.match(clause))


def _connective_length(clause: str) -> int:
    """Characters of a leading connective (and a comma after it) to drop from ``clause``."""
    stripped = clause.lstrip()
    skipped = len(clause) - len(stripped)
    if _NOT_CONNECTIVE.match(stripped):
        return skipped
    for word in phrases("clause-connectives-zh"):
        if stripped.startswith(word):
            rest = stripped[len(word) :]
            after = len(rest) - len(rest.lstrip("，, "))
            if _han_count(rest) >= MIN_CLAUSE:
                return skipped + len(word) + after
            break
    return skipped


def _han_count(text: str) -> int:
    return sum(map(len, _HAN_RUN.findall(text)))


def _starts_with(text: str, list_name: str) -> bool:
    return text.startswith(phrases(list_name))


def _ends_with(text: str, list_name: str) -> bool:
    return text.endswith(phrases(list_name))


@cache
def _cut_candidate() -> re.Pattern[str]:
    """A comma before something that may open a clause."""
    openers = "|".join(map(re.escape, phrases("clause-openers-zh")))
    return re.compile(rf"[{_COMMAS}]\s*(?:{openers}|{_VERB_LE.pattern})")


@cache
def _pattern(list_name: str) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, phrases(list_name))))
