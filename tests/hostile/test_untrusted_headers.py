"""Promise 1: numbers and dates from the server never raise, and every wait they ask for is clamped.

``Retry-After`` (seconds or an HTTP date) and ``retry-after-ms`` come from the server, so any
string at all may arrive there. Whatever it is: the call returns a Result (never raises), no wait
is above ``max_interval`` or below ``initial_interval``, the waits never pass
``max_elapsed_time``, and a wait longer than what is left of ``max_elapsed_time`` ends the
retries at once, returning the last response.
"""

from __future__ import annotations

import asyncio
import warnings
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import openrouter_core as orc
from openrouter_core import BackoffStrategy, OpenRouterCore, RequestOptions, RetryConfig
from openrouter_funcs.credits_create_coinbase_charge import (
    credits_create_coinbase_charge,
    credits_create_coinbase_charge_async,
)
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from tests.helpers import CHARGE_BODY, CREDITS_BODY, FakeClock, Wire, json_response, make_core
from tests.hostile import rawserver as rs
from tests.hostile.support import CHARGE, KEY, InstantClock, charge, get, timed

PROPERTY = settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))

STRATEGY = BackoffStrategy(initial_interval=500, max_interval=10_000, exponent=2, max_elapsed_time=30_000)
RETRIES = RetryConfig(backoff=STRATEGY)

# --- hostile header values -------------------------------------------------------------------------

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

long_digits = st.integers(1, 6000).map(lambda n: "9" * n) | st.text("0123456789", min_size=300, max_size=5000)
big_number = st.integers(0, 10**40).map(str) | long_digits  # as text: int() refuses > 4300 digits
http_dates = st.builds(
    "{}, {:02d} {} {} {}:{}:{} {}".format,
    st.sampled_from(DAYS),
    st.integers(0, 99),
    st.sampled_from(MONTHS),
    big_number,
    big_number,
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from(["GMT", "UTC", "-0000", "+0000", "EST"])
    | st.builds("{}{}".format, st.sampled_from("+-"), big_number),
)
ms_values = (
    st.floats(allow_nan=True, allow_infinity=True).map(repr)
    | st.sampled_from(["nan", "inf", "-inf", "1e999", "-1e999", "-0", "1e308", "-5", " 12.5 ", "0x10", "1_000"])
    | long_digits
    | st.builds("-{}".format, long_digits)
)
any_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=120)
retry_after_values = long_digits | http_dates | ms_values | any_text

header_sets = st.one_of(
    st.builds(lambda v: {"retry-after": v}, retry_after_values),
    st.builds(lambda v: {"retry-after-ms": v}, ms_values | any_text),
    st.builds(lambda a, b: {"retry-after": a, "retry-after-ms": b}, retry_after_values, ms_values | any_text),
)


def encoded(headers: dict[str, str]) -> dict[str, bytes]:
    return {name: value.encode("latin-1") for name, value in headers.items()}


def throttled(status: int, headers: dict[str, str]) -> httpx.Response:
    return json_response(status, {"error": {"code": status, "message": "slow down"}}, encoded(headers))  # type: ignore[arg-type]


