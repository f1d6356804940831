"""Print a transcript of one private and one group exchange with the real bot.

The bot runs against the fake Bot API server and a local page server; what
follows is read from the fake server's records. Run from the repository root:

    python -m tests.support.bot_transcript
"""

from __future__ import annotations

import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from tests.support.bot_articles import library_page
from tests.support.bot_harness import bot_settings, free_port, running_bot
from tests.support.fake_telegram import BOT_USERNAME, Call, FakeTelegram
from tests.support.pages import Page, serving, slow_page

QUIET = {"getUpdates", "getMe", "deleteWebhook", "setMyCommands", "setMyDescription", "setMyShortDescription"}
PUBLIC_URL = "https://reader.example"


def _button(button: dict[str, Any]) -> str:
    """A button as ``[label]``, with where it leads unless it is a callback."""
    if "web_app" in button:
        return f"[{button['text']} → Mini App {button['web_app']['url']}]"
    if "url" in button:
        return f"[{button['text']} → {button['url']}]"
    if "switch_inline_query_chosen_chat" in button:
        return f"[{button['text']} → @{BOT_USERNAME} {button['switch_inline_query_chosen_chat']['query']}]"
    return f"[{button['text']}]"


def _short(text: str, width: int = 100) -> str:
    lines = text.splitlines()
    shown = lines[:9] + ([f"… ({len(lines) - 9} more lines)"] if len(lines) > 9 else [])
    return "\n".join(textwrap.shorten(line, width, placeholder=" …") if line else "" for line in shown)


def _indent(text: str) -> str:
    return textwrap.indent(text, "      ")


def _update_line(update: dict[str, Any]) -> str:
    if "message" in update:
        message = update["message"]
        who, chat = message["from"]["first_name"], message["chat"]
        where = "private" if chat["type"] == "private" else f"group {chat.get('title')}"
        reply = (
            f" (replying to #{message['reply_to_message']['message_id']})"
            if "reply_to_message" in message
            else ""
        )
        return f"[{where}] {who} #{message['message_id']}{reply}:\n" + _indent(message.get("text", ""))
    if "callback_query" in update:
        query = update["callback_query"]
        return (
            f"[button] {query['from']['first_name']} presses {query['data']!r} "
            f"on #{query['message']['message_id']}"
        )
    return f"[update] {sorted(update)}"


def _call_line(call: Call) -> str:
    params = call.params
    status = "ok" if call.ok else f"ERROR {call.error}"
    if call.method in ("sendMessage", "editMessageText"):
        target = params.get("message_id") or (params.get("reply_parameters") or {}).get("message_id")
        head = f"  bot {call.method} chat={params.get('chat_id')} ref=#{target} → {status}"
        rows = (params.get("reply_markup") or {}).get("inline_keyboard", [])
        buttons = "\n      ".join(" ".join(_button(b) for b in row) for row in rows)
        body = _indent(_short(params.get("text", "")))
        return head + "\n" + body + (f"\n      buttons: {buttons}" if buttons else "")
    if call.method == "setMessageReaction":
        emoji = " ".join(r["emoji"] for r in params.get("reaction") or [])
        return f"  bot reacts {emoji} on #{params.get('message_id')} chat={params.get('chat_id')} → {status}"
    details = {k: v for k, v in params.items() if k in ("chat_id", "action", "text", "url")}
    return f"  bot {call.method} {details} → {status}"


def transcript(fake: FakeTelegram) -> str:
    events: list[tuple[float, str]] = [(at, _update_line(update)) for at, update in fake.injected]
    events += [(call.at, _call_line(call)) for call in fake.calls if call.method not in QUIET]
    return "\n".join(line for _at, line in sorted(events, key=lambda e: e[0]))


def main() -> int:
    fake = FakeTelegram()
    fake.start()
    with serving() as pages, tempfile.TemporaryDirectory() as folder:
        pages.pages["/library"] = Page(library_page())
        pages.pages["/story"] = slow_page(1.5, library_page())  # slow enough to be acknowledged
        url = pages.url("/library?utm_source=newsletter")
        settings = bot_settings(
            fake,
            Path(folder) / "bot.sqlite3",
            log_level="WARNING",
            public_url=PUBLIC_URL,
            reader_listen="127.0.0.1",
            reader_port=free_port(),
        )
        with running_bot(fake, settings):
            ada = fake.user(501, "Ada")
            chat = fake.private_chat(ada)
            mark = fake.mark()
            fake.send(fake.message(chat, ada, "/start"))
            fake.wait_sent(ada["id"], since=mark)
            mark = fake.mark()
            fake.send(fake.message(chat, ada, f"What does this say? {url}"))
            reply = fake.answer(ada["id"], since=mark)
            mark = fake.mark()
            more = next(
                b["callback_data"]
                for row in reply.params["reply_markup"]["inline_keyboard"]
                for b in row
                if b["text"] == "More"
            )
            fake.press(reply, more, ada)
            fake.wait_for(lambda calls: [c for c in calls if c.method == "editMessageText"], since=mark)

            group = fake.group(-100777, "Book club")
            ben = fake.user(502, "Ben")
            mark = fake.mark()
            shared = fake.send(fake.message(group, ben, f"Our library is in the news: {pages.url('/story')}"))
            time.sleep(0.5)  # auto-summary is off by default: the bot stays quiet
            fake.send(fake.message(group, ada, f"/tldr@{BOT_USERNAME}", reply_to=shared))
            fake.wait_sent(group["id"], since=mark, timeout=15)
            time.sleep(0.5)
    fake.stop()
    print(transcript(fake))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
