"""Bounds on one job: a CPU-time budget per page or text, and a cap on the text's length."""

from __future__ import annotations

import contextlib
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.budget import cpu_budget, cpu_seconds_used
from bot.cli import format_for_terminal, run_batch
from bot.config import get_settings
from bot.errors import KeypointError, TooComplexError
from bot.extract import extract_html
from bot.extract.html import count_start_tags, flat_text
from bot.models import FetchedPage
from bot.pipeline import cap_text, digest_page, digest_text
from bot.render import RenderOptions, render_digest
from tests.support.bot_articles import library_page, pasted_text
from tests.support.bot_harness import bot_settings, running_bot
from tests.support.fake_telegram import FakeTelegram
from tests.support.hostile import CATALOGUE
from tests.support.pages import Page, PageServer

# Real Chinese prose at 400,000 characters: valid, linear, and several CPU
# seconds to summarise on this machine without the text cap — the honest
# "legitimately slow" job the budget exists for.
_SLOW_PROSE = next(g for g in CATALOGUE if g.name == "Chinese prose")


def _spin(seconds: float) -> None:
    """Burn CPU (not wall) time for ``seconds``."""
    until = cpu_seconds_used() + seconds
    while cpu_seconds_used() < until:
        sum(range(1000))


def test_a_job_over_its_cpu_budget_is_stopped_and_the_next_one_is_not() -> None:
    started = cpu_seconds_used()
    with pytest.raises(TooComplexError), cpu_budget(0.5):
        _spin(10)
    # The profiling timer and getrusage keep CPU time apart by a few ms (the
    # full suite once saw 0.496 s when the 0.5 s timer fired).
    assert 0.45 <= cpu_seconds_used() - started < 0.8
    with cpu_budget(1.5):
        _spin(0.2)  # the limit was lifted: a short job after it runs to the end
    _spin(0.2)  # and so does work outside any budget


def test_text_over_the_cap_is_cut_at_a_line_end_and_the_reply_says_so() -> None:
    text = ("The council met on Tuesday and voted for the plan.\n" * 40).strip()
    cut, at = cap_text(text, 1000)
    assert at is not None and at <= 1000 and text[at] == "\n" and cut == text[:at]
    assert cap_text(text, len(text)) == (text, None)
    digest = digest_text(text, max_chars=1000)
    assert digest.truncated_at == at and len(digest.article.text) <= 1000
    assert "summarised its first 1,0" not in render_digest(digest)  # 1000 is the cap; the cut is before it
    assert f"summarised its first {at:,} characters" in render_digest(digest)
    assert f"仅摘要了前 {at:,} 个字符" in render_digest(digest, RenderOptions(ui_language="zh"))
    whole = digest_text(text)
    assert whole.truncated_at is None and "summarised its first" not in render_digest(whole)


def test_a_text_document_is_capped_before_it_is_read_and_the_terminal_says_so() -> None:
    line = "The council met on Tuesday and [voted](https://x.example) for the plan.\n"
    text = "# Council votes\n\n" + line * 400
    page = FetchedPage("u", "u", 200, "text/markdown", text.encode(), "utf-8")
    digest = digest_page(page, max_chars=2000)
    assert digest.truncated_at is not None and digest.truncated_at <= 2000
    assert digest.article.title == "Council votes" and "](https" not in digest.article.text
    assert f"summarised its first {digest.truncated_at:,} characters" in format_for_terminal(digest)
    assert digest_page(page).truncated_at is None
    assert "summarised its first" not in format_for_terminal(digest_page(page))


_BIG_PAGE = (
    "<html><head><title>River homes</title><style>p { color: red }</style></head><body>"
    "<nav>Home</nav><div>Intro line<p>The council voted on <b>Tuesday</b> to build homes.</p>"
    "<script>var hidden = 'no';</script><!-- a comment --><p>Critics cited flood risk.<br>Again.</p>"
    "</div></body></html>"
)


