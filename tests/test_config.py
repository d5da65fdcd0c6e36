"""Settings from the environment and .env: defaults, parsing, one-line problems, and the token kept out of sight."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot import config
from bot.config import Settings, SettingsError, api_base_urls, find_content_root, load_settings, telegram_problems

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
VARIABLES = (
    "TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "BOT_LOG_LEVEL", "BOT_CONTENT_ROOT", "BOT_CONTEXT_TTL", "BOT_MODE",
    "BOT_WEBHOOK_URL", "BOT_WEBHOOK_LISTEN", "BOT_WEBHOOK_PORT", "BOT_WEBHOOK_SECRET", "BOT_FLOOD_MESSAGES",
    "BOT_FLOOD_SECONDS", "BOT_FLOOD_PAUSE", "BOT_ADMIN_USER_IDS",
)  # fmt: skip
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """A clean environment, run from an empty folder (so no .env is picked up by accident)."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def test_defaults(env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.telegram_bot_token is None
    assert settings.mode == "polling"
    assert settings.log_level == "WARNING"
    assert settings.content_root == ROOT  # no intents.yaml here, so the source checkout
    assert settings.content_origin == "the source checkout the bot runs from"
    assert (settings.flood_messages, settings.flood_seconds, settings.flood_pause) == (8, 10.0, 60.0)
    assert settings.admin_user_ids == frozenset()


