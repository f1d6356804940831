"""PostgreSQL and Redis on loopback for the replica tests (skipped when unreachable).

``KEYPOINT_TEST_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``)
and ``KEYPOINT_TEST_REDIS`` (default ``redis://127.0.0.1:6379/15``) name the servers.
Each PostgreSQL user of these helpers gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest
import redis.asyncio as aioredis

POSTGRES = os.environ.get("KEYPOINT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("KEYPOINT_TEST_REDIS", "redis://127.0.0.1:6379/15")


async def _postgres_admin() -> asyncpg.Connection:
    try:
        return await asyncpg.connect(POSTGRES, timeout=3)
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.skip(
            f"PostgreSQL is not reachable at {POSTGRES} ({exc.__class__.__name__}): start it to run this"
        )


async def create_database() -> str:
    """The URL of a new, empty database (drop it with :func:`drop_database`)."""
    admin = await _postgres_admin()
    name = f"keypoint_test_{secrets.token_hex(6)}"
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return POSTGRES.rsplit("/", 1)[0] + "/" + name


async def drop_database(url: str) -> None:
    admin = await _postgres_admin()
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await admin.close()


@asynccontextmanager
async def fresh_database() -> AsyncIterator[str]:
    """The URL of a new, empty database, dropped when the block ends."""
    url = await create_database()
    try:
        yield url
    finally:
        await drop_database(url)


async def fresh_redis_url() -> str:
    """The test Redis database, emptied (skips when Redis is not reachable)."""
    client = aioredis.Redis.from_url(REDIS, socket_connect_timeout=3)
    try:
        await client.flushdb()
    except (OSError, aioredis.RedisError) as exc:
        pytest.skip(f"Redis is not reachable at {REDIS} ({exc.__class__.__name__}): start it to run this")
    finally:
        await client.aclose()
    return REDIS
