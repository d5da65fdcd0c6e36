"""Settings from the environment and .env; the token never appears in a repr, a log or an error."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
MODES = ("polling", "webhook")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# What BotFather hands out: the bot's numeric id, a colon, then 35 letters, digits, "_" or "-".
_TOKEN = re.compile(r"\d{3,15}:[A-Za-z0-9_-]{30,60}")
# Telegram allows 1-256 of these characters in a webhook secret token.
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
WHERE = "in .env (next to where you start the bot) or in the environment"


class SettingsError(ValueError):
    """A setting cannot be used; the message is one line that names the setting and where to fix it."""


def _default_root() -> Path:
    """The folder holding intents.yaml and content/: the current one if it has them, else the source checkout."""
    cwd = Path.cwd()
    return cwd if (cwd / "intents.yaml").is_file() else PACKAGE_ROOT


@dataclass(frozen=True)
class Settings:
    telegram_bot_token: str | None = field(default=None, repr=False)
    telegram_base_url: str | None = None
    log_level: str = "WARNING"
    content_root: Path = field(default_factory=_default_root)
    context_ttl: float = 300.0
    mode: str = "polling"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str | None = field(default=None, repr=False)
    flood_messages: int = 8  # more than this many messages from one chat ...
    flood_seconds: float = 10.0  # ... within this many seconds gets one notice,
    flood_pause: float = 60.0  # then silence for this long
    admin_user_ids: frozenset[int] = frozenset()


def _number(name: str, default: float, kind: type = float) -> float:
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        noun = "a whole number" if kind is int else "a number"
        raise SettingsError(f"{name} must be {noun}, not {raw!r}; fix it {WHERE}") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative, not {raw!r}; fix it {WHERE}")
    return value


def _user_ids(name: str) -> frozenset[int]:
    raw = os.environ.get(name) or ""
    parts = [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]
    if not all(part.isdigit() for part in parts):
        raise SettingsError(f"{name} must be Telegram user ids separated by commas, like 12345,67890; fix it {WHERE}")
    return frozenset(int(part) for part in parts)


def load_settings(env_file: Path | None = None) -> Settings:
    """Read settings; variables already in the environment win over .env. Raises SettingsError on a bad value."""
    load_dotenv(env_file or Path.cwd() / ".env", override=False)
    root = os.environ.get("BOT_CONTENT_ROOT")
    level = (os.environ.get("BOT_LOG_LEVEL") or "WARNING").strip().upper()
    if level not in LOG_LEVELS:
        raise SettingsError(f"BOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}; fix it {WHERE}")
    return Settings(
        telegram_bot_token=(os.environ.get("TELEGRAM_BOT_TOKEN") or "").strip() or None,
        telegram_base_url=(os.environ.get("TELEGRAM_BASE_URL") or "").strip() or None,
        log_level=level,
        content_root=Path(root) if root else _default_root(),
        context_ttl=_number("BOT_CONTEXT_TTL", 300.0),
        mode=(os.environ.get("BOT_MODE") or "polling").strip().lower(),
        webhook_url=(os.environ.get("BOT_WEBHOOK_URL") or "").strip() or None,
        webhook_listen=(os.environ.get("BOT_WEBHOOK_LISTEN") or "127.0.0.1").strip(),
        webhook_port=int(_number("BOT_WEBHOOK_PORT", 8443, int)),
        webhook_secret=(os.environ.get("BOT_WEBHOOK_SECRET") or "").strip() or None,
        flood_messages=int(_number("BOT_FLOOD_MESSAGES", 8, int)),
        flood_seconds=_number("BOT_FLOOD_SECONDS", 10.0),
        flood_pause=_number("BOT_FLOOD_PAUSE", 60.0),
        admin_user_ids=_user_ids("BOT_ADMIN_USER_IDS"),
    )


def api_base_urls(base_url: str) -> tuple[str, str]:
    """TELEGRAM_BASE_URL, with or without the trailing /bot, as PTB's base_url and base_file_url.

    >>> api_base_urls("http://127.0.0.1:8081")
    ('http://127.0.0.1:8081/bot', 'http://127.0.0.1:8081/file/bot')
    """
    root = base_url.strip().rstrip("/")
    root = root.removesuffix("/bot")
    return f"{root}/bot", f"{root}/file/bot"


def telegram_problems(settings: Settings) -> list[str]:
    """What stops the Telegram bot from starting with these settings, one line each; [] when it can start."""
    problems = []
    token = settings.telegram_bot_token
    if not token:
        problems.append(f"TELEGRAM_BOT_TOKEN is not set: put the token BotFather gave you {WHERE}")
    elif not _TOKEN.fullmatch(token):
        # Never echo the token, not even a malformed one: it may be a real token with a stray character.
        problems.append(
            "TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then about 35 letters, as "
            f"BotFather gives it, with no quotes, spaces or 'bot' in front): put the right one {WHERE}"
        )
    if settings.telegram_base_url and not settings.telegram_base_url.startswith(("http://", "https://")):
        problems.append(f"TELEGRAM_BASE_URL must start with http:// or https://; fix it {WHERE}")
    if settings.mode not in MODES:
        problems.append(f"BOT_MODE must be polling or webhook, not {settings.mode!r}; fix it {WHERE}")
    if settings.mode == "webhook":
        if not settings.webhook_url or not settings.webhook_url.startswith(("http://", "https://")):
            problems.append(f"BOT_MODE=webhook needs BOT_WEBHOOK_URL, the public https address; set it {WHERE}")
        if not settings.webhook_secret or not _SECRET.fullmatch(settings.webhook_secret):
            problems.append(
                "BOT_MODE=webhook needs BOT_WEBHOOK_SECRET, 1-256 letters, digits, _ or - (make one with "
                f"`python -c 'import secrets; print(secrets.token_urlsafe(32))'`); set it {WHERE}"
            )
        if not 0 < settings.webhook_port < 65536:
            problems.append(f"BOT_WEBHOOK_PORT must be a port number (1-65535); fix it {WHERE}")
    return problems
