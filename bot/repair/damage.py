"""Recover Chinese text damaged at the byte level by a lossy charset round trip.

A pattern seen on content-farm copies of GBK pages: a character the
converter could not map becomes ``?`` *and swallows the lead byte of the next
character*, whose high bit is lost — so ``。」Ben`` (GBK ``A1A3 A1B9 42…``)
shows as ``?!笲en``: ``!`` is 0xA1 without its top bit, and every following
character is read one byte out of step (``B9 42`` → ``笲``) until an ASCII
byte brings the decoder back in step. When the out-of-step pair meets an ASCII
byte below 0x40 (``<`` of ``</span>``), both become a second ``?``.

:func:`realign_shifted_gbk` undoes this where the bytes allow: it restores the
lost top bit, re-encodes the out-of-step run to GBK and decodes it in step.
The result is kept only if it reads as Chinese (a high share of common
characters, :mod:`bot.extract.hanzi`) or starts with a quote mark, so real
``?!`` in text is left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from bot.extract.hanzi import common_share

# ? + the ASCII shadow of a lead byte + the out-of-step run (non-ASCII, GBK-encodable)
# + the next character, which may be the trail byte of the last pair.
# The run may hold only what GBK pairs decode to: CJK, kana, full-width forms,
# the user-defined (private-use) area, pinyin vowels, Greek and Cyrillic.
_RUN = "\u2e80-\u9fff\ue000-\uf8ff\uff00-\uffefāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü\u0391-\u03c9\u0401-\u0451"
_SHIFTED = re.compile(rf"\?([\x21-\x7e])([{_RUN}]{{0,80}})([\x00-\x7f]?)")
_QUOTES = "「」『』“”‘’"
_OPEN_TO_CLOSE = {"「": "」", "『": "』", "“": "”", "‘": "’"}
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_TAG_AFTER = re.compile(r"/[a-zA-Z]{1,10}>")
_MIN_SHARE = 0.75


def _in_step(data: bytes) -> tuple[str, bool, bool]:
    """Decode GBK pair by pair: (text, last ASCII byte was used as a trail, a lead byte was left over)."""
    out: list[str] = []
    index, used_last, dangling = 0, False, False
    while index < len(data):
        byte = data[index]
        if byte < 0x80:
            out.append(chr(byte))
            index += 1
            continue
        if index + 1 < len(data):
            try:
                out.append(data[index : index + 2].decode("gb18030"))
                used_last = index + 2 == len(data) and data[-1] < 0x80
                index += 2
                continue
            except UnicodeDecodeError:
                pass
        dangling = True
        index += 1
    return "".join(out), used_last, dangling


def _realign(match: re.Match[str]) -> str:
    shadow, run, after = match.groups()
    try:
        encoded = run.encode("gb18030")
    except UnicodeEncodeError:
        return match.group(0)
    lead = bytes((ord(shadow) | 0x80,))
    trail = after.encode("ascii") if after and 0x40 <= ord(after) <= 0x7E else b""
    if not run and not (trail and _after_chinese(match)):
        return _lost_mark(match, lead)
    text, used_trail, dangling = _in_step(lead + encoded + trail)
    if trail and not used_trail:
        text = text[:-1]  # the next character was plain ASCII after all
    # A lead byte left over before an ASCII byte: that byte was its trail, and the
    # pair is a character the round trip lost — drop the orphan trail too.
    rest = "" if used_trail or (dangling and trail) else after
    if not _reads_right(run, text):
        return match.group(0)
    return "。" + text + rest


def _lost_mark(match: re.Match[str], lead: bytes) -> str:
    """``?!?`` where the pair after ``!`` (0xA1, the punctuation row) was lost with a byte below 0x40.

    Only inside an open Chinese quotation is that pair read as its closing mark;
    ``What?!?`` in ordinary text stays.
    """
    if lead != b"\xa1" or match.group(3) != "?":
        return match.group(0)
    closer = _open_quote_before(match.string, match.start())
    if closer is None:
        return match.group(0)
    # the second ? held the lost pair's trail and an ASCII byte: "<" if a tag follows.
    tail = match.string[match.end() :]
    return "。" + closer + ("<" if _TAG_AFTER.match(tail) else "")


def _after_chinese(match: re.Match[str]) -> bool:
    """The ``?`` follows a Han character or CJK punctuation (one pinyin annotation may sit between)."""
    before = re.sub(
        r"\([a-zü" + _TONED + r"]{1,7}\)$", "", match.string[max(0, match.start() - 12) : match.start()]
    )
    return bool(before) and ("\u3000" <= before[-1] <= "\u9fff" or "\uff00" <= before[-1] <= "\uffef")


def _open_quote_before(text: str, position: int) -> str | None:
    """The closing mark for the last quotation still open at ``position`` in its paragraph."""
    start = text.rfind("\n", 0, position) + 1
    stack: list[str] = []
    for char in text[start:position]:
        if char in _OPEN_TO_CLOSE:
            stack.append(char)
        elif stack and char == _OPEN_TO_CLOSE[stack[-1]]:
            stack.pop()
    return _OPEN_TO_CLOSE[stack[-1]] if stack else None


def _reads_right(before: str, after: str) -> bool:
    """The in-step reading starts with a quote mark or is clearly more Chinese than the shifted one."""
    if not after:
        return False
    new_share, new_han = common_share(after)
    if after[0] in _QUOTES:
        return new_han == 0 or new_share >= _MIN_SHARE
    old_share, _ = common_share(before)
    return new_han >= 1 and new_share >= _MIN_SHARE and new_share > old_share + 0.2


def realign_shifted_gbk(text: str) -> str:
    """``?!笲en`` → ``。」Ben``, ``?,F(xiàn)在`` → ``。現(xiàn)在``: undo one-byte GBK misalignment."""
    if "?" not in text:
        return text
    return _SHIFTED.sub(_realign, text)


@lru_cache(maxsize=1)
def _name_chars() -> frozenset[str]:
    text = resources.files("bot.repair").joinpath("data", "transliteration_chars.txt").read_text("utf-8")
    return frozenset("".join(line.strip() for line in text.splitlines() if not line.startswith("#")))


_NAME_DOT = re.compile(r"(?<=[\u4e00-\u9fff]{2})\?(?=[\u4e00-\u9fff]{2})")


def restore_name_dots(text: str) -> str:
    """``薩蒂亞?納德拉`` → ``薩蒂亞·納德拉``: a lost interpunct between transliterated names.

    Only when the two characters on each side are ones used to spell foreign
    names, so a half-width question mark inside ordinary Chinese stays.
    """
    if "?" not in text:
        return text
    names = _name_chars()

    def fix(match: re.Match[str]) -> str:
        start = match.start()
        around = text[start - 2 : start] + text[start + 1 : start + 3]
        return "·" if all(c in names for c in around) else "?"

    return _NAME_DOT.sub(fix, text)
