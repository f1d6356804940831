"""Word lists kept as data files under ``bot/summarise/data/``."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def word_list(name: str) -> frozenset[str]:
    """Entries of ``data/<name>.txt`` (one per line, ``#`` comments), lowercased.

    A missing list is empty, so a language without one simply gets no help.
    """
    try:
        text = resources.files("bot.summarise").joinpath("data", f"{name}.txt").read_text("utf-8")
    except FileNotFoundError:
        return frozenset()
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )


@cache
def phrases(name: str) -> tuple[str, ...]:
    """Entries of ``data/<name>.txt`` longest first (for prefix and substring tests)."""
    return tuple(sorted(word_list(name), key=len, reverse=True))
