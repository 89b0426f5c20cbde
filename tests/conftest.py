"""Fixtures shared by every test."""

from __future__ import annotations

import pytest

from tests.helpers import ENV_VARS, Runner


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's own OpenRouter settings."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest) -> Runner:
    return Runner(request.param)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
