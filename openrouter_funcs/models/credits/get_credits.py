"""Models of ``GET /credits``."""

from __future__ import annotations

import attrs

__all__ = ["GetCreditsData", "GetCreditsRequest", "GetCreditsResponse"]


@attrs.frozen(kw_only=True)
class GetCreditsRequest:
    """Optional per-call app attribution for ``credits_get_credits``."""

    http_referer: str | None = None
    app_title: str | None = None
    app_categories: str | list[str] | None = None


@attrs.frozen(kw_only=True)
class GetCreditsData:
    """The account's credits, in US dollars.

    Attributes:
        total_credits: credits purchased, ever.
        total_usage: credits used, ever.
    """

    total_credits: float
    total_usage: float


@attrs.frozen(kw_only=True)
class GetCreditsResponse:
    """The body of a successful ``GET /credits``."""

    data: GetCreditsData
