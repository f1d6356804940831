"""Wire the Telegram application: ``build_application``, ``serve`` and ``run_bot``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from secrets import token_urlsafe

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken
from telegram.ext import (
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings
from bot.fetch import Fetcher
from bot.reader.server import start_reader
from bot.storage import Storage, storage_for
from bot.telegram import handlers
from bot.telegram.deps import BotApplication, Deps
from bot.telegram.limits import MessageRateLimiter, RequestLimits, SharedRateLimiter
from bot.telegram.logsafe import configure_logging
from bot.telegram.replicas import AnotherPollerError, Coordination, LocalCoordination, RedisCoordination
from bot.telegram.service import Summaries
from bot.telegram.settings_ui import settings_button, settings_command
from bot.telegram.texts import LANGUAGES, text
from bot.telegram.webhook import run_webhook

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30.0
PURGE_SECONDS = 3600.0
# What PTB installs by default: SIGTERM is how Docker and systemd stop the bot.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)
MENU = ("summary", "tldr", "settings", "help")
# What each kind of chat is offered: /settings only where the user may change them
# (private chats, group admins); /reports only in the operator's own chat.
GROUP_MENU = ("summary", "tldr", "help")
OPERATOR_MENU = (*MENU, "reports")
# The updates the handlers below use; Telegram sends nothing else (no edits, business
# messages, member changes), which saves the traffic of receiving and ignoring them.
ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY)


def allowed_updates() -> list[str]:
    """The update types ``serve`` asks Telegram for, in polling and webhook mode alike."""
    return list(ALLOWED_UPDATES)


def file_url_for(settings: Settings) -> str:
    """The Bot API file URL: configured, else derived from the API URL (``…/bot`` → ``…/file/bot``)."""
    if settings.bot_api_file_url:
        return settings.bot_api_file_url
    base = settings.bot_api_url
    if base.endswith("/bot"):
        return base[: -len("/bot")] + "/file/bot"
    return base.rstrip("/") + "/file/bot"


def coordination_for(settings: Settings) -> Coordination:
    """Redis-shared coordination when ``redis_url`` is set (replicas), else this process alone."""
    if settings.redis_url is None:
        return LocalCoordination(RequestLimits(settings.user_rate_per_minute, settings.chat_rate_per_minute))
    bot_id = (settings.token or "").split(":", 1)[0]  # the public bot id, never the secret part
    return RedisCoordination(
        settings.redis_url.get_secret_value(),
        bot_id,
        user_per_minute=settings.user_rate_per_minute,
        chat_per_minute=settings.chat_rate_per_minute,
        lock_seconds=settings.total_timeout * 3,
    )


def build_application(settings: Settings, storage: Storage | None = None) -> BotApplication:
    """The application with every handler wired; resources open in ``post_init``."""
    if not settings.token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    coordination = coordination_for(settings)
    rate_limiter: BaseRateLimiter[int] = (
        SharedRateLimiter(coordination, max_retries=3)
        if isinstance(coordination, RedisCoordination)
        else MessageRateLimiter(overall_max_rate=settings.api_rate_per_second, max_retries=3)
    )
    application = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.bot_api_url)
        .base_file_url(file_url_for(settings))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                # A slow page gives a user time to delete the request; the answer still comes.
                allow_sending_without_reply=True,
            )
        )
        .rate_limiter(rate_limiter)
        .concurrent_updates(True)
        .post_init(_open_resources)
        .post_shutdown(_close_resources)
        .build()
    )
    application.bot_data["deps"] = Deps(settings, storage or storage_for(settings), coordination)
    _add_handlers(application)
    return application


def _add_handlers(application: BotApplication) -> None:
    # Only new messages: an edited message must never trigger a second reply.
    new = filters.UpdateType.MESSAGE
    content = filters.TEXT | filters.CAPTION | filters.Document.ALL
    group_links = (
        filters.Entity("url")
        | filters.Entity("text_link")
        | filters.CaptionEntity("url")
        | filters.CaptionEntity("text_link")
    )
    application.add_handler(TypeHandler(Update, handlers.gate), group=-1)
    application.add_handlers(
        [
            CommandHandler("start", handlers.start, filters=new),
            CommandHandler("help", handlers.help_command, filters=new),
            CommandHandler(["summary", "tldr"], handlers.summary_command, filters=new),
            CommandHandler("settings", settings_command, filters=new),
            CommandHandler("reports", handlers.reports_command, filters=new),
            MessageHandler(
                new & filters.ChatType.PRIVATE & content & ~filters.COMMAND, handlers.private_message
            ),
            MessageHandler(
                new & filters.ChatType.GROUPS & group_links & ~filters.COMMAND, handlers.group_link
            ),
            CallbackQueryHandler(handlers.view_button, pattern=r"^v\|"),
            CallbackQueryHandler(settings_button, pattern=r"^s\|"),
            CallbackQueryHandler(handlers.retry_button, pattern=r"^r\|"),
            CallbackQueryHandler(handlers.report_button, pattern=r"^k\|"),
            InlineQueryHandler(handlers.inline_query),
        ]
    )
    application.add_error_handler(handlers.on_error)


async def _open_resources(application: BotApplication) -> None:
    """Storage, the shared fetcher, the worker pool, the command menu and the heartbeat."""
    shared: Deps = application.bot_data["deps"]
    settings = shared.settings
    await shared.storage.open()
    if settings.mode == "polling":
        await shared.coordination.claim_poller()
    shared.summaries = Summaries(settings, shared.storage, Fetcher(settings), shared.coordination)
    await shared.summaries.start()
    application.bot_data["purge"] = asyncio.create_task(_purge_periodically(shared.storage))
    await _introduce(application.bot, settings)
    if settings.public_url:
        application.bot_data["reader"] = start_reader(
            shared.storage, settings.cache_ttl_seconds, settings.reader_listen, settings.reader_port
        )
    if settings.heartbeat_path is not None:
        application.bot_data["heartbeat"] = asyncio.create_task(_heartbeat(settings.heartbeat_path))
    log.info("bot @%s ready (%s mode, %d workers)", application.bot.username, settings.mode, settings.workers)


def command_menus(settings: Settings) -> list[tuple[BotCommandScope, tuple[str, ...]]]:
    """Each command scope with the commands it offers (a narrower scope wins in Telegram)."""
    menus: list[tuple[BotCommandScope, tuple[str, ...]]] = [
        (BotCommandScopeAllPrivateChats(), MENU),
        (BotCommandScopeDefault(), GROUP_MENU),
        (BotCommandScopeAllGroupChats(), GROUP_MENU),
        (BotCommandScopeAllChatAdministrators(), MENU),
    ]
    if settings.operator_user_id is not None:
        menus.append((BotCommandScopeChat(settings.operator_user_id), OPERATOR_MENU))
    return menus


async def _introduce(bot: Bot, settings: Settings) -> None:
    """Descriptions (the empty chat's "What can this bot do?" and the profile's short
    text) and the command menus, in English (every language) and in Chinese."""
    for language in LANGUAGES:
        code = None if language == "en" else language
        await bot.set_my_description(text(language, "description"), language_code=code)
        await bot.set_my_short_description(text(language, "short_description"), language_code=code)
        for scope, names in command_menus(settings):
            commands = [BotCommand(name, text(language, f"cmd_{name}")) for name in names]
            await bot.set_my_commands(commands, scope=scope, language_code=code)


async def _close_resources(application: BotApplication) -> None:
    shared: Deps = application.bot_data["deps"]
    reader = application.bot_data.pop("reader", None)
    if reader is not None:
        reader.stop()
        await reader.close_all_connections()
    for name in ("heartbeat", "purge"):
        task = application.bot_data.pop(name, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    if shared.summaries is not None:
        await shared.summaries.close()
    await shared.coordination.close()
    await shared.storage.close()


async def _purge_periodically(storage: Storage) -> None:
    """Delete expired digests every hour; with PostgreSQL one replica at a time does it."""
    while True:
        await asyncio.sleep(PURGE_SECONDS)
        try:
            purged = await storage.purge_expired()
        except Exception:  # a database hiccup must not end the loop
            log.exception("purging expired digests failed")
            continue
        if purged is not None:
            log.info("purged %d expired digests", purged)


async def _heartbeat(path: Path) -> None:
    """Touch ``path`` while the event loop is alive (``keypoint health`` reads its age)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        await asyncio.to_thread(path.touch)
        await asyncio.sleep(HEARTBEAT_SECONDS)


