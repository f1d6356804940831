"""Key-point quality and speed: Keypoint vs Lead-N, sumy and newspaper, one table.

Usage (from the repository root)::

    /work/venv/bin/python benchmarks/summarise_bench.py [--limit N] [--sets bbc,csl]

Sets: ``bbc`` = ../shared/corpus/bbc-news-dev (4 points, headline as title,
ROUGE with Porter stemming); ``csl`` = ../shared/corpus/zh-csl-title-dev
(1 point, no title because the title is the reference, ROUGE on single
characters; an extra row gives Lead-1 over the clauses Keypoint chooses
among, which long Chinese sentences are cut into). Times are the median
milliseconds per article of the system call alone (scoring excluded),
measured in the same run for every system;
Keypoint's time includes finding quotes and keywords (``max_quotes=0`` is not
used), so it is the whole summarise stage. The last rows time Keypoint alone
on a 5,000-character Chinese text and a 100,000-word English text, without
quotes (this package's work) and with them (``bot.quotes`` included).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _summ_common import Item, ensure_nltk_data, load_bbc, load_csl, make_scorer

SETS = {"bbc": ("en", load_bbc, 4), "csl": ("zh", load_csl, 1)}
# Scale rows: (label, language, target size, unit). Texts are built by
# joining dev articles, so they are real prose, not a repeated sentence.
SCALE = (("zh 5,000 chars", "zh", 5_000, "chars"), ("en 100,000 words", "en", 100_000, "words"))


def evaluate(system, items: list[Item], n: int, scorer) -> tuple[float, float, float, float]:
    """Mean ROUGE-1/2/L F1 and median milliseconds of ``system`` on ``items``."""
    totals = [0.0, 0.0, 0.0]
    times = []
    for item in items:
        start = time.perf_counter()
        chosen = system(item, n)
        times.append((time.perf_counter() - start) * 1000)
        for k, value in enumerate(scorer(item.reference, "\n".join(chosen))):
            totals[k] += value
    count = max(1, len(items))
    return totals[0] / count, totals[1] / count, totals[2] / count, statistics.median(times)


def scale_text(language: str, size: int, unit: str) -> str:
    """Dev articles joined until ``size`` characters or words."""
    parts: list[str] = []
    total = 0
    for item in load_csl() if language == "zh" else load_bbc():
        parts.append(item.body)
        total += len(item.body) if unit == "chars" else len(item.body.split())
        if total >= size:
            break
    text = "\n\n".join(parts)
    return text[:size] if unit == "chars" else text


def time_ours(text: str, language: str, repeat: int, max_quotes: int, rounds: int = 1) -> tuple[float, float]:
    """(median, fastest) milliseconds of Keypoint's summariser on ``text``.

    A few unmeasured calls first: this machine's shared CPUs run the first
    second or so of a busy process up to 1.6× slower. The calls are made in
    ``rounds`` spread over a few seconds, because the CPUs also slow down
    by half for a second or more at a time: one such spell then moves the
    median of all calls little, where it could hold every call of a single
    burst. The fastest run is printed too, as the figure least touched by
    that noise.
    """
    from bot.summarise import summarise

    for _ in range(max(1, repeat // 4)):
        summarise(text, language=language, max_quotes=max_quotes)
    times = []
    for round_number in range(rounds):
        if round_number:
            time.sleep(0.5)
        for _ in range(repeat):
            start = time.perf_counter()
            summarise(text, language=language, max_quotes=max_quotes)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N articles of each set")
    parser.add_argument("--sets", default="bbc,csl")
    parser.add_argument("--no-scale", action="store_true", help="skip the long-text timing rows")
    args = parser.parse_args()
    ensure_nltk_data()  # before sumy/newspaper import NLTK
    logging.getLogger("jieba").setLevel(logging.WARNING)
    import _summ_baselines as base

    print("| set | system | ROUGE-1 F1 | ROUGE-2 F1 | ROUGE-L F1 | median ms/article |")
    print("|---|---|---|---|---|---|")
    for name in args.sets.split(","):
        language, loader, n = SETS[name]
        items = loader(args.limit)
        scorer = make_scorer(language)
        systems = {
            "Keypoint": base.ours(language),
            f"Lead-{n}": base.lead,
            **({f"Lead-{n} of Keypoint's clauses": base.lead_units(language)} if language == "zh" else {}),
            "sumy LexRank": base.sumy_system("lexrank", language),
            "sumy TextRank": base.sumy_system("textrank", language),
            "sumy Luhn": base.sumy_system("luhn", language),
            "newspaper3k": base.newspaper_system,
        }
        for label, system in systems.items():
            r1, r2, rl, ms = evaluate(system, items, n, scorer)
            print(
                f"| {name} ({len(items)}, {n} pt) | {label} | {r1:.3f} | {r2:.3f} | {rl:.3f} | {ms:.2f} |",
                flush=True,
            )
    if not args.no_scale:
        for label, language, size, unit in SCALE:
            text = scale_text(language, size, unit)
            repeat, rounds = (41, 7) if size < 50_000 else (3, 1)
            for what, quotes in (("points+keywords", 0), ("with quotes (bot.quotes)", 3)):
                median, fastest = time_ours(text, language, repeat, quotes, rounds)
                print(
                    f"| scale: {label} | Keypoint {what} | – | – | – "
                    f"| {median:.2f} (fastest {fastest:.2f}) |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
