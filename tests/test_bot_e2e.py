"""End to end: the real application, long polling a fake Bot API server, reading local pages.

One bot serves the whole module; every test uses its own user (and usually its
own chat) so rate limits and settings do not leak between tests.
"""

from __future__ import annotations

import io
import itertools
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.telegram.logsafe import configure_logging
from tests.support.bot_articles import (
    hostile_page,
    library_page,
    long_page,
    pasted_text,
    pdf_lines,
    simple_pdf,
)
from tests.support.bot_harness import bot_settings, running_bot
from tests.support.bot_html_check import plain_text
from tests.support.fake_telegram import BOT_USERNAME, Call, FakeTelegram
from tests.support.pages import Page, PageServer, slow_page

ROOT = Path(__file__).resolve().parent.parent
_ids = itertools.count(1001)


class World:
    def __init__(self, fake: FakeTelegram, pages: PageServer, log: io.StringIO) -> None:
        self.fake, self.pages, self.log = fake, pages, log

    def person(self, language: str = "en") -> dict:
        return self.fake.user(next(_ids), f"User{language}", language)

    def say(self, user: dict, text: str, **kwargs: object) -> tuple[int, dict]:
        """Send ``text`` in the user's private chat; returns (mark, message)."""
        mark = self.fake.mark()
        message = self.fake.send(self.fake.message(self.fake.private_chat(user), user, text, **kwargs))
        return mark, message

    def page_hits(self, path: str) -> int:
        return sum(1 for p, _h in self.pages.requests if p.split("?")[0] == path)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    fake = FakeTelegram()
    fake.start()
    pages = PageServer()
    pages.start()
    big, _chars = long_page()
    pages.pages.update(
        {
            "/library": Page(library_page()),
            "/library-copy": Page(library_page()),
            "/hostile": Page(hostile_page()),
            "/long": Page(big),
            "/image": Page(b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png"),
            "/huge": Page(b"<html><body><p>" + b"word " * 80_000 + b"</p></body></html>"),
            "/empty": Page(b"<html><head><title>Nothing</title></head><body><nav>Menu</nav></body></html>"),
            "/slow": slow_page(1.0, library_page()),
            "/stuck": slow_page(4.0, library_page()),
        }
    )
    for n in range(4):
        pages.pages[f"/a{n}"] = Page(library_page())
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging("DEBUG", fake.token, stream)
    settings = bot_settings(
        fake,
        tmp_path_factory.mktemp("bot") / "bot.sqlite3",
        user_rate_per_minute=6,
        chat_rate_per_minute=100,
        max_body_bytes=200_000,
        total_timeout=2.5,
        max_document_bytes=50_000,
    )
    try:
        with running_bot(fake, settings):
            yield World(fake, pages, stream)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        pages.stop()
        fake.stop()


def _text(call: Call) -> str:
    return call.params["text"]


def _buttons(call: Call) -> dict[str, str]:
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b.get("callback_data", "") for row in rows for b in row}


def _final_texts(world: World, chat_id: int, since: int) -> list[str]:
    """What the chat shows now for each message the bot sent after ``since`` (placeholders edited)."""
    sent = [
        c for c in world.fake.calls_of("sendMessage", since) if c.ok and int(c.params["chat_id"]) == chat_id
    ]
    return [world.fake.messages[(chat_id, c.result["message_id"])]["text"] for c in sent]


def _bullets(html: str) -> int:
    return sum(1 for line in html.splitlines() if line.startswith("• "))


def test_start_and_help_in_english_and_chinese(world: World) -> None:
    english, chinese = world.person("en"), world.person("zh-hans")
    mark, _ = world.say(english, "/start")
    assert "key points" in _text(world.fake.answer(english["id"], since=mark))
    mark, _ = world.say(chinese, "/help")
    reply = _text(world.fake.answer(chinese["id"], since=mark))
    assert "使用方法" in reply and f"@{BOT_USERNAME}" in reply


def test_command_menu_is_set_at_start_in_both_languages(world: World) -> None:
    menus = world.fake.calls_of("setMyCommands")
    assert {c.params.get("language_code") for c in menus} == {None, "zh"}
    assert {"summary", "tldr", "settings", "help"} <= {c["command"] for c in menus[0].params["commands"]}


