"""Handlers for messages, commands, buttons and inline queries (one job each)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial

from telegram import (
    Document,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Conflict, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.errors import KeypointError, TooLargeError
from bot.models import Digest
from bot.storage import ChatSettings
from bot.telegram.deps import chat_preferences, deps
from bot.telegram.limits import Verdict
from bot.telegram.links import Request, links_in, links_in_text, request_in
from bot.telegram.reply import View, keyboard, render_parts
from bot.telegram.service import Summaries, document_type
from bot.telegram.texts import error_text, text

log = logging.getLogger(__name__)

DigestJob = Callable[[], Awaitable[tuple[str, Digest]]]
TYPING_AFTER_SECONDS = 0.1  # work that takes longer than this shows "typing…"
INLINE_DEADLINE_SECONDS = 8.0


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
    """/start: what the bot does, in the chat's language."""
    message = update.effective_message
    if message is None:
        return
    _chat, language = await chat_preferences(update, context)
    limit = deps(context).settings.max_links_per_message
    await message.reply_text(text(language, "start", links=limit))


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
    """Show "typing", post a placeholder if the work is slow, then the summary (or the error)."""
    shared = deps(context)
    task = asyncio.ensure_future(job())
    placeholder: Message | None = None
    try:
        # A cached answer is back within milliseconds: no "typing" call for it (one API
        # call per summary instead of two is what keeps a busy bot under Telegram's limits).
        done, _pending = await asyncio.wait({task}, timeout=TYPING_AFTER_SECONDS)
        if not done:
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
        return
    except Exception:
        await _say(anchor, placeholder, error_text(language, "failed"))
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
    markup = keyboard(
        view,
        digest,
        ui_language=language,
        max_points=shared.settings.max_points,
        show_quotes=chat_settings.show_quotes,
    )
    if placeholder is not None:
        await placeholder.edit_text(parts[0], reply_markup=markup)
    else:
        await anchor.reply_text(parts[0], reply_markup=markup)
    for part in parts[1:]:
        await anchor.reply_text(part, do_quote=False)


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
    parts = render_parts(
        variant,
        ui_language=language,
        show_quotes=chat_settings.show_quotes,
        all_quotes=view.all_quotes,
        chinese=chat_settings.chinese or shared.settings.convert_chinese,
    )
    markup = keyboard(
        view,
        variant,
        ui_language=language,
        max_points=shared.settings.max_points,
        show_quotes=chat_settings.show_quotes,
    )
    await query.answer()
    try:
        if query.inline_message_id is not None:  # inline results: one message, no room for more
            await context.bot.edit_message_text(
                parts[0], inline_message_id=query.inline_message_id, reply_markup=markup
            )
            return
        message = query.message
        if message is None:
            return
        await context.bot.edit_message_text(
            parts[0], chat_id=message.chat.id, message_id=message.message_id, reply_markup=markup
        )
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return  # a double tap: the message already shows this view
        raise
    thread = getattr(message, "message_thread_id", None)
    for part in parts[1:]:
        await context.bot.send_message(message.chat.id, part, message_thread_id=thread)


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
    markup = keyboard(
        View(key, len(digest.summary.points)),
        digest,
        ui_language=language,
        max_points=shared.settings.max_points,
        show_quotes=chat_settings.show_quotes,
    )
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
