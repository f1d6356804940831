"""Quick load check: latency from an injected update to the bot's answer, cached and uncached.

The real application (process pool of 2 workers) runs against the fake Bot API
and a local page server, all on this machine; every request comes from a
different user (rate limits raised). Run from the repository root:

    python -m tests.support.bot_load

A smoke measurement of the bot's hot path, not the load test of issue #8.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from tests.support.bot_articles import LIBRARY_PARAGRAPHS, article_html
from tests.support.bot_harness import bot_settings, running_bot
from tests.support.fake_telegram import Call, FakeTelegram
from tests.support.pages import Page, serving

FIRST_USER = 10_000


def run(kind: str, count: int, rate: float) -> str:
    """Offer ``count`` link messages at ``rate`` per second; one table row."""
    fake = FakeTelegram()
    fake.start()
    with serving() as pages, tempfile.TemporaryDirectory() as folder:
        for i in range(count):
            paragraphs = [f"Item {i}. {p}" for p in LIBRARY_PARAGRAPHS]  # distinct pages, same length
            pages.pages[f"/p{i}"] = Page(article_html(f"Story {i}", paragraphs))
        settings = bot_settings(
            fake,
            Path(folder) / "bot.sqlite3",
            log_level="WARNING",
            workers=2,
            api_rate_per_second=10_000,
            user_rate_per_minute=1000,
            chat_rate_per_minute=1000,
            placeholder_delay_seconds=5,
        )
        with running_bot(fake, settings):
            if kind == "cached":  # warm the cache once
                warm = fake.user(1)
                mark = fake.mark()
                fake.send(fake.message(fake.private_chat(warm), warm, pages.url("/p0")))
                fake.answer(1, since=mark)
            mark = fake.mark()
            asked: dict[int, float] = {}
            started = time.monotonic()
            for i in range(count):
                user = fake.user(FIRST_USER + i)
                asked[user["id"]] = time.monotonic()
                path = "/p0" if kind == "cached" else f"/p{i}"
                fake.send(fake.message(fake.private_chat(user), user, pages.url(path)))
                time.sleep(1 / rate)

            def answered(calls: list[Call]) -> dict[int, float] | None:
                times = {int(c.params["chat_id"]): c.at for c in calls if c.method == "sendMessage" and c.ok}
                return times if len(times) >= count else None

            times = fake.wait_for(answered, timeout=120, since=mark)
    fake.stop()
    latencies = sorted(times[user] - asked[user] for user in asked)
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    achieved = count / (max(times.values()) - started)
    return (
        f"| {kind} | {count} | {rate:.0f}/s | {achieved:.1f}/s | "
        f"{statistics.median(latencies) * 1000:.0f} ms | {p95 * 1000:.0f} ms |"
    )


def main() -> int:
    print("| requests | n | offered | achieved | p50 | p95 |")
    print("|---|---|---|---|---|---|")
    print(run("cached", 300, 60))
    print(run("uncached", 150, 30))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
