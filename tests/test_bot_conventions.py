"""End to end: Telegram's conventions (topics, deleted requests, allowed updates,
descriptions, scoped commands, deep links, Share, reactions) and the reader page,
Retry and Report buttons — the real application against the fake Bot API server,
which refuses what Telegram refuses."""

from __future__ import annotations

import itertools
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.support.bot_articles import LIBRARY_PARAGRAPHS, article_html, hostile_page, library_page, long_page
from tests.support.bot_harness import bot_settings, free_port, running_bot
from tests.support.fake_telegram import BOT_USERNAME, Call, FakeTelegram
from tests.support.pages import Page, PageServer, slow_page

PUBLIC_URL = "https://reader.example"  # what buttons show; the reader listens on loopback
OPERATOR = 4242
_ids = itertools.count(5001)
_chats = itertools.count(-1003001, -1)


@dataclass
class World:
    fake: FakeTelegram
    pages: PageServer
    reader_port: int

    def person(self, language: str = "en") -> dict:
        return self.fake.user(next(_ids), f"User{language}", language)

    def group(self) -> dict:
        return self.fake.group(next(_chats), "Readers")

    def page_hits(self, path: str) -> int:
        return sum(1 for p, _h in self.pages.requests if p.split("?")[0] == path)

    def local(self, reader_url: str) -> str:
        """The reader page's address on loopback, for the public address a button shows."""
        assert reader_url.startswith(PUBLIC_URL + "/r/")
        return f"http://127.0.0.1:{self.reader_port}" + reader_url[len(PUBLIC_URL) :]


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
            "/hostile": Page(hostile_page()),
            "/long": Page(big),
            "/slow": slow_page(1.0, library_page()),
            "/slow2": slow_page(1.0, library_page()),
            "/slow3": slow_page(1.0, library_page()),
            "/stuck": slow_page(4.0, library_page()),
            "/changing": Page(article_html("First version of the story", LIBRARY_PARAGRAPHS)),
        }
    )
    port = free_port()
    settings = bot_settings(
        fake,
        tmp_path_factory.mktemp("bot") / "bot.sqlite3",
        public_url=PUBLIC_URL,
        reader_listen="127.0.0.1",
        reader_port=port,
        operator_user_id=OPERATOR,
        total_timeout=2.5,
        user_rate_per_minute=30,
    )
    try:
        with running_bot(fake, settings):
            yield World(fake, pages, port)
    finally:
        pages.stop()
        fake.stop()


def _buttons(call: Call | dict) -> dict[str, dict]:
    params = call.params if isinstance(call, Call) else call
    rows = (params.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b for row in rows for b in row}


def _edits(world: World, since: int, method: str = "editMessageText") -> list[Call]:
    return world.fake.wait_for(lambda calls: [c for c in calls if c.method == method], since=since)


def _get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


# --- what the fake refuses, as Telegram does ------------------------------------------


def test_the_fake_refuses_what_telegram_refuses(world: World) -> None:
    fake = world.fake
    group = world.group()
    user = world.person()
    request = fake.message(group, user, "hello")
    dispatch = fake._dispatch
    assert dispatch("sendMessage", {"chat_id": group["id"], "text": "x", "message_thread_id": 5})[1][
        "description"
    ] == ("Bad Request: message thread not found")
    fake.delete(request)
    reply = {"chat_id": group["id"], "text": "x", "reply_parameters": {"message_id": request["message_id"]}}
    assert dispatch("sendMessage", reply)[1]["description"] == "Bad Request: message to be replied not found"
    reply["reply_parameters"]["allow_sending_without_reply"] = True
    assert dispatch("sendMessage", reply)[1]["ok"]
    alive = fake.message(group, user, "still here")
    react = {
        "chat_id": group["id"],
        "message_id": alive["message_id"],
        "reaction": [{"type": "emoji", "emoji": "✅"}],
    }
    assert dispatch("setMessageReaction", react)[1]["description"] == "Bad Request: REACTION_INVALID"
    app = {"inline_keyboard": [[{"text": "Read", "web_app": {"url": "https://reader.example/r/x"}}]]}
    assert dispatch("sendMessage", {"chat_id": group["id"], "text": "x", "reply_markup": app})[1][
        "description"
    ] == ("Bad Request: BUTTON_TYPE_INVALID")
    assert dispatch("sendMessage", {"chat_id": group["id"], "text": "x", "colour": "red"})[0] == 400


