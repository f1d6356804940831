"""Three replicas of the real bot (``python -m bot run`` processes) in webhook mode,
behind a round-robin proxy that re-sends about 5 % of updates and times some out,
on one PostgreSQL and one Redis, against the fake Bot API. One replica is
SIGKILLed mid-run. Every update must be answered exactly once, every link fetched
once across replicas, and the fake must see at most 30 messages a second, 20 a
minute in the group and one a second per chat.

About 70 s: the group's 24 answers cannot go faster than Telegram's 20 a minute.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.bot_articles import LIBRARY_PARAGRAPHS, article_html
from tests.support.bot_harness import bot_process_env, free_port
from tests.support.fake_telegram import Call, FakeTelegram
from tests.support.pages import Page, PageServer
from tests.support.replica_proxy import ReplicaProxy
from tests.support.services import create_database, drop_database, fresh_redis_url

pytestmark = pytest.mark.replicas

ROOT = Path(__file__).resolve().parent.parent
SECRET = "cluster-Secret_7"
TOWNS = [f"{a}{b}" for a in ("Ash", "Bel", "Cor", "Dun", "Elm") for b in ("ford", "wick", "bury", "mouth")]
GROUP_ID = -100900


def _story(town: str) -> bytes:
    paragraphs = [p.replace("Elmbridge", town) for p in LIBRARY_PARAGRAPHS]
    return article_html(f"{town} library will stay open on Sundays", paragraphs)


def _answers(fake: FakeTelegram) -> Counter[tuple[int, int]]:
    """(chat, request message id) → how many messages answered it. In a group the answer
    replies to its request; in private it does not quote (each private chat here asks once),
    so it is counted against the chat's one request, id 0."""
    counted: Counter[tuple[int, int]] = Counter()
    for call in fake.calls_of("sendMessage"):
        if not call.ok:
            continue
        chat = int(call.params["chat_id"])
        reply = call.params.get("reply_parameters") or {}
        counted[(chat, int(reply.get("message_id") or 0) if chat < 0 else 0)] += 1
    return counted


