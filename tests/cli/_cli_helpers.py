"""Shared by the CLI tests (a module of its own: both test folders have a conftest)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable

CLI_KEY = "sk-or-v1-cli-test-secret"

Run = Callable[..., subprocess.CompletedProcess[str]]


def clean_env(api_key: str | None = CLI_KEY) -> dict[str, str]:
    """The environment without OpenRouter settings or proxies, so only the test decides them."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("OPENROUTER_") and not name.lower().endswith("_proxy")
    }
    if api_key is not None:
        env["OPENROUTER_API_KEY"] = api_key
    return env
