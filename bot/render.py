"""Render a digest as Telegram HTML, and split long HTML into messages.

Every piece of page text goes through :func:`html.escape` here and nowhere
else; the only tags we emit are the ones Telegram's HTML mode accepts.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.models import Digest, Quote

TELEGRAM_LIMIT = 4096

_LABELS = {
    "en": {
        "points": "Key points",
        "quotes": "Quotes",
        "keywords": "Keywords",
        "source": "Source",
        "reduced": "Reduced by {percent}% · {minutes} min read",
        "unknown_speaker": "unattributed",
        "untitled": "Summary",
        "truncated": "The text was longer: summarised its first {chars} characters.",
    },
    "zh": {
        "points": "要点",
        "quotes": "引语",
        "keywords": "关键词",
        "source": "来源",
        "reduced": "缩减 {percent}% · 阅读约 {minutes} 分钟",
        "unknown_speaker": "未注明",
        "untitled": "摘要",
        "truncated": "原文较长：仅摘要了前 {chars} 个字符。",
    },
}


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What a reply shows; the bot's buttons change these, not the digest."""

    points: int | None = None
    all_quotes: bool = False
    show_quotes: bool = True
    ui_language: str = "en"


def labels(language: str) -> dict[str, str]:
    """UI labels for ``language`` (English when we have none)."""
    return _LABELS.get(language, _LABELS["en"])


def render_digest(digest: Digest, options: RenderOptions | None = None) -> str:
    """One HTML document for ``digest`` (may exceed 4096; see :func:`split_html`)."""
    options = options or RenderOptions()
    text = labels(options.ui_language)
    article, summary = digest.article, digest.summary
    title = html.escape(article.title or text["untitled"])
    parts: list[str] = []
    if article.url and article.url.startswith(("http://", "https://")):
        parts.append(f'<b><a href="{html.escape(article.url, quote=True)}">{title}</a></b>')
    else:
        parts.append(f"<b>{title}</b>")
    points = summary.points if options.points is None else summary.points[: options.points]
    if points:
        parts.append(
            "\n".join(_render_point(point, summary.speaker_of_point(i)) for i, point in enumerate(points))
        )
    quotes = _quotes_to_show(summary.quotes, options)
    if quotes:
        lines = [_render_quote(q, text["unknown_speaker"]) for q in quotes]
        parts.append(
            f"<b>{text['quotes']}</b>\n<blockquote expandable>" + "\n\n".join(lines) + "</blockquote>"
        )
    if summary.keywords:
        tags = ", ".join(html.escape(k) for k in summary.keywords)
        parts.append(f"<i>{text['keywords']}:</i> {tags}")
    footer = text["reduced"].format(percent=digest.reduction_percent, minutes=digest.reading_minutes)
    if article.site_name:
        footer += f" · {html.escape(article.site_name)}"
    if digest.truncated_at is not None:
        footer += "\n" + text["truncated"].format(chars=f"{digest.truncated_at:,}")
    parts.append(f"<i>{footer}</i>")
    return "\n\n".join(parts)


def _quotes_to_show(quotes: list[Quote], options: RenderOptions) -> list[Quote]:
    if not options.show_quotes:
        return []
    return list(quotes) if options.all_quotes else [q for q in quotes if q.selected]


def _render_point(point: str, speaker: str | None) -> str:
    line = f"• {html.escape(point)}"
    return f"{line} — <i>{html.escape(speaker)}</i>" if speaker else line


def _render_quote(quote: Quote, unknown: str) -> str:
    speaker = html.escape(quote.speaker) if quote.speaker else unknown
    return f"“{html.escape(quote.text)}”\n— <i>{speaker}</i>"


_TAG = re.compile(r"<(/?)([a-z-]+)([^>]*)>")


def split_html(document: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split Telegram HTML into messages of at most ``limit`` characters.

    Cuts fall on a blank line, else a line break, else a space, else anywhere
    outside a tag or entity; tags open at a cut are closed before it and
    reopened after it, so every message is valid on its own.
    """
    messages: list[str] = []
    rest = document
    reopen = ""
    while rest:
        rest = reopen + rest
        if len(rest) <= limit:
            messages.append(rest)
            break
        budget = limit - 60  # room for the closing tags we may add
        cut = _best_cut(rest, budget)
        head, rest = rest[:cut].rstrip(), rest[cut:].lstrip("\n ")
        open_tags = _open_tags(head)
        closing = "".join(f"</{name}>" for name, _attrs in reversed(open_tags))
        reopen = "".join(f"<{name}{attrs}>" for name, attrs in open_tags)
        if head:
            messages.append(head + closing)
    return [m for m in messages if _visible(m)]


def _best_cut(text: str, budget: int) -> int:
    window = text[:budget]
    for separator in ("\n\n", "\n", " "):
        position = window.rfind(separator)
        while position > 0 and not _safe_position(text, position):
            position = window.rfind(separator, 0, position)
        if position > budget // 4:
            return position
    position = budget
    while position > 0 and not _safe_position(text, position):
        position -= 1
    return position or budget


def _safe_position(text: str, position: int) -> bool:
    """True when ``position`` is not inside a tag or an entity."""
    last_open = text.rfind("<", 0, position)
    if last_open > text.rfind(">", 0, position):
        return False
    last_amp = text.rfind("&", 0, position)
    return not (last_amp != -1 and ";" not in text[last_amp:position] and position - last_amp < 10)


def _open_tags(fragment: str) -> list[tuple[str, str]]:
    stack: list[tuple[str, str]] = []
    for closing, name, attrs in _TAG.findall(fragment):
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i:]
                    break
        else:
            stack.append((name, attrs))
    return stack


def _visible(message: str) -> bool:
    return bool(_TAG.sub("", message).strip())
