"""The shared HTTP client and the one fetch loop every link goes through."""

from __future__ import annotations

import asyncio
import ipaddress
from types import TracebackType
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from bot.config import Settings
from bot.errors import (
    FetchTimeoutError,
    InvalidSourceError,
    TooLargeError,
    UnreachableError,
    UnsupportedContentError,
)
from bot.fetch.guard import IPAddress, check_url_shape, resolve_public
from bot.models import FetchedPage

SUPPORTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "text/x-markdown",
    "application/pdf",
)
_REDIRECTS = {301, 302, 303, 307, 308}


class Fetcher:
    """Fetches pages with one pooled client; use as an async context manager."""

    def __init__(self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._settings = settings
        timeout = httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.read_timeout,
            write=settings.read_timeout,
            pool=settings.connect_timeout,
        )
        self._client = httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=False,  # every hop is checked by the guard first
            headers={
                "User-Agent": settings.user_agent,
                "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,application/pdf;q=0.8,*/*;q=0.5",
                "Accept-Encoding": "gzip, deflate, br",
            },
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
            transport=transport,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(self, url: str) -> FetchedPage:
        """Fetch ``url`` (following safe redirects) within the size and time limits."""
        try:
            async with asyncio.timeout(self._settings.total_timeout):
                return await self._fetch(url)
        except TimeoutError as exc:
            raise FetchTimeoutError("the page took too long to load") from exc
        except httpx.TimeoutException as exc:
            raise FetchTimeoutError("the page took too long to load") from exc
        except httpx.HTTPError as exc:
            raise UnreachableError(f"could not load the page ({type(exc).__name__})") from exc

    async def _fetch(self, url: str) -> FetchedPage:
        current = url
        for _hop in range(self._settings.max_redirects + 1):
            host = check_url_shape(current)
            parts = urlsplit(current)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            addresses = await resolve_public(host, port, allow_private=self._settings.allow_private_addresses)
            request = self._pinned_request(current, host, addresses[0])
            response = await self._client.send(request, stream=True)
            try:
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    current = urljoin(current, response.headers["location"])
                    continue
                if response.status_code >= 400:
                    raise UnreachableError(f"the server answered {response.status_code}")
                return await self._read(url, current, response)
            finally:
                await response.aclose()
        raise UnreachableError(f"more than {self._settings.max_redirects} redirects")

    def _pinned_request(self, url: str, host: str, address: IPAddress) -> httpx.Request:
        """A request that connects to the address we checked, not to a second lookup.

        Connecting by IP closes the DNS-rebinding window; the Host header and
        the TLS server name (SNI, also used for certificate checks) keep the
        original host name.
        """
        parts = urlsplit(url)
        literal = f"[{address}]" if isinstance(address, ipaddress.IPv6Address) else str(address)
        netloc = literal if parts.port is None else f"{literal}:{parts.port}"
        pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        host_header = host if parts.port is None else f"{host}:{parts.port}"
        if ":" in host and not host.startswith("["):
            host_header = f"[{host}]" if parts.port is None else f"[{host}]:{parts.port}"
        request = self._client.build_request(
            "GET",
            pinned,
            headers={"Host": host_header},
            extensions={"sni_hostname": host},
        )
        return request

    async def _read(self, url: str, final_url: str, response: httpx.Response) -> FetchedPage:
        content_type, charset = _parse_content_type(response.headers.get("content-type", ""))
        if content_type and not content_type.startswith(SUPPORTED_TYPES):
            raise UnsupportedContentError(f"unsupported content type {content_type}")
        limit = self._settings.max_body_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise TooLargeError(f"the page is larger than {limit // 1_000_000} MB")
        chunks: list[bytes] = []
        size = 0
        # aiter_bytes yields decompressed bytes, so the limit also stops gzip bombs.
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise TooLargeError(f"the page is larger than {limit // 1_000_000} MB")
            chunks.append(chunk)
        return FetchedPage(
            url=url,
            final_url=final_url,
            status=response.status_code,
            content_type=content_type or "text/html",
            body=b"".join(chunks),
            declared_charset=charset,
        )


def _parse_content_type(header: str) -> tuple[str, str | None]:
    """('text/html', 'gbk') from 'text/html; charset=GBK'."""
    main, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return main.strip().lower(), charset


def ensure_http_url(url: str) -> str:
    """Validate the shape of a user-supplied URL (no network)."""
    check_url_shape(url)
    return url


__all__ = ["Fetcher", "ensure_http_url", "InvalidSourceError"]
