"""/settings: the chat's preferences as buttons; in groups only admins may change them."""

from __future__ import annotations

from dataclasses import replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.storage import ChatSettings
from bot.storage.base import ChineseScript
from bot.telegram.deps import chat_preferences, deps
from bot.telegram.texts import text

DEFAULT_SHOWN_POINTS = 5  # where "−"/"+" start from when the chat is on "auto"
_ADMINS = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
_SCRIPTS: tuple[ChineseScript, ...] = ("none", "simplified", "traditional")


def settings_text(chat: ChatSettings, language: str, default_script: str = "none") -> str:
    """A summary of the chat's settings (our own words only: nothing to escape)."""
    on_off = {True: text(language, "on"), False: text(language, "off")}
    points = str(chat.points) if chat.points else text(language, "settings_auto")
    names = {"en": "English", "zh": "中文"}
    return "\n".join(
        [
            text(language, "settings_title"),
            text(language, "settings_points", value=points),
            text(language, "settings_language", value=names.get(language, language)),
            text(
                language, "settings_chinese", value=text(language, f"script_{chat.chinese or default_script}")
            ),
            text(language, "settings_quotes", value=on_off[chat.show_quotes]),
            text(language, "settings_autosummary", value=on_off[chat.auto_summarise]),
        ]
    )


def settings_keyboard(
    chat: ChatSettings, language: str, default_script: str = "none"
) -> InlineKeyboardMarkup:
    """One row per setting; callback data is ``s|<field>|<value>``."""

    def button(label: str, data: str, chosen: bool = False) -> InlineKeyboardButton:
        return InlineKeyboardButton(("✓ " if chosen else "") + label, callback_data=f"s|{data}")

    return InlineKeyboardMarkup(
        [
            [
                button("−", "p|-"),
                button(text(language, "settings_auto"), "p|0", chat.points is None),
                button("+", "p|+"),
            ],
            [button("English", "l|en", chat.language == "en"), button("中文", "l|zh", chat.language == "zh")],
            [
                button(text(language, f"script_{s}"), f"c|{s}", (chat.chinese or default_script) == s)
                for s in _SCRIPTS
            ],
            [
                button(
                    text(
                        language, "settings_quotes", value=text(language, "off" if chat.show_quotes else "on")
                    ),
                    f"q|{0 if chat.show_quotes else 1}",
                )
            ],
            [
                button(
                    text(
                        language,
                        "settings_autosummary",
                        value=text(language, "off" if chat.auto_summarise else "on"),
                    ),
                    f"a|{0 if chat.auto_summarise else 1}",
                )
            ],
        ]
    )


def apply_choice(chat: ChatSettings, field: str, value: str, max_points: int) -> ChatSettings:
    """``chat`` with one button's choice applied (unknown choices change nothing)."""
    if field == "p":
        if value == "0":
            return replace(chat, points=None)
        step = 1 if value == "+" else -1
        return replace(chat, points=max(1, min(max_points, (chat.points or DEFAULT_SHOWN_POINTS) + step)))
    if field == "l" and value in ("en", "zh"):
        return replace(chat, language=value)
    if field == "c" and value in _SCRIPTS:
        return replace(chat, chinese=value)
    if field == "q" and value in ("0", "1"):
        return replace(chat, show_quotes=value == "1")
    if field == "a" and value in ("0", "1"):
        return replace(chat, auto_summarise=value == "1")
    return chat


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/settings: show the chat's settings with buttons to change them."""
    message = update.effective_message
    if message is None:
        return
    chat, language = await chat_preferences(update, context)
    script = deps(context).settings.convert_chinese
    await message.reply_text(
        settings_text(chat, language, script), reply_markup=settings_keyboard(chat, language, script)
    )


async def settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A settings button: check the user may change them, save, redraw."""
    query = update.callback_query
    if query is None:
        return
    shared = deps(context)
    current, language = await chat_preferences(update, context)
    message = query.message
    if message is None:
        await query.answer()
        return
    if message.chat.type != ChatType.PRIVATE:
        member = await context.bot.get_chat_member(message.chat.id, query.from_user.id)
        if member.status not in _ADMINS:
            await query.answer(text(language, "not_admin"), show_alert=True)
            return
    parts = (query.data or "").split("|")
    if len(parts) != 3:
        await query.answer()
        return
    chosen = apply_choice(current, parts[1], parts[2], shared.settings.max_points)
    if chosen != current:
        await shared.storage.set_chat_settings(message.chat.id, chosen)
    _same, language = await chat_preferences(update, context)
    await query.answer(text(language, "saved"))
    try:
        await context.bot.edit_message_text(
            settings_text(chosen, language, shared.settings.convert_chinese),
            chat_id=message.chat.id,
            message_id=message.message_id,
            reply_markup=settings_keyboard(chosen, language, shared.settings.convert_chinese),
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