def test_private_link_gets_a_full_summary(world: World) -> None:
    user = world.person()
    mark, _ = world.say(user, "Have a look: " + world.pages.url("/library"))
    reply = world.fake.answer(user["id"], since=mark)
    html = _text(reply)
    assert html.startswith(f'<b><a href="{world.pages.url("/library")}">Elmbridge library will stay open')
    assert _bullets(html) >= 3
    assert "<blockquote expandable>" in html and "Margaret Olsen" in html
    assert "Keywords:" in html and "Reduced by" in html and "min read" in html
    assert reply.params["parse_mode"] == "HTML"
    assert reply.params["link_preview_options"] == {"is_disabled": True}
    assert set(_buttons(reply)) >= {"Less", "More"}


def test_same_link_again_comes_from_the_cache(world: World) -> None:
    user = world.person()
    mark, _ = world.say(user, world.pages.url("/library-copy?utm_source=a"))
    first = world.fake.answer(user["id"], since=mark)
    hits = world.page_hits("/library-copy")
    started = time.monotonic()
    mark, _ = world.say(user, world.pages.url("/library-copy?fbclid=zzz#top"))
    second = world.fake.answer(user["id"], since=mark)
    assert time.monotonic() - started < 1.0
    assert world.page_hits("/library-copy") == hits == 1
    assert f'<a href="{world.pages.url("/library-copy")}">' in _text(second)  # tracking parameters dropped
    assert not [c for c in world.fake.calls[mark:] if c.method == "sendChatAction"]  # instant: no "typing"
    assert plain_text(_text(first)).splitlines()[1:] == plain_text(_text(second)).splitlines()[1:]


def test_at_most_three_links_per_message_and_text_links_count(world: World) -> None:
    user = world.person()
    urls = [world.pages.url(f"/a{n}") for n in range(3)]
    text = f"one {urls[0]} two {urls[1]} and here"
    hidden = {"type": "text_link", "offset": len(text) - 4, "length": 4, "url": urls[2]}
    entities = [{"type": "url", "offset": text.index(u), "length": len(u)} for u in urls[:2]] + [hidden]
    mark, _ = world.say(
        user,
        text + " " + world.pages.url("/a3"),
        entities=[*entities, {"type": "url", "offset": len(text) + 1, "length": len(world.pages.url("/a3"))}],
    )
    world.fake.wait_sent(user["id"], count=3, since=mark)
    time.sleep(0.5)
    assert [t.startswith("<b><a") for t in _final_texts(world, user["id"], mark)] == [True] * 3
    assert world.page_hits("/a3") == 0


def test_forwarded_message_with_link_in_caption(world: World) -> None:
    user = world.person()
    mark = world.fake.mark()
    chat = world.fake.private_chat(user)
    world.fake.send(
        world.fake.message(
            chat, user, caption="photo caption " + world.pages.url("/library"), forwarded_from=world.person()
        )
    )
    assert "Elmbridge" in _text(world.fake.answer(user["id"], since=mark))


def test_long_text_is_summarised_and_short_text_gets_a_hint(world: World) -> None:
    user = world.person()
    mark, _ = world.say(user, pasted_text())
    reply = _text(world.fake.answer(user["id"], since=mark))
    assert _bullets(reply) >= 1 and "<a href" not in reply  # no source link for pasted text
    mark, _ = world.say(user, "hello there")
    assert "at least 400 characters" in _text(world.fake.answer(user["id"], since=mark))


def test_edited_message_never_triggers_a_second_reply(world: World) -> None:
    user = world.person()
    mark, message = world.say(user, world.pages.url("/library"))
    world.fake.wait_sent(user["id"], since=mark)
    after = world.fake.mark()
    world.fake.edit(message, world.pages.url("/hostile"))
    world.fake.inject({"edited_message": dict(message, text="/summary " + world.pages.url("/hostile"))})
    time.sleep(1.0)
    assert [c for c in world.fake.calls[after:] if c.method in ("sendMessage", "sendChatAction")] == []


def test_hostile_page_text_is_escaped(world: World) -> None:
    user = world.person()
    mark, _ = world.say(user, world.pages.url("/hostile"))
    reply = world.fake.answer(user["id"], since=mark)
    html = _text(reply)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&amp;" in html
    shown = plain_text(html)  # the fake accepted it; this is what a reader sees
    assert "<script>alert(" in shown and "unbalanced" in shown
    assert "Priya Shah" in shown or "Tom Reyes" in shown


