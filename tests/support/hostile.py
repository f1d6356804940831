"""A catalogue of pathological inputs, each made at any size.

Each generator takes a size in characters and returns a text or an HTML page
of exactly that length, built by repeating a small piece (and sometimes
wrapping it). They are what an attacker would paste or upload to hold a
worker: runs of every whitespace kind, every quote mark and bracket opened and
never closed, punctuation runs, endless words and lines, thousands of tiny
lines, mixed scripts, and deeply nested, unclosed or bloated HTML.

``benchmarks/hostile_bench.py`` runs every generator at 10k, 100k and 1M
characters; ``tests/test_hostile_scaling.py`` runs them at 1k and 10k in CI; the
hypothesis strategies in ``tests/test_hostile_input.py`` build inputs from
:data:`PIECES`. Nothing here imports the bot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "html"]


@dataclass(frozen=True, slots=True)
class Generator:
    """One pathological input: its name, whether it is text or HTML, and how to make it."""

    name: str
    kind: Kind
    make: Callable[[int], str]


def repeat(piece: str, size: int, head: str = "", tail: str = "") -> str:
    """``head`` + ``piece`` repeated + ``tail``, exactly ``size`` characters long."""
    room = max(0, size - len(head) - len(tail))
    body = (piece * (room // len(piece) + 1))[:room]
    return (head + body + tail)[:size]


def _text(name: str, piece: str, head: str = "Title\n", tail: str = "x") -> Generator:
    return Generator(name, "text", lambda size: repeat(piece, size, head, tail))


def _html(name: str, piece: str, head: str = "", tail: str = "") -> Generator:
    page_head = "<html><head><title>Hostile page</title></head><body>" + head
    page_tail = tail + "</body></html>"
    return Generator(name, "html", lambda size: repeat(piece, size, page_head, page_tail))


def _nested(opener: str, closer: str, size: int) -> str:
    """A page of ``opener`` nested as deep as ``size`` allows, every level closed."""
    head = "<html><head><title>Hostile page</title></head><body>"
    tail = "</body></html>"
    depth = max(0, (size - len(head) - len(tail)) // (len(opener) + len(closer)))
    page = head + opener * depth + closer * depth + tail
    return page + " " * (size - len(page)) if len(page) <= size else page[:size]


_PROSE_EN = "The council voted on Tuesday to build new homes near the river. "
_PROSE_ZH = "市政府周二宣布将在河边新建住房，批评者认为该计划忽视了洪水风险。"

WHITESPACE = {
    "spaces": " ",
    "tabs": "\t",
    "no-break spaces": "\u00a0",
    "ideographic spaces": "\u3000",
    "em spaces": "\u2003",
    "zero-width spaces": "\u200b",
    "newlines": "\n",
    "CRLF": "\r\n",
    "carriage returns": "\r",
    "form feeds": "\x0c",
    "line separators": "\u2028",
    "mixed whitespace": " \t\u00a0\u3000\u2003\n",
}

OPENERS = {
    "curly double quotes": "“",
    "curly single quotes": "‘",
    "straight double quotes": '"',
    "straight single quotes": "'",
    "guillemets": "«",
    "low quotes": "„",
    "corner brackets": "「",
    "white corner brackets": "『",
    "book title marks": "《",
    "full-width parens": "（",
    "parens": "(",
    "square brackets": "[",
    "lenticular brackets": "【",
    "angle quotes": "‹",
    "braces": "{",
    "corner + white + curly": "「『“",
    "empty link brackets": "[](",
}

_CLOSED_AT_THE_END = (
    "full-width parens",
    "parens",
    "square brackets",
    "lenticular brackets",
    "corner brackets",
)

PUNCTUATION = {
    "ellipses": "…",
    "full stops": ".",
    "question marks": "?",
    "exclamation marks": "!",
    "Chinese full stops": "。",
    "Chinese questions": "？",
    "Chinese commas": "，",
    "commas": ",",
    "colons": ":",
    "dashes": "—",
    "hyphens": "-",
    "pipes": "|",
    "ellipsis + closing quote": "…”",
    "stop + space": ". ",
}

TEXTS = [
    *(_text(f"run of {name}", piece) for name, piece in WHITESPACE.items()),
    *(_text(f"unclosed {name}", piece) for name, piece in OPENERS.items()),
    # Nothing after the run: balancing then closes every mark at the end, and
    # the closed empty brackets nest as deep as the run is long.
    *(_text(f"unclosed {name} to the end", OPENERS[name], tail="") for name in _CLOSED_AT_THE_END),
    *(_text(f"run of {name}", piece) for name, piece in PUNCTUATION.items()),
    _text("one long Latin word", "a"),
    _text("one long Han run", "字"),
    _text("one long number", "7"),
    _text("endless URL", "a/", head="Title\nhttps://example.org/"),
    _text("endless e-mail local part", "a.", tail="@example.org"),
    _text("one long English line", _PROSE_EN.replace(". ", ", and ")),
    _text("one long Chinese line without stops", _PROSE_ZH.replace("。", "，")),
    _text("short lines", "x\n"),
    _text("short English lines", "Go on.\n"),
    _text("Chinese name-colon lines", "名字：话\n"),
    _text("list items", "- item\n"),
    _text("English quotes said", '"Yes, we will," said Smith. '),
    _text("Chinese quotes said", "“我们会的。”他说。"),
    _text("Chinese quotes said X", "“好。”李明说，"),
    _text("guillemet quotes", "«Oui, nous le ferons», a dit Marie. "),
    _text("unclosed quote per paragraph", '"' + _PROSE_EN + "\n"),
    _text("mixed scripts", "word 字 слово كلمة 単語 "),
    _text("combining marks", "\u0301", head="Title\na"),
    _text("emoji", "\U0001f600"),
    _text("control characters", "\x01\x02\x7f"),
    _text("bidi marks", "\u202e\u200f"),
    _text("HTML entities in text", "&amp;"),
    _text("tags in text", "<span>"),
    _text("unfinished tags in text", "<span "),
    _text("glued pinyin", "技術(shù)"),
    _text("mojibake", "Ã©"),
    _text("keyword spam", "午夜视频,日韩视频,"),
    _text("widget words", "Share 12 Like 3\n"),
    _text("abbreviations", "Mr. Dr. U.S. "),
    _text("initials", "J. K. "),
    _text("section labels", "目的 结果 "),
    _text("English prose", _PROSE_EN),
    _text("Chinese prose", _PROSE_ZH),
]

HTMLS = [
    _html("unclosed <div>", "<div>"),
    Generator("nested closed <div>", "html", lambda size: _nested("<div>x", "</div>", size)),
    _html("unclosed <p>", "<p>"),
    _html("unclosed <p> with words", "<p>word "),
    _html("tiny <p>", "<p>x</p>"),
    _html("<br>", "<br>"),
    _html("unclosed <span>", "<span>"),
    _html("unclosed <b>", "<b>a"),
    _html("unclosed <li>", "<li>item"),
    _html("nested <table>", "<table><tr><td>"),
    _html("unclosed comment", "x", head="<!--"),
    _html("huge attribute", "a", head='<p title="', tail='">text</p>'),
    _html("many attributes", ' a="b"', head="<p", tail=">text</p>"),
    _html("huge <script>", "var a=1;", head="<script>", tail="</script>"),
    _html("entities", "&amp;&#1234;"),
    _html("one long paragraph", _PROSE_EN, head="<article><p>", tail="</p></article>"),
    _html("Chinese paragraphs", f"<p>{_PROSE_ZH}</p>", head="<article>", tail="</article>"),
    _html("tiny links", '<a href="/x">x</a>'),
]

CATALOGUE: tuple[Generator, ...] = (*TEXTS, *HTMLS)

# The building blocks of the catalogue, for fuzzing: every mark, run and tag above.
PIECES: tuple[str, ...] = (
    *WHITESPACE.values(),
    *OPENERS.values(),
    *PUNCTUATION.values(),
    "”",
    "」",
    "』",
    "»",
    ")",
    "）",
    "]",
    "】",
    "》",
    " said ",
    "他说",
    "表示：",
    "Smith",
    "李明",
    "word",
    "字",
    "&amp;",
    "(shù)",
    "https://",
    "@",
    _PROSE_EN,
    _PROSE_ZH,
)
HTML_PIECES: tuple[str, ...] = (
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<br>",
    "<span>",
    "<b>",
    "<li>",
    "<table><tr><td>",
    "<!--",
    "-->",
    '<a href="/x">',
    "</a>",
    '<p title="',
    '">',
    "<script>",
    "</script>",
    "<article>",
    "</article>",
)
