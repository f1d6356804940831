"""Repair never fails on odd input and is stable on its own output."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.repair import fix_text
from bot.repair.damage import realign_shifted_gbk

# Characters that meet the damage patterns: ? and its shadows, CJK, private use, tags.
_ALPHABET = st.sampled_from(
    [*"?!,F@<>/span 「」『』“”。，的是現在如果笲巩溉\ue380\n(shù)", "薩蒂亞", "納德拉"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_realign_never_fails_and_only_touches_question_marks(text: str) -> None:
    fixed = realign_shifted_gbk(text)
    if "?" not in text:
        assert fixed == text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_fix_text_is_total_and_idempotent_on_arbitrary_text(text: str) -> None:
    once = fix_text(text)
    assert fix_text(once) == once


@pytest.mark.parametrize(
    "text",
    [
        '"》',
        '"」',
        '他说"好》。',
        '「"」文',
        '《书名"》',
        "±à¡à\xa0",
        "\xa0À\x86",
        "{（",
        ")）;",
        "“》㐀",
        '“《"㐀',
        "《?0",
    ],
)
def test_cases_hypothesis_found_are_total_and_idempotent(text: str) -> None:
    # An ASCII " left open, then 》, raised KeyError; "±à¡à" decoded on the
    # second pass to an unassigned character.
    once = fix_text(text)
    assert fix_text(once) == once
    assert once.strip()
