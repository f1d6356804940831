"""Handlers for messages, commands, buttons and inline queries (one job each)."""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import partial

from telegram import (
    CallbackQuery,
    Document,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode, ReactionEmoji
from telegram.error import BadRequest, Conflict, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.errors import KeypointError, TooLargeError
from bot.models import Digest
from bot.reader import reader_address
from bot.storage import REPORT_REASONS, ChatSettings, Report
from bot.telegram.deps import Deps, chat_preferences, deps
from bot.telegram.limits import Verdict
from bot.telegram.links import Request, links_in, links_in_text, request_in
from bot.telegram.reply import Actions, View, keyboard, render_parts, report_keyboard
from bot.telegram.service import Summaries, document_type
from bot.telegram.texts import error_text, text

log = logging.getLogger(__name__)

DigestJob = Callable[[], Awaitable[tuple[str, Digest]]]
TYPING_AFTER_SECONDS = 0.1  # work that takes longer than this shows "typing…"
INLINE_DEADLINE_SECONDS = 8.0
# Group acknowledgements: Telegram lets bots react only with its fixed list of emoji,
# which has no ✅ or ❌; 👍 and 🤷 say the same.
LOOKING, DONE, FAILED = ReactionEmoji.EYES, ReactionEmoji.THUMBS_UP, ReactionEmoji.SHRUG
REPORTS_SHOWN = 10
_GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drop re-delivered updates, and those from users and chats outside the allowlists."""
    shared = deps(context)
    if not await shared.coordination.first_delivery(update.update_id):
        log.info("update %s delivered again; handled already", update.update_id)
        raise ApplicationHandlerStop
    settings = shared.settings
    user, chat = update.effective_user, update.effective_chat
    if settings.allowed_user_ids and (user is None or user.id not in settings.allowed_user_ids):
        raise ApplicationHandlerStop
    if settings.allowed_chat_ids:
        if chat is None and not settings.allowed_user_ids:
            raise ApplicationHandlerStop  # inline query: the chat is unknown, so refuse
        if chat is not None and chat.id not in settings.allowed_chat_ids:
            raise ApplicationHandlerStop


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: what the bot does, in the chat's language.

    Deep links arrive here too: ``t.me/<bot>?start=<key>`` opens that summary in the
    private chat; ``?startgroup=…`` is the bot being added to a group, which gets the
    short group introduction.
    """
    message = update.effective_message
    if message is None:
        return
    chat_settings, language = await chat_preferences(update, context)
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_text(text(language, "group_hello"))
        return
    payload = context.args[0] if context.args else ""
    if payload and payload != "add":
        await _open_stored(context, message, payload, chat_settings, language)
        return
    limit = deps(context).settings.max_links_per_message
    add = InlineKeyboardButton(
        text(language, "add_to_group"), url=f"https://t.me/{context.bot.username}?startgroup=add"
    )
    await message.reply_text(text(language, "start", links=limit), reply_markup=InlineKeyboardMarkup([[add]]))


async def _open_stored(
    context: ContextTypes.DEFAULT_TYPE, message: Message, key: str, chat_settings: ChatSettings, language: str
) -> None:
    """The summary stored under ``key`` (from a deep link), with its buttons."""
    shared = deps(context)
    digest = await shared.ready.stored(key)
    if digest is None:
        await message.reply_text(text(language, "expired"))
        return
    digest = await shared.ready.with_points(digest, chat_settings.points)
    parts = render_parts(
        digest,
        ui_language=language,
        show_quotes=chat_settings.show_quotes,
        all_quotes=False,
        chinese=chat_settings.chinese or shared.settings.convert_chinese,
    )
    view = View(key, len(digest.summary.points))
    markup = await markup_for(context, view, digest, chat_settings, language, private=True)
    await message.reply_text(parts[0], reply_markup=markup)
    for part in parts[1:]:
        await message.reply_text(part, do_quote=False)


async def actions_for(
    context: ContextTypes.DEFAULT_TYPE, key: str, digest: Digest, *, private: bool, inline: bool = False
) -> Actions:
    """Which of Read / Share / Open in private / Retry a reply of ``digest`` offers.

    ``private``: the reply is in the user's private chat with the bot (Mini Apps open
    there only); ``inline``: it was sent through inline mode, into any chat.
    """
    shared = deps(context)
    settings = shared.settings
    url = digest.article.url if (digest.article.url or "").startswith(("http://", "https://")) else None
    reader = None
    if settings.public_url:
        token = await shared.storage.reader_token(key, settings.cache_ttl_seconds)
        reader = reader_address(settings.public_url, token)
    return Actions(
        reader_url=reader,
        mini_app=private and not inline and reader is not None and reader.startswith("https://"),
        share_query=url if url is not None and context.bot.supports_inline_queries else None,
        private_link=None if private else f"https://t.me/{context.bot.username}?start={key}",
        can_retry=url is not None,
    )


async def markup_for(
    context: ContextTypes.DEFAULT_TYPE,
    view: View,
    digest: Digest,
    chat_settings: ChatSettings,
    language: str,
    *,
    private: bool,
    inline: bool = False,
) -> InlineKeyboardMarkup | None:
    """Every button under a reply showing ``view`` of ``digest``."""
    shared = deps(context)
    actions = await actions_for(context, view.key, digest, private=private, inline=inline)
    return keyboard(
        view,
        digest,
        ui_language=language,
        max_points=shared.settings.max_points,
        show_quotes=chat_settings.show_quotes,
        actions=actions,
    )


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: every way to use the bot."""
    message = update.effective_message
    if message is None:
        return
    _chat, language = await chat_preferences(update, context)
    await message.reply_text(text(language, "help", bot=context.bot.username))


async def private_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A private message: summarise its links, document or long text; otherwise a hint."""
    message = update.effective_message
    if message is None:
        return
    settings = deps(context).settings
    request = request_in(message, limit=settings.max_links_per_message, min_chars=settings.min_text_chars)
    if request is None:
        _chat, language = await chat_preferences(update, context)
        await message.reply_text(text(language, "hint", chars=settings.min_text_chars))
        return
    await fulfil(update, context, request, message)


async def group_link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group message with links: summarised only where the chat turned auto-summary on."""
    message = update.effective_message
    if message is None:
        return
    chat_settings, _language = await chat_preferences(update, context)
    if not chat_settings.auto_summarise:
        return
    if message.via_bot is not None or (message.from_user is not None and message.from_user.is_bot):
        return  # never answer bots, including our own inline results
    urls = links_in(message, deps(context).settings.max_links_per_message)
    if urls:
        await fulfil(update, context, Request(urls=tuple(urls)), message)


async def summary_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/summary [url] (or /tldr): the link or text given, else the message replied to."""
    message = update.effective_message
    if message is None:
        return
    settings = deps(context).settings
    limit, min_chars = settings.max_links_per_message, settings.min_text_chars
    request = request_in(message, limit=limit, min_chars=min_chars, skip_command=True)
    if request is None and message.reply_to_message is not None:
        request = request_in(message.reply_to_message, limit=limit, min_chars=min_chars)
    if request is None:
        _chat, language = await chat_preferences(update, context)
        await message.reply_text(text(language, "summary_usage"))
        return
    await fulfil(update, context, request, message)


async def fulfil(
    update: Update, context: ContextTypes.DEFAULT_TYPE, request: Request, anchor: Message
) -> None:
    """Check the rate limits, then answer every item of ``request`` as a reply to ``anchor``."""
    shared = deps(context)
    chat_settings, language = await chat_preferences(update, context)
    user = update.effective_user
    verdict = await shared.coordination.check_request(user.id if user else 0, anchor.chat_id)
    if verdict is not Verdict.ALLOW:
        log.info("rate limited: user %s in chat %s", user.id if user else None, anchor.chat_id)
        if verdict is Verdict.REFUSE_AND_TELL:
            await anchor.reply_text(text(language, "rate_limited"))
        return
    summaries = shared.ready
    jobs: list[DigestJob]
    if request.urls:
        jobs = [partial(summaries.for_url, url) for url in request.urls]
    elif request.document is not None:
        jobs = [partial(_document_digest, context, summaries, request.document)]
    else:
        jobs = [partial(summaries.for_text, request.text or "")]
    for job in jobs:
        await reply_with_digest(context, anchor, job, chat_settings, language)


async def _document_digest(
    context: ContextTypes.DEFAULT_TYPE, summaries: Summaries, document: Document
) -> tuple[str, Digest]:
    limit = deps(context).settings.max_document_bytes
    if document.file_size is not None and document.file_size > limit:
        raise TooLargeError("the document is too large")
    document_type(document.file_name, document.mime_type)  # refuse before downloading
    telegram_file = await context.bot.get_file(document.file_id)
    data = await telegram_file.download_as_bytearray()
    return await summaries.for_document(bytes(data), document.file_name, document.mime_type)


async def reply_with_digest(
    context: ContextTypes.DEFAULT_TYPE,
    anchor: Message,
    job: DigestJob,
    chat_settings: ChatSettings,
    language: str,
) -> None:
    """Acknowledge slow work, then answer with the summary (or the error).

    In groups the acknowledgement is a 👀 reaction on the request, turned into 👍 or
    🤷 at the end; where the chat allows no such reaction, and in private chats, it is
    "typing" and then a placeholder that the answer replaces.
    """
    shared = deps(context)
    task = asyncio.ensure_future(job())
    placeholder: Message | None = None
    reacted = False
    try:
        # A cached answer is back within milliseconds: no "typing" call for it (one API
        # call per summary instead of two is what keeps a busy bot under Telegram's limits).
        done, _pending = await asyncio.wait({task}, timeout=TYPING_AFTER_SECONDS)
        if not done and anchor.chat.type in _GROUPS and anchor.chat_id not in shared.no_reactions:
            reacted = await _react(context, shared, anchor, LOOKING)
        if not done and not reacted:
            await _typing(context, anchor)
            delay = max(0.0, shared.settings.placeholder_delay_seconds - TYPING_AFTER_SECONDS)
            done, _pending = await asyncio.wait({task}, timeout=delay)
            if not done and not shared.ready.busy:
                placeholder = await anchor.reply_text(text(language, "working"))
        key, digest = await task
        digest = await shared.ready.with_points(digest, chat_settings.points)
    except KeypointError as exc:
        log.info("summary refused in chat %s: %s (%s)", anchor.chat_id, exc.code, exc)
        await _say(anchor, placeholder, error_text(language, exc.code))
        if reacted:
            await _react(context, shared, anchor, FAILED)
        return
    except Exception:
        await _say(anchor, placeholder, error_text(language, "failed"))
        if reacted:
            await _react(context, shared, anchor, FAILED)
        raise  # the error handler logs it with the update
    finally:
        if not task.done():
            task.cancel()
    view = View(key, len(digest.summary.points))
    parts = render_parts(
        digest,
        ui_language=language,
        show_quotes=chat_settings.show_quotes,
        all_quotes=False,
        chinese=chat_settings.chinese or shared.settings.convert_chinese,
    )
    private = anchor.chat.type == ChatType.PRIVATE
    markup = await markup_for(context, view, digest, chat_settings, language, private=private)
    if placeholder is not None:
        await placeholder.edit_text(parts[0], reply_markup=markup)
    else:
        await anchor.reply_text(parts[0], reply_markup=markup)
    for part in parts[1:]:
        await anchor.reply_text(part, do_quote=False)
    if reacted:
        await _react(context, shared, anchor, DONE)


async def _react(
    context: ContextTypes.DEFAULT_TYPE, shared: Deps, anchor: Message, emoji: ReactionEmoji
) -> bool:
    """Set the bot's reaction on ``anchor``; False when Telegram refused it.

    A chat that refuses the reaction itself (its admins allow other reactions, or
    none) is remembered, so later requests there get the placeholder straight away.
    """
    try:
        await context.bot.set_message_reaction(anchor.chat_id, anchor.message_id, emoji)
    except TelegramError as exc:  # an acknowledgement: never fail a summary over it
        if "REACTION" in str(exc).upper():
            shared.no_reactions.add(anchor.chat_id)
        log.debug("reaction %s in chat %s refused: %s", emoji, anchor.chat_id, exc)
        return False
    return True


async def _typing(context: ContextTypes.DEFAULT_TYPE, anchor: Message) -> None:
    thread = anchor.message_thread_id if anchor.is_topic_message else None
    try:
        await context.bot.send_chat_action(anchor.chat_id, ChatAction.TYPING, message_thread_id=thread)
    except TelegramError as exc:  # cosmetic: never fail a summary over it
        log.debug("chat action failed: %s", exc)


async def _say(anchor: Message, placeholder: Message | None, message: str) -> None:
    if placeholder is not None:
        await placeholder.edit_text(message)
    else:
        await anchor.reply_text(message)


async def view_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """More / Less / Quotes: re-render the stored digest in place; nothing is fetched."""
    query = update.callback_query
    if query is None:
        return
    shared = deps(context)
    chat_settings, language = await chat_preferences(update, context)
    view = View.parse(query.data or "")
    if view is None:
        await query.answer()
        return
    digest = await shared.ready.stored(view.key)
    if digest is None:
        await query.answer(text(language, "expired"), show_alert=True)
        return
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    if await shared.coordination.check_request(query.from_user.id, chat_id) is not Verdict.ALLOW:
        await query.answer(text(language, "rate_limited"), show_alert=True)
        return
    variant = await shared.ready.with_points(digest, view.points)
    await _show_pressed(query, context, variant, view, chat_settings, language)


async def _show_pressed(
    query: CallbackQuery,
    context: ContextTypes.DEFAULT_TYPE,
    variant: Digest,
    view: View,
    chat_settings: ChatSettings,
    language: str,
) -> None:
    """Answer a button press by showing ``variant`` as ``view`` asks, in place of the reply."""
    parts = render_parts(
        variant,
        ui_language=language,
        show_quotes=chat_settings.show_quotes,
        all_quotes=view.all_quotes,
        chinese=chat_settings.chinese or deps(context).settings.convert_chinese,
    )
    await query.answer()
    await _show(
        context, query.inline_message_id, query.message, parts, view, variant, chat_settings, language
    )


async def _show(
    context: ContextTypes.DEFAULT_TYPE,
    inline_message_id: str | None,
    message: object,
    parts: list[str],
    view: View,
    digest: Digest,
    chat_settings: ChatSettings,
    language: str,
) -> None:
    """Edit the message a button sits under to show ``parts`` (extra parts follow it)."""
    inline = inline_message_id is not None
    private = isinstance(message, Message) and message.chat.type == ChatType.PRIVATE
    markup = await markup_for(context, view, digest, chat_settings, language, private=private, inline=inline)
    try:
        if inline_message_id is not None:  # inline results: one message, no room for more
            await context.bot.edit_message_text(
                parts[0], inline_message_id=inline_message_id, reply_markup=markup
            )
            return
        if not isinstance(message, Message):
            return  # too old for the bot to see: nothing to edit
        await context.bot.edit_message_text(
            parts[0], chat_id=message.chat.id, message_id=message.message_id, reply_markup=markup
        )
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return  # a double tap: the message already shows this view
        raise
    # Only a forum topic is a thread one can post to; in other groups message_thread_id
    # is the first message of a reply chain, and Telegram refuses it.
    thread = message.message_thread_id if message.is_topic_message else None
    for part in parts[1:]:
        await context.bot.send_message(message.chat.id, part, message_thread_id=thread)


async def retry_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Retry: fetch the summary's page again, past the cache, and show the new summary."""
    query = update.callback_query
    if query is None:
        return
    shared = deps(context)
    chat_settings, language = await chat_preferences(update, context)
    view = View.parse(query.data or "", "r")
    digest = await shared.ready.stored(view.key) if view is not None else None
    if view is None or digest is None:
        await query.answer(text(language, "expired"), show_alert=True)
        return
    url = digest.article.url or ""
    if not url.startswith(("http://", "https://")):
        await query.answer(text(language, "retry_text_only"), show_alert=True)
        return
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    if await shared.coordination.check_request(query.from_user.id, chat_id) is not Verdict.ALLOW:
        await query.answer(text(language, "rate_limited"), show_alert=True)
        return
    try:
        fresh = await shared.ready.refresh(view.key, url)
        variant = await shared.ready.with_points(fresh, view.points)
    except KeypointError as exc:
        await query.answer(error_text(language, exc.code), show_alert=True)
        return
    await _show_pressed(query, context, variant, view, chat_settings, language)


async def report_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Report: first the reasons to choose from, then the report is kept for the operator."""
    query = update.callback_query
    if query is None:
        return
    shared = deps(context)
    chat_settings, language = await chat_preferences(update, context)
    data = query.data or ""
    choosing, chosen = View.parse(data, "k"), View.parse(data, "k", extra=1)
    reason = data.rsplit("|", 1)[-1]
    if choosing is not None:
        await query.answer()
        await _edit_markup(
            context, query.inline_message_id, query.message, report_keyboard(choosing, language)
        )
        return
    if chosen is None or reason not in REPORT_REASONS:
        await query.answer()
        return
    digest = await shared.ready.stored(chosen.key)
    if digest is None:
        await query.answer(text(language, "expired"), show_alert=True)
        return
    chat_id = query.message.chat.id if query.message is not None else 0  # 0: sent inline, chat unknown
    report = Report(chosen.key, reason, chat_id, query.from_user.id, time.time())
    await shared.storage.add_report(report)
    log.info("report %s on %s in chat %s", reason, chosen.key, chat_id)
    await query.answer(text(language, "reported"))
    private = isinstance(query.message, Message) and query.message.chat.type == ChatType.PRIVATE
    markup = await markup_for(
        context,
        chosen,
        digest,
        chat_settings,
        language,
        private=private,
        inline=query.inline_message_id is not None,
    )
    await _edit_markup(context, query.inline_message_id, query.message, markup)


async def _edit_markup(
    context: ContextTypes.DEFAULT_TYPE,
    inline_message_id: str | None,
    message: object,
    markup: InlineKeyboardMarkup | None,
) -> None:
    try:
        if inline_message_id is not None:
            await context.bot.edit_message_reply_markup(
                inline_message_id=inline_message_id, reply_markup=markup
            )
        elif isinstance(message, Message):
            await context.bot.edit_message_reply_markup(
                chat_id=message.chat.id, message_id=message.message_id, reply_markup=markup
            )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def reports_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reports: the latest reported summaries, for the operator's user id only."""
    message = update.effective_message
    if message is None:
        return
    shared = deps(context)
    _chat, language = await chat_preferences(update, context)
    user = update.effective_user
    operator = shared.settings.operator_user_id
    if operator is None or user is None or user.id != operator:
        await message.reply_text(text(language, "not_operator"))
        return
    reports = await shared.storage.recent_reports(REPORTS_SHOWN)
    if not reports:
        await message.reply_text(text(language, "reports_none"))
        return
    lines = [text(language, "reports_title")]
    for report in reports:
        when = datetime.fromtimestamp(report.created, UTC).strftime("%Y-%m-%d %H:%M")
        source = html.escape(report.source or "(no longer stored)")
        lines.append(
            f"• {when} <b>{report.reason}</b> <code>{report.key}</code> chat {report.chat_id} "
            f"user {report.user_id}\n  {source}"
        )
    await message.reply_text("\n".join(lines))


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``@bot <url>``: offer the summary as a result the user can send to any chat."""
    query = update.inline_query
    if query is None:
        return
    shared = deps(context)
    urls = links_in_text(query.query, 1)
    if not urls:
        await query.answer([], cache_time=5)
        return
    chat_settings, language = await chat_preferences(update, context)
    if await shared.coordination.check_request(query.from_user.id, query.from_user.id) is not Verdict.ALLOW:
        await query.answer([_text_result("limited", text(language, "rate_limited"))], cache_time=0)
        return
    try:
        # Telegram drops answers to inline queries older than about ten seconds.
        async with asyncio.timeout(INLINE_DEADLINE_SECONDS):
            key, digest = await shared.ready.for_url(urls[0])
            digest = await shared.ready.with_points(digest, chat_settings.points)
    except KeypointError as exc:
        await query.answer([_text_result("error", error_text(language, exc.code))], cache_time=0)
        return
    except TimeoutError:
        await query.answer([_text_result("error", error_text(language, "timed_out"))], cache_time=0)
        return
    parts = render_parts(
        digest,
        ui_language=language,
        show_quotes=chat_settings.show_quotes,
        all_quotes=False,
        chinese=chat_settings.chinese or shared.settings.convert_chinese,
    )
    view = View(key, len(digest.summary.points))
    markup = await markup_for(context, view, digest, chat_settings, language, private=False, inline=True)
    result = InlineQueryResultArticle(
        id=key,
        title=digest.article.title or urls[0],
        description=(digest.summary.points[0][:200] if digest.summary.points else None),
        input_message_content=InputTextMessageContent(
            parts[0], parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
        ),
        reply_markup=markup,
    )
    await query.answer([result], cache_time=300, is_personal=True)


def _text_result(result_id: str, message: str) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=result_id, title=message, input_message_content=InputTextMessageContent(message)
    )


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every unhandled error with the update it came from (the token filter redacts URLs).

    A 409 while polling means another instance polls this token; two would take
    turns stealing each other's updates, so this one stops with a clear message.
    """
    if update is None and isinstance(context.error, Conflict):
        log.error(
            "stopping: another instance is polling with this token (Telegram answered 409). "
            "Run one poller, or several replicas in webhook mode (see the README)."
        )
        context.application.stop_running()
        return
    where = ""
    if isinstance(update, Update):
        chat = update.effective_chat
        user = update.effective_user
        where = (
            f" update={update.update_id} chat={chat.id if chat else None} user={user.id if user else None}"
        )
    log.error("handler failed:%s", where, exc_info=context.error)
