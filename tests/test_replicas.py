"""Replicas sharing one Redis and one PostgreSQL: each test builds two or three
"replicas" (separate coordination objects, connections and services) on the
real servers, and checks what they must share. Skipped, with the reason, when
PostgreSQL or Redis is not reachable."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import pytest
from limits import RateLimitItem, RateLimitItemPerSecond

from bot.config import Settings
from bot.fetch import Fetcher
from bot.storage import PostgresStorage
from bot.telegram.limits import RequestLimits, Verdict
from bot.telegram.replicas import (
    PER_CHAT,
    PER_GROUP,
    PER_TOKEN,
    AnotherPollerError,
    Claim,
    LocalCoordination,
    RedisCoordination,
)
from bot.telegram.service import Summaries
from tests.support.bot_articles import library_page
from tests.support.bot_harness import bot_settings, free_port, running_bot
from tests.support.fake_telegram import FakeTelegram
from tests.support.pages import Page, PageServer
from tests.support.services import fresh_database, fresh_redis_url

pytestmark = pytest.mark.replicas


@asynccontextmanager
async def replicas(
    count: int,
    *,
    user_per_minute: int = 10,
    per_token: RateLimitItem = PER_TOKEN,
    per_group: RateLimitItem = PER_GROUP,
    per_chat: RateLimitItem = PER_CHAT,
) -> AsyncIterator[list[RedisCoordination]]:
    """``count`` replicas' coordination, on one freshly emptied Redis database."""
    url = await fresh_redis_url()
    coordinations = [
        RedisCoordination(
            url,
            "4242",
            user_per_minute=user_per_minute,
            chat_per_minute=30,
            per_token=per_token,
            per_group=per_group,
            per_chat=per_chat,
        )
        for _ in range(count)
    ]
    try:
        yield coordinations
    finally:
        for coordination in coordinations:
            await coordination.close()


async def test_an_update_delivered_to_two_replicas_is_handled_once() -> None:
    async with replicas(2) as (a, b):
        assert await a.first_delivery(1001)
        assert not await b.first_delivery(1001)  # Telegram re-sent it to the other replica
        assert not await a.first_delivery(1001)
        assert await b.first_delivery(1002)


async def test_a_webhook_update_is_claimed_by_one_replica_until_done() -> None:
    url = await fresh_redis_url()
    a, b = (RedisCoordination(url, "4242", user_per_minute=10, chat_per_minute=30) for _ in range(2))
    assert await a.claim_update(5) is Claim.MINE
    assert await a.first_delivery(5)  # the gate lets the claimed update through on its replica
    assert await b.claim_update(5) is Claim.BUSY  # Telegram re-posted it to b while a works
    assert not await b.first_delivery(5)
    await a.finish_update(5)
    assert await b.claim_update(5) is Claim.DONE
    assert not await a.first_delivery(5)
    await a.close()
    await b.close()


async def test_a_dead_replicas_claim_lapses_and_another_takes_the_update() -> None:
    url = await fresh_redis_url()
    dead = RedisCoordination(url, "4242", user_per_minute=10, chat_per_minute=30, claim_seconds=0.3)
    alive = RedisCoordination(url, "4242", user_per_minute=10, chat_per_minute=30, claim_seconds=0.3)
    assert await dead.claim_update(6) is Claim.MINE  # and then it is killed: no renewal, no finish
    assert await alive.claim_update(6) is Claim.BUSY
    await asyncio.sleep(0.4)
    assert await alive.claim_update(6) is Claim.MINE
    await dead.close()
    await alive.close()


async def test_one_process_claims_like_replicas_do() -> None:
    local = LocalCoordination(RequestLimits(10, 30))
    assert await local.claim_update(9) is Claim.MINE
    assert await local.first_delivery(9)
    assert await local.claim_update(9) is Claim.BUSY  # a second connection with the same update
    await local.finish_update(9)
    assert await local.claim_update(9) is Claim.DONE
    await local.release_update(10)
    assert await local.claim_update(11) is Claim.MINE
    await local.release_update(11)  # failed before answering: a re-delivery tries again
    assert await local.claim_update(11) is Claim.MINE


async def test_request_limits_count_requests_on_every_replica() -> None:
    async with replicas(2, user_per_minute=2) as (a, b):
        assert await a.check_request(7, 70) is Verdict.ALLOW
        assert await b.check_request(7, 70) is Verdict.ALLOW
        assert await a.check_request(7, 70) is Verdict.REFUSE_AND_TELL  # third in a minute, anywhere
        assert await b.check_request(7, 70) is Verdict.REFUSE_QUIETLY  # told once already
        assert await b.check_request(8, 70) is Verdict.ALLOW  # another user


async def test_only_one_instance_polls_with_a_token() -> None:
    async with replicas(2) as (a, b):
        await a.claim_poller()
        with pytest.raises(AnotherPollerError, match="another Keypoint instance is polling"):
            await b.claim_poller()
        await a.close()  # gives its claim back
        await b.claim_poller()


async def test_messages_to_one_chat_go_at_most_one_a_second_across_replicas() -> None:
    async with replicas(3) as coordinations:
        started = time.monotonic()
        await asyncio.gather(*(c.wait_to_send(501) for c in coordinations))
        # Three messages to one chat from three replicas: the third waits two seconds.
        assert time.monotonic() - started >= 1.9


