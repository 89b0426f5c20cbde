"""The fake's generated data (``_fakedata.json``: schemas, default answers, stream shapes), read on first use.

Importing ``openrouter.testing`` does not read it: the first request that needs a check or a default
answer does (~220 KB of JSON, a few milliseconds), once per process.
"""

from __future__ import annotations

import functools
import json
import pkgutil
from collections.abc import Mapping
from typing import Any

from openrouter.testing._routes import DATA

__all__ = ["load", "operation", "schemas"]


@functools.cache
def load() -> Mapping[str, Any]:
    """The whole data file.

    Raises:
        FileNotFoundError: the package was installed without its data file.
    """
    raw = pkgutil.get_data("openrouter.testing", DATA)
    if raw is None:  # pragma: no cover - a loader that cannot read package data
        raise FileNotFoundError(f"openrouter.testing/{DATA}")
    data: Mapping[str, Any] = json.loads(raw)
    return data


def schemas() -> Mapping[str, Any]:
    """Component schemas by name, in the compact form the validator reads."""
    found: Mapping[str, Any] = load()["schemas"]
    return found


def operation(operation_id: str) -> Mapping[str, Any]:
    """One operation's data: ``params``, ``body``, ``answer``, ``stream``, ``binary``, ... (``{}`` when none)."""
    found: Mapping[str, Any] = load()["operations"].get(operation_id, {})
    return found