def test_a_page_over_the_element_bound_is_read_as_flat_text() -> None:
    assert count_start_tags(_BIG_PAGE, 1000) == 12  # html head title style body nav div p b script p br
    assert count_start_tags(_BIG_PAGE, 5) == 5
    assert flat_text(_BIG_PAGE).split("\n") == [
        "Home",
        "Intro line",
        "The council voted on Tuesday to build homes.",
        "Critics cited flood risk.",
        "Again.",
    ]
    prose = "<p>The council voted on Tuesday to build new homes near the river, and critics objected.</p>"
    page = _BIG_PAGE.replace("</div>", prose * 30 + "</div>")
    article = extract_html(page, url="https://x.example/a", max_elements=40)
    assert article.text == flat_text(page) and article.title == "River homes"
    assert "hidden" not in article.text and "color" not in article.text
    assert extract_html(page, url="https://x.example/a", max_elements=None).text != article.text


def test_every_html_generator_of_the_catalogue_at_120k_is_bounded_by_the_element_count() -> None:
    # 120,000 characters of tiny elements took trafilatura seconds; the flat reading a fraction of one.
    for generator in (g for g in CATALOGUE if g.kind == "html"):
        page = generator.make(120_000)
        started = cpu_seconds_used()
        with contextlib.suppress(KeypointError):
            digest_page(FetchedPage("u", "u", 200, "text/html", page.encode(), "utf-8"), max_chars=100_000)
        assert cpu_seconds_used() - started < 2.0, generator.name


def test_a_hostile_batch_line_gets_an_error_and_the_batch_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEYPOINT_JOB_CPU_SECONDS", "1")
    monkeypatch.setenv("KEYPOINT_MAX_TEXT_CHARS", "0")
    get_settings.cache_clear()
    lines = [
        json.dumps({"id": "slow", "text": _SLOW_PROSE.make(400_000)}),
        json.dumps({"id": "fine", "text": pasted_text()}),
    ]
    sink = io.StringIO()
    started = time.monotonic()
    try:
        import asyncio

        asyncio.run(run_batch(io.StringIO("\n".join(lines) + "\n"), sink))
    finally:
        get_settings.cache_clear()
    slow, fine = (json.loads(line) for line in sink.getvalue().splitlines())
    assert slow["id"] == "slow" and "too long" in slow["error"]
    assert fine["error"] is None and fine["points"]
    assert time.monotonic() - started < 8


@pytest.fixture
def bot_world(tmp_path: Path) -> Iterator[tuple[FakeTelegram, PageServer]]:
    fake = FakeTelegram()
    fake.start()
    pages = PageServer()
    pages.start()
    pages.pages["/library"] = Page(library_page())
    settings = bot_settings(
        fake,
        tmp_path / "bot.sqlite3",
        workers=2,
        job_cpu_seconds=1.0,
        max_text_chars=0,  # no cap: the budget alone has to stop the slow document
        max_document_bytes=5_000_000,
    )
    try:
        with running_bot(fake, settings):
            yield fake, pages
    finally:
        pages.stop()
        fake.stop()


def test_a_slow_document_gets_the_clear_message_while_another_chat_is_answered(
    bot_world: tuple[FakeTelegram, PageServer],
) -> None:
    """A 1,200,000-character Chinese text with the cap off needs about 4 CPU seconds:
    with a 1-second budget its chat hears "too complex" within a few seconds,
    and a link sent from another chat meanwhile gets its normal summary first
    (the second worker takes it; nothing queues behind the slow job)."""
    fake, pages = bot_world
    slow_user, other_user = fake.user(501, "Slow", "en"), fake.user(502, "Other", "en")
    document = fake.document("long.txt", _SLOW_PROSE.make(1_200_000).encode(), "text/plain")
    mark = fake.mark()
    sent_at = time.monotonic()
    fake.send(fake.message(fake.private_chat(slow_user), slow_user, document=document))
    time.sleep(0.3)  # the document is in a worker before the link arrives
    fake.send(fake.message(fake.private_chat(other_user), other_user, "Read " + pages.url("/library")))
    link_reply = fake.answer(other_user["id"], since=mark, timeout=15)
    slow_reply = fake.answer(slow_user["id"], since=mark, timeout=15)
    assert "too complex" in slow_reply.params["text"]
    assert slow_reply.at - sent_at < 4  # the 1 s budget, the download and the reply
    assert "Elmbridge library will stay open" in link_reply.params["text"]
    assert link_reply.at < slow_reply.at
    # The workers were replaced, and the new ones answer.
    mark = fake.mark()
    third = fake.user(503, "Third", "en")
    fake.send(fake.message(fake.private_chat(third), third, pasted_text()))
    assert "Elmbridge" in fake.answer(third["id"], since=mark, timeout=15).params["text"]