def test_buttons_change_points_and_quotes_without_fetching(world: World) -> None:
    user = world.person()
    mark, _ = world.say(user, world.pages.url("/library"))
    first = world.fake.answer(user["id"], since=mark)
    shown = _bullets(_text(first))
    hits = world.page_hits("/library")
    more = world.fake.mark()
    world.fake.press(first, _buttons(first)["More"], user)
    edit = world.fake.wait_for(lambda calls: [c for c in calls if c.method == "editMessageText"], since=more)[
        0
    ]
    assert edit.ok and _bullets(_text(edit)) == shown + 2
    assert "Less" in _buttons(edit)
    less = world.fake.mark()
    world.fake.press(first, _buttons(edit)["Less"], user)
    edit = world.fake.wait_for(lambda calls: [c for c in calls if c.method == "editMessageText"], since=less)[
        0
    ]
    assert _bullets(_text(edit)) == shown
    assert world.page_hits("/library") == hits
    # "Quotes" shows every quote: far more than one message holds, so it is split.
    mark, _ = world.say(user, world.pages.url("/long"))
    first = world.fake.answer(user["id"], since=mark)
    hits = world.page_hits("/long")
    quotes = world.fake.mark()
    world.fake.press(first, _buttons(first)["Quotes"], user)
    edit2 = world.fake.wait_for(
        lambda calls: [c for c in calls if c.method == "editMessageText"], since=quotes
    )[0]
    extra = world.fake.wait_sent(user["id"], count=2, since=quotes)
    for call in [edit2, *extra]:
        assert call.ok and len(plain_text(_text(call))) <= 4096 and len(_text(call)) <= 4096
    assert "Fewer quotes" in _buttons(edit2)
    assert world.page_hits("/long") == hits
    answered = world.fake.calls_of("answerCallbackQuery", more)
    assert len(answered) == 3 and all(c.ok for c in answered)


def test_a_button_for_a_forgotten_summary_says_so(world: World) -> None:
    user = world.person()
    mark, _ = world.say(user, world.pages.url("/library"))
    reply = world.fake.answer(user["id"], since=mark)
    mark = world.fake.mark()
    world.fake.press(reply, "v|u" + "0" * 23 + "|5|0", user)
    answer = world.fake.wait_for(
        lambda calls: [c for c in calls if c.method == "answerCallbackQuery"], since=mark
    )[0]
    assert answer.params["text"] == "This summary is no longer stored; send the link again."
    assert not world.fake.calls_of("editMessageText", mark)


def test_forty_thousand_character_article_arrives_as_valid_messages(world: World) -> None:
    _page, chars = long_page()
    assert chars >= 40_000
    user = world.person()
    mark, _ = world.say(user, "/settings")
    panel = world.fake.answer(user["id"], since=mark)
    world.fake.press(panel, "s|p|+", user)  # 6 points: longer reply
    world.fake.wait_for(lambda calls: [c for c in calls if c.method == "editMessageText"], since=mark)
    mark, _ = world.say(user, world.pages.url("/long"))
    reply = world.fake.answer(user["id"], since=mark)
    assert reply.ok and _bullets(_text(reply)) == 6
    assert all(c.ok for c in world.fake.calls[mark:] if c.method in ("sendMessage", "editMessageText"))


def test_documents_are_read_within_limits(world: World) -> None:
    user = world.person()
    chat = world.fake.private_chat(user)
    note = world.fake.document("notes.txt", pasted_text().encode(), "text/plain")
    mark = world.fake.mark()
    world.fake.send(world.fake.message(chat, user, document=note))
    assert "Elmbridge" in _text(world.fake.answer(user["id"], since=mark))
    assert world.fake.calls_of("getFile", mark)
    page = world.fake.document("story.html", library_page(), "text/html")
    mark = world.fake.mark()
    world.fake.send(world.fake.message(chat, user, document=page))
    assert "Elmbridge library will stay open" in _text(world.fake.answer(user["id"], since=mark))
    mark = world.fake.mark()
    scan = world.fake.document("report.pdf", simple_pdf(pdf_lines()), "application/pdf")
    world.fake.send(world.fake.message(chat, user, document=scan))
    assert "Keeping the Sunday hours" in _text(world.fake.answer(user["id"], since=mark))
    mark = world.fake.mark()
    world.fake.send(
        world.fake.message(chat, user, document=world.fake.document("a.docx", b"PK..", "application/zip"))
    )
    assert "cannot read that type" in _text(world.fake.answer(user["id"], since=mark))
    mark = world.fake.mark()
    big = world.fake.document("big.txt", b"word " * 20_000, "text/plain")
    world.fake.send(world.fake.message(chat, user, document=big))
    assert "too large" in _text(world.fake.answer(user["id"], since=mark))
    assert not [c for c in world.fake.calls[mark:] if c.method == "getFile"]  # refused before download


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/image", "cannot read that type"),
        ("/huge", "too large"),
        ("/empty", "could not find an article"),
        ("/missing", "could not reach"),
    ],
)
def test_each_failure_has_its_own_short_message(world: World, path: str, expected: str) -> None:
    user = world.person()
    mark, _ = world.say(user, world.pages.url(path))
    reply = _text(world.fake.answer(user["id"], since=mark))
    assert expected in reply and len(reply) < 120


