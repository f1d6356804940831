"""Making digests for the bot: cache first, then fetch, then CPU work in a process pool.

The ``*_job`` functions run in worker processes, so they live at module level
(picklable) and take only picklable arguments.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from functools import partial
from pathlib import PurePosixPath
from typing import TypeVar

from bot.budget import cpu_budget
from bot.config import Settings
from bot.errors import KeypointError, TooComplexError, TooLargeError, UnsupportedContentError
from bot.extract.html import MAX_ELEMENTS
from bot.fetch import Fetcher
from bot.models import Digest, FetchedPage
from bot.pipeline import digest_html, digest_page, digest_text, run_cpu
from bot.storage import Storage, content_key, normalise_url, url_key
from bot.summarise import summarise
from bot.telegram.replicas import Coordination

log = logging.getLogger(__name__)
T = TypeVar("T")

DOCUMENT_TYPES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
}
_MIME_TYPES = set(DOCUMENT_TYPES.values()) | {"application/xhtml+xml", "text/x-markdown"}


def page_job(
    page: FetchedPage,
    max_quotes: int,
    max_chars: int | None = None,
    cpu_seconds: float | None = None,
    max_elements: int | None = MAX_ELEMENTS,
) -> Digest:
    """Extract, repair and summarise a fetched page or document (worker process).

    At most ``max_chars`` characters of its text are summarised, in at most
    ``cpu_seconds`` of CPU time (else :class:`TooComplexError`); a page of
    more than ``max_elements`` HTML start tags is read as flat text.
    """
    try:
        with cpu_budget(cpu_seconds):
            return digest_page(page, max_quotes=max_quotes, max_chars=max_chars, max_elements=max_elements)
    finally:
        _give_memory_back()


_jobs_since_trim = 0
TRIM_EVERY_JOBS = 8


def _give_memory_back() -> None:
    """Every few pages, hand freed heap back to the system (glibc ``malloc_trim``).

    Parsing a large page leaves the worker's heap fragmented but mostly free;
    glibc keeps it. Trimming every few jobs holds each worker about 20 MB
    lower (benchmarks/load_bench.py) for well under a millisecond per job.
    """
    global _jobs_since_trim
    _jobs_since_trim += 1
    if _jobs_since_trim < TRIM_EVERY_JOBS:
        return
    _jobs_since_trim = 0
    with contextlib.suppress(OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def text_job(
    text: str, max_quotes: int, max_chars: int | None = None, cpu_seconds: float | None = None
) -> Digest:
    """Summarise pasted text (worker process), bounded as :func:`page_job` is."""
    with cpu_budget(cpu_seconds):
        return digest_text(text, max_quotes=max_quotes, max_chars=max_chars)


def points_job(digest: Digest, points: int, max_quotes: int, cpu_seconds: float | None = None) -> Digest:
    """The same article summarised to ``points`` points; no fetching, no re-extraction."""
    article = digest.article
    with cpu_budget(cpu_seconds):
        summary = summarise(
            article.text,
            title=article.title,
            language=digest.summary.language,
            points=points,
            max_quotes=max_quotes,
        )
    return Digest(article, summary, list(digest.repairs), digest.seconds, digest.truncated_at)


_WARM_UP_PAGE = (
    "<html><head><title>Warm up</title><meta charset='utf-8'></head><body><article>"
    + "<p>The council said on Monday that the new bridge would open in May, months ahead of plan. "
    "\u201cWe are proud of the crews,\u201d said Anna Berg, the mayor.</p>"
    * 6
    + (
        "<p>\u5e02\u653f\u5e9c\u5468\u4e00\u8868\u793a\uff1a"
        "\u300c\u65b0\u6a4b\u5c07\u5728\u4e94\u6708\u958b\u901a\u3002\u300d</p>"
    )
    * 6
    + "</article></body></html>"
)


def warm_up_job() -> bool:
    """Load every library and data file the pipeline uses, before the first real request.

    Run once in the main process before the worker pool forks, the loaded
    pages are shared by every worker (copy-on-write) instead of each worker
    loading its own copy: the bot's memory then grows by far less per worker.
    """
    digest_html(_WARM_UP_PAGE, url="https://warm.up/", max_quotes=3)
    digest_text("Warm up. " * 20 + "The worker is ready to summarise articles.", max_quotes=1)
    return True


def document_type(file_name: str | None, mime_type: str | None) -> str:
    """The content type we read a document as; ``UnsupportedContentError`` otherwise."""
    suffix = PurePosixPath(file_name or "").suffix.lower()
    if suffix in DOCUMENT_TYPES:
        return DOCUMENT_TYPES[suffix]
    mime = (mime_type or "").split(";")[0].strip().lower()
    if mime in _MIME_TYPES:
        return mime
    raise UnsupportedContentError(f"unsupported document type {suffix or mime or '(unknown)'}")


def _new_pool(workers: int) -> Executor | None:
    """Worker processes for CPU work; ``workers=0`` uses the event loop's threads instead."""
    return ProcessPoolExecutor(max_workers=workers) if workers > 0 else None


