"""Settings from the environment and .env; the token never appears in a repr, a log or an error."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


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


def load_settings(env_file: Path | None = None) -> Settings:
    """Read settings; variables already in the environment win over .env."""
    load_dotenv(env_file or Path.cwd() / ".env", override=False)
    root = os.environ.get("BOT_CONTENT_ROOT")
    return Settings(
        telegram_bot_token=os.environ.get("TELEGRAM_BOT_TOKEN") or None,
        telegram_base_url=os.environ.get("TELEGRAM_BASE_URL") or None,
        log_level=(os.environ.get("BOT_LOG_LEVEL") or "WARNING").upper(),
        content_root=Path(root) if root else _default_root(),
        context_ttl=float(os.environ.get("BOT_CONTEXT_TTL") or 300),
    )
