"""Extraction benchmark: our extract+repair against plain trafilatura (and readability-lxml).

One run, one table. Data comes from the shared folder (``KEYPOINT_SHARED``,
else ``../shared``); nothing is copied into the repository.

- ``web-zyte-aeb``: the benchmark's own metric — 4-token shingles of ``\\w+``
  tokens, per-page TP/FP/FN normalised to sum 1, precision and recall averaged
  over pages, F1 of the two averages.
- ``web-trafilatura-eval``: a "with" segment found is a TP, missing a FN; a
  "without" segment found is a FP (whitespace-normalised substring test).
- ``web-zh-cwced``: character bags after NFKC with whitespace and punctuation
  removed; per-page P/R averaged, F1 of the averages; plus the number of pages
  whose text shows mojibake or U+FFFD.
- ms/page: median wall time per page for each extractor (over all three sets).

Usage: ``python benchmarks/extract_bench.py [--limit N] [--no-readability]``
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura
from _shared import shared_dir
from ftfy.badness import is_bad

from bot.errors import KeypointError
from bot.extract import extract_html
from bot.repair import fix_text

ROOT = Path(__file__).resolve().parent.parent
Extractor = Callable[[bytes], str]


# --- extractors --------------------------------------------------------------


def ours(body: bytes) -> str:
    """The pipeline's path: extract (our decoding, fallback, checks), then repair."""
    try:
        return fix_text(extract_html(body).text)
    except KeypointError:
        return ""


def plain_trafilatura(body: bytes) -> str:
    """trafilatura as most people call it: bytes in, default settings."""
    return trafilatura.extract(body) or ""


def plain_readability(body: bytes) -> str:
    """readability-lxml's summary HTML flattened to text by lxml."""
    from lxml import html as lxml_html
    from readability import Document

    try:
        summary = Document(body).summary(html_partial=True)
        return lxml_html.fromstring(summary).text_content()
    except Exception:
        return ""


# --- metrics -----------------------------------------------------------------

_TOKEN = re.compile(r"\w+")


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def zyte_counts(true: str, pred: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of shingles, as the Zyte benchmark computes them."""
    t, p = _shingles(true), _shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def zyte_prf(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(precision(*c) for c in counts if c[0] + c[1] > 0)
    r = statistics.mean(recall(*c) for c in counts if c[0] + c[2] > 0)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _squash(text: str) -> str:
    return " ".join(text.split())


def segment_counts(text: str, with_: list[str], without: list[str]) -> tuple[int, int, int]:
    """(tp, fp, fn) of trafilatura-eval's with/without segments."""
    flat = _squash(text)
    tp = sum(1 for s in with_ if _squash(s) in flat)
    fn = len(with_) - tp
    fp = sum(1 for s in without if _squash(s) in flat)
    return tp, fp, fn


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _chars(text: str) -> Counter[str]:
    text = unicodedata.normalize("NFKC", text)
    return Counter(c for c in text if not c.isspace() and not unicodedata.category(c).startswith(("P", "S")))


def char_prf(true: str, pred: str) -> tuple[float, float]:
    t, p = _chars(true), _chars(pred)
    overlap = sum((t & p).values())
    return (overlap / sum(p.values()) if p else 0.0), (overlap / sum(t.values()) if t else 0.0)


_LATIN_MOJIBAKE = re.compile(r"[\u00c0-\u00ff][\u0080-\u00ff]")


def has_mojibake(text: str) -> bool:
    """U+FFFD, Latin-1 letter pairs in a page that should be Chinese, or what ftfy calls bad.

    ftfy's ``is_bad`` also catches GBK read as a Cyrillic code page.
    """
    return "\ufffd" in text or len(_LATIN_MOJIBAKE.findall(text)) >= 3 or is_bad(text)


# --- datasets ----------------------------------------------------------------


def run_zyte(base: Path, extractors: dict[str, Extractor], limit: int | None, times: dict[str, list[float]]):
    truth = json.loads((base / "ground-truth.json").read_text("utf-8"))
    keys = sorted(truth)[:limit] if limit else sorted(truth)
    counts: dict[str, list[tuple[float, float, float]]] = {name: [] for name in extractors}
    for key in keys:
        body = (base / "html" / f"{key}.html").read_bytes()
        for name, extractor in extractors.items():
            text = _timed(extractor, body, times[name])
            counts[name].append(zyte_counts(truth[key].get("articleBody", ""), text))
    return {name: zyte_prf(c) for name, c in counts.items()}, len(keys)


def run_trafilatura_eval(base: Path, extractors: dict[str, Extractor], limit: int | None, times):
    data = json.loads((base / "evaldata-subset.json").read_text("utf-8"))
    items = sorted(data.items())[:limit] if limit else sorted(data.items())
    totals = {name: [0, 0, 0] for name in extractors}
    for _url, item in items:
        body = (base / "html" / item["file"]).read_bytes()
        for name, extractor in extractors.items():
            text = _timed(extractor, body, times[name])
            for i, v in enumerate(segment_counts(text, item.get("with", []), item.get("without", []))):
                totals[name][i] += v
    return {name: prf(*t) for name, t in totals.items()}, len(items)


def run_cwced(base: Path, extractors: dict[str, Extractor], limit: int | None, times):
    pages = sorted((base / "original").glob("*.html"))
    pages = pages[:limit] if limit else pages
    scores: dict[str, list[tuple[float, float]]] = {name: [] for name in extractors}
    bad: dict[str, list[str]] = {name: [] for name in extractors}
    for page in pages:
        gold = (base / "cleaned" / f"{page.stem}.txt").read_text("utf-8", errors="replace")
        body = page.read_bytes()
        for name, extractor in extractors.items():
            text = _timed(extractor, body, times[name])
            scores[name].append(char_prf(gold, text))
            if has_mojibake(text):
                bad[name].append(page.stem)
    result = {}
    for name, pairs in scores.items():
        p = statistics.mean(x for x, _ in pairs)
        r = statistics.mean(y for _, y in pairs)
        result[name] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, len(bad[name]))
    return result, len(pages), bad


