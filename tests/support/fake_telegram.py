"""A fake Telegram Bot API server on loopback for end-to-end tests.

Real HTTP: the bot under test talks to it through ``bot_api_url`` exactly as it
would to api.telegram.org. It implements the methods Keypoint calls, validates
the HTML it is sent the way Telegram does (``tests/support/bot_html_check.py``),
answers with Telegram's error JSON when something is invalid, and records every
call. Tests inject updates (messages, edits, button presses, inline queries,
documents); they are served by ``getUpdates`` (long polling) or POSTed to the
bot's webhook with the secret-token header once ``setWebhook`` was called.

It is strict where Telegram is: a ``message_thread_id`` outside a forum topic,
a reply to a deleted message without ``allow_sending_without_reply``, a reaction
the chat does not allow, a ``web_app`` button outside a private chat, an
invalid deep-link payload, and any parameter a method does not take are all
refused with Telegram's error text; ``allowed_updates`` filters what is delivered.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import socket
import struct
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from queue import Queue
from typing import Any
from urllib.parse import parse_qsl, unquote

from telegram.constants import ReactionEmoji

from tests.support.bot_html_check import check_message

BOT_ID = 7000001
BOT_USERNAME = "keypoint_test_bot"
_URL = re.compile(r"https?://[^\s<>\"']+")
# The emoji a bot may react with: Telegram's list for ReactionTypeEmoji, as
# python-telegram-bot keeps it. ✅ and ❌ are not among them.
BOT_REACTIONS = frozenset(emoji.value for emoji in ReactionEmoji)
# Update types Telegram sends when allowed_updates is empty (all but these three).
_OPT_IN_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}
_DEEP_LINK = re.compile(r"https://t\.me/(\w+)\?(start|startgroup)=(.*)")
_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_BUTTON_KINDS = (
    "callback_data",
    "url",
    "web_app",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "login_url",
    "pay",
    "callback_game",
)
_COMMAND_SCOPES = {
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
    "chat",
    "chat_administrators",
    "chat_member",
}
# The parameters each method takes (Bot API 9.x); anything else is refused, so a typo
# or a parameter Telegram does not know fails a test instead of being ignored.
_COMMON = {"business_connection_id"}
_SEND = _COMMON | {
    "chat_id",
    "message_thread_id",
    "direct_messages_topic_id",
    "disable_notification",
    "protect_content",
    "allow_paid_broadcast",
    "message_effect_id",
    "suggested_post_parameters",
    "reply_parameters",
    "reply_markup",
}
_PARAMETERS: dict[str, set[str]] = {
    "getMe": set(),
    "getUpdates": {"offset", "limit", "timeout", "allowed_updates"},
    "setWebhook": {
        "url",
        "certificate",
        "ip_address",
        "max_connections",
        "allowed_updates",
        "drop_pending_updates",
        "secret_token",
    },
    "deleteWebhook": {"drop_pending_updates"},
    "getWebhookInfo": set(),
    "setMyCommands": {"commands", "scope", "language_code"},
    "deleteMyCommands": {"scope", "language_code"},
    "setMyDescription": {"description", "language_code"},
    "setMyShortDescription": {"short_description", "language_code"},
    "sendChatAction": _COMMON | {"chat_id", "message_thread_id", "action"},
    "sendMessage": _SEND | {"text", "parse_mode", "entities", "link_preview_options"},
    "editMessageText": _COMMON
    | {
        "chat_id",
        "message_id",
        "inline_message_id",
        "text",
        "parse_mode",
        "entities",
        "link_preview_options",
        "reply_markup",
    },
    "editMessageReplyMarkup": _COMMON | {"chat_id", "message_id", "inline_message_id", "reply_markup"},
    "setMessageReaction": {"chat_id", "message_id", "reaction", "is_big"},
    "answerCallbackQuery": {"callback_query_id", "text", "show_alert", "url", "cache_time"},
    "answerInlineQuery": {"inline_query_id", "results", "cache_time", "is_personal", "next_offset", "button"},
    "getChatMember": {"chat_id", "user_id"},
    "getChatAdministrators": {"chat_id"},
    "getFile": {"file_id"},
}


@dataclass
class Call:
    """One Bot API request the bot made, and what the fake answered."""

    method: str
    params: dict[str, Any]
    ok: bool
    result: Any = None
    error: str | None = None
    at: float = field(default_factory=time.monotonic)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _entities_for(text: str) -> list[dict[str, Any]]:
    """What Telegram's client would mark: a leading bot command and http(s) URLs (UTF-16 offsets)."""
    found: list[dict[str, Any]] = []
    command = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
    if command:
        found.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group(0))})
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?)")
        found.append({"type": "url", "offset": utf16_len(text[: match.start()]), "length": utf16_len(url)})
    return found


