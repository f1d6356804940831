"""Per-user and per-chat request limits (sliding one-minute windows, in memory),
and the outgoing rate limiter."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from enum import Enum
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)


class Verdict(Enum):
    ALLOW = "allow"
    REFUSE_AND_TELL = "tell"  # first refusal in a window: say so politely
    REFUSE_QUIETLY = "quiet"  # later refusals: stay silent rather than flood the chat


class SlidingWindow:
    """At most ``per_minute`` events per key in any 60-second window."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = per_minute
        self._clock = clock
        self._events: dict[object, deque[float]] = {}

    def hit(self, key: object) -> bool:
        """Record one event for ``key``; False (and nothing recorded) when over the limit."""
        if self._limit <= 0:
            return True
        now = self._clock()
        events = self._events.setdefault(key, deque())
        while events and now - events[0] >= 60.0:
            events.popleft()
        if len(events) >= self._limit:
            return False
        events.append(now)
        if len(self._events) > 50_000:  # forget idle keys so memory stays bounded
            self._events = {k: v for k, v in self._events.items() if v and now - v[-1] < 60.0}
        return True


class RequestLimits:
    """The user limit and the chat limit together, plus who was already told."""

    def __init__(
        self, user_per_minute: int, chat_per_minute: int, clock: Callable[[], float] = time.monotonic
    ):
        self._users = SlidingWindow(user_per_minute, clock)
        self._chats = SlidingWindow(chat_per_minute, clock)
        self._told: dict[tuple[int, int], float] = {}
        self._clock = clock

    def check(self, user_id: int, chat_id: int) -> Verdict:
        """May ``user_id`` ask for one more summary in ``chat_id`` now?"""
        if self._users.hit(("u", user_id)) and self._chats.hit(("c", chat_id)):
            return Verdict.ALLOW
        now = self._clock()
        key = (user_id, chat_id)
        if now - self._told.get(key, -1e9) < 60.0:
            return Verdict.REFUSE_QUIETLY
        self._told[key] = now
        return Verdict.REFUSE_AND_TELL


class MessageRateLimiter(AIORateLimiter):
    """``AIORateLimiter`` that spends Telegram's budget on messages and rides out faults.

    PTB's limiter counts every request that names a chat, so each summary made
    at a busy moment costs two slots (the chat action and the answer) and a bot
    at the 30 messages/s ceiling could only answer 15 a second. Telegram's
    flood limits are about messages; a chat action is cosmetic, so it goes out
    unthrottled and a refusal of it is dropped rather than retried.

    PTB retries only ``RetryAfter``. A 5xx answer, a reset or a timeout would
    lose the user's summary, so those are retried too, with a short backoff.
    A timed-out send may in rare cases have reached Telegram before the
    connection failed; a duplicate message is the lesser harm than none.
    """

    transient_attempts = 3
    backoff_seconds = 0.5

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        if endpoint == "sendChatAction":
            try:
                return await callback(*args, **kwargs)
            except (RetryAfter, NetworkError):
                return False
        if endpoint == "getUpdates":  # the updater has its own retry loop
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        for attempt in range(self.transient_attempts):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except BadRequest:
                raise  # our request was wrong: sending it again will not help
            except NetworkError as exc:  # includes TimedOut and 5xx answers
                if attempt + 1 == self.transient_attempts:
                    raise
                log.warning("%s failed (%s); retrying", endpoint, exc)
                await asyncio.sleep(self.backoff_seconds * (attempt + 1))
        raise AssertionError("unreachable")
