"""Per-user and per-chat request limits (sliding one-minute windows, in memory),
and the outgoing rate limiters: in this process, or shared by replicas."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from enum import Enum
from typing import Any, Protocol

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter

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


class SendBudget(Protocol):
    """Where messages wait for their turn when several replicas share one token."""

    async def wait_to_send(self, chat_id: int | str | None) -> None: ...

    async def pause_sending(self, seconds: float) -> None: ...


# Messages a chat sees are what Telegram's flood limits count; other calls are not.
_MESSAGE_PREFIXES = ("send", "edit", "copy", "forward")
TRANSIENT_ATTEMPTS = 3
BACKOFF_SECONDS = 0.5


def counts_as_message(endpoint: str) -> bool:
    return endpoint.startswith(_MESSAGE_PREFIXES) and endpoint != "sendChatAction"


async def riding_out_faults(endpoint: str, send: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """``send()``, retried on 5xx answers, resets and timeouts, with a short backoff.

    A 5xx answer, a reset or a timeout would otherwise lose the user's summary.
    A timed-out send may in rare cases have reached Telegram before the
    connection failed; a duplicate message is the lesser harm than none.
    """
    for attempt in range(TRANSIENT_ATTEMPTS):
        try:
            return await send()
        except BadRequest:
            raise  # our request was wrong: sending it again will not help
        except NetworkError as exc:  # includes TimedOut and 5xx answers
            if attempt + 1 == TRANSIENT_ATTEMPTS:
                raise
            log.warning("%s failed (%s); retrying", endpoint, exc)
            await asyncio.sleep(BACKOFF_SECONDS * (attempt + 1))
    raise AssertionError("unreachable")


async def _chat_action(callback: Callable[..., Coroutine[Any, Any, Any]], args: Any, kwargs: Any) -> Any:
    # A chat action is cosmetic: it goes out unthrottled, and a refusal is dropped.
    try:
        return await callback(*args, **kwargs)
    except (RetryAfter, NetworkError):
        return False


class MessageRateLimiter(AIORateLimiter):
    """``AIORateLimiter`` that spends Telegram's budget on messages and rides out faults.

    PTB's limiter counts every request that names a chat, so each summary made
    at a busy moment costs two slots (the chat action and the answer) and a bot
    at the 30 messages/s ceiling could only answer 15 a second. Telegram's
    flood limits are about messages; a chat action is cosmetic, so it goes out
    unthrottled and a refusal of it is dropped rather than retried.

    PTB retries only ``RetryAfter``; other faults are ridden out by
    :func:`riding_out_faults`.
    """

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
            return await _chat_action(callback, args, kwargs)
        parent = super().process_request
        if endpoint == "getUpdates":  # the updater has its own retry loop
            return await parent(callback, args, kwargs, endpoint, data, rate_limit_args)
        return await riding_out_faults(
            endpoint, lambda: parent(callback, args, kwargs, endpoint, data, rate_limit_args)
        )


class SharedRateLimiter(BaseRateLimiter[int]):
    """The outgoing budget of several replicas, spent together (see ``SendBudget``).

    Messages wait for their slot rather than being dropped; a 429 pauses every
    replica for its ``retry_after`` and the message is sent again. Faults are
    ridden out as in :class:`MessageRateLimiter`.
    """

    def __init__(self, budget: SendBudget, max_retries: int = 3) -> None:
        self._budget = budget
        self._max_retries = max_retries

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

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
            return await _chat_action(callback, args, kwargs)
        if not counts_as_message(endpoint):
            return await callback(*args, **kwargs)

        async def send() -> Any:
            for attempt in range(self._max_retries + 1):
                await self._budget.wait_to_send(data.get("chat_id"))
                try:
                    return await callback(*args, **kwargs)
                except RetryAfter as exc:
                    if attempt == self._max_retries:
                        raise
                    wait = exc.retry_after
                    seconds = wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
                    log.warning("%s: Telegram asks every replica to wait %.0f s", endpoint, seconds)
                    await self._budget.pause_sending(seconds)
            raise AssertionError("unreachable")

        return await riding_out_faults(endpoint, send)
