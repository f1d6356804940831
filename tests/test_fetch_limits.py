"""Time and size limits, proven with slow, endless, lying and compressed
responses from real loopback servers."""

from __future__ import annotations

import asyncio
import gzip
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from typing import Self

import brotli
import pytest

from bot.errors import FetchTimeoutError, TooLargeError, UnreachableError, UnsupportedContentError
from bot.fetch.guard import IPAddress
from tests.support.fetch_servers import (
    black_hole,
    endless,
    fetch_once,
    fetch_settings,
    lying_length,
    raw_server,
    respond,
    silent,
    table_resolver,
    trickle,
)

ALLOW = {"allow_private_addresses": True}
PAGE = "<html><body><p>" + "A tidal power station for the harbour town. " * 40 + "</p></body></html>"


class Timer:
    def __enter__(self) -> Self:
        self.start = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.monotonic() - self.start


async def test_trickling_body_hits_the_total_timeout() -> None:
    """One byte a second never trips the read timeout; the total timeout stops it."""
    with raw_server(trickle(0.2)) as server, Timer() as timer, pytest.raises(FetchTimeoutError):
        await fetch_once(server.url(), fetch_settings(read_timeout=5, total_timeout=1.0, **ALLOW))
    assert 0.9 < timer.seconds < 2.5


async def test_silent_server_hits_the_read_timeout() -> None:
    with raw_server(silent) as server, Timer() as timer, pytest.raises(FetchTimeoutError):
        await fetch_once(server.url(), fetch_settings(read_timeout=0.5, total_timeout=5, **ALLOW))
    assert 0.4 < timer.seconds < 2.0


async def test_slow_name_lookup_counts_against_the_connect_timeout() -> None:
    async def stalling(host: str, port: int) -> list[IPAddress]:
        await asyncio.sleep(10)
        return []

    with (
        Timer() as timer,
        pytest.raises(FetchTimeoutError),
    ):
        await fetch_once(
            "http://slow-dns.test/", fetch_settings(connect_timeout=0.5, total_timeout=5), resolver=stalling
        )
    assert timer.seconds < 2.0


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "close-delimited"])
async def test_endless_body_is_cut_at_the_size_limit(chunked: bool) -> None:
    with raw_server(endless(chunked)) as server, Timer() as timer, pytest.raises(TooLargeError):
        await fetch_once(server.url(), fetch_settings(max_body_bytes=300_000, total_timeout=10, **ALLOW))
    assert timer.seconds < 3


async def test_declared_length_over_the_limit_is_refused_unread() -> None:
    with (
        raw_server(lying_length(50_000_000, b"short")) as server,
        pytest.raises(TooLargeError, match="larger than"),
    ):
        await fetch_once(server.url(), fetch_settings(**ALLOW))


async def test_body_longer_than_declared_is_truncated_to_the_declared_length() -> None:
    with raw_server(lying_length(20, b"x" * 1_000_000, hold_open=0.5)) as server:
        page = await fetch_once(server.url(), fetch_settings(**ALLOW))
    assert page.body == b"x" * 20


async def test_body_shorter_than_declared_is_an_error() -> None:
    with raw_server(lying_length(1000, b"only ten b")) as server, pytest.raises(UnreachableError):
        await fetch_once(server.url(), fetch_settings(**ALLOW))


def _compressed(encoding: str, data: bytes) -> bytes:
    if encoding == "gzip":
        return gzip.compress(data)
    if encoding == "deflate":
        return zlib.compress(data)
    if encoding == "raw-deflate":
        packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        return packer.compress(data) + packer.flush()
    if encoding == "br":
        return brotli.compress(data)
    if encoding == "gzip, gzip":
        return gzip.compress(gzip.compress(data))
    raise ValueError(encoding)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate", "br", "gzip, gzip"])
async def test_compressed_pages_are_decoded(encoding: str) -> None:
    header = "deflate" if encoding == "raw-deflate" else encoding
    body = _compressed(encoding, PAGE.encode())
    with raw_server(respond(body, headers={"Content-Encoding": header})) as server:
        page = await fetch_once(server.url(), fetch_settings(**ALLOW))
    assert page.body == PAGE.encode()


