"""Turn page bytes into text with the right charset, the first time.

Order: BOM; valid UTF-8 (legacy multi-byte text almost never is); the HTTP
header, the page's ``<meta>`` or XML declaration — trusted when the bytes
decode with (nearly) no errors; then detection. GB2312/GBK are read as their
superset GB18030 and Big5 as Big5-HKSCS, because pages that declare the
narrow charset routinely use characters only the wider one has.

Detection prefers the Chinese codecs when one of them turns the bytes into
mostly *common* characters (see :mod:`bot.extract.hanzi`): general detectors
mistake short GBK pages for Cyrillic or Latin code pages. The few invalid
byte sequences a nearly-right codec meets are dropped, never shown as U+FFFD.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from bot.extract.hanzi import common_share

_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "big5": "big5hkscs",
    "big5-tw": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cp950": "big5hkscs",
    "iso-8859-1": "cp1252",  # browsers read latin-1 as windows-1252 too
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<[?a-zA-Z][^>]{0,300}?\bencoding\s*=\s*["']([a-zA-Z0-9_\-]+)""")
# Codecs tried by detection, in order of preference on a tie.
_CJK_CODECS = ("gb18030", "big5hkscs")
# Share of bad decoding positions a declared charset may have and still be
# believed (a stray byte from a pasted snippet should not void the declaration).
_TOLERATED_ERRORS = 0.002
_HIGH_BYTES = bytes(range(0x80, 0x100))
_MIN_COMMON_SHARE = 0.8


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
    """The charset a page declares in its first few kilobytes (meta, else XML prolog)."""
    head = body[:4096]
    match = _META.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", "ignore") if match else None


def _errors(body: bytes, codec: str) -> tuple[str, int]:
    """Text decoded with invalid sequences dropped, and how many there were."""
    text = body.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    return (text.replace("\ufffd", "") if bad else text), bad


def decode_bytes(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``body``; return (text, codec used). Never returns U+FFFD for bad bytes."""
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return body.decode(bom_codec, errors="replace"), bom_codec
    if body.isascii():
        return body.decode("ascii"), "ascii"
    non_ascii = len(body) - len(body.translate(None, _HIGH_BYTES))
    allowed = max(2, int(non_ascii * _TOLERATED_ERRORS))
    text, bad = _errors(body, "utf-8")
    # A stray bad byte is tolerated only among many valid multi-byte characters:
    # one lone 0xE9 in a Latin-1 page is not "nearly UTF-8".
    if bad == 0 or (bad <= allowed and sum(1 for c in text if ord(c) > 0x7F) >= 20 * bad):
        return text, "utf-8"
    for name in (declared, sniff_meta_charset(body)):
        codec = normalise_charset(name)
        if codec and codec != "utf-8":
            text, bad = _errors(body, codec)
            if bad <= allowed:
                if codec in _CJK_CODECS and _reads_poorly(text):
                    # GB and Big5 bytes decode "cleanly" as each other: a page that
                    # declares the wrong one shows up as mostly rare characters.
                    other, other_codec = _detect(body, allowed)
                    if other_codec in _CJK_CODECS and other_codec != codec:
                        return other, other_codec
                return text, codec
    return _detect(body, allowed)


def _reads_poorly(text: str) -> bool:
    share, han = common_share(text)
    return han >= 20 and share < _MIN_COMMON_SHARE


def _detect(body: bytes, allowed: int) -> tuple[str, str]:
    """No usable declaration: a Chinese codec if it reads as Chinese, else the detector's guess."""
    best: tuple[float, str, str] | None = None
    for codec in _CJK_CODECS:
        text, bad = _errors(body, codec)
        share, han = common_share(text)
        readable = bad <= allowed * 4 and han >= 10 and share >= _MIN_COMMON_SHARE
        if readable and (best is None or share > best[0]):
            best = (share, text, codec)
    if best is not None:
        return best[1], best[2]
    guess = from_bytes(body[:200_000]).best()
    codec = normalise_charset(guess.encoding if guess else None) or "cp1252"
    western, bad = _errors(body, "cp1252")
    if codec != "cp1252" and bad == 0 and _reads_as_western(western):
        return western, "cp1252"
    text, _bad = _errors(body, codec)
    return text, codec


_HIGH_LETTER = re.compile(r"[^\x00-\x7f]")


def _reads_as_western(text: str) -> bool:
    """Accents sit alone inside ASCII words in Western text; runs of them mean another script.

    Detectors split hairs between Latin code pages (cp1250, cp775, roman8) on
    pages the browser — and the author — read as windows-1252.
    """
    highs = [m.start() for m in _HIGH_LETTER.finditer(text)]
    if not highs:
        return True
    positions = set(highs)
    clustered = sum(1 for i in highs if i - 1 in positions or i + 1 in positions)
    return clustered / len(highs) < 0.6
