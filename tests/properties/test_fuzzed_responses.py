"""Whatever the server answers, a function returns a Result: Ok only for a body that fits the model."""

from __future__ import annotations

import json
import math
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import openrouter_core as orc
from openrouter_funcs.credits_create_coinbase_charge import (
    credits_create_coinbase_charge,
    credits_create_coinbase_charge_async,
)
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from tests.helpers import CHARGE_BODY, CREDITS_BODY, SENDER, FakeClock, Runner, Wire, make_core

# CI runs every property at least 1000 times, in the same order each run.
PROPERTY = settings(max_examples=1000, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))

DOCUMENTED = (
    orc.OpenRouterStatusError,
    orc.OpenRouterDefaultError,
    orc.ResponseValidationError,
    orc.ResponseTooLargeError,
    orc.HTTPClientError,
)

# --- an independent oracle: does this body fit the model? ---------------------------------------


def _number(value: object) -> bool:
    if type(value) not in (int, float):
        return False
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except OverflowError:
        return False


def _strings(obj: object, names: tuple[str, ...]) -> bool:
    return isinstance(obj, dict) and all(type(obj.get(n)) is str for n in names)


def fits_credits(data: Any) -> bool:
    inner = data.get("data") if isinstance(data, dict) else None
    return isinstance(inner, dict) and all(_number(inner.get(k)) for k in ("total_credits", "total_usage"))


CALL_DATA = (
    "deadline",
    "fee_amount",
    "id",
    "operator",
    "prefix",
    "recipient",
    "recipient_amount",
    "recipient_currency",
    "refund_destination",
    "signature",
)


def fits_charge(data: Any) -> bool:
    try:
        inner = data["data"]
        intent = inner["web3_data"]["transfer_intent"]
        meta = intent["metadata"]
        chain = meta["chain_id"]
    except (KeyError, TypeError):
        return False
    chain_ok = type(chain) is int or (type(chain) is float and chain.is_integer())
    return (
        _strings(inner, ("id", "created_at", "expires_at"))
        and _strings(intent["call_data"], CALL_DATA)
        and _strings(meta, ("contract_address", "sender"))
        and chain_ok
    )


def parse(body: bytes) -> Any:
    try:
        return json.loads(body, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    except (ValueError, RecursionError):
        return None


# --- generated answers ---------------------------------------------------------------------------

JSON_LEAVES = (
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats(allow_nan=False) | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


def mutated(base: dict[str, Any]) -> st.SearchStrategy[bytes]:
    """The real body with one value replaced somewhere, or keys added or removed."""

    def mutate(draw_path: list[int], value: object, drop: bool) -> bytes:
        doc = json.loads(json.dumps(base))
        node: Any = doc
        for step in draw_path:
            if not isinstance(node, dict) or not node:
                break
            key = sorted(node)[step % len(node)]
            if isinstance(node[key], dict) and step % 3:
                node = node[key]
                continue
            if drop:
                del node[key]
            else:
                node[key] = value
            break
        return json.dumps(doc).encode()

    return st.builds(mutate, st.lists(st.integers(0, 20), min_size=1, max_size=6), JSON_VALUES, st.booleans())


def bodies(base: dict[str, Any]) -> st.SearchStrategy[bytes]:
    valid = json.dumps(base).encode()
    return st.one_of(
        st.just(valid),
        mutated(base),
        st.binary(max_size=200),
        st.integers(1, len(valid) - 1).map(lambda n: valid[:n]),  # truncated
        st.integers(1, 50_000).map(lambda n: b"[" * n + b"]" * n),  # deeply nested
        st.integers(300, 5000).map(lambda n: b'{"data": {"total_credits": 1' + b"9" * n + b', "total_usage": 1}}'),
        st.sampled_from([b"NaN", b"Infinity", b'{"data": {"total_credits": -Infinity, "total_usage": 1}}']),
        st.just(b'{"data": {"total_credits": 1, "total_usage": 2, "x": "\xff\xfe"}}'),  # invalid UTF-8
        JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    )


CONTENT_TYPES = st.one_of(
    st.none(),
    st.sampled_from(
        ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "text/html", "text/plain", ""]
    ),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
)
STATUSES = st.one_of(st.sampled_from([200, 200, 200, 401, 403, 410, 429, 500, 503]), st.integers(100, 599))


def answer(status: int, content_type: str | None, body: bytes) -> httpx.Response:
    headers = {} if content_type is None else {"content-type": content_type}
    return httpx.Response(status, headers=headers, content=body)


def expect(result: object, status: int, content_type: str | None, body: bytes, fits: Any) -> None:
    media = (content_type or "").partition(";")[0].strip().lower()
    should_be_ok = status == 200 and media == "application/json" and fits(parse(body))
    assert isinstance(result, (orc.Ok, orc.Err))
    if isinstance(result, orc.Ok):
        assert should_be_ok
    else:
        assert not should_be_ok, result.error
        assert isinstance(result.error, DOCUMENTED)
        assert "\n" not in str(result.error)


@PROPERTY
@given(mode=st.sampled_from(["sync", "async"]), status=STATUSES, content_type=CONTENT_TYPES, body=bodies(CREDITS_BODY))
def test_get_credits_never_raises(mode: str, status: int, content_type: str | None, body: bytes) -> None:
    core = make_core(Wire(answer(status, content_type, body)), clock=FakeClock().clock())
    result = Runner(mode)(credits_get_credits, credits_get_credits_async, core)
    expect(result, status, content_type, body, fits_credits)


@PROPERTY
@given(mode=st.sampled_from(["sync", "async"]), status=STATUSES, content_type=CONTENT_TYPES, body=bodies(CHARGE_BODY))
def test_create_coinbase_charge_never_raises(mode: str, status: int, content_type: str | None, body: bytes) -> None:
    import warnings

    core = make_core(Wire(answer(status, content_type, body)), clock=FakeClock().clock())
    request = {"amount": 1, "sender": SENDER, "chain_id": 1}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        result = Runner(mode)(credits_create_coinbase_charge, credits_create_coinbase_charge_async, core, None, request)
    expect(result, status, content_type, body, fits_charge)
