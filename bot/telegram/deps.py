"""What every handler needs, kept in ``application.bot_data["deps"]``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, ExtBot, JobQueue

from bot.config import Settings
from bot.storage import ChatSettings, Storage
from bot.telegram.replicas import Coordination
from bot.telegram.service import Summaries
from bot.telegram.texts import language_for

# The application ``build_application`` makes: PTB's default context, user, chat
# and bot data types, and a bot whose rate limiter (an ``AIORateLimiter``) takes
# int arguments.
BotApplication = Application[
    ExtBot[int],
    ContextTypes.DEFAULT_TYPE,
    dict[Any, Any],
    dict[Any, Any],
    dict[Any, Any],
    JobQueue[ContextTypes.DEFAULT_TYPE],
]


@dataclass
class Deps:
    """Shared objects; ``summaries`` exists once the application has started."""

    settings: Settings
    storage: Storage
    coordination: Coordination
    summaries: Summaries | None = None
    # Groups whose admins turned reactions off (or limited them): acknowledged with a
    # "Reading…" placeholder instead, until the bot restarts.
    no_reactions: set[int] = field(default_factory=set)

    @property
    def ready(self) -> Summaries:
        if self.summaries is None:
            raise RuntimeError("the application has not started")
        return self.summaries


def deps(context: ContextTypes.DEFAULT_TYPE) -> Deps:
    shared: Deps = context.bot_data["deps"]
    return shared


async def chat_preferences(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[ChatSettings, str]:
    """The chat's settings and the language to talk in (inline queries: the user's private chat)."""
    user = update.effective_user
    chat = update.effective_chat
    chat_id = chat.id if chat is not None else (user.id if user is not None else 0)
    settings = await deps(context).storage.get_chat_settings(chat_id)
    return settings, language_for(settings.language, user.language_code if user else None)
