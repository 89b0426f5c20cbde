"""Fixtures shared by every test."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.helpers import ENV_VARS, Runner


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's own OpenRouter settings."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _restore_openrouter_logger() -> Iterator[None]:
    """debug=True turns on the "openrouter.debug" logger; put both loggers back after each test."""
    loggers = [logging.getLogger("openrouter"), logging.getLogger("openrouter.debug")]
    saved = [(logger.level, list(logger.handlers)) for logger in loggers]
    yield
    for logger, (level, handlers) in zip(loggers, saved, strict=True):
        logger.setLevel(level)
        logger.handlers[:] = handlers


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest) -> Runner:
    return Runner(request.param)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
