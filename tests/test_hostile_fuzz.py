"""Fuzzing from the hostile catalogue's pieces: every stage finishes, fast, with sane output.

Texts and pages are built from the marks, runs, words and tags that
``tests/support/hostile.py`` makes its pathological inputs of — a piece
repeated up to a few thousand times, glued to others in any order — so the
search lands on unclosed quotes beside punctuation runs beside half-closed
tags, which uniform random Unicode almost never does. Each example has a
deadline: one that takes longer fails, which is how a hidden quadratic shows.

CI runs a few dozen examples per stage. Before a release, run many more and
search afresh (not the pinned examples):

    KEYPOINT_FUZZ_EXAMPLES=3000 KEYPOINT_HYPOTHESIS_EXPLORE=1 \\
        .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_hostile_fuzz.py
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import KeypointError
from bot.models import Article, Digest, Summary
from bot.pipeline import digest_html
from bot.quotes import find_quotes
from bot.render import RenderOptions, render_digest, split_html
from bot.repair import fix_text
from bot.summarise import summarise
from bot.summarise.keywords import extract_keywords
from bot.summarise.sentences import split_sentences
from tests.support.hostile import HTML_PIECES, PIECES
from tests.test_render import check_html

_RUN = st.tuples(st.sampled_from(PIECES), st.integers(1, 3000)).map(lambda run: run[0] * run[1])
HOSTILE_TEXT = st.lists(st.one_of(st.sampled_from(PIECES), _RUN), max_size=40).map("".join)
HOSTILE_HTML = st.lists(
    st.one_of(st.sampled_from(HTML_PIECES), st.sampled_from(PIECES), _RUN), max_size=60
).map(lambda parts: "<html><head><title>t</title></head><body>" + "".join(parts))

FUZZ = settings(
    max_examples=int(os.environ.get("KEYPOINT_FUZZ_EXAMPLES", "40")),
    # Generous for shared CPUs; quadratic work on these sizes takes far longer.
    deadline=timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LANGUAGE = st.sampled_from(["en", "zh"])


@FUZZ
@given(HOSTILE_TEXT)
def test_repair_finishes_and_is_stable(text: str) -> None:
    once = fix_text(text)
    assert fix_text(once) == once


@FUZZ
@given(HOSTILE_TEXT)
def test_segmentation_covers_the_text_in_order(text: str) -> None:
    previous_end = 0
    for sentence in split_sentences(text):
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert sentence.text == text[sentence.start : sentence.end].replace("\n", " ")
        previous_end = sentence.end


@FUZZ
@given(HOSTILE_TEXT, LANGUAGE)
def test_quotes_point_into_the_text(text: str, language: str) -> None:
    for quote in find_quotes(text, language):
        assert 0 <= quote.start <= quote.end <= len(text)
        assert quote.text.strip()


@FUZZ
@given(HOSTILE_TEXT, LANGUAGE)
def test_keywords_are_few_and_come_from_the_text(text: str, language: str) -> None:
    keywords = extract_keywords(text, language)
    assert len(keywords) <= 12
    flat = " ".join(text.lower().split())
    for keyword in keywords:
        assert all(word in flat for word in keyword.lower().split())


@FUZZ
@given(HOSTILE_TEXT, LANGUAGE)
def test_summary_renders_as_valid_telegram_messages(text: str, language: str) -> None:
    summary = summarise(text, language=language)
    digest = Digest(Article(text=text or "x", title=text[:80]), summary)
    for message in split_html(render_digest(digest, RenderOptions(all_quotes=True))):
        assert len(message) <= 4096
        assert check_html(message) == []


@FUZZ
@given(HOSTILE_HTML)
def test_pages_are_summarised_or_refused_clearly(page: str) -> None:
    try:
        digest = digest_html(page)
    except KeypointError as error:
        assert str(error)
        return
    assert isinstance(digest.summary, Summary)
    for message in split_html(render_digest(digest)):
        assert check_html(message) == []
