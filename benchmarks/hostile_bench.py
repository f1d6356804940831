"""Every pathological input of the catalogue at 10k, 100k and 1M characters.

For each generator of ``tests/support/hostile.py``, a fresh Python process
warms the pipeline up, then runs the sizes in ascending order through what the
bot runs for it (``digest_text`` for texts, ``digest_html`` for pages: extract,
repair, summarise with quotes and keywords) plus rendering. It prints seconds
per size, the growth per tenfold (≈10 is linear; quadratic would be ≈100) and
peak memory: the growth of the process's peak RSS (``ru_maxrss``) over its
level after warm-up, so the 1M figure is the peak of the whole run, which the
largest size sets.

The text cap (``max_text_chars``) is switched off here (``--cap`` sets one):
the figures are the core's own, on the full input.

    python benchmarks/hostile_bench.py                      # every generator, ~5 minutes
    python benchmarks/hostile_bench.py --only "<p>" --sizes 10000 100000

Bounds checked (and marked ✗ when broken): growth ≤ 15× per tenfold, and at
1M characters ≤ 2 s and ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.errors import KeypointError  # noqa: E402  # after the path is set
from tests.support.hostile import CATALOGUE, Generator  # noqa: E402  # after the path is set

MAX_GROWTH = 15.0
MAX_SECONDS_AT_1M = 2.0
MAX_MB_AT_1M = 300.0


def run_case(generator: Generator, size: int, cap: int | None) -> tuple[float, str]:
    """Seconds to digest and render ``generator`` at ``size``, and how it ended."""
    from bot.pipeline import digest_html, digest_text
    from bot.render import render_digest, split_html

    source = generator.make(size)
    started = time.perf_counter()
    try:
        if generator.kind == "text":
            digest = digest_text(source, max_chars=cap)
        else:
            digest = digest_html(source, max_chars=cap)
        split_html(render_digest(digest))
        outcome = f"{len(digest.summary.points)} points"
    except KeypointError as error:
        outcome = type(error).__name__
    return time.perf_counter() - started, outcome


def child(name: str, sizes: list[int], cap: int | None) -> None:
    """Run one generator at every size in this process; one JSON line per size."""
    from bot.telegram.service import warm_up_job

    generator = next(g for g in CATALOGUE if g.name == name)
    warm_up_job()
    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for size in sizes:
        seconds, outcome = run_case(generator, size, cap)
        peak_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base_kb) / 1024
        print(json.dumps({"size": size, "seconds": seconds, "peak_mb": peak_mb, "outcome": outcome}))
        sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--only", help="run the generators whose name contains this")
    parser.add_argument("--cap", type=int, default=None, help="max_text_chars (default: no cap)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.sizes, args.cap)
        return
    chosen = [g for g in CATALOGUE if not args.only or args.only in g.name]
    sizes = sorted(args.sizes)
    print(f"{len(chosen)} generators; sizes {', '.join(f'{s:,}' for s in sizes)}; cap {args.cap}")
    columns = [*(f"s @{s:,}" for s in sizes), "growth/10×", f"MB @{sizes[-1]:,}"]
    print_row(["generator", "kind", *columns, "outcome"], args.markdown, header=True)
    within = 0
    for generator in chosen:
        rows = run_child(generator, sizes, args.cap)
        if rows is None:
            continue
        seconds = [row["seconds"] for row in rows]
        growth = max(
            (later / max(earlier, 1e-4)) ** (1 / _decades(a, b))
            for earlier, later, a, b in zip(seconds, seconds[1:], sizes, sizes[1:], strict=False)
        )
        peak = rows[-1]["peak_mb"]
        ok = growth <= MAX_GROWTH and (
            sizes[-1] < 1_000_000 or (seconds[-1] <= MAX_SECONDS_AT_1M and peak <= MAX_MB_AT_1M)
        )
        within += ok
        cells = [*(f"{s:.3f}" for s in seconds), f"{growth:.1f}", f"{peak:.0f}"]
        outcome = rows[-1]["outcome"] + ("" if ok else " ✗")
        print_row([generator.name, generator.kind, *cells, outcome], args.markdown)
    print(f"{within} of {len(chosen)} generators within the bounds")


def run_child(generator: Generator, sizes: list[int], cap: int | None) -> list[dict[str, Any]] | None:
    """The rows of one generator, measured in a fresh process (None, and the error shown, if it failed)."""
    command = [sys.executable, __file__, "--child", generator.name, "--sizes", *map(str, sizes)]
    if cap is not None:
        command += ["--cap", str(cap)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    if len(rows) != len(sizes):
        print(f"{generator.name}: failed\n{result.stderr[-2000:]}")
        return None
    return rows


def print_row(cells: list[str], markdown: bool, *, header: bool = False) -> None:
    """One table row, as Markdown or as aligned columns."""
    if markdown:
        print("| " + " | ".join(cells) + " |")
        if header:
            print("|" + "---|" * len(cells))
        return
    print(f"{cells[0]:<42}{cells[1]:<6}" + "".join(f"{c:>12}" for c in cells[2:-1]) + f"  {cells[-1]}")
    sys.stdout.flush()


def _decades(smaller: int, larger: int) -> float:
    """How many tenfolds lie between two sizes (1.0 for 10k → 100k)."""
    return math.log10(larger / smaller)


if __name__ == "__main__":
    main()
