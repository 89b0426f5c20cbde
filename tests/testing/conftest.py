from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _fake_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("openrouter-fake")]


@pytest.fixture(autouse=True)
def _no_leaked_server_threads() -> Iterator[None]:
    """Every test must leave no fake-server thread behind (fixtures are torn down before this check)."""
    yield
    assert _fake_threads() == []
