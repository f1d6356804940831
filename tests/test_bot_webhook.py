"""End to end in webhook mode, after a restart: old buttons still work, the secret is checked,
allowlists hold, and the heartbeat keeps ``keypoint health`` happy."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import Settings
from bot.telegram.health import check_health
from tests.support.bot_articles import library_page
from tests.support.bot_harness import bot_settings, free_port, running_bot
from tests.support.fake_telegram import Call, FakeTelegram
from tests.support.pages import Page, PageServer

SECRET = "webhook-Secret_42"
OWNER, FRIEND, STRANGER = 301, 302, 303


@dataclass
class Webhooked:
    fake: FakeTelegram
    pages: PageServer
    old_reply: Call  # sent by the polling bot before the restart
    hook_url: str
    settings_heartbeat: Path
    settings: Settings


def _buttons(call: Call) -> dict[str, str]:
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b.get("callback_data", "") for row in rows for b in row}


@pytest.fixture(scope="module")
def hooked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Webhooked]:
    fake = FakeTelegram()
    fake.start()
    pages = PageServer()
    pages.start()
    pages.pages["/library"] = Page(library_page())
    folder = tmp_path_factory.mktemp("webhook")
    db = folder / "bot.sqlite3"
    owner = fake.user(OWNER)
    try:
        with running_bot(fake, bot_settings(fake, db)):
            mark = fake.mark()
            fake.send(fake.message(fake.private_chat(owner), owner, pages.url("/library")))
            old_reply = fake.answer(OWNER, since=mark)
        port = free_port()
        hook_url = f"http://127.0.0.1:{port}/hook"
        settings = bot_settings(
            fake,
            db,
            mode="webhook",
            webhook_url=hook_url,
            webhook_listen="127.0.0.1",
            webhook_port=port,
            webhook_path="hook",
            webhook_secret=SECRET,
            allowed_user_ids=[OWNER, FRIEND],
            heartbeat_path=folder / "heartbeat",
        )
        with running_bot(fake, settings):
            yield Webhooked(fake, pages, old_reply, hook_url, folder / "heartbeat", settings)
    finally:
        pages.stop()
        fake.stop()


def test_webhook_is_registered_with_the_secret(hooked: Webhooked) -> None:
    registered = hooked.fake.calls_of("setWebhook")[-1]
    assert registered.params["url"] == hooked.hook_url
    assert registered.params["secret_token"] == SECRET


def test_buttons_from_before_the_restart_still_work(hooked: Webhooked) -> None:
    fake = hooked.fake
    hits = len(hooked.pages.requests)
    mark = fake.mark()
    fake.press(hooked.old_reply, _buttons(hooked.old_reply)["More"], fake.user(OWNER))
    edit = fake.wait_for(lambda calls: [c for c in calls if c.method == "editMessageText"], since=mark)[0]
    assert edit.ok and int(edit.params["message_id"]) == hooked.old_reply.result["message_id"]
    assert edit.params["text"].count("\n• ") > hooked.old_reply.params["text"].count("\n• ")
    assert len(hooked.pages.requests) == hits  # re-rendered from storage, nothing fetched


def test_new_messages_arrive_through_the_webhook(hooked: Webhooked) -> None:
    fake = hooked.fake
    friend = fake.user(FRIEND, language="zh")
    mark = fake.mark()
    fake.send(fake.message(fake.private_chat(friend), friend, "你好"))
    assert "请发给我文章链接" in fake.answer(FRIEND, since=mark).params["text"]
    assert not fake.calls_of("getUpdates", mark)  # no polling in webhook mode


def test_allowlist_ignores_strangers(hooked: Webhooked) -> None:
    fake = hooked.fake
    stranger = fake.user(STRANGER)
    mark = fake.mark()
    fake.send(fake.message(fake.private_chat(stranger), stranger, hooked.pages.url("/library")))
    fake.inline(stranger, hooked.pages.url("/library"))
    time.sleep(1.0)
    assert not [c for c in fake.calls[mark:] if c.method != "getUpdates"]


def test_wrong_secret_is_refused(hooked: Webhooked) -> None:
    update = {
        "update_id": 999_999,
        "message": {"message_id": 1, "date": 0, "text": "/start", "chat": {"id": OWNER, "type": "private"}},
    }
    request = urllib.request.Request(
        hooked.hook_url,
        data=json.dumps(update).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "wrong"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 403


def test_heartbeat_keeps_the_health_check_green(hooked: Webhooked) -> None:
    assert hooked.settings_heartbeat.exists()
    assert check_health(hooked.settings) == 0
