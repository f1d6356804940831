"""Which Chinese characters are common, derived from the legacy charsets themselves.

GB2312 level 1 (rows 0xB0–0xD7) holds the 3,755 most used Simplified
characters and Big5 level 1 (0xA440–0xC67E) the 5,401 most used Traditional
ones. Text decoded with the wrong codec, or realigned at the wrong byte, is
made of random code points and so has a much lower share of them — a check
that needs no data file.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def common_han() -> frozenset[str]:
    """The common Simplified and Traditional characters (≈ 8,000)."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            chars.update(bytes((lead, trail)).decode("gb2312", "ignore"))
    for code in range(0xA440, 0xC67F):
        lead, trail = divmod(code, 256)
        if 0x40 <= trail <= 0x7E or 0xA1 <= trail <= 0xFE:
            chars.update(bytes((lead, trail)).decode("big5", "ignore"))
    return frozenset(chars)


def is_han(char: str) -> bool:
    """A CJK unified ideograph (basic block or extension A)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def common_share(text: str) -> tuple[float, int]:
    """(share of Han characters in ``text`` that are common, number of Han characters)."""
    common = common_han()
    han = [c for c in text if is_han(c)]
    if not han:
        return 0.0, 0
    return sum(1 for c in han if c in common) / len(han), len(han)
