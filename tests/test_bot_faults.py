"""Faults on the Bot API side: 429, 5xx, resets, truncated answers, timeouts,
and a restart with updates waiting. Every update is answered, none twice."""

from __future__ import annotations

import itertools
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.bot_articles import library_page
from tests.support.bot_harness import bot_process_env, bot_settings, running_bot
from tests.support.fake_telegram import FakeTelegram
from tests.support.pages import Page, PageServer, slow_page

ROOT = Path(__file__).resolve().parent.parent
_ids = itertools.count(7001)


class Bench:
    def __init__(self, fake: FakeTelegram, pages: PageServer) -> None:
        self.fake, self.pages = fake, pages

    def ask(self) -> tuple[dict, int]:
        """A new user sends the library link; returns (user, mark)."""
        user = self.fake.user(next(_ids), "Faulty")
        mark = self.fake.mark()
        self.fake.send(self.fake.message(self.fake.private_chat(user), user, self.pages.url("/library")))
        return user, mark

    def summaries_to(self, chat_id: int, since: int) -> int:
        return sum(
            1
            for c in self.fake.calls[since:]
            if c.ok
            and c.method == "sendMessage"
            and int(c.params["chat_id"]) == chat_id
            and "Elmbridge" in c.params.get("text", "")
        )


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    fake = FakeTelegram()
    fake.start()
    pages = PageServer()
    pages.start()
    pages.pages["/library"] = Page(library_page())
    settings = bot_settings(fake, tmp_path_factory.mktemp("faults") / "bot.sqlite3", log_level="WARNING")
    try:
        with running_bot(fake, settings):
            yield Bench(fake, pages)
    finally:
        pages.stop()
        fake.stop()


@pytest.mark.parametrize("fault", ["500", "reset", "truncate"])
def test_send_survives_a_transport_fault(bench: Bench, fault: str) -> None:
    bench.fake.faults["sendMessage"] = [fault]
    user, mark = bench.ask()
    reply = bench.fake.answer(user["id"], since=mark, timeout=20)
    assert "Elmbridge" in reply.params["text"]
    assert ("sendMessage", fault) in bench.fake.fault_log
    time.sleep(1.0)
    assert bench.summaries_to(user["id"], mark) == 1


def test_send_survives_a_timeout(bench: Bench) -> None:
    bench.fake.faults["sendMessage"] = ["hang"]
    user, mark = bench.ask()
    reply = bench.fake.answer(user["id"], since=mark, timeout=30)
    assert "Elmbridge" in reply.params["text"]
    assert bench.summaries_to(user["id"], mark) == 1


def test_two_429s_in_a_row_are_waited_out(bench: Bench) -> None:
    bench.fake.failures["sendMessage"] = [1, 1]
    user, mark = bench.ask()
    reply = bench.fake.answer(user["id"], since=mark, timeout=20)
    refused = [c for c in bench.fake.calls[mark:] if c.method == "sendMessage" and not c.ok]
    assert len(refused) == 2 and reply.at - refused[0].at >= 1.9
    assert bench.summaries_to(user["id"], mark) == 1


@pytest.mark.parametrize("fault", ["500", "reset", "truncate"])
def test_polling_survives_faults_of_get_updates(bench: Bench, fault: str) -> None:
    bench.fake.faults["getUpdates"] = [fault, fault]
    user, mark = bench.ask()
    reply = bench.fake.answer(user["id"], since=mark, timeout=30)
    assert "Elmbridge" in reply.params["text"]
    assert bench.summaries_to(user["id"], mark) == 1


def test_restart_with_updates_waiting_loses_none_and_repeats_none(
    tmp_path: Path, page_server: PageServer
) -> None:
    page_server.pages["/slow"] = slow_page(1.5, library_page())
    fake = FakeTelegram()
    fake.start()
    env = bot_process_env(fake, tmp_path)

    def start() -> subprocess.Popen[str]:
        mark = fake.mark()
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        fake.wait_for(lambda calls: any(c.method == "getUpdates" for c in calls), timeout=60, since=mark)
        return process

    users = [fake.user(8100 + i, f"R{i}") for i in range(12)]
    try:
        process = start()
        for user in users[:8]:  # slow pages: most are still in flight at SIGTERM
            fake.send(fake.message(fake.private_chat(user), user, page_server.url(f"/slow?u={user['id']}")))
        fake.wait_sent(users[0]["id"], timeout=30)
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err[-2000:]
        for user in users[8:]:  # these arrive while the bot is down
            fake.send(fake.message(fake.private_chat(user), user, page_server.url(f"/slow?u={user['id']}")))
        process = start()
        for user in users:
            fake.answer(user["id"], timeout=60)
        time.sleep(2.0)
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        fake.stop()
    for user in users:
        answers = [
            c
            for c in fake.calls
            if c.ok
            and c.method in ("sendMessage", "editMessageText")
            and int(c.params["chat_id"]) == user["id"]
            and "Elmbridge" in c.params.get("text", "")
        ]
        assert len(answers) == 1, (user["id"], len(answers))
