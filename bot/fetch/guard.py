"""Which URLs and addresses we agree to connect to."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from bot.errors import BlockedAddressError, InvalidSourceError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def check_url_shape(url: str) -> str:
    """Return the host of an http(s) URL or raise :class:`InvalidSourceError`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise InvalidSourceError(f"only http and https links can be fetched, not {parts.scheme or 'this'!r}")
    if not parts.hostname:
        raise InvalidSourceError("the link has no host name")
    if parts.username or parts.password:
        raise InvalidSourceError("links with a user name or password are not fetched")
    return parts.hostname


def is_public_address(address: IPAddress) -> bool:
    """True only for globally routable unicast addresses."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return is_public_address(mapped)
        if address.teredo is not None:
            return False
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


async def resolve_public(host: str, port: int, *, allow_private: bool) -> list[IPAddress]:
    """Resolve ``host`` and return its addresses, refusing non-public ones.

    The system resolver (via ``getaddrinfo``) also understands the numeric
    tricks (``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``): they come
    back as the address they really mean, and are judged as such.
    """
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        from bot.errors import UnreachableError

        raise UnreachableError(f"cannot resolve {host}") from exc
    addresses: list[IPAddress] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if not allow_private and not is_public_address(address):
            raise BlockedAddressError(f"{host} points to a private or reserved address")
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        from bot.errors import UnreachableError

        raise UnreachableError(f"cannot resolve {host}")
    return addresses
