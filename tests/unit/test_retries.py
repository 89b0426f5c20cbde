"""Retries: the pure wait rules, and the pipeline's retry loop under a fake clock (no real sleeping)."""

from __future__ import annotations

import email.utils

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import openrouter_core as orc
from openrouter_core import BackoffStrategy, Err, RequestOptions, RetryConfig
from openrouter_core._retries import RetryCodes, backoff_wait_ms, retry_after_ms
from openrouter_funcs.credits_create_coinbase_charge import (
    credits_create_coinbase_charge,
    credits_create_coinbase_charge_async,
)
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from openrouter_funcs.models import CreateChargeRequest
from tests.helpers import CREDITS_BODY, SENDER, FakeClock, Runner, Wire, json_response, make_core

STRATEGY = BackoffStrategy(initial_interval=500, max_interval=10_000, exponent=2, max_elapsed_time=30_000)


# --- pure rules --------------------------------------------------------------------------------


def test_waits_grow_exponentially_and_are_capped() -> None:
    waits = [backoff_wait_ms(STRATEGY, k, jitter=0.0) for k in range(8)]
    assert waits == [500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]


def test_huge_retry_index_does_not_overflow() -> None:
    assert backoff_wait_ms(STRATEGY, 10_000, jitter=0.0) == 10_000


@given(k=st.integers(0, 50), jitter=st.floats(0, 1, exclude_max=True))
def test_jitter_stays_between_half_and_the_full_wait(k: int, jitter: float) -> None:
    full = backoff_wait_ms(STRATEGY, k, jitter=0.0)
    wait = backoff_wait_ms(STRATEGY, k, jitter=jitter)
    assert full / 2 <= wait <= full <= STRATEGY.max_interval


NOW = 1_780_000_000.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "1"}, 1000.0),
        ({"retry-after": " 7 "}, 7000.0),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after-ms": "250"}, 250.0),
        ({"retry-after-ms": "12.5", "retry-after": "5"}, 12.5),
        ({"retry-after-ms": "soon", "retry-after": "2"}, 2000.0),
        ({"retry-after": email.utils.formatdate(NOW + 3, usegmt=True)}, 3000.0),
        ({"retry-after": email.utils.formatdate(NOW - 60, usegmt=True)}, 0.0),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 -0000"}, 0.0),
        ({"retry-after": "1.5"}, None),
        ({"retry-after": "-1"}, None),
        ({"retry-after": "²"}, None),
        ({"retry-after": "tomorrow"}, None),
        ({"retry-after-ms": "-5"}, None),
        ({"retry-after-ms": "nan"}, None),
        ({}, None),
    ],
)
def test_retry_after_parsing(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after_ms(headers, NOW) == expected


@pytest.mark.parametrize(
    ("codes", "inside", "outside"),
    [
        ([429], [429], [428, 500]),
        (["5XX"], [500, 503, 529, 599], [429, 499, 600]),
        (["5xx", "429", 408], [408, 429, 502], [400, 404]),
        ([], [], [429, 500]),
    ],
)
def test_retry_code_families(codes: list[int | str], inside: list[int], outside: list[int]) -> None:
    retry_codes = RetryCodes(codes)
    assert all(c in retry_codes for c in inside)
    assert not any(c in retry_codes for c in outside)


@pytest.mark.parametrize("codes", [["6XX"], ["50X"], [True], ["abc"], [99], 429, "5XX"])
def test_bad_retry_codes_fail_when_the_options_are_built(codes: object) -> None:
    with pytest.raises((TypeError, ValueError), match=r"^retry_codes: "):
        RequestOptions(retry_codes=codes)  # type: ignore[arg-type]


# --- the loop ----------------------------------------------------------------------------------


def error_response(status: int, headers: dict[str, str] | None = None) -> httpx.Response:
    return json_response(status, {"error": {"code": status, "message": f"status {status}"}}, headers)


OK = json_response(200, CREDITS_BODY)


def get(
    run: Runner, wire: Wire, clock: FakeClock, options: RequestOptions | None = None, **core: object
) -> orc.Result[object, orc.OpenRouterSDKError]:
    result: orc.Result[object, orc.OpenRouterSDKError] = run(
        credits_get_credits, credits_get_credits_async, make_core(wire, clock=clock.clock(), **core), None, options
    )
    return result


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504, 524, 529])
def test_get_retries_the_default_codes(run: Runner, status: int) -> None:
    clock = FakeClock()
    wire = Wire(error_response(status), OK)
    result = get(run, wire, clock)
    assert result.ok
    assert result.exchange.attempts == 2
    assert len(wire.requests) == 2
    assert clock.sleeps == [0.5]


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 410, 418, 501])
def test_get_does_not_retry_other_statuses(run: Runner, status: int) -> None:
    clock = FakeClock()
    wire = Wire(error_response(status), OK)
    result = get(run, wire, clock)
    assert not result.ok
    assert len(wire.requests) == 1
    assert clock.sleeps == []