# --- allowed updates, descriptions, command scopes --------------------------------------


def test_only_the_updates_the_bot_handles_are_asked_for(world: World) -> None:
    fake = world.fake
    polls = fake.calls_of("getUpdates")
    asked = {tuple(c.params["allowed_updates"]) for c in polls if "allowed_updates" in c.params}
    assert asked == {("message", "callback_query", "inline_query")}
    user = world.person()
    business = fake.inject({"business_message": fake.message(fake.private_chat(user), user, "hi")})
    edited = fake.inject({"edited_message": fake.message(fake.private_chat(user), user, "hi")})
    mark = fake.mark()
    chat = fake.private_chat(user)
    fake.send(fake.message(chat, user, "/help"))
    fake.wait_sent(user["id"], since=mark)
    delivered = {u for c in fake.calls_of("getUpdates") for u in c.result}
    assert business not in delivered and edited not in delivered


def test_descriptions_and_command_scopes_in_both_languages(world: World) -> None:
    fake = world.fake
    for method in ("setMyDescription", "setMyShortDescription"):
        assert "key points" in fake.descriptions[(method, "")].lower()
        assert "要点" in fake.descriptions[(method, "zh")]
    for language in ("", "zh"):
        assert "settings" in fake.commands[("all_private_chats", language)]
        assert "settings" not in fake.commands[("all_group_chats", language)]
        assert "settings" in fake.commands[("all_chat_administrators", language)]
        assert "reports" in fake.commands[("chat", language)]  # the operator's own chat
        assert "reports" not in fake.commands[("all_private_chats", language)]
    scoped = [c for c in fake.calls_of("setMyCommands") if c.params.get("scope", {}).get("type") == "chat"]
    assert {int(c.params["scope"]["chat_id"]) for c in scoped} == {OPERATOR}


# --- topics and deleted requests ----------------------------------------------------------


def test_extra_parts_in_a_reply_chain_of_a_plain_group_are_sent(world: World) -> None:
    fake = world.fake
    group, user = world.group(), world.person()
    shared = fake.send(fake.message(group, world.person(), "look " + world.pages.url("/long")))
    mark = fake.mark()
    asking = fake.send(fake.message(group, user, "/summary", reply_to=shared))
    assert asking["message_thread_id"] == shared["message_id"] and "is_topic_message" not in asking
    reply = fake.answer(group["id"], since=mark)
    assert reply.result["message_thread_id"] == shared["message_id"]  # the chain's root, as Telegram says
    mark = fake.mark()
    fake.press(reply, _buttons(reply)["Quotes"]["callback_data"], user)
    extra = fake.wait_sent(group["id"], count=2, since=mark)
    assert all(c.ok and "message_thread_id" not in c.params for c in extra)
    assert not [c for c in fake.calls[mark:] if not c.ok]


def test_extra_parts_in_a_forum_topic_stay_in_the_topic(world: World) -> None:
    fake = world.fake
    forum, user = fake.forum(next(_chats), "Forum", topics=(9,)), world.person()
    mark = fake.mark()
    fake.send(fake.message(forum, user, "/summary " + world.pages.url("/long"), thread_id=9))
    reply = fake.answer(forum["id"], since=mark)
    mark = fake.mark()
    fake.press(reply, _buttons(reply)["Quotes"]["callback_data"], user)
    extra = fake.wait_sent(forum["id"], count=2, since=mark)
    assert all(c.ok and int(c.params["message_thread_id"]) == 9 for c in extra)


def test_a_request_deleted_during_a_slow_fetch_still_gets_its_answer(world: World) -> None:
    fake = world.fake
    group, user = world.group(), world.person()
    mark = fake.mark()
    asking = fake.send(fake.message(group, user, "/summary " + world.pages.url("/slow2")))
    time.sleep(0.3)
    fake.delete(asking)
    reply = fake.answer(group["id"], since=mark)
    assert reply.ok and "Elmbridge" in reply.params["text"]
    assert reply.params["reply_parameters"]["allow_sending_without_reply"] is True
    assert "reply_to_message" not in reply.result  # Telegram sends it as a plain message


# --- reactions ---------------------------------------------------------------------------


