"""Every generator of the hostile catalogue stays linear: a regression to quadratic fails here.

Each input runs through what the bot runs for it (``digest_text`` or
``digest_html``, uncapped) at 4,000 and 20,000 characters. Linear work grows
5× between them and quadratic 25×; the test allows 12× (shared CPUs are noisy)
and only judges cases slow enough to measure, and any case over 2 s at 20,000
characters fails outright (the slowest linear one takes about half a second).
The full table at 10k/100k/1M is ``benchmarks/hostile_bench.py``.
"""

from __future__ import annotations

import time

import pytest

from bot.errors import KeypointError
from bot.pipeline import digest_html, digest_text
from tests.support.hostile import CATALOGUE, Generator

SMALL, LARGE = 4_000, 20_000
MAX_GROWTH = 12.0
MAX_SECONDS = 2.0
JUDGED_ABOVE = 0.15  # seconds at LARGE: below this, timer noise outweighs the growth


def _seconds(generator: Generator, size: int) -> float:
    source = generator.make(size)
    started = time.perf_counter()
    try:
        if generator.kind == "text":
            digest_text(source)
        else:
            digest_html(source)
    except KeypointError:
        pass  # "no article", "no text": a clear answer is a fine outcome
    return time.perf_counter() - started


def test_the_catalogue_has_every_family_of_hostile_input() -> None:
    assert len(CATALOGUE) >= 60
    assert len({g.name for g in CATALOGUE}) == len(CATALOGUE)
    for generator in CATALOGUE:
        assert len(generator.make(LARGE)) == LARGE, generator.name


@pytest.mark.parametrize("generator", CATALOGUE, ids=[g.name for g in CATALOGUE])
def test_time_grows_linearly(generator: Generator) -> None:
    _seconds(generator, 200)  # first-call costs (word lists, parsers) are not growth
    small = _seconds(generator, SMALL)
    large = _seconds(generator, LARGE)
    assert large < MAX_SECONDS, f"{generator.name}: {large:.2f} s at {LARGE:,} characters"
    if large > JUDGED_ABOVE:
        assert large / small < MAX_GROWTH, f"{generator.name}: {small:.3f} s → {large:.3f} s"
