"""Persistence for the bot: chat settings and the digest cache, behind :class:`Storage`.

``SQLiteStorage`` (one file, one process) is the default; ``PostgresStorage``
serves several replicas. :func:`storage_for` picks one from the settings.
"""

from bot.config import Settings
from bot.storage.base import REPORT_REASONS, ChatSettings, Report, Storage
from bot.storage.codec import digest_from_json, digest_to_json
from bot.storage.postgres import PostgresStorage
from bot.storage.sqlite import SQLiteStorage
from bot.storage.urls import content_key, normalise_url, url_key

__all__ = [
    "REPORT_REASONS",
    "ChatSettings",
    "PostgresStorage",
    "Report",
    "SQLiteStorage",
    "Storage",
    "content_key",
    "digest_from_json",
    "digest_to_json",
    "normalise_url",
    "storage_for",
    "url_key",
]


def storage_for(settings: Settings) -> Storage:
    """PostgreSQL for a ``postgresql://`` database URL, else SQLite (``sqlite:///path`` or ``db_path``)."""
    url = settings.database_url.get_secret_value() if settings.database_url else ""
    retention = settings.retention_days * 86_400
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStorage(url, retention_seconds=retention)
    if url and not url.startswith("sqlite:///"):
        raise ValueError("KEYPOINT_DATABASE_URL must start with postgresql:// or sqlite:///")
    return SQLiteStorage(url.removeprefix("sqlite:///") or settings.db_path, retention_seconds=retention)
