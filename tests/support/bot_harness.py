"""Run the real application (``build_application`` + ``serve``) in a thread for tests."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.config import Settings
from bot.telegram.app import build_application, serve
from tests.support.fake_telegram import FakeTelegram


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bot_settings(fake: FakeTelegram, db_path: Path, **overrides: Any) -> Settings:
    """Settings for a bot that talks to ``fake`` and may fetch loopback pages."""
    values: dict[str, Any] = {
        "telegram_bot_token": fake.token,
        "bot_api_url": fake.api_url,
        "db_path": db_path,
        "allow_private_addresses": True,
        "workers": 1,
        "poll_timeout_seconds": 1,
        "placeholder_delay_seconds": 0.5,
        "log_level": "DEBUG",
    }
    values.update(overrides)
    return Settings(**values)


def bot_process_env(fake: FakeTelegram, folder: Path, **extra: str) -> dict[str, str]:
    """Environment for ``python -m bot run`` as a subprocess talking to ``fake``."""
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "KEYPOINT_BOT_API_URL": fake.api_url,
        "KEYPOINT_DB_PATH": str(folder / "bot.sqlite3"),
        "KEYPOINT_ALLOW_PRIVATE_ADDRESSES": "1",
        "KEYPOINT_POLL_TIMEOUT_SECONDS": "1",
        "KEYPOINT_WORKERS": "1",
        **extra,
    }


@contextlib.contextmanager
def running_bot(fake: FakeTelegram, settings: Settings) -> Iterator[Application]:
    """The bot serving ``fake`` until the block ends (polling or webhook, per settings)."""
    application = build_application(settings)
    failure: list[BaseException] = []
    # The thread gets its own loop, set before PTB looks for one: how run_polling finds
    # "the current loop" outside the main thread differs between 22.x releases
    # (22.1 calls asyncio.get_event_loop(), which raises in a non-main thread).
    loop = asyncio.new_event_loop()

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            serve(application, settings, stop_signals=None)
        except BaseException as exc:  # reported to the test below
            failure.append(exc)
        finally:
            asyncio.set_event_loop(None)
            if not loop.is_closed():
                loop.close()

    mark = fake.mark()
    thread = threading.Thread(target=run, name="keypoint-bot", daemon=True)
    thread.start()
    ready = "setWebhook" if settings.mode == "webhook" else "getUpdates"
    fake.wait_for(lambda calls: any(c.method == ready for c in calls) or failure, timeout=30, since=mark)
    if failure:
        raise failure[0]
    try:
        yield application
    finally:
        with contextlib.suppress(RuntimeError):  # the loop closed already: the bot has stopped
            loop.call_soon_threadsafe(application.stop_running)
        thread.join(timeout=30)
        if failure:
            raise failure[0]