def test_unreachable_host_and_chinese_error(world: World) -> None:
    user = world.person("zh")
    mark, _ = world.say(user, "http://127.0.0.1:9/nothing-listens-here")
    assert _text(world.fake.answer(user["id"], since=mark)) == "无法访问该网页。"


def test_slow_page_gets_a_placeholder_edited_into_the_result(world: World) -> None:
    user = world.person()
    mark, _ = world.say(user, world.pages.url("/slow"))
    placeholder = world.fake.wait_sent(user["id"], since=mark)[0]
    assert _text(placeholder) == "Reading…"
    calls = world.fake.calls[mark:]
    typing = [
        i
        for i, c in enumerate(calls)
        if c.method == "sendChatAction" and int(c.params["chat_id"]) == user["id"]
    ]
    assert typing and typing[0] < calls.index(placeholder) and calls[typing[0]].params["action"] == "typing"
    edit = world.fake.wait_for(lambda calls: [c for c in calls if c.method == "editMessageText"], since=mark)[
        0
    ]
    assert int(edit.params["message_id"]) == placeholder.result["message_id"] and "Elmbridge" in _text(edit)


def test_timeout_is_reported_in_the_placeholder(world: World) -> None:
    user = world.person()
    mark, _ = world.say(user, world.pages.url("/stuck"))
    edit = world.fake.wait_for(lambda calls: [c for c in calls if c.method == "editMessageText"], since=mark)[
        0
    ]
    assert _text(edit) == "The page took too long to load."


def test_rate_limit_is_polite_once_then_quiet(world: World) -> None:
    user = world.person()
    mark = world.fake.mark()
    for _ in range(8):
        world.say(user, world.pages.url("/library"))
    world.fake.wait_sent(user["id"], count=7, since=mark)
    time.sleep(0.5)
    texts = _final_texts(world, user["id"], mark)
    assert sum("Elmbridge" in t for t in texts) == 6
    assert sum("faster than I can read" in t for t in texts) == 1 and len(texts) == 7


def test_retry_after_is_honoured(world: World) -> None:
    user = world.person()
    world.fake.failures["sendMessage"] = [1]
    mark, _ = world.say(user, world.pages.url("/library"))
    reply = world.fake.answer(user["id"], since=mark)
    refused = [c for c in world.fake.calls[mark:] if c.method == "sendMessage" and not c.ok]
    assert refused and "retry after 1" in refused[0].error
    assert reply.at - refused[0].at >= 0.9


def test_inline_query_offers_the_summary(world: World) -> None:
    user = world.person()
    mark = world.fake.mark()
    world.fake.inline(user, world.pages.url("/library"))
    answer = world.fake.wait_for(
        lambda calls: [c for c in calls if c.method == "answerInlineQuery"], since=mark
    )[0]
    assert answer.ok
    result = answer.params["results"][0]
    assert result["title"] == "Elmbridge library will stay open on Sundays"
    assert result["input_message_content"]["message_text"].startswith("<b><a href=")
    more = next(
        b["callback_data"]
        for row in result["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"] == "More"
    )
    mark = world.fake.mark()
    world.fake.press_inline("inline-msg-1", more, user)
    edit = world.fake.wait_for(lambda calls: [c for c in calls if c.method == "editMessageText"], since=mark)[
        0
    ]
    assert edit.ok and edit.params["inline_message_id"] == "inline-msg-1"
    assert _bullets(edit.params["text"]) > _bullets(result["input_message_content"]["message_text"])
    mark = world.fake.mark()
    world.fake.inline(user, "no link here")
    empty = world.fake.wait_for(
        lambda calls: [c for c in calls if c.method == "answerInlineQuery"], since=mark
    )[0]
    assert empty.params["results"] == []


