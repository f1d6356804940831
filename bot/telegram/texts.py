"""The bot's own words in English and Chinese, from ``data/messages.json``.

Messages are Telegram HTML written by us (placeholders are filled with
escaped values by the caller when they come from users or pages).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

LANGUAGES = ("en", "zh")


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, str]]:
    raw = resources.files("bot.telegram").joinpath("data/messages.json").read_text("utf-8")
    catalogue: dict[str, dict[str, str]] = json.loads(raw)
    return catalogue


def text(language: str, key: str, **values: object) -> str:
    """Message ``key`` in ``language`` (English when missing), formatted with ``values``."""
    catalogue = _catalogue()
    template = catalogue.get(language, {}).get(key) or catalogue["en"][key]
    return template.format(**values) if values else template


def language_for(chosen: str | None, telegram_code: str | None) -> str:
    """The chat's chosen language, else the user's Telegram language, else English."""
    if chosen in LANGUAGES:
        return chosen
    if telegram_code and telegram_code.lower().startswith("zh"):
        return "zh"
    return "en"


def error_text(language: str, code: str) -> str:
    """The short message for a :class:`~bot.errors.KeypointError` code."""
    catalogue = _catalogue()
    return text(language, code if code in catalogue["en"] else "failed")
