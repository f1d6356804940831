"""SQLite storage (``aiosqlite``): one file, one connection, WAL journal."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict, fields
from pathlib import Path

import aiosqlite

from bot.models import Digest
from bot.storage.base import ChatSettings, Report
from bot.storage.codec import digest_from_json, digest_to_json

_SCHEMA = """
CREATE TABLE IF NOT EXISTS chat_settings (
    chat_id INTEGER PRIMARY KEY,
    data TEXT NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS digests (
    key TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    data TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS digests_created ON digests (created);
CREATE TABLE IF NOT EXISTS reader_pages (
    token TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS reader_pages_key ON reader_pages (key, created);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    reason TEXT NOT NULL,
    chat_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    created REAL NOT NULL
);
"""
# 128 bits from the system's CSPRNG: a reader page's address is its only lock.
READER_TOKEN_BYTES = 16

_SETTING_NAMES = {f.name for f in fields(ChatSettings)}


class SQLiteStorage:
    """:class:`~bot.storage.base.Storage` in a SQLite file.

    Chat settings are also kept in memory: every update reads them, and this
    process is the only writer. Digests older than ``retention_seconds`` are
    removed when the store opens and by :meth:`purge_expired` (buttons on older
    replies then say "expired").
    """

    def __init__(self, path: Path | str, *, retention_seconds: float = 30 * 86_400) -> None:
        self._path = str(path)
        self._retention = retention_seconds
        self._db: aiosqlite.Connection | None = None
        self._settings: dict[int, ChatSettings] = {}

    async def open(self) -> None:
        if self._path != ":memory:":
            Path(self._path).parent.mkdir(parents=True, exist_ok=True)
        self._db = await aiosqlite.connect(self._path)
        await self._db.execute("PRAGMA journal_mode=WAL")
        await self._db.execute("PRAGMA synchronous=NORMAL")
        await self._db.executescript(_SCHEMA)
        await self.purge_expired()

    async def purge_expired(self) -> int:
        cutoff = time.time() - self._retention
        cursor = await self._conn.execute("DELETE FROM digests WHERE created < ?", (cutoff,))
        await self._conn.execute("DELETE FROM reader_pages WHERE created < ?", (cutoff,))
        await self._conn.commit()
        return cursor.rowcount

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    @property
    def _conn(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("storage is not open")
        return self._db

    async def get_chat_settings(self, chat_id: int) -> ChatSettings:
        cached = self._settings.get(chat_id)
        if cached is not None:
            return cached
        async with self._conn.execute("SELECT data FROM chat_settings WHERE chat_id = ?", (chat_id,)) as rows:
            row = await rows.fetchone()
        settings = ChatSettings()
        if row is not None:
            stored = json.loads(row[0])
            # Unknown names (from a newer version) are ignored rather than fatal.
            settings = ChatSettings(**{k: v for k, v in stored.items() if k in _SETTING_NAMES})
        self._settings[chat_id] = settings
        return settings

    async def set_chat_settings(self, chat_id: int, settings: ChatSettings) -> None:
        await self._conn.execute(
            "INSERT INTO chat_settings (chat_id, data, updated) VALUES (?, ?, ?) "
            "ON CONFLICT(chat_id) DO UPDATE SET data = excluded.data, updated = excluded.updated",
            (chat_id, json.dumps(asdict(settings)), time.time()),
        )
        await self._conn.commit()
        self._settings[chat_id] = settings

    async def get_digest(self, key: str, max_age_seconds: float | None = None) -> Digest | None:
        async with self._conn.execute("SELECT data, created FROM digests WHERE key = ?", (key,)) as rows:
            row = await rows.fetchone()
        if row is None:
            return None
        data, created = row
        if max_age_seconds is not None and time.time() - created > max_age_seconds:
            return None
        try:
            return digest_from_json(data)
        except (ValueError, KeyError, TypeError):
            return None  # written by an incompatible version: treat as a miss

    async def put_digest(self, key: str, digest: Digest, source: str) -> None:
        await self._conn.execute(
            "INSERT OR REPLACE INTO digests (key, source, data, created) VALUES (?, ?, ?, ?)",
            (key, source, digest_to_json(digest), time.time()),
        )
        await self._conn.commit()

    async def reader_token(self, key: str, max_age_seconds: float) -> str:
        now = time.time()
        query = "SELECT token FROM reader_pages WHERE key = ? AND created >= ? ORDER BY created DESC LIMIT 1"
        async with self._conn.execute(query, (key, now - max_age_seconds)) as rows:
            row = await rows.fetchone()
        if row is not None:
            token: str = row[0]
            return token
        token = secrets.token_urlsafe(READER_TOKEN_BYTES)
        await self._conn.execute(
            "INSERT INTO reader_pages (token, key, created) VALUES (?, ?, ?)", (token, key, now)
        )
        await self._conn.commit()
        return token

    async def reader_digest(self, token: str, max_age_seconds: float) -> Digest | None:
        query = "SELECT key, created FROM reader_pages WHERE token = ?"
        async with self._conn.execute(query, (token,)) as rows:
            row = await rows.fetchone()
        if row is None or time.time() - row[1] > max_age_seconds:
            return None
        return await self.get_digest(row[0], max_age_seconds)

    async def add_report(self, report: Report) -> None:
        await self._conn.execute(
            "INSERT INTO reports (key, reason, chat_id, user_id, created) VALUES (?, ?, ?, ?, ?)",
            (report.key, report.reason, report.chat_id, report.user_id, report.created),
        )
        await self._conn.commit()

    async def recent_reports(self, limit: int) -> list[Report]:
        query = (
            "SELECT r.key, r.reason, r.chat_id, r.user_id, r.created, d.source FROM reports r "
            "LEFT JOIN digests d ON d.key = r.key ORDER BY r.created DESC, r.id DESC LIMIT ?"
        )
        async with self._conn.execute(query, (limit,)) as rows:
            found = await rows.fetchall()
        return [
            Report(key, reason, chat, user, created, source)
            for key, reason, chat, user, created, source in found
        ]
