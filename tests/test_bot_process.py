"""``python -m bot run`` as a real process: serves chats, logs without the token, stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.support.bot_articles import library_page
from tests.support.bot_harness import bot_process_env
from tests.support.fake_telegram import FakeTelegram
from tests.support.pages import Page, PageServer

ROOT = Path(__file__).resolve().parent.parent


def test_run_serves_a_chat_and_never_logs_the_token(tmp_path: Path, page_server: PageServer) -> None:
    page_server.pages["/library"] = Page(library_page())
    fake = FakeTelegram()
    fake.start()
    env = bot_process_env(
        fake, tmp_path, KEYPOINT_LOG_LEVEL="DEBUG", KEYPOINT_HEARTBEAT_PATH=str(tmp_path / "heartbeat")
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        fake.wait_for(lambda calls: any(c.method == "getUpdates" for c in calls), timeout=30)
        user = fake.user(42)
        mark = fake.mark()
        fake.send(fake.message(fake.private_chat(user), user, page_server.url("/library")))
        reply = fake.wait_sent(42, since=mark, timeout=20)[0]
        assert "Elmbridge library" in reply.params["text"]
        assert (tmp_path / "heartbeat").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
        fake.stop()
    assert process.returncode == 0, err[-2000:]
    assert fake.token not in out + err
    assert "Application started" in err and "DEBUG" in err  # it did log, at the most verbose level


def test_a_rejected_token_fails_in_one_line_without_showing_it(tmp_path: Path) -> None:
    fake = FakeTelegram()
    fake.start()
    wrong = fake.token + "-revoked"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": wrong,
        "KEYPOINT_BOT_API_URL": fake.api_url,
        "KEYPOINT_DB_PATH": str(tmp_path / "bot.sqlite3"),
        "KEYPOINT_WORKERS": "0",
        "KEYPOINT_LOG_LEVEL": "DEBUG",
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        fake.stop()
    assert done.returncode == 2
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in done.stderr
    assert wrong not in done.stdout + done.stderr
