"""Traditional ↔ Simplified Chinese conversion with OpenCC (off by default).

Behind the ``convert_chinese`` setting (``none`` | ``simplified`` |
``traditional``); the bot layer calls :func:`convert_script` on the repaired
text. OpenCC converts phrase by phrase (``頭髮`` → ``头发``, ``乾淨`` → ``干净``),
which character tables alone get wrong.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

_CONFIGS = {"simplified": "t2s", "traditional": "s2t"}


@lru_cache(maxsize=2)
def _converter(config: str) -> Any:
    try:
        import opencc
    except ImportError as exc:  # pragma: no cover - opencc is a dependency
        raise RuntimeError("Chinese script conversion needs the 'opencc' package") from exc
    return opencc.OpenCC(config)


def convert_script(text: str, target: str) -> str:
    """``text`` in the ``target`` script: ``simplified``, ``traditional`` or ``none`` (unchanged)."""
    if target == "none" or not text:
        return text
    if target not in _CONFIGS:
        raise ValueError(f"unknown Chinese script {target!r} (none, simplified or traditional)")
    return str(_converter(_CONFIGS[target]).convert(text))
