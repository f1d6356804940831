"""Turn-taking in dialogue: who says a bare quote line in a conversation.

Fiction (and interview transcripts) write a conversation as consecutive
quote paragraphs, naming the speaker only now and then. Between two people
the turns alternate, so a bare line takes the name of the nearest named
line at an even distance, or the other person's at an odd one. News writes
long quotes of one speaker in consecutive paragraphs instead; those chains
(long lines, one named speaker) keep the continuation rule of
:mod:`bot.quotes.find`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Mean line length (characters) up to which a one-speaker chain is a dialogue.
_SHORT_LINES = 40
# Longest narrative line (characters) that still only tags a turn.
_TAG_LINE = 20


@dataclass(slots=True)
class Turn:
    """One quote as dialogue needs it."""

    open_at: int
    close_end: int
    name: str | None
    explicit: bool
    whole: bool
    length: int


def _chains(text: str, turns: list[Turn], is_tag: Callable[[str], bool]) -> list[list[int]]:
    """Indices of runs of whole-paragraph quotes with nothing between them
    but, at most, one short speech tag line ("晓霞问。", "她笑了，说：")."""
    chains: list[list[int]] = []
    current: list[int] = []
    for index, turn in enumerate(turns):
        gap = re.sub(r"[\s。，,.]", "", text[turns[current[-1]].close_end : turn.open_at]) if current else ""
        joined = (
            current
            and turn.whole
            and turns[current[-1]].whole
            and (
                not gap
                or (
                    len(gap) <= _TAG_LINE
                    and "\n" not in text[turns[current[-1]].close_end : turn.open_at].strip()
                    and is_tag(gap)
                )
            )
        )
        if joined:
            current.append(index)
            continue
        if len(current) >= 2:
            chains.append(current)
        current = [index] if turn.whole else []
    if len(current) >= 2:
        chains.append(current)
    return chains


def alternate(
    text: str,
    turns: list[Turn],
    other_before: Callable[[int, str], str | None],
    is_tag: Callable[[str], bool],
) -> list[str | None]:
    """Names for every turn, bare dialogue lines filled in by alternation.

    ``other_before(position, name)`` gives the latest person other than
    ``name`` mentioned before ``position`` (the likely second speaker);
    ``is_tag(line)`` says whether a line between two turns is a speech tag.
    """
    names = [t.name for t in turns]
    for chain in _chains(text, turns, is_tag):
        # The chain's explicitly attributed turns, in order, and their speakers.
        anchors = {i: name for i in chain if turns[i].explicit and (name := turns[i].name)}
        if not anchors:
            continue
        distinct = list(dict.fromkeys(anchors.values()))
        mean = sum(turns[i].length for i in chain) / len(chain)
        if len(distinct) < 2 and mean > _SHORT_LINES:
            continue
        for i in chain:
            if turns[i].explicit:
                continue
            j = min(anchors, key=lambda a: (abs(a - i), a > i))
            anchor = anchors[j]
            if (i - j) % 2 == 0:
                names[i] = anchor
            elif len(distinct) >= 2:
                names[i] = next(n for n in distinct if n != anchor)
            else:
                names[i] = other_before(turns[chain[0]].open_at, anchor)
    return names
