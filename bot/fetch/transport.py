"""An httpx transport whose connections go only to addresses the guard passed.

httpx hands the host name to httpcore, which normally lets anyio resolve and
connect in one step. Our network backend resolves the name itself, refuses it
if any address is not public (:func:`bot.fetch.guard.resolve_checked`), and
connects to those very addresses. The URL keeps its host name, so TLS checks
the certificate against that name and the connection pool never shares one
connection between two host names.
"""

from __future__ import annotations

import ssl
import time
import typing
from collections.abc import Iterable

import anyio
import certifi
import httpcore
import httpx

from bot.fetch.guard import IPNetwork, Resolver, resolve_checked, system_resolver


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks, then connects to the checked address (no second lookup)."""

    def __init__(
        self,
        *,
        allow_private: bool,
        resolver: Resolver = system_resolver,
        trusted: Iterable[IPNetwork] = (),
    ) -> None:
        self._allow_private = allow_private
        self._resolver = resolver
        self._trusted = tuple(trusted)
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109  # httpcore's interface: it passes timeout= by name
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        # The connect timeout covers the lookup as well as the handshakes.
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            with anyio.fail_after(timeout):
                addresses = await resolve_checked(
                    host,
                    port,
                    allow_private=self._allow_private,
                    resolver=self._resolver,
                    trusted=self._trusted,
                )
            last_error: Exception = httpcore.ConnectError(f"cannot connect to {host}")
            for index, address in enumerate(addresses):
                # Each address left gets a fair share of the remaining time, so
                # one black-holed address (often a broken IPv6 route) cannot
                # use it all up.
                share = None if deadline is None else (deadline - time.monotonic()) / (len(addresses) - index)
                if share is not None and share <= 0:
                    break
                try:
                    return await self._inner.connect_tcp(
                        str(address), port, share, local_address, socket_options
                    )
                except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                    last_error = exc
            raise last_error
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"looking up {host} took too long") from exc

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109  # httpcore's interface: it passes timeout= by name
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are never used for fetching")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport with the connection pool built on :class:`GuardedBackend`."""

    def __init__(
        self,
        backend: GuardedBackend,
        *,
        limits: httpx.Limits,
        verify: ssl.SSLContext | None = None,
    ) -> None:
        context = verify if verify is not None else ssl.create_default_context(cafile=certifi.where())
        super().__init__(verify=context, limits=limits, trust_env=False)
        # Replaces the pool httpx built; request/response mapping stays httpx's.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=backend,
        )
