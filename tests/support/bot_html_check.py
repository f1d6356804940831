"""Check Telegram HTML the way the Bot API does (the subset the fake server needs).

Allowed tags, attributes where they matter, proper nesting, only the four
named entities plus numeric ones, and the length of the text after parsing
counted in UTF-16 code units (Telegram's unit), at most 4096.
"""

from __future__ import annotations

import html
import re

MAX_TEXT = 4096
ALLOWED = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*?)?)\s*(/?)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});")
_ATTR = re.compile(r'\s*([a-z-]+)(?:\s*=\s*"([^"]*)"|\s*=\s*\'([^\']*)\')?')


class ParseError(ValueError):
    """Telegram's "can't parse entities" error."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def plain_text(document: str) -> str:
    """The text Telegram would show for ``document``; ``ParseError`` when it would refuse it."""
    stack: list[str] = []
    out: list[str] = []
    i = 0
    while i < len(document):
        char = document[i]
        if char == "<":
            match = _TAG.match(document, i)
            if match is None:
                raise ParseError(f"Unexpected end tag or unclosed start tag at byte offset {i}")
            closing, name, attrs, _self = match.groups()
            name = name.lower()
            if name not in ALLOWED:
                raise ParseError(f'Unsupported start tag "{name}" at byte offset {i}')
            if closing:
                if not stack or stack[-1] != name:
                    raise ParseError(
                        f'Unmatched end tag at byte offset {i}, expected "</{stack[-1] if stack else ""}>"'
                    )
                stack.pop()
            else:
                _check_attributes(name, attrs, i)
                stack.append(name)
            i = match.end()
        elif char == "&":
            match = _ENTITY.match(document, i)
            if match is None:
                raise ParseError(f"Unsupported HTML entity or unescaped & at byte offset {i}")
            out.append(html.unescape(match.group(0)))
            i = match.end()
        elif char == ">":
            raise ParseError(f"Unescaped > at byte offset {i}")
        else:
            out.append(char)
            i += 1
    if stack:
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def _check_attributes(name: str, attrs: str, offset: int) -> None:
    found = {m.group(1): (m.group(2) or m.group(3) or "") for m in _ATTR.finditer(attrs) if m.group(1)}
    if name == "a":
        href = found.get("href", "")
        if not href.startswith(("http://", "https://", "tg://")):
            raise ParseError(f"Wrong href at byte offset {offset}")
    elif name == "blockquote":
        if set(found) - {"expandable"}:
            raise ParseError(f"Unsupported blockquote attribute at byte offset {offset}")
    elif name == "span" and found.get("class") != "tg-spoiler":
        raise ParseError(f"Unsupported span at byte offset {offset}")
    elif found and name not in ("code", "pre", "tg-emoji"):
        raise ParseError(f"Unsupported attribute of {name} at byte offset {offset}")


def check_message(document: str, parse_mode: str | None) -> str | None:
    """Telegram's error description for ``document``, or None when it would be accepted."""
    try:
        shown = plain_text(document) if parse_mode == "HTML" else document
    except ParseError as exc:
        return f"Bad Request: can't parse entities: {exc}"
    if not shown.strip():
        return "Bad Request: message text is empty"
    if utf16_len(shown) > MAX_TEXT:
        return "Bad Request: message is too long"
    return None
