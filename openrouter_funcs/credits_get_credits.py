"""``GET /credits``: the credits purchased and used by the account (needs a management key)."""

from __future__ import annotations

from collections.abc import Mapping

from openrouter_core import OpenRouterCore, OpenRouterSDKError, RequestOptions, Result
from openrouter_core._pipeline import Call, Operation, coerce_app_headers, prepare
from openrouter_core._result import Err
from openrouter_core._transport import run_async, run_sync
from openrouter_funcs.models.credits.get_credits import GetCreditsData, GetCreditsRequest, GetCreditsResponse

__all__ = [
    "GetCreditsData",
    "GetCreditsRequest",
    "GetCreditsResponse",
    "credits_get_credits",
    "credits_get_credits_async",
]

OPERATION = Operation(
    operation_id="getCredits", method="GET", path="/credits", response_type=GetCreditsResponse, idempotent=True
)

RequestArg = GetCreditsRequest | Mapping[str, object] | None


def _prepare(
    core: OpenRouterCore, request: RequestArg, options: RequestOptions | None
) -> Call[GetCreditsResponse] | Err[OpenRouterSDKError]:
    app = coerce_app_headers(request, GetCreditsRequest)
    if isinstance(app, Err):
        return app
    return prepare(core, OPERATION, app=app, options=options)


def credits_get_credits(
    core: OpenRouterCore, request: RequestArg = None, options: RequestOptions | None = None
) -> Result[GetCreditsResponse, OpenRouterSDKError]:
    """Get the total credits purchased and used. Never raises for API or transport failures.

    Args:
        core: the configured core (or an ``OpenRouter`` client).
        request: optional per-call ``http_referer``, ``app_title`` and ``app_categories``, as a
            ``GetCreditsRequest`` or a dict.
        options: per-call ``RequestOptions`` (timeout, retries, headers, server URL).

    Returns:
        ``Ok(GetCreditsResponse)``, or ``Err`` with ``UnauthorizedResponseError`` (401),
        ``ForbiddenResponseError`` (403, not a management key), ``InternalServerResponseError``
        (500), another ``OpenRouterError`` for any other answer, an ``HTTPClientError`` when no
        response arrived, or an ``SDKValidationError`` (nothing sent) for bad input or no key.
    """
    return run_sync(core, _prepare(core, request, options))


async def credits_get_credits_async(
    core: OpenRouterCore, request: RequestArg = None, options: RequestOptions | None = None
) -> Result[GetCreditsResponse, OpenRouterSDKError]:
    """The async twin of ``credits_get_credits``: same arguments, same results."""
    return await run_async(core, _prepare(core, request, options))
