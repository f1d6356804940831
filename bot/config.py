"""One settings object for the CLI and the bot.

Values come, strongest first, from: keyword arguments, environment variables
(``KEYPOINT_<NAME>``, plus ``TELEGRAM_BOT_TOKEN``), the TOML file named by
``KEYPOINT_CONFIG`` (or ``config/keypoint.toml`` in the working directory),
and the defaults below. ``config/keypoint.toml`` documents every default and a
test keeps it equal to this file.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

DEFAULT_CONFIG_FILE = Path("config/keypoint.toml")


def config_file() -> Path | None:
    """The TOML file in force, if any."""
    named = os.environ.get("KEYPOINT_CONFIG")
    if named:
        return Path(named)
    return DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.is_file() else None


class Settings(BaseSettings):
    """Every tunable of Keypoint, with the default a fresh install runs with."""

    model_config = SettingsConfigDict(env_prefix="KEYPOINT_", extra="ignore", frozen=True)

    # Telegram
    telegram_bot_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "telegram_bot_token"),
    )
    bot_api_url: str = "https://api.telegram.org/bot"
    bot_api_file_url: str | None = None
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"  # noqa: S104  # on purpose: in a container it must listen on all interfaces
    webhook_port: int = 8443
    webhook_path: str = "telegram"
    webhook_secret: SecretStr | None = None
    allowed_user_ids: list[int] = []
    allowed_chat_ids: list[int] = []
    poll_timeout_seconds: int = 30
    placeholder_delay_seconds: float = 1.0
    api_rate_per_second: float = 30.0
    # Reader pages and the operator
    public_url: str | None = None  # e.g. https://example.org: turns on the Read button
    reader_listen: str = "0.0.0.0"  # noqa: S104  # on purpose: in a container it must listen on all interfaces
    reader_port: int = 8080
    operator_user_id: int | None = None  # who may read /reports

    # Fetching
    allow_private_addresses: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 20.0
    max_body_bytes: int = 5_000_000
    max_redirects: int = 5
    user_agent: str = "KeypointBot/0.1 (+https://github.com/keypoint-bot/keypoint; self-hosted summariser)"

    # Summaries
    default_points: int | None = None
    max_points: int = 12
    max_quotes: int = 3
    min_text_chars: int = 400
    max_links_per_message: int = 3
    max_document_bytes: int = 5_000_000
    max_text_chars: int = 100_000
    job_cpu_seconds: float = 10.0
    # HTML pages with more start tags than this skip trafilatura for a flat reading (0: never).
    max_html_elements: int = 10_000
    convert_chinese: Literal["none", "simplified", "traditional"] = "none"

    # Storage and limits
    db_path: Path = Path("keypoint.sqlite3")
    # postgresql://user@host/db for replicas (SecretStr: it may hold a password); unset: db_path.
    database_url: SecretStr | None = None
    # redis://host:6379/0: coordination between replicas (updates, fetches, limits).
    redis_url: SecretStr | None = None
    retention_days: float = 30.0
    cache_ttl_seconds: int = 86_400
    user_rate_per_minute: int = 10
    chat_rate_per_minute: int = 30
    workers: int = 2
    heartbeat_path: Path | None = None
    log_level: str = "INFO"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = config_file()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @property
    def token(self) -> str | None:
        """The bot token as plain text (never log it)."""
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
