"""The address rules themselves, without a network."""

from __future__ import annotations

import ipaddress

import pytest

from bot.errors import BlockedAddressError, InvalidSourceError
from bot.fetch.guard import check_url, is_public_address, parse_numeric_host, resolve_checked
from tests.support.fetch_servers import table_resolver


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0x7f.0x0.0x0.0x1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("192.168.257", "192.168.1.1"),
        ("0", "0.0.0.0"),
        ("127.0.0.1.", "127.0.0.1"),
        ("93.184.216.34", "93.184.216.34"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
    ],
)
def test_numeric_hosts_mean_what_inet_aton_says(host: str, address: str) -> None:
    assert parse_numeric_host(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize(
    "host", ["example.com", "127.0.0.1.example.com", "1e100.net", "0x7f.example", "123.com"]
)
def test_names_are_not_numbers(host: str) -> None:
    assert parse_numeric_host(host) is None


@pytest.mark.parametrize(
    "host", ["1.2.3.256", "127.0.0.0.1", "08.1.1.1", "0x1g.1", "4294967296", "1.2.65536"]
)
def test_invalid_numeric_hosts_are_refused(host: str) -> None:
    with pytest.raises(InvalidSourceError):
        parse_numeric_host(host)


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "93.184.216.34",
        "1.1.1.1",
        "2606:4700::1111",
        "2a00:1450:4001::200e",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
    ],
)
def test_public_addresses_pass(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.9.8.7",
        "172.31.255.255",
        "192.168.0.1",
        "169.254.169.254",
        "100.100.100.200",
        "0.0.0.0",
        "224.0.0.251",
        "255.255.255.255",
        "192.0.0.8",
        "198.18.1.1",
        "::1",
        "::",
        "fd00::1",
        "fe80::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "64:ff9b::a00:1",
        "2002:a00:1::",
        "2001:db8::1",
        "3fff::1",
    ],
)
def test_private_and_special_addresses_fail(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


def test_check_url_canonicalises_numeric_hosts_and_drops_fragments() -> None:
    assert check_url("HTTP://0x7f.1:8080/a?b=1#frag") == "http://127.0.0.1:8080/a?b=1"
    assert check_url("https://１２７。０。０。１/") == "https://127.0.0.1/"
    assert check_url("https://Example.com/Path") == "https://Example.com/Path"


async def test_public_names_resolve_and_mixed_answers_do_not() -> None:
    resolver = table_resolver(
        {"ok.test": ["93.184.216.34", "2606:2800:220:1::1"], "bad.test": ["8.8.8.8", "10.0.0.1"]}
    )
    found = await resolve_checked("ok.test", 443, allow_private=False, resolver=resolver)
    assert [str(a) for a in found] == ["93.184.216.34", "2606:2800:220:1::1"]
    with pytest.raises(BlockedAddressError):
        await resolve_checked("bad.test", 443, allow_private=False, resolver=resolver)
    assert len(await resolve_checked("bad.test", 443, allow_private=True, resolver=resolver)) == 2
