"""Property tests: arbitrary and hostile text never breaks the core stages."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.models import Article, Digest, Quote, Summary
from bot.quotes import find_quotes
from bot.render import RenderOptions, render_digest, split_html
from bot.repair import RULES, fix_and_explain
from bot.summarise import summarise
from tests.test_render import check_html

# Any code point except lone surrogates (which cannot reach us as UTF-8).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=400)
MARKS = "“”「」『』\"'‘’«»„《》（）()[]【】<>&。！？.!?\n "
MARKED_TEXT = st.lists(
    st.sampled_from([*MARKS, "他说", " said ", "Smith", "模型", "word"]), max_size=150
).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(ANY_TEXT)
def test_repair_never_raises_and_is_stable(text: str) -> None:
    result = fix_and_explain(text)
    assert isinstance(result.text, str)
    assert set(result.applied) <= {rule.__name__ for rule in RULES}


@FAST
@given(
    st.one_of(ANY_TEXT, MARKED_TEXT),
    st.sampled_from(["en", "zh", "de", "ja"]),
    st.one_of(st.none(), st.integers(0, 9)),
)
def test_summarise_never_raises(text: str, language: str, points: int | None) -> None:
    summary = summarise(text, language=language, points=points)
    if points is not None:
        assert len(summary.points) <= points
    flat = " ".join(text.split())
    for point in summary.points:
        # Extracted, not invented: a point is text of the input (a hard-wrapped
        # line is joined with a space, so compare with whitespace collapsed).
        assert point.strip() and " ".join(point.split()) in flat


@FAST
@given(MARKED_TEXT, st.sampled_from(["en", "zh"]))
def test_quote_spans_point_into_the_text(text: str, language: str) -> None:
    for quote in find_quotes(text, language):
        assert 0 <= quote.start <= quote.end <= len(text)
        assert quote.text.strip()


def test_deeply_nested_and_unbalanced_marks() -> None:
    for text in (
        "“" * 5000 + "word " * 100,
        "「" * 3000 + "」" * 10,
        "(" * 10000 + "他说" + ")" * 3,
        '"' * 20001,
    ):
        summarise(text, language="zh" if "他" in text else "en")
        find_quotes(text, "en")
        fix_and_explain(text)


@FAST
@given(ANY_TEXT, ANY_TEXT, ANY_TEXT, ANY_TEXT)
def test_render_escapes_all_page_text(title: str, point: str, quote: str, keyword: str) -> None:
    digest = Digest(
        Article(
            text=point * 2 or "x", title=title, url='https://example.org/?a=<b>&c="d"', site_name=keyword
        ),
        Summary(
            language="en",
            points=[point] if point.strip() else [],
            quotes=[Quote(quote, keyword or None, 0, 1, selected=True)],
            keywords=[keyword] if keyword else [],
        ),
    )
    html = render_digest(digest, RenderOptions(all_quotes=True))
    for message in split_html(html):
        assert len(message) <= 4096
        assert check_html(message) == []


def test_marks_around_punctuation_alone_are_no_quote() -> None:
    # Found by hypothesis: "“," gave a quote with empty text.
    for text in ("“,", "「，」", '"..."', "“ — ”他说。"):
        assert find_quotes(text, "zh") == [] and find_quotes(text, "en") == []


def test_a_hard_wrapped_line_is_joined_into_its_point() -> None:
    # Found by hypothesis: "A\na" gives the point "A a".
    summary = summarise("A\na", language="en")
    assert summary.points == ["A a"]
