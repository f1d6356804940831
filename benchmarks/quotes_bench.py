"""Benchmark quote finding and speaker attribution; prints one table.

English: PolNeAR (``$KEYPOINT_SHARED/corpus/polnear-dev``). Gold direct quotes
are the attributions whose content starts with a quote mark; one annotator
per article (the first ``.ann`` file by name) so no article counts twice. A
predicted quote matches a gold one when their word multisets have Jaccard
>= 0.5 (one-to-one, greedy). Named-speaker accuracy is over matched quotes
whose gold source is a name (its head, before any comma or parenthesis, ends
in a capitalised word that is not a pronoun): right when the predicted
speaker's last token equals the gold one's.

Chinese: zh-speaker-id (``corpus/zh-speaker-id-dev``): each passage's 11th
sentence is the labelled quote; accuracy of the predicted speaker against the
speaker's aliases (the name list is used for scoring and by the baseline only).

Baselines, same run: English — quotes paired per paragraph (>= 4 words),
speaker = nearest capitalised name before or after the quote in its
paragraph; Chinese — nearest name from the gold name list.

Usage: python benchmarks/quotes_bench.py [--split dev|train|both]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from bot.quotes import find_quotes

ROOT = Path(__file__).resolve().parent.parent
_WORD = re.compile(r"\w+")
_TITLES = {"Secretary", "Sen.", "Rep.", "Gov.", "President", "Director", "Mayor", "Governor", "Senator"}
_SUFFIXES = {"Jr", "Sr", "II", "III", "IV"}
_PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "who", "which", "that"}


def shared_dir() -> Path | None:
    """``$KEYPOINT_SHARED`` or ``../shared`` beside the repository."""
    named = os.environ.get("KEYPOINT_SHARED")
    path = Path(named) if named else ROOT.parent / "shared"
    return path if path.is_dir() else None


def jaccard(a: str, b: str) -> float:
    """Word-multiset Jaccard similarity."""
    ca, cb = Counter(_WORD.findall(a.lower())), Counter(_WORD.findall(b.lower()))
    union = sum((ca | cb).values())
    return sum((ca & cb).values()) / union if union else 0.0


def gold_name(source: str) -> str | None:
    """The last token of a gold source that is a name, else None."""
    head = re.split(r"[,(]", source, maxsplit=1)[0].strip()
    # "Mr. Burman of the Tax Policy Center" → "Mr. Burman" (not "Secretary of State").
    before_of = head.split(" of ")[0].split()
    if len(before_of) >= 2 and before_of[-1][:1].isupper() and before_of[-1] not in _TITLES:
        head = " ".join(before_of)
    words = [w for w in re.findall(r"[\w’'.\-]+", head) if w.strip(".") not in _SUFFIXES]
    if not words:
        return None
    last = re.sub(r"[’']s$", "", words[-1]).strip(".")
    if not last[:1].isupper() or last.lower() in _PRONOUNS:
        return None
    return last.lower()


def last_token(name: str | None) -> str | None:
    if not name:
        return None
    words = re.findall(r"[\w’'\-]+", name)
    return re.sub(r"[’']s$", "", words[-1]).lower() if words else None


# ---------------------------------------------------------------- baselines
_BASE_PAIRS = {"“": "”", '"': '"'}
_CAP_RUN = re.compile(r"(?:[A-Z][\w’'\-]+\s?){1,3}")
_SKIP = {"The", "A", "An", "In", "He", "She", "It", "But", "And", "I", "We", "They", "This", "That"}


def baseline_en(text: str) -> list[tuple[str, str | None]]:
    """Paired marks in a paragraph; nearest capitalised name as speaker."""
    out: list[tuple[str, str | None]] = []
    offset = 0
    for para in text.split("\n"):
        for m in re.finditer(r"“([^”]+)”|\"([^\"]+)\"", para):
            inner = m.group(1) or m.group(2)
            if len(inner.split()) < 4:
                continue
            best: tuple[int, str] | None = None
            for c in _CAP_RUN.finditer(para):
                if m.start() <= c.start() < m.end():
                    continue
                name = c.group().strip()
                if name.split()[0] in _SKIP:
                    continue
                dist = m.start() - c.end() if c.end() <= m.start() else c.start() - m.end()
                if best is None or dist < best[0]:
                    best = (dist, name)
            out.append((inner, best[1] if best else None))
        offset += len(para) + 1
    return out


# ---------------------------------------------------------------- English
def load_polnear(root: Path, split: str) -> dict[str, list[tuple[str, str]]]:
    """text file → gold (content, source) direct quotes, one annotator each."""
    by_ann: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    with open(root / "attributions.jsonl", encoding="utf-8") as handle:
        for line in handle:
            rec = json.loads(line)
            if rec["split"] != split:
                continue
            seen.add((rec["text_file"], rec["ann_file"]))
            if rec["content_starts_with_quote_mark"]:
                content = " ".join(c["text"] for c in rec["content"])
                source = " ".join(s["text"] for s in rec["source"])
                by_ann[(rec["text_file"], rec["ann_file"])].append((content, source))
    first: dict[str, str] = {}
    for text_file, ann in sorted(seen):
        first.setdefault(text_file, ann)
    return {t: by_ann.get((t, a), []) for t, a in first.items()}


def score_en(root: Path, split: str) -> dict[str, dict[str, float]]:
    gold_docs = load_polnear(root, split)
    stats: dict[str, Counter[str]] = {k: Counter() for k in ("keypoint", "baseline")}
    elapsed = 0.0
    for text_file, gold in gold_docs.items():
        text = (root / text_file).read_text(encoding="utf-8")
        t0 = time.perf_counter()
        quotes = find_quotes(text, "en")
        elapsed += time.perf_counter() - t0
        preds = {
            "keypoint": [(q.text, q.speaker) for q in quotes],
            "baseline": baseline_en(text),
        }
        for system, pred in preds.items():
            _match(gold, pred, stats[system])
    out: dict[str, dict[str, float]] = {}
    for system, s in stats.items():
        p = s["tp"] / s["pred"] if s["pred"] else 0.0
        r = s["tp"] / s["gold"] if s["gold"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        acc = s["spk_ok"] / s["spk_n"] if s["spk_n"] else 0.0
        out[system] = {"P": p, "R": r, "F1": f, "spk": acc, "spk_n": s["spk_n"], "gold": s["gold"]}
    out["keypoint"]["ms"] = 1000 * elapsed / max(1, len(gold_docs))
    out["keypoint"]["docs"] = len(gold_docs)
    return out


def _match(gold: list[tuple[str, str]], pred: list[tuple[str, str | None]], s: Counter) -> None:
    s["gold"] += len(gold)
    s["pred"] += len(pred)
    used: set[int] = set()
    for content, source in gold:
        best, best_j = None, 0.5
        for k, (text, _speaker) in enumerate(pred):
            if k in used:
                continue
            j = jaccard(content, text)
            if j >= best_j:
                best, best_j = k, j
        if best is None:
            continue
        used.add(best)
        s["tp"] += 1
        name = gold_name(source)
        if name:
            s["spk_n"] += 1
            s["spk_ok"] += int(last_token(pred[best][1]) == name)


# ---------------------------------------------------------------- Chinese
def load_zh(root: Path, split: str) -> list[tuple[list[str], list[str]]]:
    """(21 sentences, aliases of the speaker) per instance."""
    names = [
        line.split()[1:] for line in (root / "name_list.txt").read_text("utf-8").splitlines() if line.strip()
    ]
    raw = (root / split / f"{split}_unsplit.txt").read_text("utf-8")
    out = []
    for block in re.split(r"\n\s*\n", raw.strip()):
        lines = block.splitlines()
        idx = next(int(line.split(":")[1]) for line in lines if line.startswith("Speaker index:"))
        sentences = [line for line in lines[1:] if not line.startswith(("Speaker", "Category"))]
        out.append((sentences, names[idx]))
    return out


def score_zh(root: Path, split: str) -> dict[str, float]:
    data = load_zh(root, split)
    all_aliases = sorted({a for _s, al in data for a in al}, key=len, reverse=True)
    ok = base_ok = 0
    elapsed = 0.0
    for sentences, aliases in data:
        text = "\n".join(sentences)
        q_start = sum(len(s) + 1 for s in sentences[:10])
        q_end = q_start + len(sentences[10])
        t0 = time.perf_counter()
        quotes = find_quotes(text, "zh")
        elapsed += time.perf_counter() - t0
        speaker = next((q.speaker for q in quotes if q_start <= q.start < q_end), None)
        ok += int(_zh_right(speaker, aliases))
        base_ok += int(_zh_right(_nearest_alias(text, q_start, q_end, all_aliases), aliases))
    n = max(1, len(data))
    return {"acc": ok / n, "base": base_ok / n, "n": len(data), "ms": 1000 * elapsed / n}


def _zh_right(pred: str | None, aliases: list[str]) -> bool:
    if not pred:
        return False
    return pred in aliases or (len(pred) >= 2 and aliases[0].endswith(pred))


def _nearest_alias(text: str, q_start: int, q_end: int, aliases: list[str]) -> str | None:
    best: tuple[int, str] | None = None
    for alias in aliases:
        for m in re.finditer(re.escape(alias), text):
            if q_start <= m.start() < q_end:
                continue
            dist = q_start - m.end() if m.end() <= q_start else m.start() - q_end
            if best is None or dist < best[0]:
                best = (dist, alias)
    return best[1] if best else None


# ---------------------------------------------------------------- table
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev", choices=["dev", "train", "both"])
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        print("shared data not found (set KEYPOINT_SHARED); nothing to measure")
        return 0
    splits = ["dev", "train"] if args.split == "both" else [args.split]
    print("| data | metric | keypoint | baseline | target |")
    print("|---|---|---|---|---|")
    for split in splits:
        en = score_en(shared / "corpus" / "polnear-dev", split)
        k, b = en["keypoint"], en["baseline"]
        tag = f"PolNeAR {split} ({int(k['docs'])} articles, {int(k['gold'])} quotes)"
        for metric, target in (("P", ""), ("R", ""), ("F1", "≥ 0.88"), ("spk", "≥ 0.93")):
            label = {"spk": f"named-speaker accuracy (n={int(k['spk_n'])}/{int(b['spk_n'])})"}.get(
                metric, f"quote {metric}"
            )
            print(f"| {tag} | {label} | {k[metric]:.3f} | {b[metric]:.3f} | {target} |")
        print(f"| {tag} | ms per article | {k['ms']:.2f} | – | ≤ 5 |")
        zh = score_zh(shared / "corpus" / "zh-speaker-id-dev", split)
        ztag = f"zh-speaker-id {split} ({zh['n']} passages)"
        print(f"| {ztag} | speaker accuracy | {zh['acc']:.3f} | {zh['base']:.3f} | ≥ 0.65 |")
        print(f"| {ztag} | ms per passage | {zh['ms']:.2f} | – | – |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
