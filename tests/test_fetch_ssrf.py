"""SSRF tricks against a real loopback server: every one is refused before a
TCP connection is made (the server counts accepted connections), and the
``KEYPOINT_ALLOW_PRIVATE_ADDRESSES`` switch really lets them through."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.errors import BlockedAddressError, InvalidSourceError, UnreachableError
from tests.support.fetch_servers import (
    RawServer,
    fetch_once,
    fetch_settings,
    raw_server,
    redirect,
    respond,
    table_resolver,
)

PAGE = b"<html><body><p>The loopback server answered.</p></body></html>"

# Every way of writing 127.0.0.1 (or the local host) we know of.
LOOPBACK_HOSTS = [
    "127.0.0.1",
    "localhost",
    "LOCALHOST",
    "127.0.0.1.",  # trailing dot
    "2130706433",  # decimal
    "017700000001",  # octal, whole
    "0177.0.0.1",  # octal parts
    "0x7f000001",  # hex, whole
    "0x7f.0.0.1",  # hex part
    "0x7F.1",  # hex, short form
    "127.1",  # short form
    "127.0.1",
    "127.000.000.001",  # zero padded (octal 0 is still 0)
    "１２７.０.０.１",  # full-width digits (NFKC)
    "127。0。0。1",  # ideographic full stops
    "0.0.0.0",  # unspecified: reaches the local host on Linux
    "0",
    "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6
    "[::ffff:7f00:1]",
    "[0:0:0:0:0:ffff:127.0.0.1]",
    "[::127.0.0.1]",  # IPv4-compatible IPv6 (deprecated)
    "[64:ff9b::127.0.0.1]",  # NAT64 well-known prefix
    "[2002:7f00:1::1]",  # 6to4 wrapping 127.0.0.1
]

# Private, link-local, multicast, reserved addresses: no server there, so a
# connection attempt would hang; refusal must be immediate.
OTHER_PRIVATE = [
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "192.0.0.8",
    "198.18.0.1",
    "192.0.2.1",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "[::]",
    "[fc00::1]",
    "[fd12:3456::1]",
    "[fe80::1]",
    "[fec0::1]",
    "[ff02::1]",
    "[2001:db8::1]",
    "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",  # Teredo
    "[::ffff:10.0.0.1]",
    "[::ffff:169.254.169.254]",
    "[64:ff9b::a9fe:a9fe]",
    "[2002:c0a8:101::1]",  # 6to4 wrapping 192.168.1.1
]


@pytest.fixture
def server() -> Iterator[RawServer]:
    with raw_server(respond(PAGE)) as running:
        yield running


@pytest.mark.parametrize("host", LOOPBACK_HOSTS)
async def test_loopback_forms_are_refused_before_connecting(server: RawServer, host: str) -> None:
    with pytest.raises(BlockedAddressError):
        await fetch_once(server.url(host=host))
    assert server.connections == 0


# Translated forms (NAT64, 6to4, IPv4-compatible) need a gateway to reach anything.
REACHABLE_LOOPBACK_HOSTS = [
    h for h in LOOPBACK_HOSTS if h not in ("[64:ff9b::127.0.0.1]", "[2002:7f00:1::1]", "[::127.0.0.1]")
]


@pytest.mark.parametrize("host", REACHABLE_LOOPBACK_HOSTS)
async def test_the_switch_allows_the_same_forms(server: RawServer, host: str) -> None:
    page = await fetch_once(server.url(host=host), fetch_settings(allow_private_addresses=True))
    assert page.body == PAGE
    assert server.connections >= 1


@pytest.mark.parametrize("host", OTHER_PRIVATE)
async def test_private_and_reserved_addresses_are_refused(host: str) -> None:
    with pytest.raises(BlockedAddressError):
        await fetch_once(
            f"http://{host}:8080/latest/meta-data/", fetch_settings(connect_timeout=5, total_timeout=5)
        )


async def test_environment_switch_is_read(server: RawServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEYPOINT_ALLOW_PRIVATE_ADDRESSES", "1")
    assert (await fetch_once(server.url(), Settings())).body == PAGE
    monkeypatch.setenv("KEYPOINT_ALLOW_PRIVATE_ADDRESSES", "0")
    before = server.connections
    with pytest.raises(BlockedAddressError):
        await fetch_once(server.url(), Settings())
    assert server.connections == before


async def test_ipv6_loopback_is_refused_and_allowed() -> None:
    try:
        ctx = raw_server(respond(PAGE), host="::1")
        running = ctx.__enter__()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        with pytest.raises(BlockedAddressError):
            await fetch_once(running.url())
        assert running.connections == 0
        page = await fetch_once(running.url(), fetch_settings(allow_private_addresses=True))
        assert page.body == PAGE
    finally:
        ctx.__exit__(None, None, None)


async def test_names_resolving_to_private_addresses_are_refused(server: RawServer) -> None:
    resolver = table_resolver(
        {
            "evil.test": ["127.0.0.1"],
            "mixed.test": ["93.184.216.34", "127.0.0.1"],  # one bad answer spoils the name
            "mapped.test": ["::ffff:127.0.0.1"],
        }
    )
    for name in ("evil.test", "mixed.test", "mapped.test"):
        with pytest.raises(BlockedAddressError):
            await fetch_once(server.url(host=name), resolver=resolver)
    assert server.connections == 0


async def test_connection_goes_to_the_checked_address(server: RawServer) -> None:
    """No second lookup: the name is resolved once, by our resolver, and the
    connection goes to that answer (the system resolver does not know the name)."""
    calls: list[str] = []
    resolver = table_resolver({"pinned.test": ["127.0.0.1"]}, calls)
    page = await fetch_once(
        server.url("/story", host="pinned.test"),
        fetch_settings(allow_private_addresses=True),
        resolver=resolver,
    )
    assert page.body == PAGE
    assert calls == ["pinned.test"]
    assert f"Host: pinned.test:{server.port}".encode() in server.requests[0]
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("pinned.test", 80)


# Redirect tests: the first server is on 127.0.0.2, which the test trusts as
# if it were a public site; the target on 127.0.0.1 is not trusted.
TRUSTED = [ipaddress.ip_network("127.0.0.2/32")]


@pytest.mark.parametrize(
    "target", ["127.0.0.1", "localhost", "2130706433", "0x7f.1", "[::ffff:127.0.0.1]", "evil.test"]
)
async def test_redirects_to_private_addresses_are_refused(server: RawServer, target: str) -> None:
    resolver = table_resolver({"evil.test": ["127.0.0.1"], "localhost": ["127.0.0.1", "::1"]})
    with (
        raw_server(redirect(server.url("/admin", host=target)), host="127.0.0.2") as public,
        pytest.raises(BlockedAddressError),
    ):
        await fetch_once(public.url("/go"), resolver=resolver, trusted=TRUSTED)
        assert public.connections == 1
    assert server.connections == 0


async def test_trusting_one_address_does_not_trust_its_neighbours(server: RawServer) -> None:
    with raw_server(respond(PAGE), host="127.0.0.2") as public:
        assert (await fetch_once(public.url(), trusted=TRUSTED)).body == PAGE
    with pytest.raises(BlockedAddressError):
        await fetch_once(server.url(), trusted=TRUSTED)
    assert server.connections == 0


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/",
        "gopher://127.0.0.1:6379/_INFO",
        "dict://127.0.0.1:11211/stat",
        "data:text/html,<p>hi</p>",
        "javascript:alert(1)",
        "http:///nohost",
        "http://user:pass@example.com/",
        "http://example.com@127.0.0.1/",
        "http://1.2.3.999/",
        "http://0x100000000/",
    ],
)
async def test_malformed_and_foreign_links_are_refused(url: str) -> None:
    with pytest.raises(InvalidSourceError):
        await fetch_once(url)


async def test_redirect_to_a_file_url_is_refused(server: RawServer) -> None:
    with (
        raw_server(redirect("file:///etc/passwd"), host="127.0.0.2") as public,
        pytest.raises(InvalidSourceError),
    ):
        await fetch_once(public.url(), trusted=TRUSTED)


async def test_proxy_variables_cannot_route_around_the_guard(
    server: RawServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proxy would do its own lookup; the client ignores proxy variables."""
    with raw_server(respond(PAGE)) as proxy:
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "HTTPS_PROXY"):
            monkeypatch.setenv(name, proxy.url())
        resolver = table_resolver({"evil.test": ["127.0.0.1"]})
        with pytest.raises(BlockedAddressError):
            await fetch_once(server.url(host="evil.test"), resolver=resolver)
        assert proxy.connections == 0
    assert server.connections == 0


@pytest.mark.parametrize(
    "url_template",
    [
        "http://127.0.0.1:{port}\\@example.com/",  # parsers disagree about '\'
        "http://example.com#@127.0.0.1:{port}/",
        "http://127.0.0.1:{port}#@example.com/",
        "http://127.0.0.1:{port}?@example.com/",
    ],
)
async def test_parser_confusion_never_reaches_loopback(server: RawServer, url_template: str) -> None:
    """Whatever host the HTTP client ends up with is checked at connect time."""
    with pytest.raises((BlockedAddressError, InvalidSourceError, UnreachableError)):
        await fetch_once(url_template.format(port=server.port), resolver=table_resolver({}))
    assert server.connections == 0