def test_503_503_200_is_ok_in_three_requests_with_growing_waits(run: Runner) -> None:
    clock = FakeClock()
    wire = Wire(error_response(503), error_response(503), OK)
    result = get(run, wire, clock)
    assert result.ok
    assert result.exchange.attempts == 3
    assert clock.sleeps == [0.5, 1.0]


def test_jitter_is_applied(run: Runner) -> None:
    clock = FakeClock(jitter=0.5)
    get(run, Wire(error_response(503), OK), clock)
    assert clock.sleeps == [0.375]


def test_retry_after_replaces_the_computed_wait_but_never_goes_below_the_initial_interval(run: Runner) -> None:
    clock = FakeClock(jitter=0.9)
    wire = Wire(
        error_response(429, {"retry-after": "3"}),
        error_response(429, {"retry-after-ms": "20"}),
        error_response(503, {"retry-after": "0"}),
        OK,
    )
    assert get(run, wire, clock).ok
    assert clock.sleeps == [3.0, 0.5, 0.5]  # a server asking for 20 ms or 0 s still gets 500 ms


def test_retry_after_is_capped_by_max_interval(run: Runner) -> None:
    clock = FakeClock()
    wire = Wire(error_response(429, {"retry-after": "20"}), OK)
    assert get(run, wire, clock).ok
    assert clock.sleeps == [10.0]


def test_a_retry_after_past_the_budget_ends_the_retries_at_once(run: Runner) -> None:
    clock = FakeClock()
    wire = Wire(error_response(429, {"retry-after": "3600"}), OK)
    result = get(run, wire, clock)
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.TooManyRequestsResponseError)
    assert clock.sleeps == []
    assert len(wire.requests) == 1


def test_max_attempts_bounds_the_requests(run: Runner) -> None:
    clock = FakeClock()
    wire = Wire(error_response(503, {"retry-after": "0"}))
    result = get(run, wire, clock, RequestOptions(retries=RetryConfig(max_attempts=3)))
    assert isinstance(result, Err)
    assert len(wire.requests) == 3
    default = Wire(error_response(503, {"retry-after": "0"}))
    get(run, default, FakeClock())
    assert len(default.requests) == orc.DEFAULT_MAX_ATTEMPTS


def test_malformed_retry_after_falls_back_to_backoff(run: Runner) -> None:
    clock = FakeClock()
    assert get(run, Wire(error_response(503, {"retry-after": "soon"}), OK), clock).ok
    assert clock.sleeps == [0.5]


def test_when_retries_run_out_the_last_response_is_matched(run: Runner) -> None:
    clock = FakeClock()
    wire = Wire(error_response(503))
    result = get(run, wire, clock)
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.ServiceUnavailableResponseError)
    # waits 0.5+1+2+4+8+10 = 25.5 s; the next 10 s wait would pass 30 s, so no 8th attempt
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0]
    assert len(wire.requests) == 7
    assert result.exchange.attempts == 7
    assert sum(clock.sleeps) <= 30


def test_no_retry_starts_past_max_elapsed_time(run: Runner) -> None:
    clock = FakeClock()
    strategy = BackoffStrategy(initial_interval=1000, max_interval=1000, exponent=1, max_elapsed_time=2500)
    wire = Wire(error_response(500))
    get(run, wire, clock, RequestOptions(retries=RetryConfig(backoff=strategy)))
    assert clock.sleeps == [1.0, 1.0]
    assert len(wire.requests) == 3


def test_each_attempt_timeout_is_bounded_by_the_remaining_budget(run: Runner) -> None:
    clock = FakeClock()
    strategy = BackoffStrategy(initial_interval=1000, max_interval=1000, exponent=1, max_elapsed_time=2500)
    wire = Wire(error_response(500))
    get(run, wire, clock, RequestOptions(retries=RetryConfig(backoff=strategy), timeout_ms=60_000))
    reads = [r.extensions["timeout"]["read"] for r in wire.requests]
    assert reads == pytest.approx([2.5, 1.5, 0.5])


