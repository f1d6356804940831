"""Shared pieces of the summariser benchmark: data, offline NLTK, ROUGE, baselines.

Kept apart from ``summarise_bench.py`` so the weight-fitting script can reuse
the same data loading and scoring without running the slow baselines.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from _shared import shared_dir

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench-cache"
_NLTK_PREFIX = "llama_index/core/_static/nltk_cache/"


@dataclass(frozen=True)
class Item:
    """One benchmark article: body text, optional title, reference summary."""

    id: str
    title: str | None
    body: str
    reference: str


def load_bbc(limit: int | None = None) -> list[Item]:
    """BBC dev pairs; the headline (first line) becomes the title."""
    items = []
    with open(shared_dir() / "corpus/bbc-news-dev/pairs.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            head, _, body = row["article"].strip().partition("\n")
            # References glue sentences without a space: restore it for scoring.
            reference = re.sub(r"(?<=[.!?\"'])(?=[A-Z\"'])", " ", row["summary"])
            items.append(Item(row["id"], head.strip(), body.strip(), reference))
    return items[:limit] if limit else items


def load_csl(limit: int | None = None) -> list[Item]:
    """CSL abstracts; the paper title is the reference (so no title is given)."""
    items = []
    with open(shared_dir() / "corpus/zh-csl-title-dev/ts_dev.tsv", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3:
                items.append(Item(f"csl/{number}", None, parts[1], parts[2]))
    return items[:limit] if limit else items


def ensure_nltk_data() -> Path:
    """Point NLTK at Punkt and stopwords unpacked from the llama-index-core wheel.

    The wheel ships NLTK's ``punkt_tab`` and ``stopwords``; downloading it with
    pip (no install) works where NLTK's own downloader cannot reach its server.
    """
    target = CACHE / "nltk_data"
    if not (target / "tokenizers" / "punkt_tab" / "english").is_dir():
        wheels = CACHE / "wheels"
        found = sorted(wheels.glob("llama_index_core-*.whl")) if wheels.is_dir() else []
        if not found:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "-q",
                    "--no-deps",
                    "llama-index-core",
                    "-d",
                    str(wheels),
                ],
                check=True,
            )
            found = sorted(wheels.glob("llama_index_core-*.whl"))
        with zipfile.ZipFile(found[-1]) as wheel:
            for name in wheel.namelist():
                if name.startswith(_NLTK_PREFIX) and not name.endswith("/"):
                    out = target / name[len(_NLTK_PREFIX) :]
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(wheel.read(name))
    os.environ["NLTK_DATA"] = str(target)
    return target


class CharTokenizer:
    """ROUGE tokens for Chinese: each Han character, each Latin/digit run.

    rouge-score's default tokenizer keeps only ``[a-z0-9]`` and so would drop
    every Chinese character.
    """

    _TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]|[A-Za-z0-9]+")

    def tokenize(self, text: str) -> list[str]:
        return [t.lower() for t in self._TOKEN.findall(text)]


def make_scorer(language: str) -> Callable[[str, str], tuple[float, float, float]]:
    """(reference, candidate) -> ROUGE-1/2/L F1."""
    from rouge_score import rouge_scorer

    if language == "zh":
        scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=CharTokenizer())
    else:
        scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)

    def score(reference: str, candidate: str) -> tuple[float, float, float]:
        result = scorer.score(reference, candidate)
        return result["rouge1"].fmeasure, result["rouge2"].fmeasure, result["rougeL"].fmeasure

    return score