def test_group_requests_are_acknowledged_with_reactions(world: World) -> None:
    fake = world.fake
    group, user = world.group(), world.person()
    mark = fake.mark()
    asking = fake.send(fake.message(group, user, "/summary " + world.pages.url("/slow")))
    reply = fake.answer(group["id"], since=mark)

    def both(calls: list[Call]) -> list[Call] | None:
        found = [
            c
            for c in calls
            if c.method == "setMessageReaction" and int(c.params["message_id"]) == asking["message_id"]
        ]
        return found if len(found) >= 2 else None

    reactions = fake.wait_for(both, since=mark)  # 👍 follows the answer
    calls = fake.calls[mark:]
    assert [r.params["reaction"][0]["emoji"] for r in reactions] == ["👀", "👍"]
    assert all(r.ok and int(r.params["message_id"]) == asking["message_id"] for r in reactions)
    assert calls.index(reactions[0]) < calls.index(reply) < calls.index(reactions[1])
    assert fake.reactions[(group["id"], asking["message_id"])] == ["👍"]
    assert not [c for c in calls if c.method == "sendChatAction"]  # no typing, no placeholder
    assert reply.params["text"] != "Reading…"
    mark = fake.mark()
    failing = fake.send(fake.message(group, user, "/summary " + world.pages.url("/stuck")))
    answer = fake.answer(group["id"], since=mark, timeout=15)
    assert answer.params["text"] == "The page took too long to load."
    fake.wait_for(
        lambda calls: fake.reactions.get((group["id"], failing["message_id"])) == ["🤷"], since=mark
    )


def test_where_reactions_are_off_the_placeholder_is_used(world: World) -> None:
    fake = world.fake
    group, user = world.group(), world.person()
    fake.available_reactions[group["id"]] = set()  # the admins turned reactions off
    mark = fake.mark()
    fake.send(fake.message(group, user, "/summary " + world.pages.url("/slow3")))
    placeholder = fake.wait_sent(group["id"], since=mark)[0]
    assert placeholder.params["text"] == "Reading…"
    tried = [c for c in fake.calls_of("setMessageReaction", mark) if int(c.params["chat_id"]) == group["id"]]
    assert [c.error for c in tried] == ["Bad Request: REACTION_INVALID"]
    assert "Elmbridge" in fake.answer(group["id"], since=mark).params["text"]
    mark = fake.mark()
    fake.send(fake.message(group, user, "/summary " + world.pages.url("/stuck") + "?again"))
    fake.answer(group["id"], since=mark, timeout=15)
    again = [c for c in fake.calls_of("setMessageReaction", mark) if int(c.params["chat_id"]) == group["id"]]
    assert again == []  # remembered: not tried again


# --- deep links and Share ---------------------------------------------------------------


def test_deep_links_add_to_group_and_open_in_private(world: World) -> None:
    fake = world.fake
    user = world.person()
    mark = fake.mark()
    fake.send(fake.message(fake.private_chat(user), user, "/start"))
    welcome = fake.answer(user["id"], since=mark)
    add = _buttons(welcome)["Add me to a group"]["url"]
    assert add == f"https://t.me/{BOT_USERNAME}?startgroup=add"
    group = world.group()
    mark = fake.mark()
    fake.open_link(add, user, group)
    assert "/summary" in fake.answer(group["id"], since=mark).params["text"]
    mark = fake.mark()
    fake.send(fake.message(group, user, "/summary " + world.pages.url("/library")))
    in_group = fake.answer(group["id"], since=mark)
    private = _buttons(in_group)["Open in private"]["url"]
    assert private.startswith(f"https://t.me/{BOT_USERNAME}?start=u")
    mark = fake.mark()
    fake.open_link(private, user)
    opened = fake.answer(user["id"], since=mark)
    assert opened.params["text"] == in_group.params["text"]
    assert "web_app" in _buttons(opened)["Read"] and "Open in private" not in _buttons(opened)
    mark = fake.mark()
    fake.open_link(f"https://t.me/{BOT_USERNAME}?start=bad%20payload!", user)  # Telegram drops it
    assert "key points" in fake.answer(user["id"], since=mark).params["text"]


