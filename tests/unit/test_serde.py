"""The converter's rules, one by one, on a model that uses every kind of field."""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from typing import Any

import attrs
import pytest

from openrouter_core._retries import BackoffStrategy, RetryCodes, backoff_wait_ms
from openrouter_core._serde import DecodeFailure, decode


class ChainId(enum.IntEnum):
    ETHEREUM = 1
    POLYGON = 137
    BASE = 8453


@attrs.frozen(kw_only=True)
class Inner:
    flag: bool


@attrs.frozen(kw_only=True)
class Everything:
    name: str
    count: int
    ratio: float
    inner: Inner
    chain: ChainId | int
    extra: Mapping[str, Any] | None = None
    anything: Any = None


GOOD = {
    "name": "n",
    "count": 1,
    "ratio": 2,
    "inner": {"flag": True},
    "chain": 137,
    "extra": {"k": [1]},
    "anything": [None],
}


def load(**changes: object) -> Everything:
    return decode(json.dumps({**GOOD, **changes}).encode(), Everything)


def test_a_good_document() -> None:
    value = load()
    assert value == Everything(
        name="n", count=1, ratio=2.0, inner=Inner(flag=True), chain=ChainId.POLYGON, extra={"k": [1]}, anything=[None]
    )
    assert type(value.ratio) is float


@pytest.mark.parametrize(
    ("changes", "path", "reason"),
    [
        ({"name": 5}, "$.name", "expected a string, got an integer"),
        ({"count": 1.0}, "$.count", "expected an integer, got a number"),
        ({"count": True}, "$.count", "expected an integer, got a boolean"),
        ({"ratio": "2"}, "$.ratio", "expected a number, got a string"),
        ({"inner": {"flag": 1}}, "$.inner.flag", "expected a boolean, got an integer"),
        ({"inner": []}, "$.inner", "expected an object, got an array"),
        ({"chain": "1"}, "$.chain", "expected an integer, got a string"),
        ({"chain": 1.5}, "$.chain", "expected an integer, got a number"),
        ({"extra": [1]}, "$.extra", "expected an object, got an array"),
        ({"name": None}, "$.name", "expected a string, got null"),
    ],
)
def test_each_rule_names_the_path(changes: dict[str, object], path: str, reason: str) -> None:
    with pytest.raises(DecodeFailure) as failure:
        load(**changes)
    assert failure.value.path == path
    assert failure.value.reason == reason


def test_open_enum_keeps_unknown_values() -> None:
    assert load(chain=424242).chain == 424242
    assert type(load(chain=424242).chain) is int
    assert load(chain=8453).chain is ChainId.BASE


def test_null_is_accepted_where_the_model_allows_it() -> None:
    assert load(extra=None).extra is None


def test_backoff_with_a_float_exponent_that_overflows_is_capped() -> None:
    strategy = BackoffStrategy(initial_interval=500, max_interval=9_000, exponent=1.5, max_elapsed_time=1_000)
    assert backoff_wait_ms(strategy, 100_000, jitter=0.0) == 9_000


def test_retry_codes_repr() -> None:
    assert repr(RetryCodes([503, "4xx", 429])) == "RetryCodes([429, 503, '4XX'])"
