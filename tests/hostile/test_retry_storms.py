"""Promise 4: no retry storm, whatever the server asks.

A server answering ``503`` with ``Retry-After: 0`` gets at most 15 requests from one default GET
call; consecutive attempts are spaced by at least the backoff's initial interval; and
``RetryConfig(max_attempts=n)`` makes exactly ``n`` requests against a server that keeps failing.
"""

from __future__ import annotations

import email.utils
import itertools
import time
from typing import Any

import pytest

import openrouter_core as orc
from openrouter_core import BackoffStrategy, OpenRouterCore, RequestOptions, RetryConfig
from tests.hostile import rawserver as rs
from tests.hostile.support import CALLS, KEY, InstantClock, charge, get

STORM_HEADERS = [
    pytest.param([("Retry-After", "0")], id="retry-after-0"),
    pytest.param([("retry-after-ms", "0")], id="retry-after-ms-0"),
    pytest.param([("Retry-After", email.utils.formatdate(time.time() - 3600, usegmt=True))], id="date-in-the-past"),
    pytest.param([("Retry-After", "0"), ("retry-after-ms", "0")], id="both-0"),
]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("headers", STORM_HEADERS)
def test_a_default_get_sends_at_most_15_requests_into_a_storm(mode: str, headers: list[tuple[str, str]]) -> None:
    clock = InstantClock()
    with (
        rs.serve(rs.storm(headers, ok_after=100)) as server,
        OpenRouterCore(api_key=KEY, server_url=server.url, clock=clock.clock(), timeout_ms=5_000) as core,
    ):
        result = get(mode, core)
    assert server.count <= 15, f"{server.count} requests in one call"
    assert isinstance(result, orc.Err), result  # the last response, matched as usual
    assert isinstance(result.error, orc.ServiceUnavailableResponseError), repr(result.error)
    assert result.exchange.attempts == server.count


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_charge_with_retries_enabled_sends_at_most_15_requests_into_a_storm(mode: str) -> None:
    clock = InstantClock()
    with (
        rs.serve(rs.storm(ok_after=100)) as server,
        OpenRouterCore(api_key=KEY, server_url=server.url, clock=clock.clock(), timeout_ms=5_000) as core,
    ):
        result = charge(mode, core, RequestOptions(retries=RetryConfig()))
    assert server.count <= 15, f"{server.count} charge requests in one call"
    assert isinstance(result, orc.Err)
    assert isinstance(result.error, orc.ServiceUnavailableResponseError), repr(result.error)


@pytest.mark.slow
@pytest.mark.parametrize("operation", ["get", "charge"])
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("headers", STORM_HEADERS[:2])
def test_attempts_are_spaced_by_at_least_the_initial_interval(
    mode: str, operation: str, headers: list[tuple[str, str]]
) -> None:
    initial_ms = 100
    retries = RetryConfig(
        backoff=BackoffStrategy(initial_interval=initial_ms, max_interval=150, exponent=1.2, max_elapsed_time=700)
    )
    with (
        rs.serve(rs.storm(headers, ok_after=100)) as server,
        OpenRouterCore(api_key=KEY, server_url=server.url, timeout_ms=5_000) as core,  # the real clock
    ):
        CALLS[operation](mode, core, RequestOptions(retries=retries))
    arrivals = [seen.at for seen in server.seen]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert len(arrivals) >= 2
    assert min(gaps) >= initial_ms / 1000 - 0.02, f"gaps {[round(g, 3) for g in gaps][:20]}"


def keeps_failing(kind: str) -> rs.Script:
    if kind == "503":
        return rs.storm((), ok_after=100)

    def drop(conn: rs.Conn) -> None:  # reads the request, then closes: a connection error
        conn.read_request()

    return drop


@pytest.mark.parametrize("max_attempts", [1, 3, 5])
@pytest.mark.parametrize("failure", ["503", "dropped-connection"])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_max_attempts_makes_exactly_that_many_requests(mode: str, failure: str, max_attempts: int) -> None:
    clock = InstantClock()
    retries: Any = RetryConfig(max_attempts=max_attempts)
    with (
        rs.serve(keeps_failing(failure)) as server,
        OpenRouterCore(api_key=KEY, server_url=server.url, clock=clock.clock(), timeout_ms=5_000) as core,
    ):
        result = get(mode, core, RequestOptions(retries=retries))
    assert server.count == max_attempts
    assert isinstance(result, orc.Err)
    assert result.exchange.attempts == max_attempts
    assert len(clock.sleeps) == max_attempts - 1


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_default_attempt_bound_holds_without_retry_after(mode: str) -> None:
    clock = InstantClock()
    with (
        rs.serve(rs.storm((), ok_after=100)) as server,
        OpenRouterCore(api_key=KEY, server_url=server.url, clock=clock.clock(), timeout_ms=5_000) as core,
    ):
        result = get(mode, core)
    assert 2 <= server.count <= 15
    assert isinstance(result, orc.Err)
