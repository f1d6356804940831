"""Digests to JSON and back, so cached summaries survive a restart."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from bot.models import Article, Digest, Quote, Summary

FORMAT_VERSION = 1


def digest_to_json(digest: Digest) -> str:
    """A compact JSON document holding everything needed to re-render ``digest``."""
    record: dict[str, Any] = {
        "v": FORMAT_VERSION,
        "article": asdict(digest.article),
        "summary": asdict(digest.summary),
        "repairs": list(digest.repairs),
        "seconds": digest.seconds,
        "truncated_at": digest.truncated_at,
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def digest_from_json(document: str) -> Digest:
    """The digest :func:`digest_to_json` wrote; ``ValueError`` for another format."""
    record = json.loads(document)
    if not isinstance(record, dict) or record.get("v") != FORMAT_VERSION:
        raise ValueError("unknown digest format")
    summary = record["summary"]
    return Digest(
        article=Article(**record["article"]),
        summary=Summary(
            language=summary["language"],
            points=list(summary["points"]),
            quotes=[Quote(**quote) for quote in summary["quotes"]],
            keywords=list(summary["keywords"]),
            point_speakers=list(summary.get("point_speakers", [])),
        ),
        repairs=list(record.get("repairs", [])),
        seconds=float(record.get("seconds", 0.0)),
        truncated_at=record.get("truncated_at"),
    )
