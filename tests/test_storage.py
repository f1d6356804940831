"""Storage: URL normalisation, digest (de)serialisation, and one contract for the
settings and digest cache that SQLite and PostgreSQL both keep."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import asyncpg
import pytest

from bot.models import Article, Digest, Quote, Summary
from bot.storage import (
    ChatSettings,
    PostgresStorage,
    Report,
    SQLiteStorage,
    Storage,
    content_key,
    digest_from_json,
    digest_to_json,
    normalise_url,
    url_key,
)
from bot.storage.postgres import PURGE_LOCK
from tests.support.services import fresh_database


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("HTTPS://News.Example.ORG/a/Story?id=7#comments", "https://news.example.org/a/Story?id=7"),
        ("https://example.org:443/x?utm_source=tw&utm_medium=social&page=2", "https://example.org/x?page=2"),
        ("http://example.org:80/x?fbclid=abc&gclid=def", "http://example.org/x"),
        ("http://example.org:8080/x?MC_EID=1&q=a+b", "http://example.org:8080/x?q=a+b"),
        ("https://example.org", "https://example.org/"),
    ],
)
def test_normalise_url_drops_what_does_not_change_the_page(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


def test_url_key_is_shared_by_variants_and_fits_callback_data() -> None:
    a = url_key("https://example.org/story?utm_campaign=x#top")
    b = url_key("https://EXAMPLE.org/story")
    assert a == b
    assert a != url_key("https://example.org/Story")  # paths are case-sensitive
    assert len(a) == 24 and a.isascii()
    assert content_key("t", "hello") != content_key("d", b"hello")


def _digest() -> Digest:
    article = Article(
        text="Ann said \u201cyes\u201d. More text.", title="T <b>", url="https://e.org/", language="en"
    )
    summary = Summary(
        "en", ["Ann said yes.", "“No.”"], [Quote("yes", "Ann", 10, 13, True)], ["ann"], [None, "Bo"]
    )
    return Digest(article, summary, ["mojibake"], 0.25)


def test_digest_round_trips_through_json() -> None:
    digest = _digest()
    again = digest_from_json(digest_to_json(digest))
    assert again == digest
    with pytest.raises(ValueError):
        digest_from_json('{"v": 999}')


def test_digests_cached_before_point_speakers_existed_still_load() -> None:
    record = json.loads(digest_to_json(_digest()))
    del record["summary"]["point_speakers"]
    again = digest_from_json(json.dumps(record))
    assert again.summary.point_speakers == []
    assert again.summary.speaker_of_point(1) is None


# A backend: given a retention, a context that yields a factory of stores on one
# database (a second store from the same factory sees what the first wrote).
Backend = Callable[[float], AbstractAsyncContextManager[Callable[[], Storage]]]


def _sqlite_backend(tmp_path: Path) -> Backend:
    @asynccontextmanager
    async def backend(retention: float) -> AsyncIterator[Callable[[], Storage]]:
        path = tmp_path / "sub" / "store.sqlite3"
        yield lambda: SQLiteStorage(path, retention_seconds=retention)

    return backend


@asynccontextmanager
async def _postgres_backend(retention: float) -> AsyncIterator[Callable[[], Storage]]:
    async with fresh_database() as url:
        yield lambda: PostgresStorage(url, retention_seconds=retention)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.replicas)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    return _sqlite_backend(tmp_path) if request.param == "sqlite" else _postgres_backend


async def test_keeps_settings_and_digests_across_reopen(backend: Backend) -> None:
    async with backend(3600) as new_store:
        store = new_store()
        await store.open()
        assert await store.get_chat_settings(42) == ChatSettings()
        chosen = ChatSettings(
            points=4, language="zh", chinese="traditional", auto_summarise=True, show_quotes=False
        )
        await store.set_chat_settings(42, chosen)
        await store.put_digest("k1", _digest(), "https://e.org/")
        await store.close()

        reopened = new_store()
        await reopened.open()
        assert await reopened.get_chat_settings(42) == chosen
        assert await reopened.get_chat_settings(43) == ChatSettings()
        assert await reopened.get_digest("k1", 60) == _digest()
        assert await reopened.get_digest("missing") is None
        await reopened.close()


async def test_cache_entries_expire_for_answers_but_not_for_buttons(backend: Backend) -> None:
    async with backend(3600) as new_store:
        store = new_store()
        await store.open()
        await store.put_digest("k", _digest(), "src")
        await asyncio.sleep(0.05)
        assert await store.get_digest("k", 0.01) is None  # too old to answer a new request
        assert await store.get_digest("k", None) == _digest()  # still there for old buttons
        await store.close()


async def test_a_digest_stored_again_replaces_the_first(backend: Backend) -> None:
    async with backend(3600) as new_store:
        store = new_store()
        await store.open()
        await store.put_digest("k", _digest(), "src")
        newer = digest_from_json(digest_to_json(_digest()).replace("More text.", "Other text."))
        await store.put_digest("k", newer, "src")
        assert await store.get_digest("k") == newer
        await store.close()


async def test_old_digests_are_purged(backend: Backend) -> None:
    async with backend(0.05) as new_store:
        store = new_store()
        await store.open()
        await store.put_digest("old", _digest(), "src")
        await asyncio.sleep(0.1)
        await store.put_digest("new", _digest(), "src")
        assert await store.purge_expired() == 1
        assert await store.get_digest("old") is None
        assert await store.get_digest("new") == _digest()
        await store.close()


@pytest.mark.replicas
async def test_settings_written_by_one_store_are_read_by_another_at_once() -> None:
    # Two replicas on one PostgreSQL: no replica may answer from a stale copy.
    async with _postgres_backend(3600) as new_store:
        first, second = new_store(), new_store()
        await first.open()
        await second.open()
        assert await second.get_chat_settings(7) == ChatSettings()
        await first.set_chat_settings(7, ChatSettings(points=2))
        assert await second.get_chat_settings(7) == ChatSettings(points=2)
        await first.close()
        await second.close()


@pytest.mark.replicas
async def test_replicas_starting_together_migrate_once() -> None:
    async with fresh_database() as url:
        stores = [PostgresStorage(url) for _ in range(3)]
        await asyncio.gather(*(store.open() for store in stores))  # each migrates under the lock
        assert [await store.migrate() for store in stores] == [0, 0, 0]  # nothing left to apply
        await asyncio.gather(*(store.close() for store in stores))


@pytest.mark.replicas
async def test_one_replica_purges_at_a_time() -> None:
    async with fresh_database() as url:
        first, second = PostgresStorage(url), PostgresStorage(url)
        await first.open()
        await second.open()
        holder = await asyncpg.connect(url)  # another replica, mid-purge
        await holder.execute("SELECT pg_advisory_lock($1)", PURGE_LOCK)
        assert await second.purge_expired() is None
        await holder.close()  # its session ends, and the lock with it
        assert await second.purge_expired() == 0
        await first.close()
        await second.close()


async def test_reader_tokens_are_unguessable_and_expire_with_the_cache(backend: Backend) -> None:
    async with backend(3600) as new_store:
        store = new_store()
        await store.open()
        await store.put_digest("k", _digest(), "https://e.org/")
        token = await store.reader_token("k", 60)
        assert len(token) >= 22 and token.replace("-", "").replace("_", "").isalnum()  # 128 bits, URL-safe
        assert await store.reader_token("k", 60) == token  # one page per digest while it lives
        assert await store.reader_digest(token, 60) == _digest()
        assert await store.reader_digest(token[:-1] + ("A" if token[-1] != "A" else "B"), 60) is None
        await asyncio.sleep(0.05)
        assert await store.reader_digest(token, 0.01) is None  # older than the cache: gone
        fresh = await store.reader_token("k", 0.01)
        assert fresh != token  # an expired page's address never comes back
        await store.close()


async def test_reports_are_listed_newest_first_with_their_source(backend: Backend) -> None:
    async with backend(3600) as new_store:
        store = new_store()
        await store.open()
        await store.put_digest("k", _digest(), "https://e.org/")
        await store.add_report(Report("k", "points", -100, 7, 1000.0))
        await store.add_report(Report("gone", "speaker", 5, 5, 2000.0))
        found = await store.recent_reports(10)
        assert [(r.key, r.reason, r.source) for r in found] == [
            ("gone", "speaker", None),
            ("k", "points", "https://e.org/"),
        ]
        assert len(await store.recent_reports(1)) == 1
        await store.close()
