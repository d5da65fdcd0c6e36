"""Shared fixtures: the project's content and one engine for the whole run (it is read-only after start-up)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import Content, load_content
from bot.engine import Engine

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def content_root() -> Path:
    """The folder that holds intents.yaml and content/."""
    return ROOT


@pytest.fixture(scope="session")
def content(content_root: Path) -> Content:
    return load_content(content_root)


@pytest.fixture(scope="session")
def engine(content: Content) -> Engine:
    return Engine(content)
