"""Turn a digest into the messages and buttons a chat sees."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.models import Digest
from bot.render import RenderOptions, render_digest, split_html
from bot.repair.script import convert_script as chinese_script
from bot.telegram.texts import text

POINT_STEP = 2  # how many points "More" / "Less" add or remove


@dataclass(frozen=True, slots=True)
class View:
    """Which variant of a stored digest a message shows; lives in callback data."""

    key: str
    points: int
    all_quotes: bool = False

    def data(self) -> str:
        """Callback data (≤ 64 bytes: the key is 24 ASCII characters)."""
        return f"v|{self.key}|{self.points}|{int(self.all_quotes)}"

    @classmethod
    def parse(cls, data: str) -> View | None:
        """The view in ``data``, or None for anything we did not write."""
        parts = data.split("|")
        if len(parts) != 4 or parts[0] != "v" or not parts[2].isdigit() or parts[3] not in ("0", "1"):
            return None
        return cls(parts[1], int(parts[2]), parts[3] == "1")


def convert_script(document: str, script: str) -> str:
    """``document`` in Simplified or Traditional characters (``"none"``: unchanged).

    Tags, entities and URLs are ASCII, which the converter leaves alone; the
    cache keeps the text as written, so each chat can choose its script.
    """
    if script not in ("simplified", "traditional"):
        return document
    return chinese_script(document, script)


def render_parts(
    digest: Digest, *, ui_language: str, show_quotes: bool, all_quotes: bool, chinese: str
) -> list[str]:
    """The digest as one or more HTML messages of at most 4096 characters."""
    options = RenderOptions(
        points=None, all_quotes=all_quotes, show_quotes=show_quotes, ui_language=ui_language
    )
    document = render_digest(digest, options)
    if digest.summary.language.startswith("zh"):
        document = convert_script(document, chinese)
    return split_html(document)


def keyboard(
    view: View, digest: Digest, *, ui_language: str, max_points: int, show_quotes: bool
) -> InlineKeyboardMarkup | None:
    """More / Less / Quotes buttons for a reply showing ``view`` of ``digest``."""
    shown = len(digest.summary.points)
    row: list[InlineKeyboardButton] = []
    if shown > 1:
        fewer = View(view.key, max(1, shown - POINT_STEP), view.all_quotes)
        row.append(InlineKeyboardButton(text(ui_language, "less"), callback_data=fewer.data()))
    # Fewer points than asked for means the text has no more sentences to offer.
    if shown < max_points and shown >= view.points:
        more = View(view.key, min(max_points, shown + POINT_STEP), view.all_quotes)
        row.append(InlineKeyboardButton(text(ui_language, "more"), callback_data=more.data()))
    quotes = digest.summary.quotes
    if show_quotes and len(quotes) > sum(1 for q in quotes if q.selected):
        label = "fewer_quotes" if view.all_quotes else "all_quotes"
        toggled = View(view.key, view.points, not view.all_quotes)
        row.append(InlineKeyboardButton(text(ui_language, label), callback_data=toggled.data()))
    return InlineKeyboardMarkup([row]) if row else None
