"""Traditional ↔ Simplified conversion behind ``convert_chinese`` (OpenCC)."""

from __future__ import annotations

import pytest

from bot.repair import convert_script


def test_traditional_to_simplified_by_phrase() -> None:
    assert convert_script("頭髮乾淨，發布新軟件。", "simplified") == "头发干净，发布新软件。"


def test_simplified_to_traditional() -> None:
    assert convert_script("这个网络很慢", "traditional") == "這個網絡很慢"


def test_none_leaves_text_and_latin_is_untouched() -> None:
    assert convert_script("頭髮 hair", "none") == "頭髮 hair"
    assert convert_script("Plain English.", "simplified") == "Plain English."


def test_unknown_target_is_an_error() -> None:
    with pytest.raises(ValueError):
        convert_script("字", "klingon")
