"""HTTPS to the checked address: the certificate is verified against the
host name in the link, never against the address we connected to."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest

from bot.errors import UnreachableError
from bot.fetch import Fetcher
from tests.support.fetch_servers import fetch_once, fetch_settings, raw_server, respond, table_resolver

trustme = pytest.importorskip("trustme")

PAGE = b"<html><body><p>Served over TLS.</p></body></html>"
ALLOW = fetch_settings(allow_private_addresses=True)
RESOLVER = table_resolver({"keypoint.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def client_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def server_context(ca: trustme.CA, name: str, seen: list[str | None]) -> ssl.SSLContext:
    """A server that presents a certificate for ``name`` only, and notes the SNI it got."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(name).configure_cert(context)
    context.sni_callback = lambda _sock, server_name, _ctx: seen.append(server_name)  # type: ignore[assignment]
    return context


@pytest.fixture
def tls_server(ca: trustme.CA) -> Iterator[tuple[object, list[str | None]]]:
    seen: list[str | None] = []
    with raw_server(respond(PAGE), tls=server_context(ca, "keypoint.test", seen)) as server:
        yield server, seen


async def test_https_to_the_pinned_address_verifies_the_host_name(tls_server, client_context) -> None:
    server, seen = tls_server
    page = await fetch_once(
        server.url(host="keypoint.test", scheme="https"), ALLOW, resolver=RESOLVER, verify=client_context
    )
    assert page.body == PAGE
    assert seen == ["keypoint.test"]  # SNI carried the name, not the address
    assert f"Host: keypoint.test:{server.port}".encode() in server.requests[0]


async def test_certificate_for_another_name_is_refused(tls_server, client_context) -> None:
    server, _ = tls_server
    with pytest.raises(UnreachableError, match="could not be verified"):
        await fetch_once(
            server.url(host="other.test", scheme="https"), ALLOW, resolver=RESOLVER, verify=client_context
        )


async def test_certificate_is_not_checked_against_the_address(tls_server, client_context) -> None:
    server, _ = tls_server
    with pytest.raises(UnreachableError, match="could not be verified"):
        await fetch_once(server.url(scheme="https"), ALLOW, verify=client_context)


async def test_two_names_on_one_address_do_not_share_a_connection(tls_server, client_context) -> None:
    """Pooling by address would reuse keypoint.test's verified connection for
    other.test and skip its certificate check; pooling by name does not."""
    server, _ = tls_server
    async with Fetcher(ALLOW, resolver=RESOLVER, verify=client_context) as fetcher:
        await fetcher.fetch(server.url(host="keypoint.test", scheme="https"))
        with pytest.raises(UnreachableError, match="could not be verified"):
            await fetcher.fetch(server.url(host="other.test", scheme="https"))


async def test_untrusted_certificate_is_refused_by_default(tls_server) -> None:
    server, _ = tls_server
    with pytest.raises(UnreachableError, match="could not be verified"):
        await fetch_once(server.url(host="keypoint.test", scheme="https"), ALLOW, resolver=RESOLVER)