def _wait_answered(fake: FakeTelegram, requests: list[tuple[int, int]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answered = _answers(fake)
        missing = [r for r in requests if not answered[r]]
        if not missing:
            return
        time.sleep(0.25)
    raise AssertionError(f"{len(missing)} of {len(requests)} requests unanswered, e.g. {missing[:3]}")


def _wait_acknowledged(fake: FakeTelegram, timeout: float) -> None:
    """Until every update delivered so far got its 200 (the sender stops re-posting)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        acknowledged = {update for update, status in fake.deliveries if status == 200}
        if {u["update_id"] for _, u in fake.injected} <= acknowledged:
            return
        time.sleep(0.25)
    raise AssertionError("some updates were never acknowledged")


def _most_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    most, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= window:
            start += 1
        most = max(most, end - start + 1)
    return most


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[dict[str, Any]]:
    redis_url = asyncio.run(fresh_redis_url())
    database_url = asyncio.run(create_database())
    fake = FakeTelegram()
    fake.webhook_connections = 16
    fake.start()
    pages = PageServer()
    pages.start()
    for town in TOWNS:
        pages.pages[f"/{town}"] = Page(_story(town))
    ports = [free_port() for _ in range(3)]
    proxy = ReplicaProxy([f"http://127.0.0.1:{port}" for port in ports], resend=0.05, timeout=0.03, seed=7)
    proxy.start()
    processes = []
    for number, port in enumerate(ports):
        env = bot_process_env(
            fake,
            tmp_path / f"replica{number}",
            KEYPOINT_MODE="webhook",
            KEYPOINT_WEBHOOK_URL=proxy.url("/hook"),
            KEYPOINT_WEBHOOK_LISTEN="127.0.0.1",
            KEYPOINT_WEBHOOK_PORT=str(port),
            KEYPOINT_WEBHOOK_PATH="hook",
            KEYPOINT_WEBHOOK_SECRET=SECRET,
            KEYPOINT_DATABASE_URL=database_url,
            KEYPOINT_REDIS_URL=redis_url,
            KEYPOINT_PLACEHOLDER_DELAY_SECONDS="5",
        )
        log = open(tmp_path / f"replica{number}.log", "w")  # noqa: SIM115  # closed after the process
        processes.append(
            # A session of its own: killing it kills its worker processes too, as a container's end would.
            (
                subprocess.Popen(
                    [sys.executable, "-m", "bot", "run"],
                    cwd=ROOT,
                    env=env,
                    stderr=log,
                    start_new_session=True,
                ),
                log,
            )
        )
    try:
        fake.wait_for(lambda calls: len([c for c in calls if c.method == "setWebhook"]) >= 3, timeout=60)
        yield {
            "fake": fake,
            "pages": pages,
            "proxy": proxy,
            "processes": [p for p, _ in processes],
            "logs": tmp_path,
        }
    finally:
        for process, _log in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process, log in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()
        proxy.stop()
        pages.stop()
        fake.stop()
        asyncio.run(drop_database(database_url))


def test_three_replicas_answer_every_update_once_within_telegrams_limits(cluster: dict[str, Any]) -> None:
    fake: FakeTelegram = cluster["fake"]
    pages: PageServer = cluster["pages"]
    processes: list[subprocess.Popen[bytes]] = cluster["processes"]
    requests: list[tuple[int, int]] = []

    def ask_privately(user_id: int, town: str) -> None:
        user = fake.user(user_id)
        message = fake.message(fake.private_chat(user), user, pages.url(f"/{town}"))
        fake.inject({"message": message})
        requests.append((user_id, 0))

    # 1. Every link asked for twice, on whichever replicas the proxy picks.
    for n, town in enumerate(TOWNS):
        ask_privately(10_000 + n, town)
        ask_privately(20_000 + n, town)
    _wait_answered(fake, requests, timeout=120)
    # Killing a replica between its answer and its "done" (a millisecond window) would
    # make Telegram re-send an answered update: nothing can close that window, since the
    # Bot API has no idempotency key. Phase 2 starts once phase 1 is acknowledged, so the
    # kill lands in the burst, not in that window of phase 1's last answers.
    _wait_acknowledged(fake, timeout=60)
    fetched = Counter(path for path, _ in pages.requests)
    assert fetched == Counter({f"/{town}": 1 for town in TOWNS})  # one fetch per link, all replicas together

    # 2. A burst of cached answers, and one replica killed in the middle of it.
    for n in range(60):
        ask_privately(30_000 + n, TOWNS[n % len(TOWNS)])
        if n == 20:
            os.killpg(processes[2].pid, signal.SIGKILL)
    _wait_answered(fake, requests, timeout=150)

    # 3. A busy group: 24 summaries, more than Telegram lets a bot send a group in a minute.
    group = fake.group(GROUP_ID, "Readers")
    for n in range(24):
        user = fake.user(40_000 + n % 6)
        message = fake.message(group, user, f"/summary {pages.url('/' + TOWNS[n % len(TOWNS)])}")
        fake.inject({"message": message})
        requests.append((GROUP_ID, message["message_id"]))
    _wait_answered(fake, requests, timeout=180)
    time.sleep(3)  # late re-deliveries would show up as second answers now

    answered = _answers(fake)
    twice = {r: answered[r] for r in requests if answered[r] != 1}
    shown = [
        (round(c.at, 2), c.params.get("text", "")[:40], c.params.get("reply_parameters"))
        for c in fake.calls_of("sendMessage")
        if c.ok and any(int(c.params["chat_id"]) == chat for chat, _ in twice)
    ]
    assert twice == {}, shown  # each exactly once
    assert processes[2].poll() == -signal.SIGKILL
    assert all(p.poll() is None for p in processes[:2])  # the others kept going
    assert cluster["proxy"].faults["resend"] > 0 and cluster["proxy"].faults["timeout"] > 0

    sent: list[Call] = [c for c in fake.calls if c.ok and c.method in ("sendMessage", "editMessageText")]
    assert _most_in_window([c.at for c in sent], 1.0) <= 30
    in_group = [c.at for c in sent if int(c.params["chat_id"]) == GROUP_ID]
    assert len(in_group) == 24
    assert _most_in_window(in_group, 60.0) <= 20
    by_chat: dict[int, list[float]] = {}
    for call in sent:
        by_chat.setdefault(int(call.params["chat_id"]), []).append(call.at)
    assert max(_most_in_window(times, 0.9) for times in by_chat.values()) == 1
    print(
        f"\n{len(requests)} updates, {len(sent)} messages, proxy faults {dict(cluster['proxy'].faults)}, "
        f"fake deliveries {len(fake.deliveries)} ({Counter(s for _, s in fake.deliveries)})"
    )