async def test_the_token_budget_is_shared_and_waits_rather_than_drops() -> None:
    budget = RateLimitItemPerSecond(10)
    async with replicas(3, per_token=budget) as coordinations:
        sent: list[float] = []

        async def send(coordination: RedisCoordination, chat: int) -> None:
            await coordination.wait_to_send(chat)
            sent.append(time.monotonic())

        await asyncio.gather(
            *(send(c, 1000 + 10 * i + n) for i, c in enumerate(coordinations) for n in range(9))
        )
        assert len(sent) == 27  # every message went, none was dropped
        sent.sort()
        # In any one-second window, at most the budget, whichever replica sent.
        assert max(sum(1 for t in sent if first <= t < first + 0.98) for first in sent) <= 10
        assert sent[-1] - sent[0] >= 1.9  # 27 at 10 a second take over two seconds


async def test_a_group_gets_its_per_minute_share_from_all_replicas_together() -> None:
    group_budget = RateLimitItemPerSecond(3, 2)  # 3 per 2 s stands in for Telegram's 20 per minute
    fast_chat = RateLimitItemPerSecond(100)
    async with replicas(2, per_group=group_budget, per_chat=fast_chat) as (a, b):
        started = time.monotonic()
        await asyncio.gather(*(c.wait_to_send(-100500) for c in (a, b, a, b)))
        assert time.monotonic() - started >= 1.9  # the fourth waited for the window to move


async def test_a_group_contended_by_many_senders_is_not_starved() -> None:
    # Fifteen messages waiting on three replicas for one group at once: slots wasted by
    # losers of a race would starve the group; each window's slots go to one sender.
    group_budget = RateLimitItemPerSecond(5, 2)
    async with replicas(3, per_group=group_budget, per_chat=RateLimitItemPerSecond(100)) as coordinations:
        sent: list[float] = []

        async def send(coordination: RedisCoordination) -> None:
            await coordination.wait_to_send(-100600)
            sent.append(time.monotonic())

        started = time.monotonic()
        await asyncio.wait_for(
            asyncio.gather(*(send(c) for c in coordinations for _ in range(5))), timeout=15
        )
        assert len(sent) == 15
        assert max(sum(1 for t in sent if first <= t < first + 1.95) for first in sent) <= 5
        assert sent[-1] - started < 7  # three windows' worth: about 4 s, not starved


async def test_a_429_on_one_replica_pauses_them_all() -> None:
    async with replicas(2) as (a, b):
        await a.pause_sending(0.6)
        started = time.monotonic()
        await b.wait_to_send(777)
        assert time.monotonic() - started >= 0.5


async def test_a_link_asked_for_on_two_replicas_at_once_is_fetched_once() -> None:
    pages = PageServer()
    pages.start()
    pages.pages["/library"] = Page(library_page())
    link = pages.url("/library")
    try:
        async with fresh_database() as database, replicas(2) as coordinations, AsyncExitStack() as stack:
            services = []
            for coordination in coordinations:
                settings = Settings(allow_private_addresses=True, workers=0)
                storage = PostgresStorage(database)
                await storage.open()
                stack.push_async_callback(storage.close)
                service = Summaries(settings, storage, Fetcher(settings), coordination)
                stack.push_async_callback(service.close)
                services.append(service)
            (key_a, digest_a), (key_b, digest_b) = await asyncio.gather(
                *(service.for_url(link) for service in services)
            )
            assert key_a == key_b
            assert digest_a == digest_b
            assert digest_a.summary.points
            assert [path for path, _ in pages.requests] == ["/library"]  # one fetch, two answers
    finally:
        pages.stop()


# --- the real bot against the fake Bot API ------------------------------------------


def test_a_webhook_update_delivered_twice_is_answered_once(tmp_path: Path) -> None:
    redis_url = asyncio.run(fresh_redis_url())
    fake, pages = FakeTelegram(), PageServer()
    fake.start()
    pages.start()
    pages.pages["/library"] = Page(library_page())
    port = free_port()
    settings = bot_settings(
        fake,
        tmp_path / "unused.sqlite3",
        mode="webhook",
        webhook_url=f"http://127.0.0.1:{port}/hook",
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_path="hook",
        webhook_secret="replica-Secret_1",
        redis_url=redis_url,
    )
    user = fake.user(601)
    try:
        with running_bot(fake, settings):
            mark = fake.mark()
            update_id = fake.inject(
                {"message": fake.message(fake.private_chat(user), user, pages.url("/library"))}
            )
            fake.answer(601, since=mark, timeout=30)  # generous: a loaded machine is slow to start
            fake.redeliver(update_id)  # as Telegram does after a slow or failed delivery
            time.sleep(2)
            answers = [c for c in fake.calls_of("sendMessage", since=mark) if int(c.params["chat_id"]) == 601]
            assert len(answers) == 1
            registered = fake.calls_of("setWebhook")[-1].params
            assert registered.get("drop_pending_updates") in (None, False, "false")
    finally:
        pages.stop()
        fake.stop()


def test_a_second_poller_on_one_token_refuses_to_start(tmp_path: Path) -> None:
    redis_url = asyncio.run(fresh_redis_url())
    fake = FakeTelegram()
    fake.start()
    try:
        with running_bot(fake, bot_settings(fake, tmp_path / "a.sqlite3", redis_url=redis_url)):
            second = bot_settings(fake, tmp_path / "b.sqlite3", redis_url=redis_url)
            with (
                pytest.raises(AnotherPollerError, match="another Keypoint instance is polling"),
                running_bot(fake, second),
            ):
                pass
    finally:
        fake.stop()


def test_a_poller_that_telegram_answers_409_stops_with_a_clear_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Without Redis nothing can refuse the second poller up front; Telegram's 409 is the signal.
    fake = FakeTelegram()
    fake.start()
    try:
        with running_bot(fake, bot_settings(fake, tmp_path / "a.sqlite3")) as application:
            fake.other_poller = True
            deadline = time.monotonic() + 20
            while application.running and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not application.running
        assert "another instance is polling with this token" in caplog.text
    finally:
        fake.stop()
