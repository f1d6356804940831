"""Turn page bytes into text with the right charset, the first time.

Order: BOM, the HTTP header, the page's own ``<meta>`` declaration, then
detection (charset-normalizer). GB2312/GBK are read as their superset GB18030
and Big5 as Big5-HKSCS, because pages that declare the narrow charset
routinely use characters only the wider one has.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "big5-tw": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cp950": "big5hkscs",
    "iso-8859-1": "cp1252",  # browsers read latin-1 as windows-1252 too
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""",
    re.IGNORECASE,
)


def normalise_charset(name: str | None) -> str | None:
    """A Python codec name for ``name`` (widened as above), or None if unknown."""
    if not name:
        return None
    name = name.strip().lower()
    name = _WIDER.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def sniff_meta_charset(body: bytes) -> str | None:
    """The charset a page declares in its first few kilobytes."""
    match = _META.search(body[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def decode_bytes(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``body``; return (text, codec used).

    A declared charset is trusted only if the bytes decode cleanly with it:
    pages that say UTF-8 and send GBK exist, and guessing right beats a page
    full of U+FFFD.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace"), codec
    candidates = [normalise_charset(declared), normalise_charset(sniff_meta_charset(body))]
    for codec in candidates:
        if codec:
            try:
                return body.decode(codec), codec
            except UnicodeDecodeError:
                continue
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(body[:200_000]).best()
    codec = normalise_charset(best.encoding if best else None) or "utf-8"
    return body.decode(codec, errors="replace"), codec