class FakeTelegram:
    """The server plus a small API for tests: inject updates, read the records."""

    def __init__(self, token: str = "123456:TEST-token-for-the-fake-server") -> None:  # noqa: S107  # fake token for the test server
        self.token = token
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # everything the bot sent, as now shown
        self.members: dict[tuple[int, int], str] = {}  # (chat, user) → status; default "member"
        self.files: dict[str, tuple[str, bytes]] = {}
        self.webhook: tuple[str, str | None] | None = None
        self.injected: list[tuple[float, dict[str, Any]]] = []  # (when, update) for transcripts
        self.failures: dict[str, list[int]] = {}  # method → retry_after values to answer with first
        # method → transport faults to suffer first, without handling the call:
        # "500" (an internal error), "reset" (connection reset, no answer),
        # "truncate" (answer cut off mid-body), "hang" (no answer until the client gives up)
        self.faults: dict[str, list[str]] = {}
        self.fault_log: list[tuple[str, str]] = []
        # Webhook delivery: parallel connections, how long one POST may take, and how
        # long Telegram keeps re-posting an update that was not answered 2xx.
        self.webhook_connections = 8
        self.delivery_timeout_seconds = 10.0
        self.delivery_horizon_seconds = 120.0
        self.deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status; 0: no answer)
        self.other_poller = False  # another instance polls the token: getUpdates answers 409
        self.blocked: set[int] = set()  # chats where sendMessage answers 403 (user blocked the bot)
        self.chats: dict[int, dict[str, Any]] = {}  # every chat a builder made, by id
        self.topics: dict[int, set[int]] = {}  # forum chat → its topics' thread ids
        self.existing: set[tuple[int, int]] = set()  # (chat, message) not deleted
        # chat → the emoji its admins allow as reactions (absent: every bot emoji; empty: none)
        self.available_reactions: dict[int, set[str]] = {}
        self.reactions: dict[tuple[int, int], list[str]] = {}  # what the bot reacted with, as now shown
        self.descriptions: dict[tuple[str, str], str] = {}  # (method, language or "") → text
        self.commands: dict[tuple[str, str], list[str]] = {}  # (scope type, language or "") → names
        self.allowed_updates: list[str] = []  # as last set by getUpdates or setWebhook
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        self._deliveries: Queue[dict[str, Any] | None] = Queue()
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]

    # --- lifecycle ----------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def start(self) -> None:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        for _ in range(self.webhook_connections):
            threading.Thread(target=self._deliver_forever, daemon=True).start()

    def stop(self) -> None:
        self._deliveries.put(None)
        with self._lock:
            self._lock.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()

    # --- records ------------------------------------------------------------------

    def calls_of(self, method: str, since: int = 0) -> list[Call]:
        return [c for c in self.calls[since:] if c.method == method]

    def wait_for(self, predicate: Callable[[list[Call]], Any], timeout: float = 10.0, since: int = 0) -> Any:
        """Wait until ``predicate(calls since index)`` is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                value = predicate(list(self.calls[since:]))
            if value:
                return value
            if time.monotonic() > deadline:
                methods = [(c.method, c.error) for c in self.calls[since:]]
                raise AssertionError(f"timed out waiting; calls since {since}: {methods}")
            time.sleep(0.02)

    def wait_sent(self, chat_id: int, count: int = 1, since: int = 0, timeout: float = 10.0) -> list[Call]:
        """The first ``count`` successful sendMessage calls to ``chat_id`` after ``since``."""

        def sent(calls: list[Call]) -> list[Call] | None:
            found = [
                c for c in calls if c.method == "sendMessage" and c.ok and int(c.params["chat_id"]) == chat_id
            ]
            return found[:count] if len(found) >= count else None

        return self.wait_for(sent, timeout, since)

    def answer(
        self,
        chat_id: int,
        since: int = 0,
        timeout: float = 10.0,
        placeholders: tuple[str, ...] = ("Reading…", "正在阅读…"),
    ) -> Call:
        """The bot's first answer in ``chat_id`` after ``since``; when that was a "working"
        placeholder, the edit that replaced it (its result is the final message)."""
        first = self.wait_sent(chat_id, since=since, timeout=timeout)[0]
        if first.params.get("text") not in placeholders:
            return first
        message_id = first.result["message_id"]

        def edited(calls: list[Call]) -> Call | None:
            return next(
                (
                    c
                    for c in calls
                    if c.method == "editMessageText"
                    and c.ok
                    and int(c.params.get("message_id") or 0) == message_id
                ),
                None,
            )

        return self.wait_for(edited, timeout, since)

    def mark(self) -> int:
        """An index into :attr:`calls`: pass it as ``since`` to see only later calls."""
        with self._lock:
            return len(self.calls)

    # --- update builders ----------------------------------------------------------

    @staticmethod
    def user(user_id: int = 501, name: str = "Ada", language: str = "en") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": name, "language_code": language}

    def private_chat(self, user: dict[str, Any]) -> dict[str, Any]:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        self.chats[chat["id"]] = chat
        return chat

    def group(self, chat_id: int = -100500, title: str = "Readers") -> dict[str, Any]:
        """A supergroup without topics: a reply chain there is not a thread one can post to."""
        chat = {"id": chat_id, "type": "supergroup", "title": title}
        self.chats[chat_id] = chat
        return chat

    def forum(self, chat_id: int, title: str, topics: tuple[int, ...]) -> dict[str, Any]:
        """A supergroup with topics (``is_forum``); ``topics`` are their thread ids."""
        chat = {"id": chat_id, "type": "supergroup", "title": title, "is_forum": True}
        self.chats[chat_id] = chat
        self.topics[chat_id] = set(topics)
        return chat

    def message(
        self,
        chat: dict[str, Any],
        user: dict[str, Any],
        text: str | None = None,
        *,
        entities: list[dict[str, Any]] | None = None,
        caption: str | None = None,
        reply_to: dict[str, Any] | None = None,
        document: dict[str, Any] | None = None,
        forwarded_from: dict[str, Any] | None = None,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        """A message as Telegram would deliver it (entities computed unless given)."""
        body: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
        }
        if text is not None:
            body["text"] = text
            body["entities"] = entities if entities is not None else _entities_for(text)
        if caption is not None:
            body["caption"] = caption
            body["caption_entities"] = entities if entities is not None else _entities_for(caption)
        if reply_to is not None:
            body["reply_to_message"] = reply_to
        if document is not None:
            body["document"] = document
        if forwarded_from is not None:
            body["forward_origin"] = {
                "type": "user",
                "date": int(time.time()) - 60,
                "sender_user": forwarded_from,
            }
        thread = self._thread_of(chat, thread_id, reply_to)
        if thread is not None:
            body["message_thread_id"] = thread
            if chat.get("is_forum"):
                body["is_topic_message"] = True
        self.existing.add((int(chat["id"]), int(body["message_id"])))
        return body

    def _thread_of(
        self, chat: dict[str, Any], thread_id: int | None, reply_to: dict[str, Any] | None
    ) -> int | None:
        """The ``message_thread_id`` Telegram gives a message: its topic in a forum; in any
        other supergroup, a reply carries the id of its reply chain's first message."""
        if chat.get("is_forum"):
            if thread_id is not None and thread_id not in self.topics.get(int(chat["id"]), set()):
                raise ValueError(f"no topic {thread_id} in {chat['title']}")
            return thread_id
        if thread_id is not None:
            raise ValueError("only forum messages belong to a topic")
        if chat.get("type") == "supergroup" and reply_to is not None:
            return int(reply_to.get("message_thread_id") or reply_to["message_id"])
        return None

    def delete(self, message: dict[str, Any]) -> None:
        """The user deletes ``message``: replies to it now need ``allow_sending_without_reply``."""
        self.existing.discard((int(message["chat"]["id"]), int(message["message_id"])))

    def open_link(
        self, link: str, user: dict[str, Any], group: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Open a ``t.me`` deep link as Telegram's app does.

        ``?start=P`` sends ``/start P`` in the user's private chat; ``?startgroup=P`` adds the
        bot to ``group`` and sends ``/start@bot P`` there. A payload that is not 1-64 of
        ``A-Za-z0-9_-`` is dropped (Telegram opens the chat with a bare ``/start``); a link
        to another bot raises, because it never reaches this one.
        """
        match = _DEEP_LINK.fullmatch(link)
        if match is None or match.group(1) != BOT_USERNAME:
            raise ValueError(f"not a deep link to this bot: {link}")
        kind, payload = match.group(2), unquote(match.group(3))
        suffix = f" {payload}" if _PAYLOAD.fullmatch(payload) else ""
        if kind == "start":
            return self.send(self.message(self.private_chat(user), user, "/start" + suffix))
        if group is None:
            raise ValueError("?startgroup needs the group the user picks")
        return self.send(self.message(group, user, f"/start@{BOT_USERNAME}" + suffix))

    def send(self, message: dict[str, Any]) -> dict[str, Any]:
        """Deliver ``message`` as a new message update."""
        self.messages.setdefault((int(message["chat"]["id"]), int(message["message_id"])), message)
        self.inject({"message": message})
        return message

    def edit(self, message: dict[str, Any], new_text: str) -> dict[str, Any]:
        """Deliver an ``edited_message`` update for ``message``."""
        edited = dict(message, text=new_text, entities=_entities_for(new_text), edit_date=int(time.time()))
        self.inject({"edited_message": edited})
        return edited

    def document(self, file_name: str, data: bytes, mime_type: str) -> dict[str, Any]:
        """Register a file the bot can download and return its Document object."""
        file_id = f"file-{next(self._ids)}"
        self.files[file_id] = (f"documents/{file_id}-{file_name}", data)
        return {
            "file_id": file_id,
            "file_unique_id": file_id + "u",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data),
        }

    def press(self, sent: Call, data: str, user: dict[str, Any]) -> str:
        """Press the button with callback ``data`` under the message ``sent`` created."""
        message = self.messages[(int(sent.result["chat"]["id"]), int(sent.result["message_id"]))]
        query_id = f"cq-{next(self._ids)}"
        self.inject(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "chat_instance": "ci-1",
                    "message": message,
                    "data": data,
                }
            }
        )
        return query_id

    def press_inline(self, inline_message_id: str, data: str, user: dict[str, Any]) -> str:
        """Press a button under a message that was sent through inline mode."""
        query_id = f"cq-{next(self._ids)}"
        self.inject(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "chat_instance": "ci-2",
                    "inline_message_id": inline_message_id,
                    "data": data,
                }
            }
        )
        return query_id

    def inline(self, user: dict[str, Any], query: str) -> str:
        """Type ``@bot query`` in some chat."""
        query_id = f"iq-{next(self._ids)}"
        self.inject({"inline_query": {"id": query_id, "from": user, "query": query, "offset": ""}})
        return query_id

    def inject(self, update: dict[str, Any]) -> int:
        """Queue one update (or POST it to the webhook when one is set)."""
        with self._lock:
            update = {"update_id": next(self._update_ids), **update}
            self.injected.append((time.monotonic(), update))
            if self.webhook is not None:
                self._deliveries.put(update)
            else:
                self._updates.append(update)
                self._lock.notify_all()
            return update["update_id"]

    def redeliver(self, update_id: int) -> None:
        """Post an injected update to the webhook again, as Telegram does when it
        believes a delivery failed (a slow answer, a reset connection)."""
        with self._lock:
            update = next(u for _, u in self.injected if u["update_id"] == update_id)
            self._deliveries.put(update)

    # --- the Bot API ----------------------------------------------------------------

    def _deliver_forever(self) -> None:
        """One of Telegram's parallel webhook connections: post an update, and when the
        answer is not 2xx (or none comes), post it again later, as Telegram does."""
        while True:
            update = self._deliveries.get()
            if update is None or self.webhook is None:
                self._deliveries.put(None)  # let the other connections stop too
                return
            if not self._wanted(update):
                continue
            url, secret = self.webhook
            request = urllib.request.Request(
                url,
                data=json.dumps(update).encode(),
                method="POST",
                headers={"Content-Type": "application/json"},
            )
            if secret:
                request.add_header("X-Telegram-Bot-Api-Secret-Token", secret)
            deadline = time.monotonic() + self.delivery_horizon_seconds
            pause = 0.1
            while time.monotonic() < deadline and self.webhook is not None:
                try:
                    with urllib.request.urlopen(request, timeout=self.delivery_timeout_seconds) as response:
                        response.read()
                    self.deliveries.append((update["update_id"], response.status))
                    break
                except urllib.error.HTTPError as exc:
                    self.deliveries.append((update["update_id"], exc.code))
                except OSError:  # not listening yet, reset, or no answer in time
                    self.deliveries.append((update["update_id"], 0))
                time.sleep(pause)
                pause = min(pause * 2, 2.0)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                prefix = f"/file/bot{fake.token}/"
                path = unquote(self.path)  # PTB percent-encodes the path (the token's ":")
                if path.startswith(prefix):
                    wanted = path[len(prefix) :]
                    for path, data in fake.files.values():
                        if path == wanted:
                            self._reply(200, data, "application/octet-stream")
                            return
                    self._reply(404, b"not found", "text/plain")
                    return
                self._api()

            def do_POST(self) -> None:
                self._api()

            def _api(self) -> None:
                match = re.fullmatch(r"/bot([^/]+)/(\w+)", self.path.split("?")[0])
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if match is None or match.group(1) != fake.token:
                    self._json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                    return
                fault = fake._take_fault(match.group(2))
                if fault is not None:
                    self._suffer(fault)
                    return
                params = _parse_params(raw, self.headers.get("Content-Type", ""))
                status, body = fake._dispatch(match.group(2), params)
                self._json(status, body)

            def _suffer(self, fault: str) -> None:
                if fault == "500":
                    self._json(500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})
                    return
                if fault == "truncate":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "4096")
                    self.end_headers()
                    self.wfile.write(b'{"ok": true, "res')
                    self.wfile.flush()
                elif fault == "hang":
                    time.sleep(fake.hang_seconds)
                # "reset", and the end of the others: drop the connection with an RST.
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()

            def _json(self, status: int, body: dict[str, Any]) -> None:
                self._reply(status, json.dumps(body).encode(), "application/json")

            def _reply(self, status: int, data: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    hang_seconds = 8.0  # longer than python-telegram-bot's 5 s read timeout

    def _take_fault(self, method: str) -> str | None:
        with self._lock:
            pending = self.faults.get(method)
            if not pending:
                return None
            fault = pending.pop(0)
            self.fault_log.append((method, fault))
            return fault

    def _dispatch(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        retry = self.failures.get(method)
        if retry:
            seconds = retry.pop(0)
            error = f"Too Many Requests: retry after {seconds}"
            self._record(Call(method, params, False, error=error))
            return 429, {
                "ok": False,
                "error_code": 429,
                "description": error,
                "parameters": {"retry_after": seconds},
            }
        unknown = sorted(set(params) - _PARAMETERS.get(method, set(params)))
        if unknown:
            error = f"Bad Request: unexpected parameter {unknown[0]}"
            self._record(Call(method, params, False, error=error))
            return 400, {"ok": False, "error_code": 400, "description": error}
        if method == "getUpdates":
            if self.other_poller:
                error = (
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running"
                )
                self._record(Call(method, params, False, error=error))
                return 409, {"ok": False, "error_code": 409, "description": error}
            return 200, {"ok": True, "result": self._get_updates(params)}
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            error = "Not Found: method not found"
            self._record(Call(method, params, False, error=error))
            return 404, {"ok": False, "error_code": 404, "description": error}
        try:
            result = handler(params)
        except _ApiError as exc:
            self._record(Call(method, params, False, error=exc.description))
            return exc.code, {"ok": False, "error_code": exc.code, "description": exc.description}
        self._record(Call(method, params, True, result=result))
        return 200, {"ok": True, "result": result}

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    def _wanted(self, update: dict[str, Any]) -> bool:
        """Whether ``allowed_updates`` lets ``update`` through (as Telegram filters it)."""
        kinds = set(update) - {"update_id"}
        if self.allowed_updates:
            return bool(kinds & set(self.allowed_updates))
        return not kinds & _OPT_IN_UPDATES

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        with self._lock:
            if "allowed_updates" in params:
                self.allowed_updates = list(params["allowed_updates"] or [])
            # Telegram forgets updates below the offset once it is confirmed, and never
            # sends those allowed_updates leaves out.
            self._updates = [u for u in self._updates if u["update_id"] >= offset and self._wanted(u)]
            while not self._updates and self.webhook is None and time.monotonic() < deadline:
                self._lock.wait(min(0.5, max(0.0, deadline - time.monotonic())))
                self._updates = [u for u in self._updates if self._wanted(u)]
            batch = list(self._updates[: int(params.get("limit") or 100)])
            self.calls.append(Call("getUpdates", params, True, result=[u["update_id"] for u in batch]))
        return batch

    # Each _m_<method> returns the result or raises _ApiError.

    inline_mode = True  # BotFather's /setinline; without it Share buttons are refused

    def _m_getMe(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Keypoint",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": self.inline_mode,
        }

    def _m_deleteWebhook(self, _params: dict[str, Any]) -> bool:
        with self._lock:
            self.webhook = None
        return True

    def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        url = params.get("url") or ""
        if not url:
            return self._m_deleteWebhook(params)
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise _ApiError("Bad Request: secret token contains unallowed characters")
        with self._lock:
            self.webhook = (url, secret)
            if "allowed_updates" in params:
                self.allowed_updates = list(params["allowed_updates"] or [])
            pending, self._updates = self._updates, []
            for update in pending:
                self._deliveries.put(update)
            self._lock.notify_all()
        return True

    def _m_getWebhookInfo(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook[0] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands") or []
        if len(commands) > 100:
            raise _ApiError("Bad Request: too many commands")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise _ApiError("Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise _ApiError("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = (params.get("scope") or {"type": "default"}).get("type")
        if scope not in _COMMAND_SCOPES:
            raise _ApiError("Bad Request: wrong parameter scope in request")
        language = _language_code(params)
        self.commands[(scope, language)] = [c["command"] for c in commands]
        return True

    def _m_setMyDescription(self, params: dict[str, Any]) -> bool:
        return self._describe("setMyDescription", params.get("description") or "", 512, params)

    def _m_setMyShortDescription(self, params: dict[str, Any]) -> bool:
        return self._describe("setMyShortDescription", params.get("short_description") or "", 120, params)

    def _describe(self, method: str, description: str, limit: int, params: dict[str, Any]) -> bool:
        if len(description) > limit:
            raise _ApiError("Bad Request: description is too long")
        self.descriptions[(method, _language_code(params))] = description
        return True

    def _m_setMessageReaction(self, params: dict[str, Any]) -> bool:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        if (chat_id, message_id) not in self.existing:
            raise _ApiError("Bad Request: message to react not found")
        reaction = params.get("reaction") or []
        if len(reaction) > 1:
            raise _ApiError("Bad Request: REACTIONS_TOO_MANY")  # bots set at most one
        allowed = self.available_reactions.get(chat_id, BOT_REACTIONS)
        for item in reaction:
            if item.get("type") != "emoji" or item.get("emoji") not in BOT_REACTIONS & allowed:
                raise _ApiError("Bad Request: REACTION_INVALID")
        self.reactions[(chat_id, message_id)] = [item["emoji"] for item in reaction]
        return True

    def _m_sendChatAction(self, params: dict[str, Any]) -> bool:
        if params.get("action") not in {"typing", "upload_document", "find_location"}:
            raise _ApiError("Bad Request: wrong parameter action in request")
        return True

    def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            raise _ApiError("Forbidden: bot was blocked by the user", 403)
        text = params.get("text") or ""
        _validate_text(text, params.get("parse_mode"))
        chat = self.chats.get(chat_id) or {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        _validate_markup(params.get("reply_markup"), private=chat["type"] == "private")
        reply = params.get("reply_parameters") or {}
        thread = int(params["message_thread_id"]) if params.get("message_thread_id") else None
        if thread is not None and thread not in self.topics.get(chat_id, set()):
            raise _ApiError("Bad Request: message thread not found")
        if reply.get("message_id") and (chat_id, int(reply["message_id"])) not in self.existing:
            if not reply.get("allow_sending_without_reply"):
                raise _ApiError("Bad Request: message to be replied not found")
            reply = {}
        message_id = next(self._message_ids)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": self._m_getMe({}),
            "text": text,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        replied = self.messages.get((chat_id, int(reply.get("message_id") or 0)))
        if reply.get("message_id"):
            message["reply_to_message"] = replied or {
                "message_id": int(reply["message_id"]),
                "date": 0,
                "chat": chat,
            }
        if thread is not None:
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
        elif chat["type"] == "supergroup" and reply.get("message_id"):
            # Like any reply in a supergroup, the bot's reply joins its reply chain.
            root = (replied or {}).get("message_thread_id") or int(reply["message_id"])
            message["message_thread_id"] = int(root)
        self.messages[(chat_id, message_id)] = message
        self.existing.add((chat_id, message_id))
        return message

    def _m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        text = params.get("text") or ""
        _validate_text(text, params.get("parse_mode"))
        inline = bool(params.get("inline_message_id"))
        private = not inline and int(params.get("chat_id") or 0) > 0
        _validate_markup(params.get("reply_markup"), private=private)
        if inline:
            return True
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            raise _ApiError("Bad Request: message to edit not found")
        if message.get("text") == text and message.get("reply_markup") == params.get("reply_markup"):
            raise _ApiError(
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message"
            )
        message = dict(message, text=text, edit_date=int(time.time()))
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[key] = message
        return message

    def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        inline = bool(params.get("inline_message_id"))
        _validate_markup(
            params.get("reply_markup"), private=not inline and int(params.get("chat_id") or 0) > 0
        )
        if inline:
            return True
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            raise _ApiError("Bad Request: message to edit not found")
        if message.get("reply_markup") == params.get("reply_markup"):
            raise _ApiError("Bad Request: message is not modified")
        message = dict(message, edit_date=int(time.time()))
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[key] = message
        return message

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if len(params.get("text") or "") > 200:
            raise _ApiError("Bad Request: MESSAGE_TOO_LONG")
        return True

    def _m_answerInlineQuery(self, params: dict[str, Any]) -> bool:
        results = params.get("results") or []
        if len(results) > 50:
            raise _ApiError("Bad Request: RESULTS_TOO_MUCH")
        for result in results:
            if len(result.get("id", "").encode()) > 64:
                raise _ApiError("Bad Request: RESULT_ID_INVALID")
            content = result.get("input_message_content") or {}
            _validate_text(content.get("message_text") or "", content.get("parse_mode"))
            _validate_markup(result.get("reply_markup"), private=False)  # sent to any chat
        return True

    def _m_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = int(params["user_id"])
        status = self.members.get((int(params["chat_id"]), user_id), "member")
        member: dict[str, Any] = {
            "status": status,
            "user": {"id": user_id, "is_bot": False, "first_name": "U"},
        }
        if status == "administrator":
            member.update(
                can_be_edited=False,
                can_manage_chat=True,
                can_change_info=True,
                can_delete_messages=True,
                can_invite_users=True,
                can_restrict_members=True,
                can_pin_messages=True,
                can_promote_members=False,
                is_anonymous=False,
                can_manage_video_chats=True,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
            )
        elif status == "creator":
            member.update(is_anonymous=False)
        return member

    def _m_getChatAdministrators(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        chat_id = int(params["chat_id"])
        return [
            self._m_getChatMember({"chat_id": chat_id, "user_id": user})
            for (chat, user), status in self.members.items()
            if chat == chat_id and status in ("administrator", "creator")
        ]

    def _m_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        entry = self.files.get(params.get("file_id", ""))
        if entry is None:
            raise _ApiError("Bad Request: invalid file_id")
        path, data = entry
        return {
            "file_id": params["file_id"],
            "file_unique_id": params["file_id"] + "u",
            "file_size": len(data),
            "file_path": path,
        }


class _QuietServer(ThreadingHTTPServer):
    """Clients hanging up mid-long-poll at shutdown is normal, not worth a traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class _ApiError(Exception):
    def __init__(self, description: str, code: int = 400) -> None:
        super().__init__(description)
        self.description = description
        self.code = code


def _validate_text(text: str, parse_mode: str | None) -> None:
    problem = check_message(text, parse_mode)
    if problem is not None:
        raise _ApiError(problem)


def _language_code(params: dict[str, Any]) -> str:
    language = params.get("language_code") or ""
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise _ApiError("Bad Request: LANG_CODE_INVALID")
    return language


def _validate_markup(markup: dict[str, Any] | None, *, private: bool) -> None:
    """Telegram's checks on inline buttons; ``private``: the message is in a private chat
    (``web_app`` buttons work only there, not in groups or in messages sent inline)."""
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise _ApiError("Bad Request: BUTTON_TEXT_INVALID")
            kinds = [kind for kind in _BUTTON_KINDS if kind in button]
            if len(kinds) != 1:
                raise _ApiError("Bad Request: BUTTON_TYPE_INVALID")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                raise _ApiError("Bad Request: BUTTON_DATA_INVALID")
            url = button.get("url") or (button.get("web_app") or {}).get("url")
            if "url" in button and not re.match(r"(https?|tg)://[^\s]+$", url or ""):
                raise _ApiError("Bad Request: BUTTON_URL_INVALID")
            if "web_app" in button:
                if not private:
                    raise _ApiError("Bad Request: BUTTON_TYPE_INVALID")
                if not (url or "").startswith("https://"):
                    raise _ApiError("Bad Request: BUTTON_URL_INVALID")  # Mini Apps need HTTPS
            chosen = button.get("switch_inline_query_chosen_chat")
            if chosen is not None and not any(
                chosen.get(k)
                for k in ("allow_user_chats", "allow_bot_chats", "allow_group_chats", "allow_channel_chats")
            ):
                raise _ApiError("Bad Request: BUTTON_TYPE_INVALID")


_JSON_FIELDS = {
    "reply_markup",
    "reply_parameters",
    "link_preview_options",
    "results",
    "commands",
    "entities",
    "allowed_updates",
    "button",
    "scope",
    "reaction",
}


def _parse_params(raw: bytes, content_type: str) -> dict[str, Any]:
    """Form or JSON bodies; the fields that carry objects or lists are JSON-decoded."""
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(raw)
    params: dict[str, Any] = {}
    for key, value in parse_qsl(raw.decode("utf-8"), keep_blank_values=True):
        if key in _JSON_FIELDS:
            try:
                params[key] = json.loads(value)
                continue
            except ValueError:
                pass
        params[key] = value
    return params


@contextmanager
def fake_telegram() -> Iterator[FakeTelegram]:
    server = FakeTelegram()
    server.start()
    try:
        yield server
    finally:
        server.stop()