def test_share_button_offers_the_summary_inline(world: World) -> None:
    fake = world.fake
    user = world.person()
    url = world.pages.url("/library")
    mark = fake.mark()
    fake.send(fake.message(fake.private_chat(user), user, url))
    reply = fake.answer(user["id"], since=mark)
    share = _buttons(reply)["Share"]["switch_inline_query_chosen_chat"]
    assert share["query"] == url and share["allow_group_chats"] and share["allow_user_chats"]
    mark = fake.mark()
    fake.inline(user, share["query"])  # what tapping Share types after @bot in the chosen chat
    answer = fake.wait_for(lambda calls: [c for c in calls if c.method == "answerInlineQuery"], since=mark)[0]
    assert answer.ok
    buttons = _buttons(answer.params["results"][0])
    assert "url" in buttons["Read"] and "Open in private" in buttons  # no Mini App outside private chats


# --- the reader page, Retry, Report ---------------------------------------------------------


def test_read_button_opens_the_reader_page(world: World) -> None:
    fake = world.fake
    user, group = world.person(), world.group()
    mark = fake.mark()
    fake.send(fake.message(fake.private_chat(user), user, world.pages.url("/hostile")))
    reply = fake.answer(user["id"], since=mark)
    private_read = _buttons(reply)["Read"]["web_app"]["url"]
    mark = fake.mark()
    fake.send(fake.message(group, user, "/summary " + world.pages.url("/hostile")))
    group_read = _buttons(fake.answer(group["id"], since=mark))["Read"]["url"]
    assert private_read == group_read  # one page per digest
    token = private_read.rsplit("/", 1)[1]
    assert len(token) >= 22  # 128 bits, URL-safe base64
    status, headers, body = _get(world.local(private_read))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'sha256-" in policy and "unsafe" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "no-referrer"
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body
    assert body.count("<script>") == 1  # ours, allowed by its hash
    assert 'data-point="0"' in body and "Priya Shah" in body
    assert _get(world.local(PUBLIC_URL + "/r/" + "A" * 22))[0] == 404
    assert _get(f"http://127.0.0.1:{world.reader_port}/")[0] == 404


def test_retry_fetches_the_page_again(world: World) -> None:
    fake = world.fake
    user = world.person()
    mark = fake.mark()
    fake.send(fake.message(fake.private_chat(user), user, world.pages.url("/changing")))
    reply = fake.answer(user["id"], since=mark)
    assert "First version" in reply.params["text"]
    hits = world.page_hits("/changing")
    world.pages.pages["/changing"] = Page(article_html("Second version of the story", LIBRARY_PARAGRAPHS))
    mark = fake.mark()
    fake.press(reply, _buttons(reply)["Retry"]["callback_data"], user)
    edit = _edits(world, mark)[0]
    assert edit.ok and "Second version" in edit.params["text"]
    assert world.page_hits("/changing") == hits + 1
    mark = fake.mark()
    fake.send(fake.message(fake.private_chat(user), user, world.pages.url("/changing")))
    assert "Second version" in fake.answer(user["id"], since=mark).params["text"]  # the cache has it


def test_report_is_kept_for_the_operator(world: World) -> None:
    fake = world.fake
    user = world.person()
    mark = fake.mark()
    fake.send(fake.message(fake.private_chat(user), user, world.pages.url("/library")))
    reply = fake.answer(user["id"], since=mark)
    key = _buttons(reply)["Report"]["callback_data"].split("|")[1]
    mark = fake.mark()
    fake.press(reply, _buttons(reply)["Report"]["callback_data"], user)
    reasons = _edits(world, mark, "editMessageReplyMarkup")[0]
    assert {"Wrong points", "Wrong speaker", "Garbled text", "Other", "Back"} == set(_buttons(reasons))
    mark = fake.mark()
    fake.press(reply, _buttons(reasons)["Wrong speaker"]["callback_data"], user)
    thanks = fake.wait_for(lambda calls: [c for c in calls if c.method == "answerCallbackQuery"], since=mark)[
        0
    ]
    assert thanks.params["text"] == "Thank you: reported to the operator."
    restored = _edits(world, mark, "editMessageReplyMarkup")[0]
    assert "Report" in _buttons(restored) and "More" in _buttons(restored)
    mark = fake.mark()
    fake.send(fake.message(fake.private_chat(user), user, "/reports"))
    assert "operator" in fake.answer(user["id"], since=mark).params["text"]
    operator = fake.user(OPERATOR, "Op")
    mark = fake.mark()
    fake.send(fake.message(fake.private_chat(operator), operator, "/reports"))
    listing = fake.answer(OPERATOR, since=mark).params["text"]
    assert key in listing and "speaker" in listing and world.pages.url("/library") in listing
