"""Content-Encoding decoders that never produce more than a slice at a time.

httpx decompresses each network chunk in one call, so 64 KB of a gzip bomb
can become 64 MB in memory before anyone counts it (brotli can do far worse).
These decoders hand out at most :data:`SLICE` bytes per step, and the caller
counts every slice against the body limit as it arrives.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from bot.errors import UnreachableError, UnsupportedContentError

try:
    import brotli
except ImportError:  # pragma: no cover - httpx[brotli] installs it
    brotli = None

SLICE = 64 * 1024


def _brotli_is_bounded() -> bool:
    """Only brotli ≥ 1.2 can cap its output per call; older ones are not offered."""
    if brotli is None:
        return False
    try:
        brotli.Decompressor().process(b"", output_buffer_limit=SLICE)
    except TypeError:
        return False
    return True


BROTLI = _brotli_is_bounded()
ACCEPT_ENCODING = "gzip, deflate, br" if BROTLI else "gzip, deflate"


class Decoder:
    """One content coding: feed compressed bytes, get bounded slices."""

    def feed(self, data: bytes) -> Iterator[bytes]:
        raise NotImplementedError

    def finish(self) -> Iterator[bytes]:
        return iter(())


class Identity(Decoder):
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data


class ZlibDecoder(Decoder):
    """gzip (several members allowed) or deflate (zlib-wrapped, or raw as some servers send)."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._first = True
        self._new()

    def _new(self, raw: bool = False) -> None:
        wbits = 16 + zlib.MAX_WBITS if self._gzip else (-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        self._z = zlib.decompressobj(wbits)

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            while data:
                if self._z.eof:
                    # Trailing bytes after a gzip member start another member.
                    if not self._gzip:
                        return
                    self._new()
                try:
                    out = self._z.decompress(data, SLICE)
                except zlib.error:
                    if not (self._first and not self._gzip):
                        raise
                    self._new(raw=True)
                    out = self._z.decompress(data, SLICE)
                self._first = False
                data = self._z.unconsumed_tail or (self._z.unused_data if self._z.eof else b"")
                if out:
                    yield out
        except zlib.error as exc:
            raise UnreachableError("the page arrived damaged (bad compression)") from exc


class BrotliDecoder(Decoder):
    def __init__(self) -> None:
        self._b = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            out = self._b.process(data, output_buffer_limit=SLICE)
            while True:
                if out:
                    yield out
                if self._b.is_finished() or self._b.can_accept_more_data():
                    return
                out = self._b.process(b"", output_buffer_limit=SLICE)
        except brotli.error as exc:
            raise UnreachableError("the page arrived damaged (bad compression)") from exc


def decoder_chain(content_encoding: str) -> list[Decoder]:
    """Decoders for a Content-Encoding header, in the order to apply them."""
    names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
    chain: list[Decoder] = []
    for name in reversed(names):  # the last coding applied is undone first
        if name in ("identity", ""):
            continue
        if name in ("gzip", "x-gzip"):
            chain.append(ZlibDecoder(gzip=True))
        elif name == "deflate":
            chain.append(ZlibDecoder(gzip=False))
        elif name == "br" and BROTLI:
            chain.append(BrotliDecoder())
        else:
            raise UnsupportedContentError(f"the page uses a compression we do not read ({name})")
    return chain or [Identity()]


def run_chain(chain: list[Decoder], data: bytes, index: int = 0) -> Iterator[bytes]:
    """Push ``data`` through ``chain[index:]``, one bounded slice at a time."""
    if index == len(chain):
        if data:
            yield data
        return
    for piece in chain[index].feed(data):
        yield from run_chain(chain, piece, index + 1)
