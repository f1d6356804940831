"""Which URLs and addresses we agree to connect to.

Two layers keep requests away from private networks:

* :func:`check_url` looks at the link itself: http(s) only, no credentials,
  and numeric hosts written in any of the forms C's ``inet_aton`` accepts
  (``2130706433``, ``0177.0.0.1``, ``0x7f.1``, ``127.1``, full-width digits)
  rewritten to the dotted address they really mean, so they are judged and
  connected to as that address.
* :func:`resolve_checked` runs inside the connection layer
  (:mod:`bot.fetch.transport`): it resolves the host the HTTP client is
  about to connect to and refuses the connection if *any* address is not
  public. The caller then connects to exactly those addresses, so there is
  no second lookup an attacker's DNS could answer differently.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit, urlunsplit

from bot.errors import BlockedAddressError, InvalidSourceError, UnreachableError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Dots that IDNA mapping (UTS 46) treats as label separators.
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_NUMERIC_PART = re.compile(r"^(0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*)$")
_LOOKS_NUMERIC = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")


@lru_cache(maxsize=1)
def blocked_networks() -> tuple[IPNetwork, ...]:
    """The networks in ``data/blocked_networks.txt``."""
    text = resources.files("bot.fetch").joinpath("data/blocked_networks.txt").read_text("utf-8")
    networks: list[IPNetwork] = []
    for line in text.splitlines():
        cidr = line.split("#", 1)[0].strip()
        if cidr:
            networks.append(ipaddress.ip_network(cidr))
    return tuple(networks)


def is_public_address(address: IPAddress) -> bool:
    """True only for globally routable unicast addresses."""
    if isinstance(address, ipaddress.IPv6Address):
        # Forms that carry an IPv4 address are as public as that address.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
        if address.scope_id:
            return False
    if any(address in network for network in blocked_networks() if network.version == address.version):
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


def parse_numeric_host(host: str) -> IPAddress | None:
    """The address a numeric host means (WHATWG/``inet_aton`` rules), else None.

    ``None`` means the host is a name. A host whose last label is a number
    but which is not a valid address is refused: browsers refuse it too, and
    resolvers disagree about what it means.
    """
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]) if ":" in host else ipaddress.IPv4Address(host)
    except ValueError:
        if ":" in host:
            raise InvalidSourceError("the link has an invalid IPv6 address") from None
    parts = host.split(".")
    if parts and parts[-1] == "" and len(parts) > 1:
        parts.pop()  # one trailing dot is allowed, as in "127.0.0.1."
    if not _LOOKS_NUMERIC.match(parts[-1]):
        return None
    if len(parts) > 4 or not all(_NUMERIC_PART.match(p) for p in parts):
        raise InvalidSourceError("the link has an invalid numeric address")
    numbers = [_part_value(p) for p in parts]
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        raise InvalidSourceError("the link has an invalid numeric address")
    value = last
    for index, number in enumerate(head):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _part_value(part: str) -> int:
    """One label of a numeric host: hex with 0x, octal with a leading 0, else decimal."""
    if part.startswith("0x"):
        return int(part[2:] or "0", 16)
    if part.startswith("0"):
        return int(part, 8)
    return int(part)


def normalise_host(host: str) -> str:
    """Lower-case, NFKC-mapped host, as URL parsers see it before IDNA."""
    return unicodedata.normalize("NFKC", host).translate(_DOTS).lower()


def check_url(url: str) -> str:
    """The URL to request, or raise :class:`InvalidSourceError`.

    Numeric hosts come back rewritten to their canonical form. Whether the
    address is allowed is decided by :func:`resolve_checked` just before the
    connection is made, for numeric hosts and names alike.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise InvalidSourceError("the link is not a valid web address") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidSourceError(f"only http and https links can be fetched, not {parts.scheme or 'this'!r}")
    if parts.username is not None or parts.password is not None:
        raise InvalidSourceError("links with a user name or password are not fetched")
    if not parts.hostname:
        raise InvalidSourceError("the link has no host name")
    host = normalise_host(parts.hostname)
    address = parse_numeric_host(host)
    if address is None:
        return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path, parts.query, ""))
    literal = f"[{address}]" if address.version == 6 else str(address)
    netloc = literal if port is None else f"{literal}:{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, ""))


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """Every address the operating system's resolver gives for ``host``."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnreachableError(f"the site {host} could not be found") from exc
    found: list[IPAddress] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        if family in (socket.AF_INET, socket.AF_INET6):
            found.append(ipaddress.ip_address(str(sockaddr[0])))
    return found


async def resolve_checked(
    host: str,
    port: int,
    *,
    allow_private: bool,
    resolver: Resolver = system_resolver,
    trusted: Iterable[IPNetwork] = (),
) -> list[IPAddress]:
    """The addresses to connect to for ``host``, all of them public.

    Refuses the whole host if any address is not public: with a mixed
    answer we could not promise which one the connection would use.
    ``trusted`` networks count as public (a test seam; empty in production).
    """
    literal = parse_numeric_host(normalise_host(host))
    addresses = [literal] if literal is not None else await resolver(host, port)
    unique = list(dict.fromkeys(addresses))
    if not unique:
        raise UnreachableError(f"the site {host} could not be found")
    if not allow_private:
        trusted = tuple(trusted)
        for address in unique:
            if any(address in net for net in trusted if net.version == address.version):
                continue
            if not is_public_address(address):
                raise BlockedAddressError(
                    f"{host} points to a private or reserved address, which is not fetched"
                )
    return unique