def serve(
    application: BotApplication, settings: Settings, *, stop_signals: Sequence[int] | None = STOP_SIGNALS
) -> None:
    """Run ``application`` until stopped, by long polling or behind a webhook.

    ``stop_signals=None`` installs no signal handlers (needed outside the main thread).
    """
    if settings.mode == "webhook":
        # Without a configured secret, a fresh random one per start: Telegram gets it with
        # setWebhook, so only Telegram can post updates to the listener. Replicas need the
        # configured one (run_bot insists), or each start would lock the others out; every
        # replica then registers the same webhook, and none drops pending updates.
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else token_urlsafe(32)
        run_webhook(
            application,
            settings,
            secret=secret,
            allowed_updates=allowed_updates(),
            stop_signals=stop_signals,
        )
    else:
        application.run_polling(
            timeout=settings.poll_timeout_seconds,
            allowed_updates=allowed_updates(),
            drop_pending_updates=False,
            stop_signals=stop_signals,
        )


def run_bot(settings: Settings) -> int:
    """Start the bot in the configured mode; 2 when it cannot start."""
    if not settings.token:
        print("keypoint: TELEGRAM_BOT_TOKEN is not set; export it to run the bot.", file=sys.stderr)
        return 2
    if settings.mode == "webhook" and not settings.webhook_url:
        print("keypoint: webhook mode needs KEYPOINT_WEBHOOK_URL (the public HTTPS URL).", file=sys.stderr)
        return 2
    if settings.mode == "webhook" and settings.redis_url and not settings.webhook_secret:
        print(
            "keypoint: replicas (KEYPOINT_REDIS_URL) in webhook mode need KEYPOINT_WEBHOOK_SECRET, the same "
            "on every replica; a random one per start would make the others answer 403.",
            file=sys.stderr,
        )
        return 2
    configure_logging(settings.log_level, settings.token)
    try:
        serve(build_application(settings), settings)
    except AnotherPollerError as exc:
        print(f"keypoint: {exc}.", file=sys.stderr)
        return 2
    except InvalidToken:
        # PTB's message quotes the token; never let it reach the console.
        print("keypoint: Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather.", file=sys.stderr)
        return 2
    except Exception:
        log.exception("the bot stopped")  # through the redacting handler
        return 1
    return 0
