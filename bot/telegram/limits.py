"""Per-user and per-chat request limits (sliding one-minute windows, in memory)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import Enum


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

    def __init__(self, user_per_minute: int, chat_per_minute: int, clock: Callable[[], float] = time.monotonic):
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
