"""Turn a digest into the messages and buttons a chat sees."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, SwitchInlineQueryChosenChat, WebAppInfo

from bot.models import Digest
from bot.render import RenderOptions, render_digest, split_html
from bot.repair.script import convert_script as chinese_script
from bot.storage import REPORT_REASONS
from bot.telegram.texts import text

POINT_STEP = 2  # how many points "More" / "Less" add or remove


@dataclass(frozen=True, slots=True)
class View:
    """Which variant of a stored digest a message shows; lives in callback data."""

    key: str
    points: int
    all_quotes: bool = False

    def data(self, action: str = "v", *extra: str) -> str:
        """Callback data (≤ 64 bytes: the key is 24 ASCII characters).

        ``action`` is ``v`` (show this view), ``r`` (fetch again, then show it) or
        ``k`` (report it; ``extra`` holds the reason once one is chosen).
        """
        return "|".join([action, self.key, str(self.points), str(int(self.all_quotes)), *extra])

    @classmethod
    def parse(cls, data: str, action: str = "v", extra: int = 0) -> View | None:
        """The view in ``data`` written for ``action``, or None for anything we did not write."""
        parts = data.split("|")
        if len(parts) != 4 + extra or parts[0] != action or not parts[2].isdigit() or parts[3] not in "01":
            return None
        return cls(parts[1], int(parts[2]), parts[3] == "1")


@dataclass(frozen=True, slots=True)
class Actions:
    """What the rows under the view buttons offer, decided by the chat and the deployment."""

    reader_url: str | None = None  # the digest's reader page (public_url set)
    mini_app: bool = False  # open it as a Mini App: private chats and HTTPS only
    share_query: str | None = None  # typed after @bot by the Share button (the article's URL)
    private_link: str | None = None  # t.me/<bot>?start=<key>: in groups and inline messages
    can_retry: bool = False  # the digest came from a link, so it can be fetched again


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
    view: View,
    digest: Digest,
    *,
    ui_language: str,
    max_points: int,
    show_quotes: bool,
    actions: Actions | None = None,
) -> InlineKeyboardMarkup | None:
    """More / Less / Quotes buttons for a reply showing ``view`` of ``digest``; below them
    Read / Share / Open in private, then Retry / Report, as ``actions`` allows."""
    rows = [row for row in (_view_row(view, digest, ui_language, max_points, show_quotes),) if row]
    if actions is not None:
        rows += [row for row in _action_rows(view, actions, ui_language) if row]
    return InlineKeyboardMarkup(rows) if rows else None


def report_keyboard(view: View, ui_language: str) -> InlineKeyboardMarkup:
    """The reasons a reader can give for reporting ``view``, and a way back."""
    reasons = [
        InlineKeyboardButton(text(ui_language, f"report_{reason}"), callback_data=view.data("k", reason))
        for reason in REPORT_REASONS
    ]
    back = InlineKeyboardButton(text(ui_language, "back"), callback_data=view.data())
    return InlineKeyboardMarkup([reasons[:2], reasons[2:], [back]])


def _action_rows(view: View, actions: Actions, ui_language: str) -> list[list[InlineKeyboardButton]]:
    links: list[InlineKeyboardButton] = []
    if actions.reader_url is not None:
        label = text(ui_language, "read")
        if actions.mini_app:
            links.append(InlineKeyboardButton(label, web_app=WebAppInfo(actions.reader_url)))
        else:
            links.append(InlineKeyboardButton(label, url=actions.reader_url))
    if actions.share_query is not None:
        chosen = SwitchInlineQueryChosenChat(
            query=actions.share_query, allow_user_chats=True, allow_group_chats=True, allow_channel_chats=True
        )
        links.append(InlineKeyboardButton(text(ui_language, "share"), switch_inline_query_chosen_chat=chosen))
    if actions.private_link is not None:
        links.append(InlineKeyboardButton(text(ui_language, "open_private"), url=actions.private_link))
    feedback = [InlineKeyboardButton(text(ui_language, "report"), callback_data=view.data("k"))]
    if actions.can_retry:
        feedback.insert(0, InlineKeyboardButton(text(ui_language, "retry"), callback_data=view.data("r")))
    return [links, feedback]


def _view_row(
    view: View, digest: Digest, ui_language: str, max_points: int, show_quotes: bool
) -> list[InlineKeyboardButton]:
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
    return row
