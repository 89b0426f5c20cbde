"""``GET /credits``: the credits purchased and used by the account (needs a management key)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openrouter_core._operation import Operation, call, call_async
from openrouter_funcs.models.credits.get_credits import GetCreditsData, GetCreditsRequest, GetCreditsResponse

if TYPE_CHECKING:
    from collections.abc import Mapping

    from openrouter_core import OpenRouterCore, OpenRouterSDKError, RequestOptions, Result

__all__ = [
    "GetCreditsData",
    "GetCreditsRequest",
    "GetCreditsResponse",
    "credits_get_credits",
    "credits_get_credits_async",
]

OPERATION = Operation(
    "getCredits",
    "GET",
    "/credits",
    request=GetCreditsRequest,
    responses={200: ("json", GetCreditsResponse)},  # type: ignore[dict-item]
    errors=(401, 403, 500),
    idempotent=True,
    management_key=True,
)


def credits_get_credits(
    core: OpenRouterCore,
    request: GetCreditsRequest | Mapping[str, object] | None = None,
    options: RequestOptions | None = None,
) -> Result[GetCreditsResponse, OpenRouterSDKError]:
    """Get the total credits purchased and used. Needs a management key."""
    return call(core, OPERATION, request, options)


async def credits_get_credits_async(
    core: OpenRouterCore,
    request: GetCreditsRequest | Mapping[str, object] | None = None,
    options: RequestOptions | None = None,
) -> Result[GetCreditsResponse, OpenRouterSDKError]:
    """The async twin of ``credits_get_credits``: same arguments, same results."""
    return await call_async(core, OPERATION, request, options)