def test_retries_none_and_strategy_none_send_once(run: Runner) -> None:
    for options in (RequestOptions(retries=None), RequestOptions(retries=RetryConfig(strategy="none"))):
        clock = FakeClock()
        wire = Wire(error_response(503), OK)
        assert not get(run, wire, clock, options).ok
        assert len(wire.requests) == 1


def test_core_retry_config_none_disables_retries(run: Runner) -> None:
    wire = Wire(error_response(503), OK)
    assert not get(run, wire, FakeClock(), retry_config=None).ok
    assert len(wire.requests) == 1


def test_per_call_retry_codes(run: Runner) -> None:
    clock = FakeClock()
    wire = Wire(error_response(404), error_response(503), OK)
    result = get(run, wire, clock, RequestOptions(retry_codes=["4XX"]))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.ServiceUnavailableResponseError)
    assert len(wire.requests) == 2


@pytest.mark.parametrize(
    "exc", [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped")]
)
def test_get_retries_connection_errors(run: Runner, exc: Exception) -> None:
    clock = FakeClock()
    wire = Wire(exc, OK)
    assert get(run, wire, clock).ok
    assert len(wire.requests) == 2


def test_connection_errors_are_not_retried_when_disabled(run: Runner) -> None:
    wire = Wire(httpx.ConnectError("refused"), OK)
    result = get(run, wire, FakeClock(), RequestOptions(retries=RetryConfig(retry_connection_errors=False)))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.ConnectionFailedError)
    assert len(wire.requests) == 1


# --- the charge: never re-sent where the server may have acted ----------------------------------

CHARGE = CreateChargeRequest(amount=10, sender=SENDER, chain_id=1)
CHARGE_OK = json_response(200, {"data": {}})  # shape does not matter: only attempts are counted
ENABLED = RequestOptions(retries=RetryConfig())
OPT_IN = RequestOptions(retries=RetryConfig(retry_non_idempotent=True))


def charge(
    run: Runner, wire: Wire, options: RequestOptions | None
) -> tuple[orc.Result[object, orc.OpenRouterSDKError], int]:
    with pytest.warns(DeprecationWarning, match="deprecated"):
        result = run(
            credits_create_coinbase_charge,
            credits_create_coinbase_charge_async,
            make_core(wire, clock=FakeClock().clock()),
            None,
            CHARGE,
            options,
        )
    return result, len(wire.requests)


NOT_ACTED = [
    error_response(429),
    error_response(503),
    httpx.ConnectError("refused"),
    httpx.ConnectTimeout("no syn-ack"),
]
MAYBE_ACTED = [
    error_response(500),
    error_response(502),
    error_response(504),
    httpx.ReadTimeout("read timed out"),
    httpx.RemoteProtocolError("peer closed connection without sending complete message body"),
    httpx.ReadError("connection reset"),
]


@pytest.mark.parametrize("first", NOT_ACTED + MAYBE_ACTED, ids=repr)
def test_charge_is_not_retried_by_default(run: Runner, first: object) -> None:
    _, sent = charge(run, Wire(first, CHARGE_OK), None)  # type: ignore[arg-type]
    assert sent == 1


@pytest.mark.parametrize("first", NOT_ACTED, ids=repr)
def test_charge_is_resent_when_the_server_certainly_did_not_act(run: Runner, first: object) -> None:
    _, sent = charge(run, Wire(first, CHARGE_OK), ENABLED)  # type: ignore[arg-type]
    assert sent == 2


@pytest.mark.parametrize("first", MAYBE_ACTED, ids=repr)
def test_charge_is_not_resent_where_the_server_may_have_acted(run: Runner, first: object) -> None:
    result, sent = charge(run, Wire(first, CHARGE_OK), ENABLED)  # type: ignore[arg-type]
    assert sent == 1
    assert not result.ok


@pytest.mark.parametrize("first", NOT_ACTED + MAYBE_ACTED, ids=repr)
def test_charge_is_resent_after_anything_retryable_with_the_opt_in(run: Runner, first: object) -> None:
    _, sent = charge(run, Wire(first, CHARGE_OK), OPT_IN)  # type: ignore[arg-type]
    assert sent == 2