def run_call(operation: str, mode: str, wire: Wire, clock: FakeClock) -> Any:
    core = make_core(wire, clock=clock.clock(), retry_config=RETRIES)
    fn: Any = credits_get_credits if operation == "get" else credits_create_coinbase_charge
    afn: Any = credits_get_credits_async if operation == "get" else credits_create_coinbase_charge_async
    args: tuple[Any, ...] = (core,) if operation == "get" else (core, None, CHARGE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if mode == "sync":
            return fn(*args)
        return asyncio.run(afn(*args))


def check_clamped(result: Any, clock: FakeClock, wire: Wire, status: int) -> None:
    assert isinstance(result, (orc.Ok, orc.Err)), result
    if isinstance(result, orc.Err):
        expected = orc.TooManyRequestsResponseError if status == 429 else orc.ServiceUnavailableResponseError
        assert isinstance(result.error, expected), result.error  # the last response, matched as usual
    assert len(wire.requests) <= 2
    for wait in clock.sleeps:
        assert wait <= STRATEGY.max_interval / 1000 + 1e-9, clock.sleeps
        assert wait >= STRATEGY.initial_interval / 1000 - 1e-9, clock.sleeps
    assert sum(clock.sleeps) <= STRATEGY.max_elapsed_time / 1000


@pytest.mark.parametrize("operation", ["get", "charge"])
@pytest.mark.parametrize("mode", ["sync", "async"])
@PROPERTY
@given(headers=header_sets, status=st.sampled_from([429, 503]))
@example(headers={"retry-after": "9" * 400}, status=503)
@example(headers={"retry-after": "9" * 5000}, status=429)
@example(headers={"retry-after": "Wed, 21 Oct 99999999999999999999 07:28:00 GMT"}, status=503)
@example(headers={"retry-after": "Wed, 21 Oct 2015 99999999999999999999:28:00 GMT"}, status=503)
@example(headers={"retry-after": "Wed, 21 Oct 2015 07:28:00 +99999999999999999999"}, status=503)
@example(headers={"retry-after-ms": "1" + "0" * 400}, status=503)
def test_any_retry_after_gives_a_result_with_clamped_waits(
    operation: str, mode: str, headers: dict[str, str], status: int
) -> None:
    ok_body = CREDITS_BODY if operation == "get" else CHARGE_BODY
    wire = Wire(throttled(status, headers), json_response(200, ok_body))
    clock = FakeClock()
    result = run_call(operation, mode, wire, clock)
    check_clamped(result, clock, wire, status)


# --- the cases named in the issue, one by one --------------------------------------------------------

LONGER_THAN_THE_BUDGET = [
    pytest.param({"retry-after": "9" * 400}, id="400-digit-seconds"),  # float(int(...)) overflows today
    pytest.param({"retry-after": "9" * 5000}, id="5000-digit-seconds"),  # past int()'s digit limit today
    pytest.param({"retry-after": "1" + "0" * 20}, id="1e20-seconds"),
    pytest.param({"retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"}, id="year-9999"),
    pytest.param({"retry-after": "3600"}, id="an-hour"),
    pytest.param({"retry-after-ms": "1" + "0" * 400}, id="ms-400-digits"),
    pytest.param({"retry-after-ms": "1e308"}, id="ms-1e308"),
    pytest.param({"retry-after-ms": "3600000"}, id="ms-an-hour"),
]


@pytest.mark.parametrize("operation", ["get", "charge"])
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("headers", LONGER_THAN_THE_BUDGET)
def test_a_wait_longer_than_the_budget_ends_the_retries_at_once(
    operation: str, mode: str, headers: dict[str, str]
) -> None:
    ok_body = CREDITS_BODY if operation == "get" else CHARGE_BODY
    wire = Wire(throttled(503, headers), json_response(200, ok_body))
    clock = FakeClock()
    result = run_call(operation, mode, wire, clock)
    assert isinstance(result, orc.Err)
    assert isinstance(result.error, orc.ServiceUnavailableResponseError)
    assert len(wire.requests) == 1
    assert clock.sleeps == []
    assert result.exchange.attempts == 1


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("headers", "expected_s"),
    [
        pytest.param({"retry-after": "20"}, 10.0, id="20s-clamped-to-max"),  # inside the budget, above max
        pytest.param({"retry-after-ms": "25000"}, 10.0, id="ms-25000-clamped-to-max"),
        pytest.param({"retry-after": "0"}, 0.5, id="0s-raised-to-initial"),  # never below the initial interval
        pytest.param({"retry-after-ms": "0"}, 0.5, id="ms-0-raised-to-initial"),
        pytest.param({"retry-after-ms": "-0"}, 0.5, id="ms-minus-0"),
        pytest.param({"retry-after": "2"}, 2.0, id="2s-as-asked"),
    ],
)
def test_waits_inside_the_budget_are_clamped_between_initial_and_max_interval(
    mode: str, headers: dict[str, str], expected_s: float
) -> None:
    wire = Wire(throttled(503, headers), json_response(200, CREDITS_BODY))
    clock = FakeClock()
    result = run_call("get", mode, wire, clock)
    assert result.ok
    assert clock.sleeps == [pytest.approx(expected_s)]


# --- over a real socket: the header goes through the HTTP parser first ---------------------------

WIRE_CASES = [
    pytest.param("Retry-After", "9" * 400, id="400-digit-seconds"),
    pytest.param("Retry-After", "9" * 5000, id="5000-digit-seconds"),
    pytest.param("Retry-After", "Wed, 21 Oct 99999999999999999999 07:28:00 GMT", id="year-1e20"),
    pytest.param("Retry-After", "Wed, 21 Oct 2015 99999999999999999999:28:00 GMT", id="hour-1e20"),
    pytest.param("Retry-After", "Wed, 21 Oct 2015 07:28:00 +99999999999999999999", id="offset-1e20"),
    pytest.param("retry-after-ms", "1" + "0" * 400, id="ms-400-digits"),
    pytest.param("retry-after-ms", "nan", id="ms-nan"),
    pytest.param("retry-after-ms", "-1e999", id="ms-minus-inf"),
]


def first_throttled_then_ok(name: str, value: str, ok_body: bytes) -> rs.Script:
    def script(conn: rs.Conn) -> None:
        while conn.read_request() is not None:
            if conn.server.count == 1:
                data = rs.response_bytes(503, rs.error_json(503), [(name, value)])
            else:
                data = rs.response_bytes(200, ok_body)
            if not conn.send(data):
                return

    return script


@pytest.mark.parametrize("operation", ["get", "charge"])
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("name", "value"), WIRE_CASES)
def test_hostile_retry_after_on_the_wire_never_raises(operation: str, mode: str, name: str, value: str) -> None:
    import json

    ok_body = json.dumps(CREDITS_BODY if operation == "get" else CHARGE_BODY).encode()
    clock = InstantClock()
    with (
        rs.serve(first_throttled_then_ok(name, value, ok_body)) as server,
        OpenRouterCore(api_key=KEY, server_url=server.url, clock=clock.clock(), timeout_ms=5_000) as core,
    ):
        call = get if operation == "get" else charge
        result, _ = timed(lambda: call(mode, core, RequestOptions(retries=RETRIES)))
    assert isinstance(result, (orc.Ok, orc.Err))
    if isinstance(result, orc.Err):
        assert isinstance(result.error, orc.ServiceUnavailableResponseError), result.error
    assert server.count <= 2
    assert all(STRATEGY.initial_interval / 1000 <= s <= STRATEGY.max_interval / 1000 for s in clock.sleeps)
