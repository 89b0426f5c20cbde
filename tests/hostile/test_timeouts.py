"""Promises 3 and 10: timeouts bound the whole attempt, whatever the server does, and a caller's
own ``httpx.Client`` timeout is honoured.

One attempt ends within ``timeout_ms`` + 250 ms (``Err(RequestTimeoutError)``) against a server
that trickles its status line and headers a byte at a time, sends ``100 Continue`` forever,
trickles its body just under the read timeout, or while the only pooled connection is busy. One
call with retries ends within ``max_elapsed_time`` + 250 ms. A response that arrived complete
is kept. Timeout precedence: per call > the core's ``timeout_ms`` (when given) > the injected
client's own timeout > the 60 s default; ``timeout_ms=None`` on a core with an injected client
keeps the client's timeout.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest

import openrouter_core as orc
from openrouter import OpenRouter
from openrouter_core import BackoffStrategy, OpenRouterCore, RequestOptions, RetryConfig
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from tests.hostile import rawserver as rs
from tests.hostile.support import CALLS, KEY, SLACK_S, charge, get, timed

pytestmark = pytest.mark.slow

TIMEOUT_MS = 600
TIMEOUT_S = TIMEOUT_MS / 1000

ATTEMPT_FAULTS = [
    pytest.param(lambda: rs.trickle_head(interval=0.04, cap=3.0), id="head-trickled-bytewise"),
    pytest.param(lambda: rs.continue_flood(interval=0.02, cap=3.0), id="endless-100-continue"),
    pytest.param(lambda: rs.trickle_body(interval=TIMEOUT_S - 0.05), id="body-trickled-under-read-timeout"),
    pytest.param(lambda: rs.hang(cap=3.0), id="silent"),
]


@pytest.mark.parametrize("operation", ["get", "charge"])
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("fault", ATTEMPT_FAULTS)
def test_one_attempt_ends_within_timeout_ms(fault: Any, mode: str, operation: str) -> None:
    with (
        rs.serve(fault()) as server,
        OpenRouterCore(api_key=KEY, server_url=server.url, timeout_ms=TIMEOUT_MS, retry_config=None) as core,
    ):
        result, elapsed = timed(lambda: CALLS[operation](mode, core, None))
    assert isinstance(result, orc.Err), result
    assert isinstance(result.error, orc.RequestTimeoutError), repr(result.error)
    assert elapsed <= TIMEOUT_S + SLACK_S, f"attempt took {elapsed:.2f} s for a {TIMEOUT_MS} ms timeout"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_facade_raises_the_timeout_in_time(mode: str) -> None:
    with rs.serve(rs.trickle_head(cap=3.0)) as server:
        client = OpenRouter(api_key=KEY, server_url=server.url, timeout_ms=TIMEOUT_MS, retry_config=None)

        def call() -> None:
            if mode == "sync":
                client.credits.get_credits()
            else:
                asyncio.run(client.credits.get_credits_async())

        def expect_timeout() -> None:
            with pytest.raises(orc.RequestTimeoutError):
                call()

        _, elapsed = timed(expect_timeout)
        client.close()
    assert elapsed <= TIMEOUT_S + SLACK_S


BUDGET_MS = 700
SMALL_BUDGET = RetryConfig(
    backoff=BackoffStrategy(initial_interval=50, max_interval=100, exponent=2, max_elapsed_time=BUDGET_MS)
)

CALL_FAULTS = {
    "head-trickled-bytewise": lambda: rs.trickle_head(interval=0.04, cap=3.0),
    "endless-100-continue": lambda: rs.continue_flood(interval=0.02, cap=3.0),
    "body-trickled-under-read-timeout": lambda: rs.trickle_body(interval=0.25),
}
# The GET is retried after a timeout; the charge is not (the server may have acted), so one
# attempt with a per-attempt timeout covers it.
CALL_CASES = [
    pytest.param(fault, operation, timeout_ms, id=f"{fault}-{operation}-{timeout_ms or 'no'}-ms")
    for fault in CALL_FAULTS
    for operation, timeout_ms in (("get", 300), ("get", None), ("charge", 300))
]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("fault", "operation", "timeout_ms"), CALL_CASES)
def test_one_call_with_retries_ends_within_max_elapsed_time(
    fault: str, operation: str, timeout_ms: int | None, mode: str
) -> None:
    with (
        rs.serve(CALL_FAULTS[fault]()) as server,
        OpenRouterCore(api_key=KEY, server_url=server.url, timeout_ms=timeout_ms, retry_config=SMALL_BUDGET) as core,
    ):
        result, elapsed = timed(lambda: CALLS[operation](mode, core, None))
    assert isinstance(result, orc.Err), result
    assert isinstance(result.error, orc.RequestTimeoutError), repr(result.error)
    assert elapsed <= BUDGET_MS / 1000 + SLACK_S, f"call took {elapsed:.2f} s for a {BUDGET_MS} ms max_elapsed_time"
    if operation == "charge":
        assert server.count == 1
        assert elapsed <= 0.3 + SLACK_S


@pytest.mark.parametrize("operation", ["get", "charge"])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_response_that_arrived_complete_is_kept(mode: str, operation: str) -> None:
    import json

    from tests.helpers import CHARGE_BODY

    def script(conn: rs.Conn) -> None:  # the body completes 0.4 s into a 0.6 s attempt
        if conn.read_request() is None:
            return
        body = rs.CREDITS_JSON if operation == "get" else json.dumps(CHARGE_BODY).encode()
        data = rs.response_bytes(200, body)
        cut = len(data) - 10
        if conn.send(data[:cut]) and conn.wait(0.4):
            conn.send(data[cut:])
        conn.wait(1.0)

    with (
        rs.serve(script) as server,
        OpenRouterCore(api_key=KEY, server_url=server.url, timeout_ms=TIMEOUT_MS, retry_config=None) as core,
    ):
        result, _ = timed(lambda: CALLS[operation](mode, core, None))
    assert result.ok, result


# --- the pool: waiting for a connection counts against the timeout -----------------------------------


def test_waiting_for_a_pooled_connection_counts_sync() -> None:
    with rs.serve(rs.first_answers_then_hangs(delay=0.5)) as server:
        client = httpx.Client(limits=httpx.Limits(max_connections=1))
        core = OpenRouterCore(
            api_key=KEY, server_url=server.url, client=client, timeout_ms=TIMEOUT_MS, retry_config=None
        )
        first: list[Any] = []
        holder = threading.Thread(
            target=lambda: first.append(credits_get_credits(core, None, RequestOptions(timeout_ms=5_000)))
        )
        holder.start()
        assert server.first_request.wait(5)
        result, elapsed = timed(lambda: credits_get_credits(core))  # waits ~0.5 s for the pool, then hangs
        holder.join(10)
        core.close()
        client.close()
    assert first, "the first call did not end"
    assert first[0].ok, first
    assert isinstance(result, orc.Err), result
    assert isinstance(result.error, orc.RequestTimeoutError), repr(result.error)
    assert elapsed <= TIMEOUT_S + SLACK_S, f"pool wait + attempt took {elapsed:.2f} s for a {TIMEOUT_MS} ms timeout"


def test_waiting_for_a_pooled_connection_counts_async() -> None:
    async def main(url: str, server: rs.RawServer) -> tuple[Any, Any, float]:
        client = httpx.AsyncClient(limits=httpx.Limits(max_connections=1))
        core = OpenRouterCore(
            api_key=KEY, server_url=url, async_client=client, timeout_ms=TIMEOUT_MS, retry_config=None
        )
        holder = asyncio.ensure_future(credits_get_credits_async(core, None, RequestOptions(timeout_ms=5_000)))
        for _ in range(500):  # up to 5 s for the first request to arrive
            if server.first_request.is_set():
                break
            await asyncio.sleep(0.01)
        loop = asyncio.get_running_loop()
        started = loop.time()
        result = await credits_get_credits_async(core)
        elapsed = loop.time() - started
        first = await holder
        await client.aclose()
        return first, result, elapsed

    with rs.serve(rs.first_answers_then_hangs(delay=0.5)) as server:
        first, result, elapsed = asyncio.run(main(server.url, server))
    assert first.ok, first
    assert isinstance(result, orc.Err), result
    assert isinstance(result.error, orc.RequestTimeoutError), repr(result.error)
    assert elapsed <= TIMEOUT_S + SLACK_S, f"pool wait + attempt took {elapsed:.2f} s for a {TIMEOUT_MS} ms timeout"


# --- promise 10: the caller's own client timeout ----------------------------------------------------


def make_client(mode: str, timeout: float) -> httpx.Client | httpx.AsyncClient:
    return httpx.Client(timeout=timeout) if mode == "sync" else httpx.AsyncClient(timeout=timeout)


def core_with(mode: str, url: str, client: httpx.Client | httpx.AsyncClient, **options: Any) -> OpenRouterCore:
    options["client" if mode == "sync" else "async_client"] = client
    return OpenRouterCore(api_key=KEY, server_url=url, retry_config=None, **options)


PRECEDENCE = [
    # (client timeout s, core options, per-call timeout_ms, expected timeout s)
    pytest.param(0.3, {}, None, 0.3, id="client-timeout-beats-the-default"),
    pytest.param(0.3, {"timeout_ms": None}, None, 0.3, id="core-None-keeps-the-client-timeout"),
    pytest.param(5.0, {"timeout_ms": 300}, None, 0.3, id="core-timeout-beats-the-client"),
    pytest.param(5.0, {"timeout_ms": 5_000}, 300, 0.3, id="per-call-beats-all"),
    pytest.param(0.2, {"timeout_ms": 1_000}, None, 1.0, id="core-given-beats-a-shorter-client-timeout"),
]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("client_s", "core_options", "per_call_ms", "expected_s"), PRECEDENCE)
def test_timeout_precedence_with_an_injected_client(
    mode: str, client_s: float, core_options: dict[str, Any], per_call_ms: int | None, expected_s: float
) -> None:
    options = RequestOptions(timeout_ms=per_call_ms) if per_call_ms is not None else None
    with rs.serve(rs.hang(cap=3.0)) as server:
        client = make_client(mode, client_s)
        core = core_with(mode, server.url, client, **core_options)
        result, elapsed = timed(lambda: get(mode, core, options))
        if isinstance(client, httpx.Client):
            client.close()
        else:
            asyncio.run(client.aclose())
    assert isinstance(result, orc.Err), result
    assert isinstance(result.error, orc.RequestTimeoutError), repr(result.error)
    assert elapsed <= expected_s + SLACK_S, f"took {elapsed:.2f} s; expected a {expected_s} s timeout"
    assert elapsed >= expected_s - 0.1, f"took {elapsed:.2f} s; expected a {expected_s} s timeout"


def test_the_charge_honours_the_client_timeout_too() -> None:
    with rs.serve(rs.hang(cap=3.0)) as server:
        client = httpx.Client(timeout=0.3)
        core = OpenRouterCore(api_key=KEY, server_url=server.url, client=client)
        result, elapsed = timed(lambda: charge("sync", core))
        client.close()
    assert isinstance(result, orc.Err), result
    assert isinstance(result.error, orc.RequestTimeoutError), repr(result.error)
    assert elapsed <= 0.3 + SLACK_S
