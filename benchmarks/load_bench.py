"""Load benchmark: the real bot, polling, under a burst of simulated users.

The bot runs as ``python -m bot run`` with its default configuration, against
the fake Bot API server (tests/support/fake_telegram.py) and a local article
server that serves the pages of ``web-zyte-aeb`` and ``web-zh-cwced``.
Simulated users send links and pasted text in private chats and ``/summary``
in groups at a fixed rate. Printed: sustained summaries per second on cache
misses and on cache hits, latency from update to answer (p50/p95/p99), peak
RSS and CPU of the bot's process tree, and whether every update was answered
exactly once.

    python benchmarks/load_bench.py [--rate 30] [--seconds 20] [--deployments 1,1s,2]

``--deployments 1,2`` measures, in one run, the default (one process polling, on
SQLite) and two webhook replicas behind a round-robin proxy on PostgreSQL and
Redis (tests/support/services.py finds them on loopback).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _shared import shared_dir  # noqa: E402 (benchmarks/ is on sys.path when run as a script)

from tests.support.bot_harness import free_port  # noqa: E402
from tests.support.fake_telegram import FakeTelegram  # noqa: E402
from tests.support.pages import Page, serving  # noqa: E402
from tests.support.replica_proxy import ReplicaProxy  # noqa: E402
from tests.support.services import create_database, drop_database, fresh_redis_url  # noqa: E402

PLACEHOLDERS = {"Reading…", "正在阅读…"}


def load_pages(shared: Path) -> list[Page]:
    pages = []
    for path in sorted((shared / "corpus" / "web-zyte-aeb" / "html").iterdir()):
        body = path.read_bytes()
        if path.suffix == ".gz":
            body = gzip.decompress(body)
        pages.append(Page(body, "text/html; charset=utf-8"))
    pages.extend(
        Page(path.read_bytes(), "text/html")  # no charset: the bot must find it
        for path in sorted((shared / "corpus" / "web-zh-cwced" / "original").iterdir())
    )
    return pages


def pasted_texts(shared: Path, count: int) -> list[str]:
    folder = shared / "corpus" / "bbc-news-dev" / "articles" / "business"
    return [p.read_text("utf-8", "replace") for p in sorted(folder.iterdir())[:count]]


@dataclass
class Sent:
    """One simulated request: when it was injected, and where to look for its answer."""

    chat_id: int
    message_id: int
    at: float
    kind: str


@dataclass
class Tree:
    """Peak RSS and CPU time of a process and its children, sampled from /proc."""

    pid: int
    peak_rss: int = 0
    peak_main_rss: int = 0
    peak_by_pid: dict[int, int] = field(default_factory=dict)
    samples: list[tuple[float, float]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def pids(self) -> list[int]:
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        found = [self.pid]
        with contextlib.suppress(OSError):
            found += [int(p) for p in children.read_text().split()]
        return found

    def cpu_seconds(self) -> float:
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
            except (OSError, IndexError):
                pass
        return total

    def rss(self) -> tuple[int, int]:
        """(PSS of the whole tree, RSS of the main process) in bytes.

        Workers are forked and share most pages with the main process; adding
        up their RSS would count those pages three times, so the tree is
        measured by PSS (each shared page split among its sharers).
        """
        total = main = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        pss = int(line.split()[1]) * 1024
                        total += pss
                        self.peak_by_pid[pid] = max(self.peak_by_pid.get(pid, 0), pss)
                if pid == self.pid:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            main = int(line.split()[1]) * 1024
            except OSError:
                pass
        return total, main

    def watch(self) -> None:
        while not self.stop.is_set():
            total, main = self.rss()
            self.peak_rss = max(self.peak_rss, total)
            self.peak_main_rss = max(self.peak_main_rss, main)
            self.samples.append((time.monotonic(), self.cpu_seconds()))
            time.sleep(0.1)


def answers(fake: FakeTelegram, sent: list[Sent]) -> tuple[dict[int, float], dict[int, int]]:
    """(chat id → time of its answer, chat id → messages the bot started there).

    Every simulated request comes from a chat of its own, so the chat tells
    which request an answer belongs to. A summary that needed a second message
    (over 4096 characters) would count twice; none of these pages needs one.
    """
    chats = {s.chat_id for s in sent}
    started: dict[int, int] = {}
    answered: dict[int, float] = {}
    placeholders: set[tuple[int, int]] = set()
    for call in list(fake.calls):
        if not call.ok or call.method not in ("sendMessage", "editMessageText"):
            continue
        chat = int(call.params["chat_id"])
        if chat not in chats:
            continue
        if call.method == "sendMessage":
            started[chat] = started.get(chat, 0) + 1
            if call.params.get("text") in PLACEHOLDERS:
                placeholders.add((chat, int(call.result["message_id"])))
                continue
            answered.setdefault(chat, call.at)
        elif (chat, int(call.params["message_id"])) in placeholders:
            answered.setdefault(chat, call.at)
    return answered, started


def run_phase(fake: FakeTelegram, requests: list[tuple[str, int, str]], rate: float, timeout: float) -> dict:
    """Inject ``requests`` (kind, chat id, text) at ``rate`` per second; wait for answers."""
    sent: list[Sent] = []
    started = time.monotonic()
    for index, (kind, chat_id, text) in enumerate(requests):
        due = started + index / rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        user = fake.user(chat_id if chat_id > 0 else 900_000 + index, f"U{index}")
        chat = fake.private_chat(user) if chat_id > 0 else fake.group(chat_id, "Load")
        message = fake.send(fake.message(chat, user, text))
        sent.append(Sent(chat["id"], message["message_id"], time.monotonic(), kind))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answered, _ = answers(fake, sent)
        if len(answered) >= len(sent):
            break
        time.sleep(0.2)
    time.sleep(1.0)  # anything answered twice would show up now
    answered, replies = answers(fake, sent)
    not_once = [
        f"{s.kind} → {replies.get(s.chat_id, 0)} messages: "
        + " | ".join(
            c.params.get("text", "")[:60]
            for c in fake.calls
            if c.method == "sendMessage" and int(c.params.get("chat_id", 0)) == s.chat_id
        )
        for s in sent
        if replies.get(s.chat_id) != 1
    ]
    latencies = sorted(answered[s.chat_id] - s.at for s in sent if s.chat_id in answered)
    finished = max(answered.values()) if answered else time.monotonic()
    return {
        "requests": len(sent),
        "answered": len(answered),
        "exactly_once": sum(1 for s in sent if replies.get(s.chat_id) == 1),
        "throughput": len(answered) / max(1e-9, finished - started),
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "not_once": not_once,
    }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


@dataclass
class Deployment:
    """How the bot runs: ``replicas`` processes; one polls on SQLite, or all take webhooks
    behind a round-robin proxy on PostgreSQL and Redis."""

    name: str
    replicas: int
    shared: bool  # PostgreSQL + Redis + webhooks


DEPLOYMENTS = {
    "1": Deployment("1 replica, polling, SQLite", 1, False),
    "1s": Deployment("1 replica, webhook, PostgreSQL+Redis", 1, True),
    "2": Deployment("2 replicas, webhook, PostgreSQL+Redis", 2, True),
}


@contextlib.contextmanager
def deployed(deployment: Deployment, fake: FakeTelegram, tmp: Path) -> Iterator[list[Tree]]:
    """The bot processes of ``deployment``, started and ready; their process trees."""
    base = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "KEYPOINT_BOT_API_URL": fake.api_url,
        "KEYPOINT_ALLOW_PRIVATE_ADDRESSES": "1",
        "KEYPOINT_DB_PATH": str(tmp / "load.sqlite3"),
        "KEYPOINT_LOG_LEVEL": "WARNING",
    }
    envs = [base]
    cleanup: list[Callable[[], None]] = []
    ready_method, ready_count = "getUpdates", 1
    if deployment.shared:
        database = asyncio.run(create_database())
        redis_url = asyncio.run(fresh_redis_url())
        cleanup.append(lambda: asyncio.run(drop_database(database)))
        ports = [free_port() for _ in range(deployment.replicas)]
        proxy = ReplicaProxy([f"http://127.0.0.1:{port}" for port in ports])
        proxy.start()
        cleanup.append(proxy.stop)
        envs = [
            {
                **base,
                "KEYPOINT_MODE": "webhook",
                "KEYPOINT_WEBHOOK_URL": proxy.url("/hook"),
                "KEYPOINT_WEBHOOK_LISTEN": "127.0.0.1",
                "KEYPOINT_WEBHOOK_PORT": str(port),
                "KEYPOINT_WEBHOOK_PATH": "hook",
                "KEYPOINT_WEBHOOK_SECRET": "load-Secret_1",
                "KEYPOINT_DATABASE_URL": database,
                "KEYPOINT_REDIS_URL": redis_url,
            }
            for port in ports
        ]
        ready_method, ready_count = "setWebhook", deployment.replicas
    # The children write to their own copies of the log's descriptor; ours can close.
    with open(tmp / "bot.log", "a") as log:
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log
            )
            for env in envs
        ]
    trees = [Tree(process.pid) for process in processes]
    for tree in trees:
        threading.Thread(target=tree.watch, daemon=True).start()
    try:
        fake.wait_for(lambda calls: sum(c.method == ready_method for c in calls) >= ready_count, timeout=60)
        yield trees
    finally:
        for tree in trees:
            tree.stop.set()
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        for step in reversed(cleanup):
            step()


def measure(deployment: Deployment, args: argparse.Namespace, pages: list[Page], texts: list[str]) -> dict:
    """Both phases (cache misses, then hits) against a fresh ``deployment``."""
    count = int(args.rate * args.seconds)
    random.seed(7)
    fake = FakeTelegram()
    fake.webhook_connections = 100  # the max_connections the bot asks Telegram for
    fake.start()
    try:
        with serving() as server, tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            for index, page in enumerate(pages):
                server.pages[f"/a/{index}"] = page
            with deployed(deployment, fake, tmp) as trees:
                idle = sum(tree.rss()[0] for tree in trees)
                misses: list[tuple[str, int, str]] = []
                for index in range(count):
                    roll = random.random()
                    url = server.url(f"/a/{index % len(pages)}?v={index}")  # a new cache key each time
                    if roll < 0.8:
                        misses.append(("private link", 10_000 + index, f"look: {url}"))
                    elif roll < 0.9:
                        misses.append(
                            ("pasted text", 10_000 + index, f"{texts[index % len(texts)]}\n\n#{index}")
                        )
                    else:
                        misses.append(("group /summary", -1_000_000 - index, f"/summary {url}"))

                def cpu() -> float:
                    return sum(tree.cpu_seconds() for tree in trees)

                cpu_before, wall_before = cpu(), time.monotonic()
                miss = run_phase(fake, misses, args.rate, timeout=120)
                miss["cpu"] = (cpu() - cpu_before) / (time.monotonic() - wall_before)
                hits = [
                    (kind, chat + 5_000_000 if chat > 0 else chat - 5_000_000, text)
                    for kind, chat, text in misses
                ]
                fake.calls.clear()
                cpu_before, wall_before = cpu(), time.monotonic()
                hit = run_phase(fake, hits, args.rate, timeout=120)
                hit["cpu"] = (cpu() - cpu_before) / (time.monotonic() - wall_before)
            errors = [line for line in (tmp / "bot.log").read_text().splitlines() if "ERROR" in line]
    finally:
        fake.stop()
    return {
        "miss": miss,
        "hit": hit,
        "peak_pss": sum(tree.peak_rss for tree in trees),
        "idle_pss": idle,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=30.0, help="updates per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument(
        "--deployments",
        default="1",
        help="comma-separated, measured in this order in one run: 1 (polling, SQLite), "
        "1s (one webhook replica on PostgreSQL+Redis), 2 (two such replicas behind a proxy)",
    )
    args = parser.parse_args()
    shared = shared_dir()
    pages = load_pages(shared)
    texts = pasted_texts(shared, 200)
    chosen = [DEPLOYMENTS[name] for name in args.deployments.split(",")]
    results = [(deployment, measure(deployment, args, pages, texts)) for deployment in chosen]
    count = int(args.rate * args.seconds)
    print(
        f"{os.cpu_count()} cores; {len(pages)} pages; offered {args.rate:.0f} updates/s, "
        f"{count} updates per phase; each bot process with its default 2 workers"
    )
    print(
        f"{'deployment':<40}{'phase':<8}{'answered':>10}{'once':>7}{'per s':>8}{'p50 s':>8}"
        f"{'p95 s':>8}{'p99 s':>8}{'CPU':>7}{'PSS MB':>8}"
    )
    for deployment, result in results:
        for name in ("miss", "hit"):
            row = result[name]
            print(
                f"{deployment.name:<40}{name + 'es' if name == 'miss' else name + 's':<8}"
                f"{row['answered']:>6}/{row['requests']:<4}{row['exactly_once']:>6}{row['throughput']:>8.1f}"
                f"{row['p50']:>8.2f}{row['p95']:>8.2f}{row['p99']:>8.2f}{row['cpu'] * 100:>6.0f}%"
                f"{result['peak_pss'] / 2**20:>8.0f}"
            )
    for deployment, result in results:
        for name in ("miss", "hit"):
            for text in result[name]["not_once"][:3]:
                print(f"   {deployment.name}, {name}: not exactly one reply: {text}")
        print(f"{deployment.name}: {len(result['errors'])} error lines in the bots' logs")
        for line in result["errors"][:3]:
            print("  ", line[:200])


if __name__ == "__main__":
    main()
