"""Telegram HTML: escaping and splitting."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from bot.models import Article, Digest, Quote, Summary
from bot.render import RenderOptions, render_digest, split_html

ALLOWED = {"b", "i", "a", "blockquote", "code", "pre", "u", "s"}


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.errors.append(f"tag {tag}")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced {tag}")
        else:
            self.stack.pop()


def check_html(message: str) -> list[str]:
    checker = _Checker()
    checker.feed(message)
    checker.close()
    return checker.errors + [f"unclosed {t}" for t in checker.stack]


def _digest(title: str, points: list[str], quotes: list[Quote]) -> Digest:
    text = " ".join(points) * 3
    return Digest(
        Article(text=text, title=title, url="https://example.org/a?x=1&y=2", site_name="Ex<ample>"),
        Summary(language="en", points=points, quotes=quotes, keywords=["<kw>", "a&b"]),
    )


def test_a_bare_quotation_point_is_followed_by_its_speaker_escaped() -> None:
    digest = _digest("T", ["“We took it together.”", "The vote passed."], [])
    digest = Digest(digest.article, Summary("en", digest.summary.points, [], [], ["Eve <E>", None]))
    html = render_digest(digest)
    assert "• “We took it together.” — <i>Eve &lt;E&gt;</i>" in html
    assert "• The vote passed.\n" in html or html.count("— <i>") == 1
    assert check_html(html) == []


def test_hostile_page_text_is_escaped() -> None:
    digest = _digest(
        "<script>alert(1)</script> & <b>bold",
        ["A point with <i>tags</i> & ampersands.", "Unbalanced </blockquote> here."],
        [Quote("<b>quote</b>", "Eve <evil@x>", 0, 5, selected=True)],
    )
    html = render_digest(digest)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert check_html(html) == []
    assert 'href="https://example.org/a?x=1&amp;y=2"' in html


def test_long_document_splits_into_valid_messages() -> None:
    points = [f"Point number {i} " + "word " * 150 + "end." for i in range(60)]
    quotes = [Quote("said " * 100, f"Speaker {i}", 0, 1, selected=True) for i in range(10)]
    html = render_digest(_digest("Long", points, quotes), RenderOptions(all_quotes=True))
    assert len(html) > 40_000
    messages = split_html(html)
    assert all(len(m) <= 4096 for m in messages)
    assert all(check_html(m) == [] for m in messages)
    visible = re.sub(r"<[^>]+>|\s", "", "".join(messages))
    assert visible == re.sub(r"<[^>]+>|\s", "", html)


def test_split_never_cuts_an_entity() -> None:
    html = ("&amp;" * 2000) + "<b>" + ("x&lt;" * 500) + "</b>"
    for message in split_html(html, limit=1000):
        assert len(message) <= 1000
        assert not re.search(r"&[a-z]*$", message.replace("</b>", ""))
        assert check_html(message) == []
