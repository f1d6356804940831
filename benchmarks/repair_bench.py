"""Repair benchmark: our ``fix_text`` against plain ftfy on ftfy's own test cases.

Data: ``mojibake-ftfy`` in the shared folder (``KEYPOINT_SHARED``, else
``../shared``): (original, fixed) pairs in five files. A case counts as right
when the output equals ``fixed`` exactly; the "modulo conventions" columns fold
the conventions we differ on by design (see :func:`loose`). ``known-failures``
are cases ftfy itself gets wrong.

Usage: ``python benchmarks/repair_bench.py``
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import ftfy
from _shared import shared_dir
from ftfy import fixes

from bot.repair import fix_text

ROOT = Path(__file__).resolve().parent.parent
FILES = ("in-the-wild", "synthetic", "language-names", "negative", "known-failures")


def loose(text: str) -> str:
    """Text with the conventions we deliberately differ on folded away.

    ftfy's expected outputs straighten curly quotes, fold full-width characters
    and ligatures; we keep curly quotes (quote finding needs them) and
    Chinese full-width punctuation, and we trim and re-space lines.
    """
    folded = fixes.uncurl_quotes(fixes.fix_latin_ligatures(fixes.fix_character_width(text)))
    return " ".join(folded.split())


def main() -> None:
    base = shared_dir() / "corpus" / "mojibake-ftfy"
    fixers: dict[str, Callable[[str], str]] = {"plain ftfy": ftfy.fix_text, "ours (fix_text)": fix_text}
    columns = [f"{name} exact" for name in fixers] + [f"{name} modulo conventions" for name in fixers]
    print(f"| cases | n | {' | '.join(columns)} |")
    print(f"|---|---|{'---|' * len(columns)}")
    totals = [0] * len(columns)
    count = 0
    times = dict.fromkeys(fixers, 0.0)
    for name in FILES:
        cases = json.loads((base / f"{name}.json").read_text("utf-8"))
        right = [0] * len(columns)
        for case in cases:
            for index, (fixer, function) in enumerate(fixers.items()):
                started = time.perf_counter()
                output = function(case["original"])
                times[fixer] += time.perf_counter() - started
                right[index] += output == case["fixed"]
                right[len(fixers) + index] += loose(output) == loose(case["fixed"])
        count += len(cases)
        totals = [t + r for t, r in zip(totals, right, strict=True)]
        print(f"| {name} | {len(cases)} | {' | '.join(f'{r}/{len(cases)}' for r in right)} |")
    print(f"| all | {count} | {' | '.join(f'{t}/{count} ({t / count:.1%})' for t in totals)} |")
    cells = [f"{1e6 * times[f] / count:.0f} µs/case" for f in fixers] + ["", ""]
    print(f"| time | | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
