"""Word lists kept as data files under ``bot/summarise/data/``."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_LIST_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@cache
def word_list(name: str) -> frozenset[str]:
    """Entries of ``data/<name>.txt`` (one per line, ``#`` comments), lowercased.

    A missing list is empty, so a language without one simply gets no help.
    A name that is not a plain list name (a path, from a language code taken
    from input) is empty too: lists are read from this package's data only.
    """
    if not _LIST_NAME.fullmatch(name):
        return frozenset()
    try:
        text = resources.files("bot.summarise").joinpath("data", f"{name}.txt").read_text("utf-8")
    except FileNotFoundError:
        return frozenset()
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


@cache
def phrases(name: str) -> tuple[str, ...]:
    """Entries of ``data/<name>.txt`` longest first (for prefix and substring tests)."""
    return tuple(sorted(word_list(name), key=len, reverse=True))
