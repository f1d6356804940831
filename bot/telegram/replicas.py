"""What replicas of the bot share: one process alone, or several through Redis.

:class:`Coordination` is the bot layer's single view of it. ``LocalCoordination``
keeps everything in this process (the default: one process, nothing to
install); ``RedisCoordination`` (``KEYPOINT_REDIS_URL``) shares it, so that
behind a load balancer:

- an update Telegram delivers twice (to two replicas) is handled once;
- a link asked for on two replicas at once is fetched once: the second waits
  for the first's digest in the shared storage;
- the per-user and per-chat request limits count requests on every replica;
- the outgoing budget (30 messages/s per token, 20/min per group, 1/s per chat)
  is spent by all replicas together, and a 429 ``retry_after`` pauses them all;
- only one instance long-polls with a token.

The request limits are ``limits`` moving windows (a well-kept library); the
outgoing budget is one short Lua script, because a message needs a slot in up to
three windows at once and ``limits`` takes them one by one (see ``_TAKE_SLOTS``).
Locks are redis-py's ``Lock``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from enum import Enum
from typing import Protocol

import redis.asyncio as aioredis
from limits import RateLimitItem, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.exceptions import LockError

from bot.telegram.limits import RequestLimits, Verdict

log = logging.getLogger(__name__)

UPDATE_MEMORY_SECONDS = 86_400  # longer than Telegram retries a delivery; shorter than ids take to repeat
# A webhook update's claim lapses this long after its replica stops renewing it: how
# soon another replica may take over the updates of one that was killed. Renewed every
# CLAIM_RENEW_SECONDS while handlers run, so a replica whose event loop is starved of
# CPU for up to 25 s keeps its claim (a lapsed claim of a live replica would let a
# second replica answer the same update).
CLAIM_SECONDS = 30.0
CLAIM_RENEW_SECONDS = 5.0
POLLER_CLAIM_SECONDS = 30.0
# Telegram's published limits for one bot token.
PER_TOKEN = RateLimitItemPerSecond(30)
PER_GROUP = RateLimitItemPerMinute(20)
PER_CHAT = RateLimitItemPerSecond(1)
# Slots are taken on Redis's clock but counted by Telegram on arrival: two messages a
# window apart here can arrive closer together by the difference in their delays. Each
# window is held this much longer, so delays that differ by up to this still land apart.
SEND_JITTER_MS = 50


# One slot in every window a message needs, or none: checked and taken in one step.
# 'limits' hits one window at a time, so a message that got the token's slot but not
# the chat's would spend the first for nothing; under contention (a busy group on
# several replicas) the losers burned the group's 20 a minute and starved it.
# Moving windows as sorted sets of send times, on Redis's clock (one for all replicas).
# KEYS: the windows; ARGV: a unique member, then each window's limit, then its span (ms).
# Returns 0 when the slots are taken, else how many ms until all could be.
_TAKE_SLOTS = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local n = #KEYS
local wait = 0
for i = 1, n do
  local limit = tonumber(ARGV[1 + i])
  local span = tonumber(ARGV[1 + n + i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - span)
  local count = redis.call('ZCARD', KEYS[i])
  if count >= limit then
    local freeing = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
    wait = math.max(wait, tonumber(freeing[2]) + span - now, 1)
  end
end
if wait > 0 then
  return wait
end
for i = 1, n do
  redis.call('ZADD', KEYS[i], now, now .. ':' .. ARGV[1])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[1 + n + i]))
end
return 0
"""


# Compare-and-renew and compare-and-delete of a claim: a plain SET XX or GET-then-DEL
# could act on a claim another replica took after ours lapsed.
_RENEW_IF_MINE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_DELETE_IF_MINE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class Claim(Enum):
    MINE = "mine"  # handle it now
    BUSY = "busy"  # being handled elsewhere: ask Telegram to send it again later
    DONE = "done"  # handled already: answer 200 and nothing else


class AnotherPollerError(RuntimeError):
    """Another instance long-polls with this token (Telegram allows one)."""


class Coordination(Protocol):
    async def first_delivery(self, update_id: int) -> bool:
        """True the first time ``update_id`` is seen by any replica (or while this replica
        holds its webhook claim), False for a re-delivery."""

    async def claim_update(self, update_id: int) -> Claim:
        """Take a webhook update for this replica, unless another has it or it is done."""

    async def keep_update(self, update_id: int) -> bool:
        """Renew this replica's claim while its handlers run; False if it is no longer ours."""

    async def finish_update(self, update_id: int) -> None:
        """The update is handled: a re-delivery is answered 200 and dropped."""

    async def release_update(self, update_id: int) -> None:
        """Handling failed before any answer: let a re-delivery try again."""

    async def check_request(self, user_id: int, chat_id: int) -> Verdict:
        """May ``user_id`` ask for one more summary in ``chat_id`` now (counted everywhere)?"""

    def one_at_a_time(self, key: str) -> AbstractAsyncContextManager[None]:
        """Hold while computing the digest under ``key``; other replicas wait for it."""

    async def claim_poller(self) -> None:
        """Raise :class:`AnotherPollerError` when another instance polls; else keep the claim."""

    async def close(self) -> None:
        """Release what this replica holds."""


