from __future__ import annotations

import subprocess
import sys

import pytest
from _cli_helpers import CLI_KEY, Run, clean_env


@pytest.fixture
def run_cli() -> Run:
    """Run ``python -m openrouter ARGS`` (warnings are errors, ``stdin`` as input) and return the finished process."""

    def run(*args: str, api_key: str | None = CLI_KEY, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-W", "error", "-m", "openrouter", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=clean_env(api_key),
            timeout=60,
            check=False,
        )

    return run
