"""Split article text into sentences, in English, Chinese and mixed text."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence and where it sits: character offsets and paragraph number."""

    text: str
    start: int
    end: int
    paragraph: int


_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "col", "lt", "sgt", "capt",
    "gov", "sen", "rep", "rev", "hon", "pres", "inc", "ltd", "co", "corp", "vs", "etc", "no",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "fig", "approx", "dept", "est", "ft",
}
_CLOSERS = "\"'”’」』）)】》»"
_EN_BOUNDARY = re.compile(rf"[.!?…]+[{re.escape(_CLOSERS)}]*(?=\s+[\"'“‘(\[]?[A-Z0-9\u3400-\u9fff])")
_OPENERS = {"「": "」", "『": "』", "“": "”", "《": "》", "（": "）"}


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text``; each paragraph (line) is split on its own."""
    sentences: list[Sentence] = []
    offset = 0
    for number, paragraph in enumerate(text.split("\n")):
        for start, end in _split_paragraph(paragraph):
            chunk = paragraph[start:end]
            stripped = chunk.strip()
            if stripped:
                lead = len(chunk) - len(chunk.lstrip())
                sentences.append(
                    Sentence(stripped, offset + start + lead, offset + start + lead + len(stripped), number)
                )
        offset += len(paragraph) + 1
    return sentences


def _split_paragraph(paragraph: str) -> list[tuple[int, int]]:
    cuts = sorted(set(_english_cuts(paragraph)) | set(_chinese_cuts(paragraph)))
    spans = []
    start = 0
    for cut in cuts:
        if cut > start:
            spans.append((start, cut))
            start = cut
    if start < len(paragraph):
        spans.append((start, len(paragraph)))
    return spans


def _english_cuts(paragraph: str) -> list[int]:
    cuts = []
    for match in _EN_BOUNDARY.finditer(paragraph):
        before = paragraph[: match.start()]
        word = re.search(r"([A-Za-z.]+)$", before)
        if match.group(0).startswith(".") and word:
            token = word.group(1).lower().rstrip(".")
            if token in _ABBREVIATIONS or len(token) == 1:
                continue
        cuts.append(match.end())
    return cuts


def _chinese_cuts(paragraph: str) -> list[int]:
    """Cut after 。！？； (with closing marks) outside 「…」, “…” and 《…》.

    A quote that ends a sentence (``「…。」``) is cut after its closing mark,
    unless a pronoun attribution follows (``“这是对的。”他说。`` is one sentence).
    """
    cuts = []
    depth: list[str] = []
    for index, char in enumerate(paragraph):
        if depth and char == depth[-1]:
            depth.pop()
            if not depth and index > 0 and paragraph[index - 1] in _ZH_ENDS:
                end = _after_closers(paragraph, index + 1)
                if end < len(paragraph) and paragraph[end] in _PRONOUNS:
                    continue
                cuts.append(end)
            continue
        if char in _OPENERS:
            depth.append(_OPENERS[char])
            continue
        if not depth and char in _ZH_ENDS:
            if index + 1 < len(paragraph) and paragraph[index + 1] in _ZH_ENDS:
                continue
            cuts.append(_after_closers(paragraph, index + 1))
    return cuts


_ZH_ENDS = "。！？；"
_PRONOUNS = "他她它我你"


def _after_closers(paragraph: str, index: int) -> int:
    while index < len(paragraph) and paragraph[index] in _CLOSERS:
        index += 1
    return index
