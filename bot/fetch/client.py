"""The shared HTTP client and the one fetch loop every link goes through."""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Iterable
from http.cookiejar import CookieJar, DefaultCookiePolicy
from types import TracebackType
from typing import Self
from urllib.parse import urljoin

import httpx

from bot.config import Settings
from bot.errors import (
    FetchTimeoutError,
    InvalidSourceError,
    KeypointError,
    TooLargeError,
    UnreachableError,
)
from bot.fetch.decompress import ACCEPT_ENCODING, decoder_chain, run_chain
from bot.fetch.guard import IPNetwork, Resolver, check_url, system_resolver
from bot.fetch.sniff import final_type, parse_content_type, precheck
from bot.fetch.transport import GuardedBackend, GuardedTransport
from bot.models import FetchedPage

_log = logging.getLogger(__name__)
_REDIRECTS = {301, 302, 303, 307, 308}
ACCEPT = (
    "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,application/pdf;q=0.8,*/*;q=0.1"
)


class Fetcher:
    """Fetches pages with one pooled client; use as an async context manager.

    ``resolver``, ``trusted`` and ``verify`` are seams for tests (a name
    service we control, loopback addresses that count as public, a private
    CA); production code passes none of them.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        resolver: Resolver = system_resolver,
        trusted: Iterable[IPNetwork] = (),
        verify: ssl.SSLContext | None = None,
    ) -> None:
        self._settings = settings
        if settings.allow_private_addresses:
            _log.warning("KEYPOINT_ALLOW_PRIVATE_ADDRESSES is on: links to private networks will be fetched")
        backend = GuardedBackend(
            allow_private=settings.allow_private_addresses, resolver=resolver, trusted=trusted
        )
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=16, keepalive_expiry=30)
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=settings.read_timeout,
                write=settings.read_timeout,
                pool=settings.connect_timeout,
            ),
            follow_redirects=False,  # every hop goes through check_url and the guard
            headers={"User-Agent": settings.user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING},
            # Cookies live for one fetch only (see _fetch), never shared between users.
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            # No proxies from the environment: a proxy would connect wherever it likes.
            trust_env=False,
            transport=GuardedTransport(backend, limits=limits, verify=verify),
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close pooled connections."""
        await self._client.aclose()

    async def fetch(self, url: str) -> FetchedPage:
        """Fetch ``url`` (following safe redirects) within the size and time limits."""
        try:
            async with asyncio.timeout(self._settings.total_timeout):
                return await self._fetch(url)
        except KeypointError:
            raise
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise FetchTimeoutError("the page took too long to load") from exc
        except httpx.InvalidURL as exc:
            raise InvalidSourceError("the link is not a valid web address") from exc
        except httpx.HTTPError as exc:
            raise UnreachableError(f"could not load the page ({_reason(exc)})") from exc
        except (OSError, ssl.SSLError, UnicodeError) as exc:
            # Anything the transport did not wrap still gets a sentence, not a traceback.
            raise UnreachableError("could not load the page") from exc

    async def _fetch(self, url: str) -> FetchedPage:
        current = check_url(url)
        cookies = httpx.Cookies()
        for _hop in range(self._settings.max_redirects + 1):
            request = self._client.build_request("GET", current, cookies=cookies)
            response = await self._client.send(request, stream=True)
            try:
                cookies.extract_cookies(response)
                if response.status_code in _REDIRECTS:
                    location = response.headers.get("location", "").strip()
                    if not location:
                        raise UnreachableError(
                            f"the server answered {response.status_code} without a new address"
                        )
                    current = check_url(urljoin(current, location))
                    continue
                if response.status_code >= 400:
                    raise UnreachableError(f"the server answered {response.status_code}")
                return await self._read(url, current, response)
            finally:
                await response.aclose()
        raise UnreachableError(f"the link redirects more than {self._settings.max_redirects} times")

    async def _read(self, url: str, final_url: str, response: httpx.Response) -> FetchedPage:
        declared_type, charset = parse_content_type(response.headers.get("content-type", ""))
        precheck(declared_type)
        limit = self._settings.max_body_bytes
        too_large = TooLargeError(f"the page is larger than {_megabytes(limit)}")
        length = response.headers.get("content-length", "").strip()
        if length.isdigit() and int(length) > limit:
            raise too_large  # refused before reading a byte of it
        chain = decoder_chain(response.headers.get("content-encoding", ""))
        chunks: list[bytes] = []
        size = 0
        # Raw bytes, decoded here in bounded slices: httpx would inflate a
        # whole network chunk at once, which is what a compression bomb needs.
        async for raw in response.aiter_raw():
            for piece in run_chain(chain, raw):
                size += len(piece)
                if size > limit:
                    raise too_large
                chunks.append(piece)
        body = b"".join(chunks)
        return FetchedPage(
            url=url,
            final_url=final_url,
            status=response.status_code,
            content_type=final_type(declared_type, body, charset),
            body=body,
            declared_charset=charset,
        )


def _megabytes(limit: int) -> str:
    return f"{limit / 1_000_000:g} MB" if limit >= 100_000 else f"{limit:,} bytes"


def _reason(exc: httpx.HTTPError) -> str:
    """A short, non-technical reason for a transport failure."""
    text = str(exc).lower()
    if "certificate" in text or "ssl" in text or "tls" in text:
        return "its secure connection could not be verified"
    if isinstance(exc, httpx.ConnectError):
        return "the server refused the connection"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the server broke off or sent a malformed answer"
    return type(exc).__name__


def ensure_http_url(url: str) -> str:
    """Validate the shape of a user-supplied URL (no network)."""
    return check_url(url)


__all__ = ["Fetcher", "ensure_http_url"]