class LocalCoordination:
    """Everything in this process: the single-replica default."""

    def __init__(self, limits: RequestLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self._limits = limits
        self._clock = clock
        self._seen: OrderedDict[int, float] = OrderedDict()  # update id → when first seen
        self._working: set[int] = set()  # webhook updates this process is handling

    def _remember(self, update_id: int) -> bool:
        """Record ``update_id``; False when it was recorded before."""
        now = self._clock()
        while self._seen and now - next(iter(self._seen.values())) > UPDATE_MEMORY_SECONDS:
            self._seen.popitem(last=False)
        if update_id in self._seen:
            return False
        self._seen[update_id] = now
        if len(self._seen) > 100_000:  # bounded, whatever the rate
            self._seen.popitem(last=False)
        return True

    async def first_delivery(self, update_id: int) -> bool:
        return update_id in self._working or self._remember(update_id)

    async def claim_update(self, update_id: int) -> Claim:
        if update_id in self._working:
            return Claim.BUSY
        if not self._remember(update_id):
            return Claim.DONE
        self._working.add(update_id)
        return Claim.MINE

    async def keep_update(self, update_id: int) -> bool:
        return update_id in self._working  # nothing lapses within one process

    async def finish_update(self, update_id: int) -> None:
        self._working.discard(update_id)

    async def release_update(self, update_id: int) -> None:
        self._working.discard(update_id)
        self._seen.pop(update_id, None)

    async def check_request(self, user_id: int, chat_id: int) -> Verdict:
        return self._limits.check(user_id, chat_id)

    @contextlib.asynccontextmanager
    async def one_at_a_time(self, key: str) -> AsyncIterator[None]:
        yield  # within one process, Summaries' in-flight table already shares the work

    async def claim_poller(self) -> None:
        return None  # nothing to share the token with; Telegram's 409 is handled in serve()

    async def close(self) -> None:
        return None


class RedisCoordination:
    """The same, shared by every replica through one Redis."""

    def __init__(
        self,
        url: str,
        bot_id: int | str,
        *,
        user_per_minute: int,
        chat_per_minute: int,
        lock_seconds: float = 60.0,
        per_token: RateLimitItem = PER_TOKEN,
        per_group: RateLimitItem = PER_GROUP,
        per_chat: RateLimitItem = PER_CHAT,
        claim_seconds: float = CLAIM_SECONDS,
    ) -> None:
        self._redis = aioredis.Redis.from_url(url)
        self._prefix = f"keypoint:{bot_id}:"
        self._windows = MovingWindowRateLimiter(
            RedisStorage("async+" + url.removeprefix("async+"), implementation="redispy")
        )
        self._user_limit = RateLimitItemPerMinute(user_per_minute) if user_per_minute > 0 else None
        self._chat_limit = RateLimitItemPerMinute(chat_per_minute) if chat_per_minute > 0 else None
        self._lock_seconds = lock_seconds
        self._per_token, self._per_group, self._per_chat = per_token, per_group, per_chat
        self._instance = secrets.token_hex(8)
        self._working = f"working:{self._instance}".encode()
        self._claim_ms = int(claim_seconds * 1000)
        self._poller_task: asyncio.Task[None] | None = None
        self._take_slots = self._redis.register_script(_TAKE_SLOTS)
        self._renew_if_mine = self._redis.register_script(_RENEW_IF_MINE)
        self._delete_if_mine = self._redis.register_script(_DELETE_IF_MINE)

    # An update's key holds "done", or "working:<replica>" while a replica's webhook
    # handles it (lapsing after CLAIM_SECONDS unless renewed).

    def _update_key(self, update_id: int) -> str:
        return f"{self._prefix}update:{update_id}"

    async def first_delivery(self, update_id: int) -> bool:
        key = self._update_key(update_id)
        if await self._redis.set(key, "done", nx=True, ex=UPDATE_MEMORY_SECONDS):
            return True
        return bool(await self._redis.get(key) == self._working)

    async def claim_update(self, update_id: int) -> Claim:
        key = self._update_key(update_id)
        if await self._redis.set(key, self._working, nx=True, px=self._claim_ms):
            return Claim.MINE
        return Claim.DONE if await self._redis.get(key) == b"done" else Claim.BUSY

    async def keep_update(self, update_id: int) -> bool:
        # Only while the claim is still ours: a late renewal must never revive a claim
        # that lapsed and went to another replica, nor overwrite "done".
        renewed = await self._renew_if_mine(
            keys=[self._update_key(update_id)], args=[self._working, self._claim_ms]
        )
        return bool(renewed)

    async def finish_update(self, update_id: int) -> None:
        await self._redis.set(self._update_key(update_id), "done", ex=UPDATE_MEMORY_SECONDS)

    async def release_update(self, update_id: int) -> None:
        await self._delete_if_mine(keys=[self._update_key(update_id)], args=[self._working])

    async def check_request(self, user_id: int, chat_id: int) -> Verdict:
        user_ok = self._user_limit is None or await self._windows.hit(self._user_limit, "u", str(user_id))
        chat_ok = self._chat_limit is None or await self._windows.hit(self._chat_limit, "c", str(chat_id))
        if user_ok and chat_ok:
            return Verdict.ALLOW
        # The first refusal in a minute is told, politely; later ones stay quiet.
        told = await self._redis.set(f"{self._prefix}told:{user_id}:{chat_id}", 1, nx=True, ex=60)
        return Verdict.REFUSE_AND_TELL if told else Verdict.REFUSE_QUIETLY

    @contextlib.asynccontextmanager
    async def one_at_a_time(self, key: str) -> AsyncIterator[None]:
        # The lock expires by itself if its holder dies; a waiter that gives up
        # computes the digest itself rather than fail the user.
        lock = self._redis.lock(
            f"{self._prefix}digest:{key}",
            timeout=self._lock_seconds,
            blocking_timeout=self._lock_seconds,
            sleep=0.05,
        )
        acquired = await lock.acquire()
        try:
            yield
        finally:
            if acquired:
                with contextlib.suppress(LockError):  # it expired while we worked
                    await lock.release()

    async def claim_poller(self) -> None:
        key = f"{self._prefix}poller"
        if not await self._redis.set(key, self._instance, nx=True, px=int(POLLER_CLAIM_SECONDS * 1000)):
            left = await self._redis.pttl(key)
            raise AnotherPollerError(
                "another Keypoint instance is polling with this token (its claim ends within "
                f"{max(left, 0) / 1000:.0f} s of it stopping); run one poller, or several replicas "
                "in webhook mode"
            )
        self._poller_task = asyncio.create_task(self._keep_poller_claim(key))

    async def _keep_poller_claim(self, key: str) -> None:
        while True:
            await asyncio.sleep(POLLER_CLAIM_SECONDS / 3)
            await self._redis.set(key, self._instance, xx=True, px=int(POLLER_CLAIM_SECONDS * 1000))

    async def close(self) -> None:
        if self._poller_task is not None:
            self._poller_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller_task
            # Give the claim back only if it is still ours.
            key = f"{self._prefix}poller"
            if await self._redis.get(key) == self._instance.encode():
                await self._redis.delete(key)
        await self._redis.aclose()

    # --- the outgoing budget -------------------------------------------------------

    async def wait_to_send(self, chat_id: int | str | None) -> None:
        """Wait until one more message may go to ``chat_id`` (None: no chat, the token's limit only)."""
        windows: list[tuple[RateLimitItem, str]] = [(self._per_token, "send")]
        if chat_id is not None:
            windows.append((self._per_chat, f"send:{chat_id}"))
            if str(chat_id).startswith("-"):  # groups and channels have negative ids
                windows.append((self._per_group, f"send-group:{chat_id}"))
        keys = [self._prefix + key for _, key in windows]
        spans = [str(item.get_expiry() * 1000 + SEND_JITTER_MS) for item, _ in windows]
        limits = [str(item.amount) for item, _ in windows]
        while True:
            await self._wait_out_pause()
            member = secrets.token_hex(6)
            wait_ms = await self._take_slots(keys=keys, args=[member, *limits, *spans])
            if not wait_ms:
                return
            await asyncio.sleep(int(wait_ms) / 1000)

    async def pause_sending(self, seconds: float) -> None:
        """Telegram said 429 ``retry_after``: every replica holds its messages that long."""
        key = f"{self._prefix}pause"
        milliseconds = int(seconds * 1000)
        current = await self._redis.pttl(key)
        if current < milliseconds:
            await self._redis.set(key, 1, px=milliseconds)

    async def _wait_out_pause(self) -> None:
        left = await self._redis.pttl(f"{self._prefix}pause")
        if left > 0:
            await asyncio.sleep(left / 1000)
