"""Persistence for the bot: chat settings and the digest cache, behind :class:`Storage`.

``SQLiteStorage`` is the default; anything that satisfies the protocol (a
networked store, say) can replace it in :func:`bot.telegram.app.build_application`.
"""

from bot.storage.base import REPORT_REASONS, ChatSettings, Report, Storage
from bot.storage.codec import digest_from_json, digest_to_json
from bot.storage.sqlite import SQLiteStorage
from bot.storage.urls import content_key, normalise_url, url_key

__all__ = [
    "REPORT_REASONS",
    "ChatSettings",
    "Report",
    "SQLiteStorage",
    "Storage",
    "content_key",
    "digest_from_json",
    "digest_to_json",
    "normalise_url",
    "url_key",
]
