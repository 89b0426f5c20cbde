"""Whatever a caller passes to create_coinbase_charge: an SDKValidationError with nothing sent, or a correct body."""

from __future__ import annotations

import json
import math
import re
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import openrouter_core as orc
from openrouter_funcs.credits_create_coinbase_charge import (
    credits_create_coinbase_charge,
    credits_create_coinbase_charge_async,
)
from openrouter_funcs.models import ChainId, CreateChargeRequest
from tests.helpers import CHARGE_BODY, SENDER, Runner, Wire, json_response, make_core

PROPERTY = settings(max_examples=1000, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))

ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(10**400), 10**400),
    st.floats(),  # NaN and both infinities included
    st.text(),
    st.binary(max_size=10),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)
AMOUNTS = st.one_of(st.integers(-10, 10**30), st.floats(), ANYTHING)
SENDERS = st.one_of(
    st.just(SENDER),
    st.text(alphabet="0123456789abcdefABCDEFxX", min_size=38, max_size=44).map(lambda s: "0x" + s[:40]),
    st.text(min_size=40, max_size=44).map(lambda s: "0x" + s[:40]),  # non-ASCII "digits" included
    ANYTHING,
)
CHAIN_IDS = st.one_of(st.sampled_from(list(ChainId)), st.integers(), ANYTHING)
FIELDS = st.fixed_dictionaries({}, optional={"amount": AMOUNTS, "sender": SENDERS, "chain_id": CHAIN_IDS})
EXTRA = st.dictionaries(st.text(max_size=8), ANYTHING, max_size=2)

ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def valid(values: dict[str, object]) -> bool:
    if set(values) != {"amount", "sender", "chain_id"}:
        return False
    amount, sender, chain_id = values["amount"], values["sender"], values["chain_id"]
    try:
        amount_ok = type(amount) in (int, float) and math.isfinite(float(amount)) and amount > 0  # type: ignore[arg-type,operator]
    except OverflowError:
        amount_ok = False
    sender_ok = isinstance(sender, str) and ADDRESS.fullmatch(sender) is not None
    chain_ok = isinstance(chain_id, int) and not isinstance(chain_id, bool)
    return amount_ok and sender_ok and chain_ok


@PROPERTY
@given(mode=st.sampled_from(["sync", "async"]), fields=FIELDS, extra=EXTRA, as_model=st.booleans())
def test_charge_input_is_rejected_or_encoded_correctly(
    mode: str, fields: dict[str, object], extra: dict[str, object], as_model: bool
) -> None:
    wire = Wire(json_response(200, CHARGE_BODY))
    core = make_core(wire)
    values = {**extra, **fields}
    if as_model and set(fields) == {"amount", "sender", "chain_id"}:
        request: object = CreateChargeRequest(**fields)  # type: ignore[arg-type]
        values = dict(fields)
    else:
        request = values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        result = Runner(mode)(credits_create_coinbase_charge, credits_create_coinbase_charge_async, core, None, request)
    if valid(values):
        assert result.ok, result
        (sent,) = wire.requests
        body = json.loads(sent.content)
        assert list(body) == ["amount", "sender", "chain_id"]
        assert body["amount"] == values["amount"]
        assert body["sender"] == values["sender"]
        assert body["chain_id"] == int(values["chain_id"])  # type: ignore[call-overload]
    else:
        assert isinstance(result, orc.Err)
        assert isinstance(result.error, orc.SDKValidationError), result.error
        assert result.error.field.startswith("request")
        assert wire.requests == []
