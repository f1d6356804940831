"""Settings: documented defaults, TOML file and environment overrides."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_toml_documents_every_default(monkeypatch: pytest.MonkeyPatch) -> None:
    documented = tomllib.loads((ROOT / "config" / "keypoint.toml").read_text("utf-8"))
    monkeypatch.delenv("KEYPOINT_DB_PATH")
    monkeypatch.setenv("KEYPOINT_CONFIG", str(ROOT / "does-not-exist.toml"))
    defaults = Settings.model_construct()
    for key, value in documented.items():
        current = getattr(defaults, key)
        assert (str(current) if isinstance(current, Path) else current) == value, key
    optional = {
        "telegram_bot_token",
        "webhook_url",
        "webhook_secret",
        "default_points",
        "heartbeat_path",
        "bot_api_file_url",
        "database_url",
        "redis_url",
        "public_url",
        "operator_user_id",
    }
    assert set(Settings.model_fields) - set(documented) <= optional


def test_environment_overrides_toml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "k.toml"
    config.write_text('max_quotes = 5\nbot_api_url = "http://toml.invalid/bot"\n', "utf-8")
    monkeypatch.setenv("KEYPOINT_CONFIG", str(config))
    monkeypatch.setenv("KEYPOINT_BOT_API_URL", "http://127.0.0.1:9/bot")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:fake")
    monkeypatch.setenv("KEYPOINT_ALLOWED_CHAT_IDS", "[-100, 7]")
    settings = Settings()
    assert settings.max_quotes == 5
    assert settings.bot_api_url == "http://127.0.0.1:9/bot"
    assert settings.token == "123:fake"
    assert "123:fake" not in repr(settings)
    assert settings.allowed_chat_ids == [-100, 7]
