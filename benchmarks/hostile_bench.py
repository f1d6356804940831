"""Every pathological input of the catalogue at 10k, 100k and 1M characters.

For each generator of ``tests/support/hostile.py``, a fresh Python process
warms the pipeline up, then runs the sizes in ascending order through what a
worker runs for it: ``page_job`` (bot/telegram/service.py) on the input as an
uploaded ``.txt`` document or an HTML page, with the shipped defaults — the
text cap (``max_text_chars``), the bound on HTML elements
(``max_html_elements``) and the CPU budget (``job_cpu_seconds``) — then
renders the reply. (Pasted text takes ``text_job``, the same pipeline, but a
Telegram message holds at most 4,096 characters, so long input comes as a
document.) ``--core`` runs ``digest_text`` / ``digest_html`` with every bound
off instead: the core's own figures on the full input.

It prints seconds per size, the growth per tenfold (≈10 is linear; quadratic
would be ≈100) and peak memory: the growth of the process's peak RSS
(``ru_maxrss``) over its level after warm-up, so the last figure is the peak
of the whole run, which the largest size sets.

Baseline, same process, largest size only: the library alone on the same
whole input — ``ftfy.fix_text`` for a text, ``trafilatura.extract`` for a
page — which is what a pipeline that handed its input straight to its
libraries would spend before doing any work of its own. It runs under a CPU
limit of ``--baseline-limit`` seconds (shown as ">N" when it hits it);
``--no-baseline`` skips it.

    python benchmarks/hostile_bench.py                  # every generator, ~15 minutes
    python benchmarks/hostile_bench.py --only "<p>" --sizes 10000 100000
    python benchmarks/hostile_bench.py --core --no-baseline

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

from bot.errors import KeypointError, TooComplexError  # noqa: E402  # after the path is set
from bot.models import Digest  # noqa: E402  # after the path is set
from tests.support.hostile import CATALOGUE, Generator  # noqa: E402  # after the path is set

MAX_GROWTH = 15.0
MAX_SECONDS_AT_1M = 2.0
MAX_MB_AT_1M = 300.0


def _shipped(name: str) -> Any:
    """The default of one setting, as a fresh install runs it (the environment not read)."""
    from bot.config import Settings

    return Settings.model_fields[name].default


def _digest(generator: Generator, source: str, core: bool) -> Digest:
    """What the bot makes of ``source``: a worker's page job, or (``core``) the unbounded pipeline."""
    from bot.models import FetchedPage
    from bot.pipeline import digest_html, digest_text
    from bot.telegram.service import page_job

    if core:
        if generator.kind == "text":
            return digest_text(source)
        return digest_html(source, max_elements=None)
    content_type = "text/plain" if generator.kind == "text" else "text/html"
    url = "https://hostile.example/input"
    page = FetchedPage(url, url, 200, content_type, source.encode("utf-8"), "utf-8")
    return page_job(
        page,
        _shipped("max_quotes"),
        _shipped("max_text_chars"),
        _shipped("job_cpu_seconds"),
        _shipped("max_html_elements"),
    )


def run_case(generator: Generator, size: int, core: bool) -> tuple[float, str]:
    """Seconds to digest and render ``generator`` at ``size``, and how it ended."""
    from bot.render import render_digest, split_html

    source = generator.make(size)
    started = time.perf_counter()
    try:
        digest = _digest(generator, source, core)
        split_html(render_digest(digest))
        outcome = f"{len(digest.summary.points)} points"
    except KeypointError as error:
        outcome = type(error).__name__
    return time.perf_counter() - started, outcome


def run_baseline(generator: Generator, size: int, limit: float) -> float | None:
    """Seconds the library alone spends on the whole input (None: over ``limit`` CPU seconds)."""
    import ftfy
    import trafilatura

    from bot.budget import cpu_budget

    source = generator.make(size)
    started = time.perf_counter()
    try:
        with cpu_budget(limit):
            if generator.kind == "text":
                ftfy.fix_text(source)
            else:
                trafilatura.extract(source)
    except TooComplexError:
        return None
    return time.perf_counter() - started


def child(name: str, sizes: list[int], core: bool, baseline_limit: float | None) -> None:
    """Run one generator at every size in this process; one JSON line per size, then the baseline."""
    from bot.telegram.service import warm_up_job

    generator = next(g for g in CATALOGUE if g.name == name)
    warm_up_job()
    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for size in sizes:
        seconds, outcome = run_case(generator, size, core)
        peak_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base_kb) / 1024
        print(json.dumps({"size": size, "seconds": seconds, "peak_mb": peak_mb, "outcome": outcome}))
        sys.stdout.flush()
    if baseline_limit:
        print(json.dumps({"baseline": run_baseline(generator, sizes[-1], baseline_limit)}))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--only", help="run the generators whose name contains this")
    parser.add_argument("--core", action="store_true", help="the unbounded pipeline, not a worker's job")
    parser.add_argument("--baseline-limit", type=float, default=20.0, help="CPU seconds for the baseline")
    parser.add_argument("--no-baseline", action="store_true", help="skip the library-alone baseline")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    baseline_limit = None if args.no_baseline else args.baseline_limit
    if args.child:
        child(args.child, args.sizes, args.core, baseline_limit)
        return
    chosen = [g for g in CATALOGUE if not args.only or args.only in g.name]
    sizes = sorted(args.sizes)
    how = "core, unbounded" if args.core else "worker page job, shipped defaults"
    print(f"{len(chosen)} generators; sizes {', '.join(f'{s:,}' for s in sizes)}; {how}")
    columns = [*(f"s @{s:,}" for s in sizes), "growth/10×", f"MB @{sizes[-1]:,}"]
    if baseline_limit:
        columns.append(f"library s @{sizes[-1]:,}")
    print_row(["generator", "kind", *columns, "outcome"], args.markdown, header=True)
    within = 0
    for generator in chosen:
        result = run_child(generator, sizes, args.core, baseline_limit)
        if result is None:
            continue
        rows, baseline = result
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
        if baseline_limit:
            cells.append(f">{baseline_limit:.0f}" if baseline is None else f"{baseline:.3f}")
        outcome = rows[-1]["outcome"] + ("" if ok else " ✗")
        print_row([generator.name, generator.kind, *cells, outcome], args.markdown)
    print(f"{within} of {len(chosen)} generators within the bounds")


def run_child(
    generator: Generator, sizes: list[int], core: bool, baseline_limit: float | None
) -> tuple[list[dict[str, Any]], float | None] | None:
    """The rows and baseline of one generator, measured in a fresh process (None if it failed)."""
    command = [sys.executable, __file__, "--child", generator.name, "--sizes", *map(str, sizes)]
    command += ["--core"] if core else []
    command += ["--baseline-limit", str(baseline_limit)] if baseline_limit else ["--no-baseline"]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    rows = [line for line in lines if "size" in line]
    baselines = [line["baseline"] for line in lines if "baseline" in line]
    if len(rows) != len(sizes) or (baseline_limit and not baselines):
        print(f"{generator.name}: failed\n{result.stderr[-2000:]}")
        return None
    return rows, baselines[0] if baselines else None


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
