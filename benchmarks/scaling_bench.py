"""How repair and summarise scale with input size (issue: hostile input).

Prints one table: seconds for repair and for summarise at growing sizes of
real-looking English and Chinese text, and the growth factor per doubling
(≈2 is linear, ≈2.2 is n log n, ≈4 would be quadratic).

    python benchmarks/scaling_bench.py
"""

from __future__ import annotations

import time

from bot.repair import fix_text
from bot.summarise import summarise

EN_PARAGRAPH = (
    "The council voted on Tuesday to build {n} new homes near the river, a plan that critics say "
    'ignores the risk of floods. "We have waited long enough," said councillor Anna Reyes. '
    "Officials expect work to start in {n} days, and the budget of ${n}m was approved by nine votes "
    "to four.\n"
)
ZH_PARAGRAPH = (
    "市政府周二宣布将在河边新建{n}套住房，批评者认为该计划忽视了洪水风险。议员李明表示：“我们已经等得够久了。”"
    "官员预计工程将在{n}天内开工，{n}亿元的预算以九票对四票获得通过。\n"
)


def make_text(template: str, size: int) -> str:
    parts: list[str] = []
    total = 0
    n = 0
    while total < size:
        paragraph = template.format(n=n)
        parts.append(paragraph)
        total += len(paragraph)
        n += 1
    return "".join(parts)[:size]


def timed(function, *args, **kwargs) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - started


def main() -> None:
    sizes = [125_000, 250_000, 500_000, 1_000_000]
    print(f"{'lang':<5}{'chars':>10}{'repair s':>10}{'summarise s':>13}{'growth':>8}")
    for language, template in (("en", EN_PARAGRAPH), ("zh", ZH_PARAGRAPH)):
        previous = None
        for size in sizes:
            text = make_text(template, size)
            repair_s = timed(fix_text, text)
            summarise_s = timed(summarise, text, language=language)
            total = repair_s + summarise_s
            growth = f"{total / previous:.2f}" if previous else "-"
            previous = total
            print(f"{language:<5}{size:>10,}{repair_s:>10.2f}{summarise_s:>13.2f}{growth:>8}")


if __name__ == "__main__":
    main()
