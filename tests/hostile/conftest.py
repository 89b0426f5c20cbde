"""Registers the ``slow`` marker (multi-second tests that still run in the normal suite)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: takes seconds (real sockets, subprocesses, timeouts); part of the normal suite"
    )
