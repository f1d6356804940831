"""Wire the Telegram application: ``build_application`` and ``run_bot``."""

from __future__ import annotations

import logging
import sys

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.config import Settings
from bot.errors import KeypointError
from bot.fetch import Fetcher
from bot.pipeline import digest_url
from bot.render import render_digest, split_html

log = logging.getLogger(__name__)


def build_application(settings: Settings) -> Application:
    """The application with every handler wired; not started."""
    if not settings.token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    application = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.bot_api_url)
        .concurrent_updates(True)
        .post_init(_open_resources)
        .post_shutdown(_close_resources)
        .build()
    )
    application.bot_data["settings"] = settings
    application.add_handler(MessageHandler(filters.TEXT & filters.ChatType.PRIVATE, summarise_links))
    return application


async def _open_resources(application: Application) -> None:
    application.bot_data["fetcher"] = Fetcher(application.bot_data["settings"])


async def _close_resources(application: Application) -> None:
    fetcher = application.bot_data.pop("fetcher", None)
    if fetcher is not None:
        await fetcher.aclose()


async def summarise_links(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply to a private message with a summary of the first link in it."""
    message = update.effective_message
    if message is None or not message.text:
        return
    urls = [u for u in message.parse_entities(["url"]).values()]
    if not urls:
        await message.reply_text("Send me a link to an article.")
        return
    try:
        digest = await digest_url(urls[0], context.bot_data["fetcher"])
    except KeypointError as exc:
        await message.reply_text(f"Sorry: {exc}")
        return
    for part in split_html(render_digest(digest)):
        await message.reply_text(part, parse_mode=ParseMode.HTML)


def run_bot(settings: Settings) -> int:
    """Start the bot in the configured mode; 2 without a token."""
    if not settings.token:
        print("keypoint: TELEGRAM_BOT_TOKEN is not set; export it to run the bot.", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry the token
    build_application(settings).run_polling()
    return 0
