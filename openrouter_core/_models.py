"""Models shared by every operation: OpenRouter's error payload and the app-attribution fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

__all__ = ["AppHeaders", "ErrorDetail", "ErrorResponse"]


@attrs.frozen(kw_only=True)
class ErrorDetail:
    """The ``error`` object of an OpenRouter error body."""

    code: int
    message: str
    metadata: Mapping[str, Any] | None = None


@attrs.frozen(kw_only=True)
class ErrorResponse:
    """An OpenRouter error body: ``{"error": {...}, "user_id"?, "openrouter_metadata"?}``."""

    error: ErrorDetail
    user_id: str | None = None
    openrouter_metadata: Mapping[str, Any] | None = None


AppCategories = str | Sequence[str]


@attrs.frozen(kw_only=True)
class AppHeaders:
    """Per-call app attribution, sent as ``HTTP-Referer``, ``X-OpenRouter-Title`` and ``X-OpenRouter-Categories``.

    Each one given here wins over the core's setting, which wins over the environment.
    ``app_categories`` is a comma-separated string or a list of categories.
    """

    http_referer: str | None = None
    app_title: str | None = None
    app_categories: AppCategories | None = None