class Summaries:
    """Digests by URL, text or document bytes, cached in storage under short keys."""

    def __init__(
        self,
        settings: Settings,
        storage: Storage,
        fetcher: Fetcher,
        coordination: Coordination | None = None,
    ) -> None:
        self._settings = settings
        self._storage = storage
        self.fetcher = fetcher
        self._coordination = coordination
        self._executor = _new_pool(settings.workers)
        # One computation per key at a time: a link posted twice at once is fetched once.
        self._inflight: dict[str, asyncio.Future[Digest]] = {}

    async def for_url(self, url: str) -> tuple[str, Digest]:
        key = url_key(url)
        return key, await self._cached(key, normalise_url(url), partial(self._digest_url, url))

    async def for_text(self, text: str) -> tuple[str, Digest]:
        key = content_key("t", text)
        job = partial(self._cpu, partial(text_job, text, *self._job_limits()))
        return key, await self._cached(key, f"text:{len(text)} chars", job)

    async def for_document(
        self, data: bytes, file_name: str | None, mime_type: str | None
    ) -> tuple[str, Digest]:
        if len(data) > self._settings.max_document_bytes:
            raise TooLargeError("the document is too large")
        kind = document_type(file_name, mime_type)
        name = file_name or "document"
        page = FetchedPage(url=name, final_url=name, status=200, content_type=kind, body=bytes(data))
        key = content_key("d", data)
        job = partial(self._cpu, self._page_job(page))
        return key, await self._cached(key, f"document:{name}", job)

    @property
    def busy(self) -> bool:
        """More summaries in flight than the workers can start on at once.

        Then a "working…" placeholder would cost a second message (and an
        edit) per summary out of Telegram's 30 a second, slowing every answer
        further: a bot under load shows "typing" only.
        """
        return len(self._inflight) > 2 * max(1, self._settings.workers)

    async def stored(self, key: str) -> Digest | None:
        """A digest made earlier, whatever its age (buttons on old replies)."""
        return await self._storage.get_digest(key, None)

    async def with_points(self, digest: Digest, points: int | None) -> Digest:
        """``digest`` with ``points`` key points (re-ranked from the stored text)."""
        if points is None or points == len(digest.summary.points):
            return digest
        points = max(1, min(points, self._settings.max_points))
        cpu_seconds = self._settings.job_cpu_seconds
        return await self._cpu(partial(points_job, digest, points, self._settings.max_quotes, cpu_seconds))

    async def start(self) -> None:
        """Start every worker now, so the first user does not wait for one."""
        warm_up_job()  # in this process first, so the forked workers share what it loaded
        await asyncio.gather(*(self._cpu(warm_up_job) for _ in range(max(1, self._settings.workers))))

    async def close(self) -> None:
        """Stop the workers and close the HTTP client."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        await self.fetcher.aclose()

    def _job_limits(self) -> tuple[int, int | None, float | None]:
        """``max_quotes``, ``max_chars`` and ``cpu_seconds`` for a page or text job."""
        settings = self._settings
        return settings.max_quotes, settings.max_text_chars or None, settings.job_cpu_seconds or None

    def _page_job(self, page: FetchedPage) -> Callable[[], Digest]:
        """:func:`page_job` for ``page`` with this bot's limits, ready to send to a worker."""
        return partial(page_job, page, *self._job_limits(), self._settings.max_html_elements or None)

    async def _cpu(self, work: Callable[[], T]) -> T:
        """Run ``work`` in the pool; a pool whose worker died is replaced, not reused.

        A job over its CPU budget (:class:`TooComplexError`, raised in the
        worker) gets new workers for the jobs after it: the one it ran in was
        interrupted at an arbitrary point. The old pool finishes what it was
        given, so no other chat's job is lost or waits longer. A worker that
        never answers (stuck where the budget's signal cannot reach it) is
        killed after :meth:`_backstop_seconds`.
        """
        executor = self._executor
        try:
            return await asyncio.wait_for(run_cpu(executor, work), self._backstop_seconds())
        except TooComplexError:
            log.warning("a job used up its CPU budget; replacing the workers")
            self._replace_pool(executor, kill=False)
            raise
        except TimeoutError as exc:
            log.error("a worker did not finish within %.0f s; killing it", self._backstop_seconds())
            self._replace_pool(executor, kill=True)
            raise TooComplexError("the text took too long to summarise") from exc
        except BrokenProcessPool as exc:
            # A worker was killed (out of memory, a crash in a C extension). Never
            # retry the same input: it may be what killed it.
            self._replace_pool(executor, kill=False)
            log.error("a worker process died; started a new pool")
            raise KeypointError("the worker summarising this text stopped") from exc

    def _backstop_seconds(self) -> float | None:
        """Wall time after which a job's pool is killed: far beyond the CPU budget.

        Counted from submission, so it leaves room for a queue of jobs ahead.
        """
        budget = self._settings.job_cpu_seconds
        return budget * 6 + 30 if budget and self._executor is not None else None

    def _replace_pool(self, executor: Executor | None, *, kill: bool) -> None:
        """New workers for the next jobs; the old pool finishes its queue (or is killed)."""
        if executor is None or self._executor is not executor:
            return  # thread mode, or another job replaced it already
        self._executor = _new_pool(self._settings.workers)
        if kill and isinstance(executor, ProcessPoolExecutor):
            # The stuck worker cannot be told apart from its neighbours from here.
            for process in list(executor._processes.values()):  # no public way to kill workers before 3.14
                process.kill()
        executor.shutdown(wait=False, cancel_futures=kill)

    async def _digest_url(self, url: str) -> Digest:
        page = await self.fetcher.fetch(url)
        digest = await self._cpu(self._page_job(page))
        if digest.article.url and digest.article.url.startswith(("http://", "https://")):
            # The cached reply links to the page without whoever's tracking parameters came first.
            digest.article = replace(digest.article, url=normalise_url(digest.article.url))
        return digest

    async def _shared_make(
        self, key: str, source: str, make: Callable[[], Awaitable[Digest]], reuse_stored: bool
    ) -> Digest:
        """Make and store the digest, unless another replica stored it while we waited our turn."""
        turn = self._coordination.one_at_a_time(key) if self._coordination else contextlib.nullcontext()
        async with turn:
            if self._coordination is not None and reuse_stored:
                made = await self._storage.get_digest(key, self._settings.cache_ttl_seconds)
                if made is not None:
                    return made
            digest = await make()
            await self._storage.put_digest(key, digest, source)  # inside the turn: waiters find it
        return digest

    async def refresh(self, key: str, url: str) -> Digest:
        """Fetch ``url`` again whatever the cache holds and store the result under ``key``
        (the Retry button: the page may have been cut off or changed since)."""
        return await self._computed(
            key, normalise_url(url), partial(self._digest_url, url), reuse_stored=False
        )

    async def _cached(self, key: str, source: str, make: Callable[[], Awaitable[Digest]]) -> Digest:
        cached = await self._storage.get_digest(key, self._settings.cache_ttl_seconds)
        if cached is not None:
            return cached
        return await self._computed(key, source, make)

    async def _computed(
        self, key: str, source: str, make: Callable[[], Awaitable[Digest]], *, reuse_stored: bool = True
    ) -> Digest:
        running = self._inflight.get(key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[Digest] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            digest = await self._shared_make(key, source, make, reuse_stored)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: there may be no other waiter
            raise
        else:
            future.set_result(digest)
            return digest
        finally:
            del self._inflight[key]
