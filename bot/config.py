"""Settings from the environment and .env (pydantic-settings); the token never appears in a repr, a log or an error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, NonNegativeFloat, NonNegativeInt, ValidationError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Where the code runs from: a source checkout has intents.yaml and content/ next to the bot/ folder.
CHECKOUT_ROOT = Path(__file__).resolve().parent.parent
# An installed copy carries the content inside the package (setup.py copies it there when the wheel is built).
PACKAGED_ROOT = Path(__file__).resolve().parent / "packaged_content"
MODES = ("polling", "webhook")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# What BotFather hands out: the bot's numeric id, a colon, then 35 letters, digits, "_" or "-".
_TOKEN = re.compile(r"\d{3,15}:[A-Za-z0-9_-]{30,60}")
# Telegram allows 1-256 of these characters in a webhook secret token.
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
WHERE = "in .env (next to where you start the bot) or in the environment"


class SettingsError(ValueError):
    """A setting cannot be used; the message is one line that names the setting and where to fix it."""


def _has_content(folder: Path) -> bool:
    return (folder / "intents.yaml").is_file() or (folder / "content").is_dir()


def shipped_content_root() -> Path:
    """The content that came with the bot: the installed package's copy, or the source checkout's."""
    return PACKAGED_ROOT if PACKAGED_ROOT.is_dir() else CHECKOUT_ROOT


def find_content_root(setting: str | None = None, cwd: Path | None = None) -> tuple[Path, str]:
    """The content folder and why it was chosen, first match wins: BOT_CONTENT_ROOT; the current folder if it
    has intents.yaml or content/; the source checkout the code runs from; the copy installed with the bot."""
    if setting:
        return Path(setting).expanduser(), "set by BOT_CONTENT_ROOT"
    cwd = cwd or Path.cwd()
    if _has_content(cwd):
        return cwd, "found in the current folder"
    if _has_content(CHECKOUT_ROOT):
        return CHECKOUT_ROOT, "the source checkout the bot runs from"
    return PACKAGED_ROOT, "the copy installed with the bot; `python -m bot init DIR` makes one you can edit"


@dataclass(frozen=True)
class Settings:
    telegram_bot_token: str | None = field(default=None, repr=False)
    telegram_base_url: str | None = None
    log_level: str = "WARNING"
    content_root: Path = field(default_factory=lambda: find_content_root()[0])
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
    content_origin: str = "given"  # why content_root was chosen, said by `check` and at start-up


def content_line(settings: Settings) -> str:
    """One line saying which content folder is in use and why, for `check` and the start-up."""
    return f"content folder: {settings.content_root} ({settings.content_origin})"


def _text(value: Any) -> Any:
    """Surrounding spaces are a copy-and-paste slip, and a blank value means "not set"."""
    return (value.strip() or None) if isinstance(value, str) else value


def _user_ids(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    if not all(part.isdigit() for part in parts):
        raise ValueError("not user ids")
    return frozenset(int(part) for part in parts)


Text = Annotated[str | None, BeforeValidator(_text)]
Stripped = Annotated[str, BeforeValidator(lambda v: v.strip() if isinstance(v, str) else v)]
Lower = Annotated[str, BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v)]
Level = Annotated[Literal[LOG_LEVELS], BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v)]


class _Environment(BaseSettings):
    """The variables as the environment and .env give them; the environment wins over .env."""

    model_config = SettingsConfigDict(env_ignore_empty=True, extra="ignore", env_file_encoding="utf-8")

    telegram_bot_token: Text = Field(None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_base_url: Text = Field(None, validation_alias="TELEGRAM_BASE_URL")
    log_level: Level = Field("WARNING", validation_alias="BOT_LOG_LEVEL")
    content_root: Text = Field(None, validation_alias="BOT_CONTENT_ROOT")
    context_ttl: NonNegativeFloat = Field(300.0, validation_alias="BOT_CONTEXT_TTL")
    mode: Lower = Field("polling", validation_alias="BOT_MODE")
    webhook_url: Text = Field(None, validation_alias="BOT_WEBHOOK_URL")
    webhook_listen: Stripped = Field("127.0.0.1", validation_alias="BOT_WEBHOOK_LISTEN")
    webhook_port: NonNegativeInt = Field(8443, validation_alias="BOT_WEBHOOK_PORT")
    webhook_secret: Text = Field(None, validation_alias="BOT_WEBHOOK_SECRET")
    flood_messages: NonNegativeInt = Field(8, validation_alias="BOT_FLOOD_MESSAGES")
    flood_seconds: NonNegativeFloat = Field(10.0, validation_alias="BOT_FLOOD_SECONDS")
    flood_pause: NonNegativeFloat = Field(60.0, validation_alias="BOT_FLOOD_PAUSE")
    # NoDecode: a comma-separated list, not the JSON pydantic-settings expects for a collection.
    admin_user_ids: Annotated[frozenset[int], NoDecode, BeforeValidator(_user_ids)] = Field(
        frozenset(), validation_alias="BOT_ADMIN_USER_IDS"
    )


def _one_line(error: Any) -> str:
    """A pydantic error about one variable as the one line a person can act on (never echoing the token)."""
    name, found = error["loc"][0], error["input"]
    if name == "BOT_ADMIN_USER_IDS":
        return f"{name} must be Telegram user ids separated by commas, like 12345,67890; fix it {WHERE}"
    if name == "BOT_LOG_LEVEL":
        return f"{name} must be one of {', '.join(LOG_LEVELS)}, not {found!r}; fix it {WHERE}"
    if error["type"].startswith(("greater_than", "less_than")):
        return f"{name} must not be negative, not {found!r}; fix it {WHERE}"
    noun = "a whole number" if error["type"].startswith("int") else "a number"
    if error["type"].startswith(("int", "float")):
        return f"{name} must be {noun}, not {found!r}; fix it {WHERE}"
    return f"{name} cannot be used ({error['msg'].lower()}); fix it {WHERE}"


def load_settings(env_file: Path | None = None) -> Settings:
    """Read settings; variables already in the environment win over .env. Raises SettingsError on a bad value."""
    try:
        env = _Environment(_env_file=env_file or Path.cwd() / ".env")
    except ValidationError as exc:
        raise SettingsError(_one_line(exc.errors()[0])) from None
    root, origin = find_content_root(env.content_root)
    if not root.is_dir():
        raise SettingsError(f"BOT_CONTENT_ROOT is {str(root)!r}, which is not a folder; fix it {WHERE}")
    values = env.model_dump(exclude={"content_root"})
    return Settings(**values, content_root=root, content_origin=origin)


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
