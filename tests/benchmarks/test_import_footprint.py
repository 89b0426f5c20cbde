"""Which modules importing one operation loads (not timed; BENCHMARKS.md has the timings).

Each import runs in a fresh interpreter: ``sys.modules`` of the pytest process already holds
everything. A stray eager import (the facade, another operation, its models, cattrs) fails here
with the offending module named, long before it shows up as a slower import.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

FLOOR = "import httpx, attrs, cattrs"
ONE_OPERATION = (
    "from openrouter_core import OpenRouterCore\nfrom openrouter_funcs.credits_get_credits import credits_get_credits"
)

# Exactly the SDK modules that importing ``credits_get_credits`` may load. Adding a module to
# the runtime is fine, but it must be added here on purpose, after checking it is needed eagerly.
ALLOWED_FOR_ONE_OPERATION = frozenset(
    {
        "openrouter_core",
        "openrouter_core._closing",  # the context-manager mixins OpenRouterCore is built on
        "openrouter_core._config",
        "openrouter_core._core",
        "openrouter_core._errors",
        "openrouter_core._hooks",
        "openrouter_core._models",
        "openrouter_core._network",  # the clients' deadline backend; httpcore itself loads with the first client
        "openrouter_core._operation",
        "openrouter_core._options",
        "openrouter_core._redact",
        "openrouter_core._result",
        "openrouter_core._retries",
        "openrouter_core._schema",
        "openrouter_core._version",
        "openrouter_funcs",
        "openrouter_funcs.credits_get_credits",
    }
)

MAX_MODULES_BEYOND_FLOOR = 20  # issue 5


def _loaded_by(statement: str) -> set[str]:
    """The modules ``statement`` adds to a fresh interpreter's ``sys.modules``."""
    code = f"import sys\n_before = set(sys.modules)\n{statement}\nprint('\\n'.join(sorted(set(sys.modules) - _before)))"
    proc = subprocess.run(
        [sys.executable, "-E", "-s", "-c", code],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.split())


def _sdk(modules: set[str]) -> set[str]:
    return {name for name in modules if name.split(".")[0] in ("openrouter", "openrouter_core", "openrouter_funcs")}


def test_one_operation_loads_only_the_allowed_sdk_modules() -> None:
    loaded = _sdk(_loaded_by(ONE_OPERATION))
    assert "openrouter_funcs.credits_get_credits" in loaded
    stray = loaded - ALLOWED_FOR_ONE_OPERATION
    assert not stray, f"importing one operation loaded unexpected SDK modules: {sorted(stray)}"


def test_one_operation_does_not_load_the_facade_or_other_operations() -> None:
    loaded = _loaded_by(ONE_OPERATION)
    for module in (
        "openrouter",
        "openrouter._client",
        "openrouter._resources.credits",
        "openrouter_funcs.credits_create_coinbase_charge",
        "openrouter_funcs.models",
    ):
        assert module not in loaded, f"{module} was imported by importing one operation"


def test_one_operation_does_not_load_cattrs() -> None:
    # openrouter_core._serde builds the converter on the first decode: an import pays nothing for it.
    loaded = _loaded_by(ONE_OPERATION)
    assert not {m for m in loaded if m == "cattrs" or m.startswith("cattrs.")}


def test_module_count_beyond_the_floor() -> None:
    sdk = len(_loaded_by(ONE_OPERATION))
    floor = len(_loaded_by(FLOOR))
    assert sdk <= floor + MAX_MODULES_BEYOND_FLOOR, f"{sdk} modules vs {floor} for {FLOOR!r}"


def test_modules_beyond_an_already_imported_floor() -> None:
    # The same budget counted the other way: with httpx, attrs and cattrs loaded, what is left.
    added = _loaded_by(f"{FLOOR}\n{ONE_OPERATION}") - _loaded_by(FLOOR)
    assert len(added) <= MAX_MODULES_BEYOND_FLOOR, sorted(added)


def test_facade_construction_defers_the_credits_namespace() -> None:
    constructed = _loaded_by('from openrouter import OpenRouter\nOpenRouter(api_key="sk-test")')
    assert "openrouter" in constructed
    assert not {m for m in constructed if m.startswith("openrouter_funcs.credits_")}
    assert "openrouter._resources.credits" not in constructed
    accessed = _loaded_by('from openrouter import OpenRouter\nOpenRouter(api_key="sk-test").credits')
    assert {"openrouter._resources.credits", "openrouter_funcs.credits_get_credits"} <= accessed
    assert not {m for m in accessed if m.startswith("openrouter_funcs.models")}  # models load on first call
