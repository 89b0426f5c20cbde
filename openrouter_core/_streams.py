"""What an operation hands over open: SSE streams and binary downloads (filled in by the streams work)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openrouter_core._prepare import Plan
    from openrouter_core._redact import Secrets

__all__ = ["open_value"]


def open_value(encoding: str, model: Any, response: Any, plan: Plan, secrets: Secrets) -> Any:
    """The value of an ``Ok`` whose body the caller reads: for now, the open ``httpx.Response``."""
    return response
