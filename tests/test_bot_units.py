"""Small parts of the bot: limits, callback data, links, log redaction, the HTML checker."""

from __future__ import annotations

import io
import logging

from bot.models import Article, Digest, Quote, Summary
from bot.storage import ChatSettings, url_key
from bot.telegram.limits import RequestLimits, SlidingWindow, Verdict
from bot.telegram.links import links_in_text
from bot.telegram.logsafe import REDACTED, configure_logging
from bot.telegram.reply import View, keyboard
from bot.telegram.service import document_type
from bot.telegram.settings_ui import apply_choice
from tests.support.bot_html_check import check_message


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window_allows_the_limit_per_minute() -> None:
    clock = Clock()
    window = SlidingWindow(3, clock)
    assert [window.hit("a") for _ in range(4)] == [True, True, True, False]
    assert window.hit("b")
    clock.now += 59.9
    assert not window.hit("a")
    clock.now += 0.2
    assert window.hit("a")


def test_request_limits_tell_once_then_stay_quiet() -> None:
    clock = Clock()
    limits = RequestLimits(user_per_minute=2, chat_per_minute=100, clock=clock)
    verdicts = [limits.check(1, 10) for _ in range(4)]
    assert verdicts == [Verdict.ALLOW, Verdict.ALLOW, Verdict.REFUSE_AND_TELL, Verdict.REFUSE_QUIETLY]
    clock.now += 61
    assert limits.check(1, 10) is Verdict.ALLOW
    chat_limited = RequestLimits(user_per_minute=100, chat_per_minute=1, clock=clock)
    assert chat_limited.check(1, 5) is Verdict.ALLOW
    assert chat_limited.check(2, 5) is Verdict.REFUSE_AND_TELL  # another user, same chat


def test_view_callback_data_round_trips_within_64_bytes() -> None:
    view = View(url_key("https://example.org/a-very-long-path/" + "x" * 500), 12, True)
    data = view.data()
    assert len(data.encode()) <= 64
    assert View.parse(data) == view
    assert View.parse("v|k|x|0") is None and View.parse("s|p|+") is None


def test_keyboard_offers_only_meaningful_buttons() -> None:
    quotes = [Quote("a", "A", 0, 1, True), Quote("b", None, 2, 3, False)]
    digest = Digest(Article("t"), Summary("en", ["p1", "p2", "p3"], quotes, []))
    labels = [
        b.text
        for b in keyboard(
            View("k", 3), digest, ui_language="en", max_points=12, show_quotes=True
        ).inline_keyboard[0]
    ]
    assert labels == ["Less", "More", "Quotes"]
    # Asked for 5, got 3: the text has no more sentences, so no "More".
    labels = [
        b.text
        for b in keyboard(
            View("k", 5), digest, ui_language="zh", max_points=12, show_quotes=False
        ).inline_keyboard[0]
    ]
    assert labels == ["更少"]


def test_links_in_plain_text_strip_trailing_punctuation() -> None:
    text = "see https://example.org/a), and http://b.example/x?y=1. also https://example.org/a"
    assert links_in_text(text, 3) == ["https://example.org/a", "http://b.example/x?y=1"]


def test_document_types_by_name_then_mime() -> None:
    assert document_type("notes.MD", None) == "text/markdown"
    assert document_type("scan", "application/pdf") == "application/pdf"
    try:
        document_type("photo.png", "image/png")
    except Exception as exc:
        assert getattr(exc, "code", None) == "unsupported_type"
    else:
        raise AssertionError("a PNG must be refused")


def test_settings_choices_stay_in_range() -> None:
    chat = ChatSettings()
    assert apply_choice(chat, "p", "+", 12).points == 6
    assert apply_choice(ChatSettings(points=1), "p", "-", 12).points == 1
    assert apply_choice(ChatSettings(points=12), "p", "+", 12).points == 12
    assert apply_choice(chat, "l", "fr", 12) == chat
    assert apply_choice(chat, "c", "traditional", 12).chinese == "traditional"


def test_token_never_reaches_the_log() -> None:
    token = "987654:SECRET-token-value"
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging("DEBUG", token, stream)
    try:
        logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot%s/getMe", token)
        logging.getLogger("bot.test").warning("calling https://api.telegram.org/bot%s/sendMessage", token)
        try:
            raise RuntimeError(f"failed at /bot{token}/getUpdates")
        except RuntimeError:
            logging.getLogger("bot.test").exception("request failed")
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    output = stream.getvalue()
    assert token not in output
    assert f"/bot{REDACTED}/sendMessage" in output and f"/bot{REDACTED}/getUpdates" in output
    assert "getMe" not in output  # httpx request lines are not logged at all


def test_html_checker_refuses_what_telegram_refuses() -> None:
    assert check_message('<b>a</b> &amp; <a href="https://e.org">x</a>', "HTML") is None
    assert "Unsupported start tag" in check_message("<script>x</script>", "HTML")
    assert "can't parse" in check_message("<b><i>x</b></i>", "HTML")
    assert "can't parse" in check_message("fish & chips", "HTML")
    assert check_message("x" * 4097, "HTML") == "Bad Request: message is too long"
    assert check_message("<b>" + "x" * 4096 + "</b>", "HTML") is None  # tags do not count
