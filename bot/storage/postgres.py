"""PostgreSQL storage (``asyncpg``): the store several replicas share.

Selected by ``KEYPOINT_DATABASE_URL=postgresql://…``. The schema is created and
migrated on open, inside one transaction that holds an advisory lock, so
replicas starting together migrate once. Unlike :class:`SQLiteStorage`,
chat settings are not cached in memory: another replica may change them.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict, fields

import asyncpg

from bot.models import Digest
from bot.storage.base import ChatSettings, Report
from bot.storage.codec import digest_from_json, digest_to_json

# Each step runs once, in order; the applied count lives in keypoint_schema.
# Append new steps, never edit old ones.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE chat_settings (
        chat_id BIGINT PRIMARY KEY,
        data TEXT NOT NULL,
        updated DOUBLE PRECISION NOT NULL
    );
    CREATE TABLE digests (
        key TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        data TEXT NOT NULL,
        created DOUBLE PRECISION NOT NULL
    );
    CREATE INDEX digests_created ON digests (created);
    """,
    """
    CREATE TABLE reader_pages (
        token TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        created DOUBLE PRECISION NOT NULL
    );
    CREATE INDEX reader_pages_key ON reader_pages (key, created);
    CREATE TABLE reports (
        id BIGSERIAL PRIMARY KEY,
        key TEXT NOT NULL,
        reason TEXT NOT NULL,
        chat_id BIGINT NOT NULL,
        user_id BIGINT NOT NULL,
        created DOUBLE PRECISION NOT NULL
    );
    """,
)

# Advisory lock ids (any 64-bit numbers, fixed so every replica agrees).
MIGRATE_LOCK = 0x6B70_0001
PURGE_LOCK = 0x6B70_0002
_SETTING_NAMES = {f.name for f in fields(ChatSettings)}
READER_TOKEN_BYTES = 16  # 128 bits from the system's CSPRNG: a reader page's address is its only lock


class PostgresStorage:
    """:class:`~bot.storage.base.Storage` in PostgreSQL, shared by every replica."""

    def __init__(self, url: str, *, retention_seconds: float = 30 * 86_400, pool_size: int = 5) -> None:
        self._url = url
        self._retention = retention_seconds
        self._pool_size = pool_size
        self._pool: asyncpg.Pool | None = None

    async def open(self) -> None:
        self._pool = await asyncpg.create_pool(self._url, min_size=1, max_size=self._pool_size)
        await self.migrate()

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    @property
    def _db(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("storage is not open")
        return self._pool

    async def migrate(self) -> int:
        """Apply the steps this database has not had; the number applied now."""
        async with self._db.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATE_LOCK)
            await conn.execute("CREATE TABLE IF NOT EXISTS keypoint_schema (version INTEGER NOT NULL)")
            version = await conn.fetchval("SELECT version FROM keypoint_schema")
            if version is None:
                version = 0
                await conn.execute("INSERT INTO keypoint_schema (version) VALUES (0)")
            for step in MIGRATIONS[version:]:
                await conn.execute(step)
            await conn.execute("UPDATE keypoint_schema SET version = $1", len(MIGRATIONS))
            return len(MIGRATIONS) - int(version)

    async def purge_expired(self) -> int | None:
        """Delete digests past retention; ``None`` when another replica is doing it now."""
        async with self._db.acquire() as conn:
            if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", PURGE_LOCK):
                return None
            try:
                cutoff = time.time() - self._retention
                status = await conn.execute("DELETE FROM digests WHERE created < $1", cutoff)
                await conn.execute("DELETE FROM reader_pages WHERE created < $1", cutoff)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", PURGE_LOCK)
        return int(status.split()[-1])

    async def get_chat_settings(self, chat_id: int) -> ChatSettings:
        data = await self._db.fetchval("SELECT data FROM chat_settings WHERE chat_id = $1", chat_id)
        if data is None:
            return ChatSettings()
        stored = json.loads(data)
        # Unknown names (from a newer version) are ignored rather than fatal.
        return ChatSettings(**{k: v for k, v in stored.items() if k in _SETTING_NAMES})

    async def set_chat_settings(self, chat_id: int, settings: ChatSettings) -> None:
        await self._db.execute(
            "INSERT INTO chat_settings (chat_id, data, updated) VALUES ($1, $2, $3) "
            "ON CONFLICT (chat_id) DO UPDATE SET data = excluded.data, updated = excluded.updated",
            chat_id,
            json.dumps(asdict(settings)),
            time.time(),
        )

    async def get_digest(self, key: str, max_age_seconds: float | None = None) -> Digest | None:
        row = await self._db.fetchrow("SELECT data, created FROM digests WHERE key = $1", key)
        if row is None:
            return None
        if max_age_seconds is not None and time.time() - row["created"] > max_age_seconds:
            return None
        try:
            return digest_from_json(row["data"])
        except (ValueError, KeyError, TypeError):
            return None  # written by an incompatible version: treat as a miss

    async def put_digest(self, key: str, digest: Digest, source: str) -> None:
        await self._db.execute(
            "INSERT INTO digests (key, source, data, created) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (key) DO UPDATE SET source = excluded.source, data = excluded.data, "
            "created = excluded.created",
            key,
            source,
            digest_to_json(digest),
            time.time(),
        )

    async def reader_token(self, key: str, max_age_seconds: float) -> str:
        now = time.time()
        token: str | None = await self._db.fetchval(
            "SELECT token FROM reader_pages WHERE key = $1 AND created >= $2 ORDER BY created DESC LIMIT 1",
            key,
            now - max_age_seconds,
        )
        if token is not None:
            return token
        # Two replicas may each make one for the same digest at once; both pages work.
        token = secrets.token_urlsafe(READER_TOKEN_BYTES)
        await self._db.execute(
            "INSERT INTO reader_pages (token, key, created) VALUES ($1, $2, $3)", token, key, now
        )
        return token

    async def reader_digest(self, token: str, max_age_seconds: float) -> Digest | None:
        row = await self._db.fetchrow("SELECT key, created FROM reader_pages WHERE token = $1", token)
        if row is None or time.time() - row["created"] > max_age_seconds:
            return None
        return await self.get_digest(row["key"], max_age_seconds)

    async def add_report(self, report: Report) -> None:
        await self._db.execute(
            "INSERT INTO reports (key, reason, chat_id, user_id, created) VALUES ($1, $2, $3, $4, $5)",
            report.key,
            report.reason,
            report.chat_id,
            report.user_id,
            report.created,
        )

    async def recent_reports(self, limit: int) -> list[Report]:
        rows = await self._db.fetch(
            "SELECT r.key, r.reason, r.chat_id, r.user_id, r.created, d.source FROM reports r "
            "LEFT JOIN digests d ON d.key = r.key ORDER BY r.created DESC, r.id DESC LIMIT $1",
            limit,
        )
        return [
            Report(row["key"], row["reason"], row["chat_id"], row["user_id"], row["created"], row["source"])
            for row in rows
        ]
