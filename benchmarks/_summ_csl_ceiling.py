"""How far above Lead-1 can one extracted sentence get on zh-csl-title-dev?

Usage: ``python benchmarks/_summ_csl_ceiling.py``

The summariser benchmark asks for 2 ROUGE-1 points over the best baseline on
CSL, whose best baseline is Lead-1. This script measures the room there is
and what the signals we have do with it, each rule scored on the even and the
odd half of the set separately (a rule that helps only one half is noise):

- the single-sentence oracle and how often the first sentence is it;
- sentence-selection rules on whole sentences: Keypoint's ranker, cue words,
  keyword density, switching away from the lead when it is not central;
- the oracle for trimming the lead sentence at any clause boundary, which
  is where most of the room is;
- Keypoint as shipped, which chooses among clauses: long Chinese sentences
  are cut where a comma ends one statement and the next begins
  (``bot.summarise.clauses``), never at an arbitrary comma; with Lead-1 over
  the same clauses, so the gain of the units and of the choice show apart.
"""

from __future__ import annotations

import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _summ_common import CharTokenizer, load_csl, make_scorer

from bot.summarise import prepare_units, summarise
from bot.summarise.keywords import extract_keywords
from bot.summarise.rank import feature_columns, language_weights, score_columns

_CLAUSE_START = re.compile(r"[，,：:；;]")
_CLAUSE_END = re.compile(r"[，,；;。.]")


def main() -> None:
    score = make_scorer("zh")
    tokenize = CharTokenizer().tokenize
    weight = language_weights("zh")
    no_lead = dict(weight, lead=0.0, position=0.0)
    docs = []
    for item in load_csl():
        texts, eligible, sizes = prepare_units(item.body)  # sentences, not clauses
        chosen = [i for i, ok in enumerate(eligible) if ok] or list(range(len(texts)))
        if not chosen:
            continue
        columns, _ = feature_columns(texts, "zh", None, eligible, sizes)
        keywords = Counter(tokenize("".join(extract_keywords(item.body, "zh"))))
        docs.append(
            {
                "texts": texts,
                "order": chosen,
                "r1": {i: score(item.reference, texts[i])[0] for i in chosen},
                "ranked": dict(enumerate(score_columns(columns, weight))),
                "central": dict(enumerate(score_columns(columns, no_lead))),
                "centroid": dict(enumerate(columns["centroid"])),
                "cue": dict(enumerate(columns["cue"])),
                "keyword_f1": {i: _f1(Counter(tokenize(texts[i])), keywords) for i in chosen},
                "reference": item.reference,
                "shipped": score(item.reference, summarise(item.body, language="zh", points=1).points[0])[0],
                "clauses": _clause_scores(item.body, item.reference, score),
            }
        )

    def pick(rule: Callable[[dict, int], float]) -> Callable[[dict], int]:
        return lambda doc: max(doc["order"], key=lambda i: (rule(doc, i), -doc["order"].index(i)))

    def lead_first(doc: dict, i: int) -> float:
        return 1.0 if i == doc["order"][0] else 0.0

    rules: dict[str, Callable[[dict], int]] = {
        "Lead-1": pick(lambda d, i: -d["order"].index(i)),
        "Keypoint's ranker on whole sentences": pick(lambda d, i: d["ranked"][i]),
        "Keypoint without lead and position": pick(lambda d, i: d["central"][i]),
        "first sentence with a cue word (本文, 提出…)": pick(
            lambda d, i: d["cue"][i] - 0.01 * d["order"].index(i)
        ),
        "keyword density (F1 with top keywords) + 0.2 lead bonus": pick(
            lambda d, i: d["keyword_f1"][i] + 0.2 * lead_first(d, i)
        ),
        "lead unless its centroid is below 0.5 of the best": lambda d: (
            d["order"][0]
            if d["centroid"][d["order"][0]] >= 0.5
            else max(d["order"], key=lambda i: d["central"][i])
        ),
        "shortest of the first two sentences": pick(
            lambda d, i: -len(d["texts"][i]) if d["order"].index(i) < 2 else -1e9
        ),
    }
    halves = (docs[0::2], docs[1::2])
    print(f"| zh-csl-title-dev ({len(docs)} abstracts, 1 point) | ROUGE-1 even half | odd half | all |")
    print("|---|---|---|---|")
    for label, rule in rules.items():
        parts = [statistics.mean(d["r1"][rule(d)] for d in half) for half in halves]
        total = statistics.mean(d["r1"][rule(d)] for d in docs)
        print(f"| {label} | {parts[0]:.4f} | {parts[1]:.4f} | {total:.4f} |")
    oracle = [max(d["r1"].values()) for d in docs]
    print(
        f"| single-sentence oracle | {statistics.mean(oracle[0::2]):.4f} "
        f"| {statistics.mean(oracle[1::2]):.4f} | {statistics.mean(oracle):.4f} |"
    )
    clause = [_clause_oracle(d, score) for d in docs]
    print(
        f"| lead sentence trimmed at the best clause boundaries (oracle) "
        f"| {statistics.mean(clause[0::2]):.4f} | {statistics.mean(clause[1::2]):.4f} "
        f"| {statistics.mean(clause):.4f} |"
    )
    shipped = {
        "Keypoint as shipped: long sentences cut into clauses (bot.summarise.clauses)": [
            d["shipped"] for d in docs
        ],
        "Lead-1 of those clauses": [d["clauses"][0] for d in docs],
        "single-clause oracle": [max(d["clauses"]) for d in docs],
    }
    for label, values in shipped.items():
        print(
            f"| {label} | {statistics.mean(values[0::2]):.4f} | {statistics.mean(values[1::2]):.4f} "
            f"| {statistics.mean(values):.4f} |"
        )
    best_at = Counter(d["order"].index(max(d["r1"], key=d["r1"].get)) for d in docs)
    print()
    print(
        "Position of the best sentence:", ", ".join(f"{k + 1}: {v}" for k, v in sorted(best_at.items())[:6])
    )


def _f1(candidate: Counter, reference: Counter) -> float:
    overlap = sum((candidate & reference).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(candidate.values()), overlap / sum(reference.values())
    return 2 * precision * recall / (precision + recall)


def _clause_scores(
    body: str, reference: str, score: Callable[[str, str], tuple[float, float, float]]
) -> list[float]:
    """ROUGE-1 of each unit Keypoint chooses among, in order (clauses of long sentences)."""
    texts, eligible, _ = prepare_units(body, "zh")
    return [score(reference, text)[0] for text, ok in zip(texts, eligible, strict=True) if ok] or [0.0]


def _clause_oracle(doc: dict, score: Callable[[str, str], tuple[float, float, float]]) -> float:
    lead = doc["texts"][doc["order"][0]]
    starts = [0] + [m.end() for m in _CLAUSE_START.finditer(lead)]
    ends = [m.start() for m in _CLAUSE_END.finditer(lead)] + [len(lead)]
    return max(score(doc["reference"], lead[a:b])[0] for a in starts for b in ends if b > a)


if __name__ == "__main__":
    main()
