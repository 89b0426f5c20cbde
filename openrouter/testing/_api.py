"""The fake's default answers: OpenRouter's routes, authentication and request validation.

Pure functions of the request and the fake's settings, so the in-process transports and the
socket server answer identically.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import re
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from openrouter.testing._responses import FakeResponse

if TYPE_CHECKING:
    from openrouter.testing._fake import FakeOpenRouter
    from openrouter.testing._requests import RecordedRequest

__all__ = ["API_PREFIX", "OPERATIONS", "api_path", "default_answer", "parse_route_key"]

API_PREFIX = "/api/v1"

OPERATIONS: Mapping[str, str] = {
    "getCredits": "GET /credits",
    "createCoinbaseCharge": "POST /credits/coinbase",
}
"""Operation id -> route, so ``fake.queue("getCredits", ...)`` works like ``fake.queue("GET /credits", ...)``."""

# What OpenRouter says when the key is present but unknown (the documented 401 message is the
# one for a missing header).
INVALID_KEY_MESSAGE = "User not found."

_EVM_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_KNOWN_CHAINS = (1, 137, 8453)
_CHARGE_LIFETIME = datetime.timedelta(hours=1)


def api_path(path: str) -> str:
    """``path`` without the ``/api/v1`` prefix: the fake serves ``/api/v1/credits`` and ``/credits`` alike."""
    if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
        return path[len(API_PREFIX) :] or "/"
    return path


def parse_route_key(key: str) -> tuple[str | None, str | None]:
    """``(method, api path)`` for a queue key; ``None`` parts match anything.

    Raises:
        ValueError: the key is none of the accepted forms.
    """
    text = OPERATIONS.get(key.strip(), key.strip())
    if text == "*":
        return None, None
    method, _, path = text.rpartition(" ")
    method = method.strip().upper()
    if not path.startswith("/") or (method and not method.isalpha()):
        raise ValueError(
            f"queue key {key!r} is not '*', an operation id ({', '.join(OPERATIONS)}), "
            "'METHOD /path' or '/path' (e.g. 'GET /credits')"
        )
    return method or None, api_path(path)


# --- default answers -----------------------------------------------------------------------------


def default_answer(fake: FakeOpenRouter, request: RecordedRequest, serial: int) -> FakeResponse:
    """What the fake answers when nothing is queued: what the real API would, for the fake's settings."""
    path = api_path(request.path)
    handlers = _ROUTES.get(path)
    if handlers is None:
        return FakeResponse.error(404)
    handler = handlers.get(request.method)
    if handler is None:
        return FakeResponse.error(405, "Method Not Allowed", headers={"Allow": ", ".join(handlers)})
    if path == "/credits/coinbase" and fake.coinbase_gone:
        return FakeResponse.error(410)  # today's API: gone for everyone, key or not
    refused = _check_key(fake, request)
    if refused is not None:
        return refused
    return handler(fake, request, serial)


def _check_key(fake: FakeOpenRouter, request: RecordedRequest) -> FakeResponse | None:
    key = request.api_key(reveal=True)
    if key is None:
        return FakeResponse.error(401)
    if fake.api_keys is not None and key not in fake.api_keys:
        return FakeResponse.error(401, INVALID_KEY_MESSAGE)
    return None


def _credits(fake: FakeOpenRouter, request: RecordedRequest, serial: int) -> FakeResponse:
    return FakeResponse(json={"data": {"total_credits": fake.total_credits, "total_usage": fake.total_usage}})


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _charge(fake: FakeOpenRouter, request: RecordedRequest, serial: int) -> FakeResponse:
    try:
        body = json.loads(request.body, parse_constant=_reject_constant)
    except ValueError:
        return _bad_request("the body is not valid JSON")
    problem = _charge_problem(body)
    if problem:
        return _bad_request(problem)
    return FakeResponse(json=charge_payload(body["amount"], body["sender"], int(body["chain_id"]), serial))


def _bad_request(detail: str) -> FakeResponse:
    return FakeResponse.error(400, f"Invalid request parameters: {detail}")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _charge_problem(body: object) -> str | None:
    """Why the API would refuse this charge body, or ``None``; unknown fields are ignored, as the API does."""
    if not isinstance(body, dict):
        return "expected a JSON object with amount, sender and chain_id"
    missing = [name for name in ("amount", "sender", "chain_id") if name not in body]
    if missing:
        return f"{missing[0]} is required"
    amount, sender, chain_id = body["amount"], body["sender"], body["chain_id"]
    if not _is_number(amount) or amount <= 0:
        return "amount must be a number greater than 0"
    if not isinstance(sender, str) or not _EVM_ADDRESS.fullmatch(sender):
        return "sender must be an EVM address (0x followed by 40 hex digits)"
    if not _is_number(chain_id) or chain_id not in _KNOWN_CHAINS:
        return f"chain_id must be one of {', '.join(map(str, _KNOWN_CHAINS))}"
    return None


def _fake_hex(seed: str, label: str, digits: int) -> str:
    # Deterministic per charge, so tests can compare payloads; obviously not real chain data.
    out = ""
    for counter in range(digits // 64 + 1):
        out += hashlib.sha256(f"{seed}:{label}:{counter}".encode()).hexdigest()
    return "0x" + out[:digits]


def _iso(moment: datetime.datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def charge_payload(amount: float, sender: str, chain_id: int, serial: int) -> dict[str, Any]:
    """A full ``POST /credits/coinbase`` success body for this charge, in the 2026-03 API's shape."""
    seed = f"{serial}:{amount}:{sender}:{chain_id}"
    now = datetime.datetime.now(datetime.timezone.utc)
    expires = _iso(now + _CHARGE_LIFETIME)
    units = round(amount * 1_000_000)  # USDC has 6 decimals
    fee = units // 100
    return {
        "data": {
            "id": str(uuid.UUID(hex=_fake_hex(seed, "id", 32)[2:], version=4)),
            "created_at": _iso(now),
            "expires_at": expires,
            "web3_data": {
                "transfer_intent": {
                    "call_data": {
                        "deadline": expires,
                        "fee_amount": str(fee),
                        "id": _fake_hex(seed, "intent", 32),
                        "operator": _fake_hex(seed, "operator", 40),
                        "prefix": _fake_hex(seed, "prefix", 64),
                        "recipient": _fake_hex(seed, "recipient", 40),
                        "recipient_amount": str(units - fee),
                        "recipient_currency": _fake_hex(seed, "currency", 40),
                        "refund_destination": sender,
                        "signature": _fake_hex(seed, "signature", 130),
                    },
                    "metadata": {
                        "chain_id": chain_id,
                        "contract_address": _fake_hex(seed, "contract", 40),
                        "sender": sender,
                    },
                }
            },
        }
    }


Handler = Callable[["FakeOpenRouter", "RecordedRequest", int], FakeResponse]

_ROUTES: Mapping[str, Mapping[str, Handler]] = {
    "/credits": {"GET": _credits},
    "/credits/coinbase": {"POST": _charge},
}