@pytest.fixture(scope="module")
def bombs() -> Iterator[dict[str, bytes]]:
    """50 MB of zeros, compressed a thousandfold and more."""
    zeros = b"\0" * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    gz = b"".join(packer.compress(zeros) for _ in range(50)) + packer.flush()
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS)
    deflate = b"".join(packer.compress(zeros) for _ in range(50)) + packer.flush()
    squeezer = brotli.Compressor(quality=5)
    br = b"".join(squeezer.process(zeros) for _ in range(50)) + squeezer.finish()
    yield {"gzip": gz, "deflate": deflate, "br": br, "gzip, gzip": gzip.compress(gz)}


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "gzip, gzip"])
async def test_compression_bomb_is_stopped_without_inflating_it(
    bombs: dict[str, bytes], encoding: str
) -> None:
    bomb = bombs[encoding]
    assert len(bomb) < 60_000  # the wire size is far under the 1 MB limit
    with raw_server(respond(bomb, headers={"Content-Encoding": encoding})) as server:
        tracemalloc.start()
        try:
            with pytest.raises(TooLargeError):
                await fetch_once(server.url(), fetch_settings(max_body_bytes=1_000_000, **ALLOW))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    # httpx's own decoding would hold tens of MB here (one network chunk inflated at once).
    assert peak < 8_000_000


async def test_unknown_content_encoding_is_refused() -> None:
    with (
        raw_server(respond(b"\x00\x01", headers={"Content-Encoding": "zstd"})) as server,
        pytest.raises(UnsupportedContentError),
    ):
        await fetch_once(server.url(), fetch_settings(**ALLOW))


async def test_damaged_compression_is_an_error() -> None:
    with (
        raw_server(
            respond(b"\x1f\x8b\x08\x00garbage-not-gzip", headers={"Content-Encoding": "gzip"})
        ) as server,
        pytest.raises(UnreachableError, match="damaged"),
    ):
        await fetch_once(server.url(), fetch_settings(**ALLOW))


async def test_request_identifies_the_bot_and_its_encodings() -> None:
    with raw_server(respond(PAGE.encode())) as server:
        await fetch_once(
            server.url(), fetch_settings(user_agent="KeypointTest/9 (+https://example.org/bot)", **ALLOW)
        )
    head = server.requests[0].decode("latin-1").lower()
    assert "user-agent: keypointtest/9 (+https://example.org/bot)" in head
    assert "accept-encoding: gzip, deflate, br" in head


async def test_unreachable_port_is_a_clear_error() -> None:
    resolver = table_resolver({"closed.test": ["127.0.0.1"]})
    with raw_server(respond(b"")) as server:
        port = server.port
    with pytest.raises(UnreachableError, match="refused"):
        await fetch_once(f"http://closed.test:{port}/", fetch_settings(**ALLOW), resolver=resolver)


async def test_black_holed_server_hits_the_connect_timeout() -> None:
    with black_hole() as port, Timer() as timer:
        resolver = table_resolver({"hole.test": ["127.0.0.1"]})
        with pytest.raises(FetchTimeoutError):
            await fetch_once(
                f"http://hole.test:{port}/",
                fetch_settings(connect_timeout=0.5, total_timeout=5, **ALLOW),
                resolver=resolver,
            )
    assert 0.4 < timer.seconds < 2.0


async def test_a_black_holed_address_does_not_use_up_the_whole_connect_timeout() -> None:
    """Two addresses, the first unanswering: the second still gets its turn."""
    with raw_server(respond(PAGE.encode())) as server, black_hole("127.0.0.3", server.port), Timer() as timer:
        resolver = table_resolver({"two.test": ["127.0.0.3", "127.0.0.1"]})
        page = await fetch_once(
            server.url(host="two.test"), fetch_settings(connect_timeout=1.0, **ALLOW), resolver=resolver
        )
    assert page.body == PAGE.encode()
    assert timer.seconds < 1.5
