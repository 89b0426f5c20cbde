"""``POST /credits/coinbase``: create a Coinbase Commerce charge. Deprecated by OpenRouter (410 Gone today)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from openrouter_core._operation import Operation, call, call_async
from openrouter_funcs.models.credits.create_coinbase_charge import (
    ChainId,
    CreateChargeRequest,
    CreateCoinbaseChargeRequest,
    CreateCoinbaseChargeResponse,
    CreateCoinbaseChargeSecurity,
)

if TYPE_CHECKING:
    from openrouter_core import OpenRouterCore, OpenRouterSDKError, RequestOptions, Result

__all__ = [
    "ChainId",
    "CreateChargeRequest",
    "CreateCoinbaseChargeRequest",
    "CreateCoinbaseChargeResponse",
    "CreateCoinbaseChargeSecurity",
    "credits_create_coinbase_charge",
    "credits_create_coinbase_charge_async",
]

OPERATION = Operation(
    "createCoinbaseCharge",
    "POST",
    "/credits/coinbase",
    request=CreateCoinbaseChargeRequest,
    body="json",
    responses={200: ("json", CreateCoinbaseChargeResponse)},  # type: ignore[dict-item]
    errors=(410,),
    security="bearer_or_api_key",
    idempotent=False,
    deprecated=(
        "credits_create_coinbase_charge is deprecated: OpenRouter removed the Coinbase Commerce API "
        "(the endpoint answers 410 Gone); use the web credits purchase flow"
    ),
)

SecurityArg = CreateCoinbaseChargeSecurity | Mapping[str, str | None] | None
RequestArg = CreateCoinbaseChargeRequest | CreateChargeRequest | Mapping[str, object]


def credits_create_coinbase_charge(
    core: OpenRouterCore, security: SecurityArg, request: RequestArg, options: RequestOptions | None = None
) -> Result[CreateCoinbaseChargeResponse, OpenRouterSDKError]:
    """Create a Coinbase Commerce charge (deprecated: OpenRouter now answers 410 Gone)."""
    return call(core, OPERATION, request, options, security=security)


async def credits_create_coinbase_charge_async(
    core: OpenRouterCore, security: SecurityArg, request: RequestArg, options: RequestOptions | None = None
) -> Result[CreateCoinbaseChargeResponse, OpenRouterSDKError]:
    """The async twin of ``credits_create_coinbase_charge``: same arguments, same results."""
    return await call_async(core, OPERATION, request, options, security=security)
