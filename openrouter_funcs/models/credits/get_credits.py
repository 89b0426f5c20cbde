"""Models of ``GET /credits``."""

from __future__ import annotations

import attrs

from openrouter_core import AppHeaders

__all__ = ["GetCreditsData", "GetCreditsRequest", "GetCreditsResponse"]


@attrs.frozen(kw_only=True)
class GetCreditsRequest(AppHeaders):
    """Optional per-call app attribution for ``credits_get_credits``."""


@attrs.frozen(kw_only=True)
class GetCreditsData:
    """The account's credits, in US dollars.

    Attributes:
        total_credits: credits purchased, ever.
        total_usage: credits used, ever.
    """

    total_credits: float
    total_usage: float

    @property
    def remaining(self) -> float:
        """Credits left: ``total_credits - total_usage``."""
        return self.total_credits - self.total_usage


@attrs.frozen(kw_only=True)
class GetCreditsResponse:
    """The body of a successful ``GET /credits``."""

    data: GetCreditsData
