"""pytest fixtures for testing code that uses the OpenRouter SDK (registered as the ``openrouter`` plugin).

- ``openrouter_fake``: a ``FakeOpenRouter`` used in process (``openrouter_fake.client()``).
- ``openrouter_fake_server``: a ``FakeOpenRouter`` serving on 127.0.0.1 (``openrouter_fake_server.url``).

Each test gets a fresh fake, closed after the test (hanging answers released, threads joined).
This module imports only pytest, so loading the plugin costs nothing until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from openrouter.testing import FakeOpenRouter

__all__ = ["openrouter_fake", "openrouter_fake_server"]


@pytest.fixture
def openrouter_fake() -> Iterator[FakeOpenRouter]:
    """A fresh in-process ``FakeOpenRouter``; connect with ``.client()``, ``.core()`` or ``.transport()``."""
    from openrouter.testing import FakeOpenRouter

    with FakeOpenRouter() as fake:
        yield fake


@pytest.fixture
def openrouter_fake_server() -> Iterator[FakeOpenRouter]:
    """A fresh ``FakeOpenRouter`` serving HTTP on 127.0.0.1; its base URL is ``.url``."""
    from openrouter.testing import FakeOpenRouter

    with FakeOpenRouter.serve() as fake:
        yield fake
