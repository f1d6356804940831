"""The bot's summary service: cache keys, the worker pool and recovery when a worker dies."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from bot.config import Settings
from bot.errors import KeypointError
from bot.fetch import Fetcher
from bot.storage import SQLiteStorage
from bot.telegram.service import Summaries
from tests.support.bot_articles import LIBRARY_PARAGRAPHS, pasted_text


async def test_a_dead_worker_fails_one_request_and_the_pool_is_replaced(tmp_path: Path) -> None:
    settings = Settings(db_path=tmp_path / "s.sqlite3", workers=1)
    storage = SQLiteStorage(settings.db_path)
    await storage.open()
    summaries = Summaries(settings, storage, Fetcher(settings))
    try:
        await summaries.start()
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
    finally:
        await summaries.close()
        await storage.close()
