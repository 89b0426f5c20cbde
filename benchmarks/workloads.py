"""The timed call loops: raw httpx and the SDK, sync, async and concurrent.

Every loop is bounded twice, by a call count and by a wall-clock deadline, and checks every
result so a benchmark can never report the speed of failing calls. The raw and SDK loops are
written the same way (one function call to check each result, the same deadline test) so the
difference between them is the SDK and nothing else.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import attrs

EXPECTED_JSON = {"data": {"total_credits": 100.5, "total_usage": 25.75}}
EXPECTED_CREDITS = 100.5
EXPECTED_USAGE = 25.75


class WrongResultError(AssertionError):
    """A call returned something other than the expected credits: the run is invalid."""


@attrs.frozen
class RunResult:
    """One timed run: how many calls completed, in how much wall and process CPU time."""

    calls: int
    wall_s: float
    cpu_s: float

    @property
    def calls_per_s(self) -> float:
        return self.calls / self.wall_s if self.wall_s > 0 else 0.0

    @property
    def cpu_us_per_call(self) -> float:
        return self.cpu_s / self.calls * 1e6 if self.calls else 0.0


def check_raw(data: Any) -> None:
    if data != EXPECTED_JSON:
        raise WrongResultError(f"raw httpx got {data!r}")


def check_sdk(result: Any) -> None:
    # ``ok`` first: an Err has no ``value``. Compare the decoded floats, not just "ok".
    if not (
        result.ok
        and result.value.data.total_credits == EXPECTED_CREDITS
        and result.value.data.total_usage == EXPECTED_USAGE
    ):
        raise WrongResultError(f"the SDK returned {result!r}")


# --- sync ------------------------------------------------------------------------------------


def timed_sync(call: Callable[[], None], n: int, max_seconds: float) -> RunResult:
    """Run ``call`` up to ``n`` times (stopping early past ``max_seconds``), timing wall and CPU."""
    done = 0
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    give_up = t0 + max_seconds
    for _ in range(n):
        call()
        done += 1
        if time.perf_counter() > give_up:
            break
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    return RunResult(done, wall, cpu)


def raw_sync_call(client: Any, url: str) -> Callable[[], None]:
    get = client.get

    def call() -> None:
        check_raw(get(url).json())

    return call


def sdk_sync_call(core: Any) -> Callable[[], None]:
    from openrouter_funcs.credits_get_credits import credits_get_credits

    def call() -> None:
        check_sdk(credits_get_credits(core))

    return call


# --- async -----------------------------------------------------------------------------------


async def timed_async(call: Callable[[], Awaitable[None]], n: int, max_seconds: float) -> RunResult:
    """Await ``call`` sequentially up to ``n`` times (stopping early past ``max_seconds``)."""
    done = 0
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    give_up = t0 + max_seconds
    for _ in range(n):
        await call()
        done += 1
        if time.perf_counter() > give_up:
            break
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    return RunResult(done, wall, cpu)


async def timed_concurrent(
    call: Callable[[], Awaitable[None]], concurrency: int, rounds: int, max_seconds: float
) -> RunResult:
    """``rounds`` times, start ``concurrency`` calls at once and wait for all of them.

    ``asyncio.wait_for`` bounds each round, so a stuck connection fails the run instead of
    hanging it; the deadline also stops starting new rounds.
    """
    done = 0
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    give_up = t0 + max_seconds
    for _ in range(rounds):
        await asyncio.wait_for(asyncio.gather(*(call() for _ in range(concurrency))), timeout=max_seconds)
        done += concurrency
        if time.perf_counter() > give_up:
            break
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    return RunResult(done, wall, cpu)


def raw_async_call(client: Any, url: str) -> Callable[[], Awaitable[None]]:
    get = client.get

    async def call() -> None:
        check_raw((await get(url)).json())

    return call


def sdk_async_call(core: Any) -> Callable[[], Awaitable[None]]:
    from openrouter_funcs.credits_get_credits import credits_get_credits_async

    async def call() -> None:
        check_sdk(await credits_get_credits_async(core))

    return call
