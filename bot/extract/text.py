"""Articles from plain text and Markdown (pasted, uploaded or fetched)."""

from __future__ import annotations

import re

from bot.models import Article

# The closing #s and spaces are stripped in code (heading_text): a lazy group
# followed by \s*#*\s*$ backtracked over every space of a long heading line.
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+)$")
# No bracket inside the label and no parenthesis inside the target: each
# attempt then stops at the next bracket instead of running to the end of the
# line, so a line of "[" or "[](" costs its length, not its length squared.
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def article_from_text(text: str, *, title: str | None = None, url: str | None = None) -> Article:
    """An :class:`Article` from text; a leading Markdown heading becomes the title."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if title is None:
        for index, line in enumerate(lines):
            if not line.strip():
                continue
            heading = _MD_HEADING.match(line)
            if heading:
                title = heading_text(heading).strip()
                lines = lines[index + 1 :]
            break
    body = "\n".join(_plain_markdown_line(line) for line in lines).strip()
    return Article(text=body, title=title, url=url)


def heading_text(heading: re.Match[str]) -> str:
    """The words of a Markdown heading line, without closing ``#`` marks and trailing spaces."""
    body = heading.group(1)
    # A heading of nothing but marks ("# #") keeps its first mark, as it always has.
    return body.rstrip().rstrip("#").rstrip() or body[0]


def _plain_markdown_line(line: str) -> str:
    heading = _MD_HEADING.match(line)
    if heading:
        line = heading_text(heading)
    line = _MD_LINK.sub(r"\1", line)
    return _MD_EMPHASIS.sub(r"\2", line)


_SENTENCE_END = ("。", "！", "？", ".", "!", "?", "…", ":", "：", ";", "；", ",", "，")


def split_headline(text: str) -> tuple[str | None, str]:
    """(headline, rest) when ``text`` opens with a headline line, else (None, text).

    A headline is a first paragraph of one short line (≤ 150 characters) that
    does not end like a sentence, followed by more text — the shape of a
    pasted article or a news file whose first line is its title.
    """
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    first = first.strip()
    if (
        first
        and len(first) <= 150
        and not first.endswith(_SENTENCE_END)
        and rest.strip()
        and len(rest) > len(first)
    ):
        return first, rest.lstrip("\n")
    return None, text