def test_every_setting_is_read_from_the_environment(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    values = {
        "TELEGRAM_BOT_TOKEN": f"  {TOKEN} ", "TELEGRAM_BASE_URL": "http://127.0.0.1:8081", "BOT_LOG_LEVEL": "debug",
        "BOT_CONTENT_ROOT": str(tmp_path), "BOT_CONTEXT_TTL": "120", "BOT_MODE": "Webhook",
        "BOT_WEBHOOK_URL": "https://bot.example.org/telegram", "BOT_WEBHOOK_LISTEN": "0.0.0.0",
        "BOT_WEBHOOK_PORT": "8080", "BOT_WEBHOOK_SECRET": "abc_DEF-123", "BOT_FLOOD_MESSAGES": "5",
        "BOT_FLOOD_SECONDS": "7.5", "BOT_FLOOD_PAUSE": "30", "BOT_ADMIN_USER_IDS": "12345, 67890",
    }  # fmt: skip
    assert set(values) == set(VARIABLES)
    for name, value in values.items():
        env.setenv(name, value)
    settings = load_settings()
    assert settings == Settings(
        telegram_bot_token=TOKEN,
        telegram_base_url="http://127.0.0.1:8081",
        log_level="DEBUG",
        content_root=tmp_path,
        context_ttl=120.0,
        mode="webhook",
        webhook_url="https://bot.example.org/telegram",
        webhook_listen="0.0.0.0",
        webhook_port=8080,
        webhook_secret="abc_DEF-123",
        flood_messages=5,
        flood_seconds=7.5,
        flood_pause=30.0,
        admin_user_ids=frozenset({12345, 67890}),
        content_origin="set by BOT_CONTENT_ROOT",
    )
    assert telegram_problems(settings) == []


def test_dot_env_is_read_and_the_environment_wins(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nBOT_MODE=webhook\n# a comment\nBOT_LOG_LEVEL=INFO\n")
    env.setenv("BOT_LOG_LEVEL", "ERROR")
    settings = load_settings()
    assert settings.telegram_bot_token == TOKEN
    assert settings.mode == "webhook"
    assert settings.log_level == "ERROR"


def test_dot_env_is_read_without_changing_the_environment(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BOT_FLOOD_PAUSE=5\nTELEGRAM_BOT_TOKEN=\n")  # as copied from .env.example
    assert load_settings().flood_pause == 5.0 and load_settings().telegram_bot_token is None
    assert "BOT_FLOOD_PAUSE" not in os.environ  # child processes do not inherit the file's settings


def test_content_root_precedence(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """BOT_CONTENT_ROOT, then the current folder with content, then the checkout, then the installed copy."""
    ours, checkout = tmp_path / "ours", tmp_path / "checkout"
    for folder in (ours, checkout):
        (folder / "content").mkdir(parents=True)
    env.setattr(config, "CHECKOUT_ROOT", checkout)
    assert find_content_root(str(tmp_path / "set"), cwd=ours) == (tmp_path / "set", "set by BOT_CONTENT_ROOT")
    assert find_content_root(None, cwd=ours) == (ours, "found in the current folder")
    assert find_content_root(None, cwd=tmp_path) == (checkout, "the source checkout the bot runs from")
    env.setattr(config, "CHECKOUT_ROOT", tmp_path / "site-packages")  # an installed copy has no checkout
    root, why = find_content_root(None, cwd=tmp_path)
    assert root == config.PACKAGED_ROOT and why.startswith("the copy installed with the bot")


def test_a_content_root_that_is_not_a_folder_is_one_line(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("BOT_CONTENT_ROOT", str(tmp_path / "no-such-folder"))
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "BOT_CONTENT_ROOT" in str(caught.value) and "not a folder" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_env_example_documents_every_setting() -> None:
    example = (ROOT / ".env.example").read_text()
    for name in VARIABLES:
        assert f"{name}=" in example, name
    assert TOKEN not in example


def test_the_token_is_never_in_the_repr_or_a_problem(env: pytest.MonkeyPatch) -> None:
    settings = Settings(telegram_bot_token=TOKEN, webhook_secret="hush-hush")
    assert TOKEN not in repr(settings) and "hush-hush" not in repr(settings)
    for bad in (TOKEN + "!", "bot" + TOKEN, "123:abc", TOKEN.replace(":", "")):
        [problem] = telegram_problems(Settings(telegram_bot_token=bad))
        assert bad not in problem and TOKEN not in problem
        assert "TELEGRAM_BOT_TOKEN" in problem and ".env" in problem and "\n" not in problem


def test_a_missing_token_says_where_to_put_it() -> None:
    [problem] = telegram_problems(Settings())
    assert problem.startswith("TELEGRAM_BOT_TOKEN is not set") and ".env" in problem


@pytest.mark.parametrize(
    ("changes", "names"),
    [
        ({"mode": "webhok"}, ["BOT_MODE"]),
        ({"mode": "webhook"}, ["BOT_WEBHOOK_URL", "BOT_WEBHOOK_SECRET"]),
        ({"mode": "webhook", "webhook_url": "https://x.org/t", "webhook_secret": "has spaces"}, ["BOT_WEBHOOK_SECRET"]),
        ({"telegram_base_url": "127.0.0.1:8081"}, ["TELEGRAM_BASE_URL"]),
    ],
)
def test_problems_name_the_setting_in_one_line(changes: dict, names: list[str]) -> None:
    problems = telegram_problems(Settings(telegram_bot_token=TOKEN, **changes))
    assert [next(n for n in names if n in p) for p in problems] == names
    assert all("\n" not in p for p in problems)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_WEBHOOK_PORT", "eighty"),
        ("BOT_CONTEXT_TTL", "-5"),
        ("BOT_LOG_LEVEL", "LOUD"),
        ("BOT_ADMIN_USER_IDS", "me"),
        ("BOT_FLOOD_MESSAGES", "2.5"),
        ("BOT_FLOOD_PAUSE", "a minute"),
    ],
)
def test_a_value_that_cannot_be_read_is_one_line_naming_it(env: pytest.MonkeyPatch, name: str, value: str) -> None:
    env.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert name in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "given",
    ["http://127.0.0.1:8081", "http://127.0.0.1:8081/", "http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/bot/"],
)
def test_the_base_url_is_accepted_with_or_without_bot(given: str) -> None:
    assert api_base_urls(given) == ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")


def test_a_base_url_with_a_path_keeps_it() -> None:
    assert api_base_urls("https://example.org/telegram-api/bot") == (
        "https://example.org/telegram-api/bot",
        "https://example.org/telegram-api/file/bot",
    )
