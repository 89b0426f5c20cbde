"""``POST /credits/coinbase``: create a Coinbase Commerce charge. Deprecated by OpenRouter.

OpenRouter has retired the endpoint; today it answers ``410 Gone``, which comes back as
``GoneResponseError``. The operation stays so code written against it fails clearly.
"""

from __future__ import annotations

import json
import os
import re
import sys
import warnings
from collections.abc import Mapping

from openrouter_core import OpenRouterCore, OpenRouterSDKError, RequestOptions, Result, SDKValidationError
from openrouter_core._pipeline import Call, Operation, coerce_app_headers, prepare
from openrouter_core._result import Err
from openrouter_core._serde import is_finite_number
from openrouter_core._transport import run_async, run_sync
from openrouter_funcs.models.credits.create_coinbase_charge import (
    ChainId,
    CreateChargeRequest,
    CreateCoinbaseChargeRequest,
    CreateCoinbaseChargeResponse,
    CreateCoinbaseChargeSecurity,
)

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
    operation_id="createCoinbaseCharge",
    method="POST",
    path="/credits/coinbase",
    response_type=CreateCoinbaseChargeResponse,
    idempotent=False,  # it creates a charge: never re-sent where the server may have acted
)

DEPRECATION = (
    "credits_create_coinbase_charge is deprecated: OpenRouter removed the Coinbase Commerce API "
    "(the endpoint answers 410 Gone); use the web credits purchase flow"
)

# Frames in the facade package are skipped so the warning names the caller's own line (where
# Python's default filters show DeprecationWarnings), whichever way the operation was called.
_FACADE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "openrouter") + os.sep


def _warn_deprecated() -> None:
    level, frame = 3, sys._getframe(2)  # this helper, the operation, then the operation's caller
    while frame is not None and frame.f_code.co_filename.startswith(_FACADE_DIR):
        level, frame = level + 1, frame.f_back  # type: ignore[assignment]
    warnings.warn(DEPRECATION, DeprecationWarning, stacklevel=level)


_EVM_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_WIRE_FIELDS = ("amount", "sender", "chain_id")

RequestArg = CreateChargeRequest | CreateCoinbaseChargeRequest | Mapping[str, object]
SecurityArg = CreateCoinbaseChargeSecurity | Mapping[str, str | None] | None


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def charge_body(charge: object, field: str) -> bytes | Err[SDKValidationError]:
    """Validate a charge (model or wire-name dict) and encode it as the exact JSON body."""
    if isinstance(charge, CreateChargeRequest):
        values: Mapping[str, object] = {name: getattr(charge, name) for name in _WIRE_FIELDS}
    elif isinstance(charge, Mapping):
        values = charge
        for key in values:
            if key not in _WIRE_FIELDS:
                return Err(SDKValidationError(f"{field}.{key}", "unknown field (expected amount, sender, chain_id)"))
        for key in _WIRE_FIELDS:
            if key not in values:
                return Err(SDKValidationError(f"{field}.{key}", "is required"))
    else:
        expected = "CreateChargeRequest, CreateCoinbaseChargeRequest or a dict"
        return Err(SDKValidationError(field, f"expected {expected}, got {type(charge).__name__}"))
    amount, sender, chain_id = values["amount"], values["sender"], values["chain_id"]
    if not is_finite_number(amount) or not amount > 0:  # type: ignore[operator]
        reason = f"must be a finite number greater than 0, got {_show(amount)}"
        return Err(SDKValidationError(f"{field}.amount", reason))
    if not isinstance(sender, str) or not _EVM_ADDRESS.fullmatch(sender):
        reason = f"must be an EVM address, 0x followed by 40 hex digits, got {_show(sender)}"
        return Err(SDKValidationError(f"{field}.sender", reason))
    if isinstance(chain_id, bool) or not isinstance(chain_id, int):
        known = ", ".join(f"{c.value} ({c.name})" for c in ChainId)
        reason = f"must be an integer chain id (known: {known}), got {_show(chain_id)}"
        return Err(SDKValidationError(f"{field}.chain_id", reason))
    wire_amount = float(amount) if isinstance(amount, float) else int(amount)  # type: ignore[call-overload]
    wire = {"amount": wire_amount, "sender": sender, "chain_id": int(chain_id)}
    return json.dumps(wire, separators=(",", ":"), allow_nan=False).encode()


