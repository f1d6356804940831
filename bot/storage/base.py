"""The storage interface the bot talks to; SQLite is one implementation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from bot.models import Digest

ChineseScript = Literal["none", "simplified", "traditional"]


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """What one chat chose; ``None`` means "use the bot's default"."""

    points: int | None = None
    language: str | None = None  # None: follow the user's Telegram language
    chinese: ChineseScript | None = None  # None: the deployment's ``convert_chinese``
    auto_summarise: bool = False
    show_quotes: bool = True


@dataclass(frozen=True, slots=True)
class Report:
    """A reader's complaint about one summary, kept for the operator (``/reports``)."""

    key: str  # the digest's key
    reason: str  # one of ``REPORT_REASONS``
    chat_id: int
    user_id: int
    created: float  # Unix time
    source: str | None = None  # the digest's URL or description, when it is still stored


REPORT_REASONS = ("points", "speaker", "text", "other")


class Storage(Protocol):
    """Chat settings and the digest cache. Implementations must be safe to share
    between concurrent handlers of one event loop."""

    async def open(self) -> None:
        """Connect and create the schema if needed."""

    async def close(self) -> None:
        """Release connections; the object is unusable afterwards."""

    async def get_chat_settings(self, chat_id: int) -> ChatSettings:
        """The chat's settings, or the defaults when it never changed any."""

    async def set_chat_settings(self, chat_id: int, settings: ChatSettings) -> None:
        """Persist ``settings`` for ``chat_id``."""

    async def get_digest(self, key: str, max_age_seconds: float | None = None) -> Digest | None:
        """The digest stored under ``key`` if younger than ``max_age_seconds`` (any age for None)."""

    async def put_digest(self, key: str, digest: Digest, source: str) -> None:
        """Store ``digest`` under ``key``; ``source`` is the URL or a short description."""

    async def purge_expired(self) -> int | None:
        """Delete digests past retention: how many, or ``None`` if another replica is at it."""

    async def reader_token(self, key: str, max_age_seconds: float) -> str:
        """The unguessable token of the reader page for digest ``key`` (made on first use;
        a new one once the old is older than ``max_age_seconds``)."""

    async def reader_digest(self, token: str, max_age_seconds: float) -> Digest | None:
        """The digest behind reader ``token`` while both are younger than ``max_age_seconds``."""

    async def add_report(self, report: Report) -> None:
        """Keep ``report`` for the operator."""

    async def recent_reports(self, limit: int) -> list[Report]:
        """The latest ``limit`` reports, newest first, with their digests' sources."""
