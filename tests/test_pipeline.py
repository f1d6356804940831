"""The pipeline from HTML and text we wrote to a summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import EmptyTextError
from bot.pipeline import digest_html, digest_text

FIXTURES = Path(__file__).parent / "fixtures"


def test_html_article_to_summary() -> None:
    digest = digest_html((FIXTURES / "en-article.html").read_bytes(), url="https://ledger.example/tidal")
    assert digest.article.title == "Harbour town votes to build a tidal power station"
    assert digest.summary.language == "en"
    text = digest.article.text
    assert "tidal power station" in text
    # Navigation and footer are not part of the article.
    assert "Most read" not in text and "All rights reserved" not in text
    assert 1 <= len(digest.summary.points) <= 7
    # Points are sentences of the article, in document order.
    positions = [text.index(point) for point in digest.summary.points]
    assert positions == sorted(positions)
    quoted = [q.text for q in digest.summary.quotes]
    assert any(q.startswith("This is the biggest decision") for q in quoted)
    assert digest.summary.keywords


def test_points_count_is_honoured() -> None:
    digest = digest_html((FIXTURES / "en-article.html").read_bytes(), points=2)
    assert len(digest.summary.points) == 2


def test_chinese_text_to_summary() -> None:
    raw = (FIXTURES / "zh-article.txt").read_text("utf-8")
    digest = digest_text(raw)
    assert digest.summary.language == "zh"
    assert digest.article.title == "山城启用全市首条无人驾驶公交线路"
    for point in digest.summary.points:
        assert point in digest.article.text
        assert point.endswith(("。", "”", "」", "！", "？"))
    assert any("无人驾驶不是为了取代司机" in q.text for q in digest.summary.quotes)


def test_empty_text_is_an_error() -> None:
    with pytest.raises(EmptyTextError):
        digest_text("   \n  ")


def test_reply_statistics_are_sane() -> None:
    digest = digest_text((FIXTURES / "zh-article.txt").read_text("utf-8"), points=2)
    assert 0 < digest.reduction_percent < 100
    assert digest.reading_minutes >= 1


def test_chinese_news_quotes_have_their_speakers() -> None:
    digest = digest_text((FIXTURES / "zh-article.txt").read_text("utf-8"))
    speakers = [q.speaker for q in digest.summary.quotes]
    # A titled official, a student resolved through 她说, a retired teacher through 他说.
    assert speakers == ["王建国", "李晓雯", "张德明"]