def test_group_commands_replies_and_addressing(world: World) -> None:
    fake = world.fake
    group = fake.group(-1001001, "Readers")
    user = world.person()
    url = world.pages.url("/library")
    mark = fake.mark()
    command = fake.send(fake.message(group, user, f"/summary@{BOT_USERNAME} {url}"))
    reply = fake.answer(group["id"], since=mark)
    assert reply.result["reply_to_message"]["message_id"] == command["message_id"]
    assert "Elmbridge" in _text(reply)
    # /tldr as a reply to someone's message holding a link
    mark = fake.mark()
    shared = fake.message(group, world.person(), f"interesting {world.pages.url('/hostile')}")
    asking = fake.send(fake.message(group, user, "/tldr", reply_to=shared))
    reply = fake.answer(group["id"], since=mark)
    assert reply.result["reply_to_message"]["message_id"] == asking["message_id"] and "Priya" in _text(reply)
    # addressed to another bot, a plain link without auto-summary, and a bare /summary
    mark = fake.mark()
    fake.send(fake.message(group, user, f"/summary@other_bot {url}"))
    fake.send(fake.message(group, user, f"just a link {url}"))
    time.sleep(1.0)
    assert not [c for c in fake.calls[mark:] if c.method in ("sendMessage", "sendChatAction")]
    fake.send(fake.message(group, user, "/summary"))
    assert "reply /summary" in _text(fake.answer(group["id"], since=mark))
    # in a forum topic the answer stays in the topic; a long text replied to works too
    forum = fake.forum(-1001003, "Forum", topics=(77,))
    mark = fake.mark()
    essay = fake.message(forum, world.person(), pasted_text(), thread_id=77)
    asking = fake.send(fake.message(forum, user, "/summary", reply_to=essay, thread_id=77))
    reply = fake.answer(forum["id"], since=mark)
    assert reply.result["message_thread_id"] == 77
    assert reply.result["reply_to_message"]["message_id"] == asking["message_id"] and "Elmbridge" in _text(
        reply
    )


def test_group_settings_admins_only_and_auto_summary(world: World) -> None:
    fake = world.fake
    group = fake.group(-1002002, "Club")
    admin, member = world.person(), world.person()
    fake.members[(group["id"], admin["id"])] = "administrator"
    mark = fake.mark()
    fake.send(fake.message(group, member, "/settings"))
    panel = fake.answer(group["id"], since=mark)
    assert "s|a|1" in _buttons(panel).values()
    mark = fake.mark()
    fake.press(panel, "s|a|1", member)
    refused = fake.wait_for(
        lambda calls: [c for c in calls if c.method == "answerCallbackQuery"], since=mark
    )[0]
    assert refused.params["text"] == "Only group admins can change the settings."
    fake.press(panel, "s|a|1", admin)
    fake.wait_for(lambda calls: [c for c in calls if c.method == "editMessageText"], since=mark)
    mark = fake.mark()
    posted = fake.send(fake.message(group, member, "worth reading " + world.pages.url("/library")))
    reply = fake.answer(group["id"], since=mark)
    assert reply.result["reply_to_message"]["message_id"] == posted["message_id"]


def test_chat_language_and_chinese_script_settings(world: World) -> None:
    user = world.person("en")
    mark, _ = world.say(user, "/settings")
    panel = world.fake.answer(user["id"], since=mark)
    for choice in ("s|l|zh", "s|c|traditional"):
        step = world.fake.mark()
        world.fake.press(panel, choice, user)
        world.fake.wait_for(lambda calls: [c for c in calls if c.method == "editMessageText"], since=step)
    text = (ROOT / "tests" / "fixtures" / "zh-article.txt").read_text("utf-8")
    mark, _ = world.say(user, text)
    reply = _text(world.fake.answer(user["id"], since=mark))
    assert "要點" in reply or "縮減" in reply  # Traditional labels: the conversion ran
    mark, _ = world.say(user, "hi")
    assert "请发给我文章链接" in _text(world.fake.answer(user["id"], since=mark))


BLOCKED_USER = 999


def test_unexpected_errors_are_logged_with_their_context(world: World) -> None:
    user = world.fake.user(BLOCKED_USER)
    world.fake.blocked.add(BLOCKED_USER)
    mark, _ = world.say(user, "/start")
    world.fake.wait_for(
        lambda calls: [c for c in calls if c.method == "sendMessage" and not c.ok], since=mark
    )
    expected = f"handler failed: update={world.fake.injected[-1][1]['update_id']} chat={BLOCKED_USER}"
    deadline = time.monotonic() + 5
    while expected not in world.log.getvalue() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert expected in world.log.getvalue()
    assert "Forbidden: bot was blocked by the user" in world.log.getvalue()


def test_no_log_line_contains_the_token(world: World) -> None:
    output = world.log.getvalue()
    failures = [line for line in output.splitlines() if "handler failed" in line]
    # no unexpected exception in the whole module, except the one provoked above
    assert all(f"chat={BLOCKED_USER} " in line for line in failures), failures
    assert world.fake.token not in output
    assert "Application started" in output
