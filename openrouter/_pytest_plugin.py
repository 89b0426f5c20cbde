"""pytest fixtures for testing code that uses the OpenRouter SDK (registered as the ``openrouter`` plugin).

- ``openrouter_fake``: a ``FakeOpenRouter`` used in process (``openrouter_fake.client()``).
- ``openrouter_fake_server``: a ``FakeOpenRouter`` serving on 127.0.0.1 (``openrouter_fake_server.url``).
- ``openrouter_fake_core``: an ``OpenRouterCore`` wired to ``openrouter_fake``, for the standalone
  functions (``chat_send(core, ...)`` and ``await chat_send_async(core, ...)``).
- ``openrouter_fake_client``: an ``OpenRouter`` client wired to ``openrouter_fake`` (sync and async
  methods).

Each test gets a fresh fake, closed after the test (hanging answers released, threads joined, the
core's and client's connections closed). ``@pytest.mark.openrouter_fake(**settings)`` passes
``FakeOpenRouter`` arguments (``api_keys=[...]``, ``total_credits=5``, ...) to the test's fakes.
This module imports only pytest, so loading the plugin costs nothing until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from openrouter import OpenRouter
    from openrouter.testing import FakeOpenRouter
    from openrouter_core import OpenRouterCore

__all__ = ["openrouter_fake", "openrouter_fake_client", "openrouter_fake_core", "openrouter_fake_server"]

MARKER = "openrouter_fake"


def pytest_configure(config: pytest.Config) -> None:
    """Declare the ``openrouter_fake`` marker (so ``--strict-markers`` accepts it)."""
    config.addinivalue_line("markers", f"{MARKER}(**settings): FakeOpenRouter arguments for the test's fake fixtures")


def _settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return {}
    if marker.args:
        raise TypeError(f"@pytest.mark.{MARKER} takes keyword arguments only (FakeOpenRouter's settings)")
    return dict(marker.kwargs)


@pytest.fixture
def openrouter_fake(request: pytest.FixtureRequest) -> Iterator[FakeOpenRouter]:
    """A fresh in-process ``FakeOpenRouter``; connect with ``.client()``, ``.core()`` or ``.transport()``."""
    from openrouter.testing import FakeOpenRouter

    with FakeOpenRouter(**_settings(request)) as fake:
        yield fake


@pytest.fixture
def openrouter_fake_server(request: pytest.FixtureRequest) -> Iterator[FakeOpenRouter]:
    """A fresh ``FakeOpenRouter`` serving HTTP on 127.0.0.1; its base URL is ``.url``."""
    from openrouter.testing import FakeOpenRouter

    with FakeOpenRouter.serve(**_settings(request)) as fake:
        yield fake


@pytest.fixture
def openrouter_fake_core(openrouter_fake: FakeOpenRouter) -> Iterator[OpenRouterCore]:
    """An ``OpenRouterCore`` wired to ``openrouter_fake`` (in process), for sync and async functions."""
    with openrouter_fake.core() as core:
        yield core


@pytest.fixture
def openrouter_fake_client(openrouter_fake: FakeOpenRouter) -> Iterator[OpenRouter]:
    """An ``OpenRouter`` client wired to ``openrouter_fake`` (in process), for sync and async methods."""
    with openrouter_fake.client() as client:
        yield client
