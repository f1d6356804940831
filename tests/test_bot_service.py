"""The bot's summary service: cache keys, the worker pool and recovery when a worker dies."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.config import Settings
from bot.errors import KeypointError
from bot.fetch import Fetcher
from bot.storage import SQLiteStorage
from bot.telegram.service import Summaries
from tests.support.bot_articles import LIBRARY_PARAGRAPHS, pasted_text


@asynccontextmanager
async def started_service(tmp_path: Path) -> AsyncIterator[Summaries]:
    """A summary service with one worker over a fresh database, started and closed."""
    settings = Settings(db_path=tmp_path / "s.sqlite3", workers=1)
    storage = SQLiteStorage(settings.db_path)
    await storage.open()
    summaries = Summaries(settings, storage, Fetcher(settings))
    try:
        await summaries.start()
        yield summaries
    finally:
        await summaries.close()
        await storage.close()


async def test_a_dead_worker_fails_one_request_and_the_pool_is_replaced(tmp_path: Path) -> None:
    async with started_service(tmp_path) as summaries:
        key, digest = await summaries.for_text(pasted_text())
        assert key.startswith("t") and digest.summary.points
        pool = summaries._executor
        for pid in list(pool._processes):  # type: ignore[union-attr]
            os.kill(pid, signal.SIGKILL)
        await asyncio.sleep(0.2)
        with pytest.raises(KeypointError):
            await summaries.for_text(" ".join(LIBRARY_PARAGRAPHS[2:8]))
        assert summaries._executor is not pool
        _key, again = await summaries.for_text(" ".join(LIBRARY_PARAGRAPHS[2:8]))
        assert again.summary.points
        # the first text is still cached: no worker needed
        assert (await summaries.for_text(pasted_text()))[1] == digest


async def test_busy_once_more_work_is_in_flight_than_the_workers_can_start(tmp_path: Path) -> None:
    async with started_service(tmp_path) as summaries:
        texts = [f"{pasted_text()} Variant {i}." for i in range(3)]
        jobs = [asyncio.ensure_future(summaries.for_text(t)) for t in texts]
        seen_busy = False
        for _ in range(200):  # the jobs check the cache first, then register as in flight
            seen_busy = seen_busy or summaries.busy
            if seen_busy or all(job.done() for job in jobs):
                break
            await asyncio.sleep(0.002)
        assert seen_busy  # three in flight > 2 × 1 worker
        await asyncio.gather(*jobs)
        assert not summaries.busy