def _prepare(
    core: OpenRouterCore, security: SecurityArg, request: RequestArg, options: RequestOptions | None
) -> Call[CreateCoinbaseChargeResponse] | Err[OpenRouterSDKError]:
    if isinstance(request, CreateCoinbaseChargeRequest) or (
        isinstance(request, Mapping) and "create_charge_request" in request
    ):
        wrapper = coerce_app_headers(request, CreateCoinbaseChargeRequest)
        if wrapper is None or isinstance(wrapper, Err):
            return wrapper or Err(SDKValidationError("request", "is required"))
        app, charge, field = wrapper, wrapper.create_charge_request, "request.create_charge_request"
    else:
        app, charge, field = None, request, "request"
    body = charge_body(charge, field)
    if isinstance(body, Err):
        return body
    if security is None:
        bearer = None
    elif isinstance(security, CreateCoinbaseChargeSecurity):
        bearer = security.bearer
    elif isinstance(security, Mapping) and set(security) <= {"bearer"}:
        bearer = security.get("bearer")
    else:
        return Err(SDKValidationError("security", "expected CreateCoinbaseChargeSecurity, {'bearer': ...} or None"))
    if bearer is not None and not isinstance(bearer, str):
        return Err(SDKValidationError("security.bearer", f"expected a string, got {type(bearer).__name__}"))
    return prepare(
        core, OPERATION, app=app, options=options, content=body, key_source=bearer, key_field="security.bearer"
    )


def credits_create_coinbase_charge(
    core: OpenRouterCore,
    security: SecurityArg,
    request: RequestArg,
    options: RequestOptions | None = None,
) -> Result[CreateCoinbaseChargeResponse, OpenRouterSDKError]:
    """Create a Coinbase Commerce charge (deprecated: OpenRouter now answers 410 Gone).

    Emits a ``DeprecationWarning``. Not retried by default; with retries enabled it is re-sent
    only when the server certainly did not act (429, 503, or a connection that never carried the
    request), unless ``RetryConfig(retry_non_idempotent=True)`` says otherwise.

    Args:
        core: the configured core (or an ``OpenRouter`` client).
        security: ``CreateCoinbaseChargeSecurity(bearer=...)`` or ``{"bearer": ...}``; when it has no
            bearer, the core's key (or ``OPENROUTER_API_KEY``) is used.
        request: a ``CreateChargeRequest``, a ``CreateCoinbaseChargeRequest`` (adds app headers), or
            a dict with the wire names ``amount``, ``sender``, ``chain_id``.
        options: per-call ``RequestOptions``.

    Returns:
        ``Ok(CreateCoinbaseChargeResponse)``, or ``Err`` with ``GoneResponseError`` (410, today's
        answer), ``BadRequestResponseError`` (400), ``UnauthorizedResponseError`` (401),
        ``TooManyRequestsResponseError`` (429), ``InternalServerResponseError`` (500), another
        ``OpenRouterError``, an ``HTTPClientError``, or ``SDKValidationError`` (nothing sent) when
        ``amount``, ``sender`` or ``chain_id`` is invalid or no key is available.
    """
    _warn_deprecated()
    return run_sync(core, _prepare(core, security, request, options))


async def credits_create_coinbase_charge_async(
    core: OpenRouterCore,
    security: SecurityArg,
    request: RequestArg,
    options: RequestOptions | None = None,
) -> Result[CreateCoinbaseChargeResponse, OpenRouterSDKError]:
    """The async twin of ``credits_create_coinbase_charge``: same arguments, same results."""
    _warn_deprecated()
    return await run_async(core, _prepare(core, security, request, options))