def _timed(extractor: Extractor, body: bytes, sink: list[float]) -> str:
    started = time.perf_counter()
    text = extractor(body)
    sink.append((time.perf_counter() - started) * 1000)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="pages per data set (for a quick look)")
    parser.add_argument("--no-readability", action="store_true", help="skip the readability-lxml column")
    parser.add_argument("--show-bad", action="store_true", help="list the pages with mojibake")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    import logging

    logging.disable(logging.CRITICAL)
    corpus = shared_dir() / "corpus"
    extractors: dict[str, Extractor] = {"ours": ours, "trafilatura": plain_trafilatura}
    if not args.no_readability:
        extractors["readability"] = plain_readability
    times: dict[str, list[float]] = {name: [] for name in extractors}

    zyte, n_zyte = run_zyte(corpus / "web-zyte-aeb", extractors, args.limit, times)
    teval, n_teval = run_trafilatura_eval(corpus / "web-trafilatura-eval", extractors, args.limit, times)
    cwced, n_cwced, bad = run_cwced(corpus / "web-zh-cwced", extractors, args.limit, times)

    names = list(extractors)
    print(f"| metric | {' | '.join(names)} |")
    print(f"|---|{'---|' * len(names)}")

    def row(label: str, values: list[str]) -> None:
        print(f"| {label} | {' | '.join(values)} |")

    for index, part in enumerate(("P", "R", "F1")):
        row(f"Zyte AEB ({n_zyte}) token {part}", [f"{zyte[n][index]:.3f}" for n in names])
    for index, part in enumerate(("P", "R", "F1")):
        row(f"trafilatura-eval ({n_teval}) segment {part}", [f"{teval[n][index]:.3f}" for n in names])
    for index, part in enumerate(("P", "R", "F1")):
        row(f"CWCED ({n_cwced}) char {part}", [f"{cwced[n][index]:.3f}" for n in names])
    row("CWCED pages with mojibake/U+FFFD", [str(cwced[n][3]) for n in names])
    row("ms/page median", [f"{statistics.median(times[n]):.1f}" for n in names])
    if args.show_bad:
        for name in names:
            print(name, "mojibake:", " ".join(bad[name]))


if __name__ == "__main__":
    main()
