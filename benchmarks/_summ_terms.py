"""Chinese term representation: character bigrams vs jieba words vs single characters.

Usage: ``/work/venv/bin/python benchmarks/_summ_terms.py`` (needs jieba, which
sumy's Chinese tokenizer also uses). Position features are switched off so
only the terms decide; scored on zh-csl-title-dev, 1 point, as in the main
benchmark.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _summ_baselines as base
from _summ_common import load_csl, make_scorer
from summarise_bench import evaluate

import bot.summarise.rank as rank
from bot.summarise.terms import stopwords, terms

_HAN = re.compile(r"[\u4e00-\u9fff]+")


def jieba_terms(text: str, language: str) -> list[str]:
    """Words of two or more Han characters from jieba, plus our Latin terms."""
    import jieba

    stop = stopwords("zh")
    words = [w for w in jieba.cut(text) if len(w) > 1 and _HAN.fullmatch(w) and w not in stop]
    return words + terms(_HAN.sub(" ", text), language)


def char_terms(text: str, language: str) -> list[str]:
    """Single Han characters, plus our Latin terms."""
    stop = stopwords("zh")
    return [c for c in text if "\u4e00" <= c <= "\u9fff" and c not in stop] + terms(
        _HAN.sub(" ", text), language
    )


def main() -> None:
    logging.getLogger("jieba").setLevel(logging.WARNING)
    rank.weights()["overrides"] = {"zh": {"lead": 0.0, "position": 0.0}}  # type: ignore[index]
    items, scorer = load_csl(), make_scorer("zh")
    print("| terms | ROUGE-1 | ROUGE-2 | ROUGE-L | ms/article |")
    print("|---|---|---|---|---|")
    for label, function in (
        ("character bigrams", terms),
        ("jieba words", jieba_terms),
        ("single characters", char_terms),
    ):
        rank.terms = function  # type: ignore[assignment]
        r1, r2, rl, ms = evaluate(base.ours("zh"), items, 1, scorer)
        print(f"| {label} | {r1:.3f} | {r2:.3f} | {rl:.3f} | {ms:.2f} |", flush=True)


if __name__ == "__main__":
    main()
