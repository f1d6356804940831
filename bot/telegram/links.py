"""What a message asks us to summarise: its links, its text, or its document."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import Document, Message, MessageEntity

_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}>'\"»”’。，；：！？）】」』"


@dataclass(frozen=True, slots=True)
class Request:
    """One thing to summarise: exactly one of ``urls``, ``text`` or ``document``."""

    urls: tuple[str, ...] = ()
    text: str | None = None
    document: Document | None = None


def _with_scheme(url: str) -> str:
    # Telegram marks "example.org/story" as a url entity without a scheme.
    return url if re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE) else "http://" + url


def links_in(message: Message, limit: int) -> list[str]:
    """The http(s) links of ``message`` (text or caption, url and text_link), in order, unique."""
    found: list[str] = []
    for parse in (message.parse_entities, message.parse_caption_entities):
        for entity, value in parse([MessageEntity.URL, MessageEntity.TEXT_LINK]).items():
            url = entity.url if entity.type == MessageEntity.TEXT_LINK and entity.url else value
            url = _with_scheme(url.strip())
            if url.lower().startswith(("http://", "https://")) and url not in found:
                found.append(url)
    return found[:limit]


def links_in_text(text: str, limit: int) -> list[str]:
    """http(s) links in plain text (inline queries carry no entities)."""
    found: list[str] = []
    for match in _URL_IN_TEXT.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        if url not in found:
            found.append(url)
    return found[:limit]


def body_of(message: Message) -> str:
    """The message's words (text or caption)."""
    return message.text or message.caption or ""


def command_arguments(message: Message) -> str:
    """The text after ``/command[@bot]`` (empty when there is none)."""
    text = message.text or message.caption or ""
    parts = text.split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def request_in(message: Message, *, limit: int, min_chars: int, skip_command: bool = False) -> Request | None:
    """What ``message`` itself offers: its links, else its document, else its long text."""
    urls = links_in(message, limit)
    if urls:
        return Request(urls=tuple(urls))
    if message.document is not None:
        return Request(document=message.document)
    words = command_arguments(message) if skip_command else body_of(message)
    if len(words.strip()) >= min_chars:
        return Request(text=words)
    return None
