"""The timed call loops: raw httpx and the SDK, sync, async and concurrent; credits, chat, streams.

Every loop is bounded twice, by a call count and by a wall-clock deadline, and checks every
result so a benchmark can never report the speed of failing calls. The raw and SDK loops are
written the same way (one function call to check each result, the same deadline test) so the
difference between them is the SDK and nothing else.
"""

from __future__ import annotations

import asyncio
import json
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


# --- chat ------------------------------------------------------------------------------------------
#
# The same request on both sides: a system and a user message, as the document's example. Raw
# httpx posts it with ``json=`` and decodes the answer with ``json.loads``; the SDK validates it,
# sends it and decodes the ~2 KB answer into a ``ChatResult``.

CHAT_REQUEST: dict[str, Any] = {
    "model": "openai/gpt-4o",
    "messages": [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "What is the capital of France? Tell me a little about it."},
    ],
    "temperature": 0.7,
    "max_tokens": 600,
}
AUTH_HEADERS = {"Authorization": "Bearer sk-bench"}


def stream_request(tokens: int) -> dict[str, Any]:
    """A streaming chat request; the benchmark server streams ``max_tokens`` chunks (and a final one)."""
    return {**CHAT_REQUEST, "stream": True, "max_tokens": tokens}


def _expected_chat() -> tuple[str, dict[str, Any]]:
    from benchmarks.server import CHAT_CONTENT, CHAT_RESULT

    return CHAT_CONTENT, CHAT_RESULT


def check_raw_chat(data: Any, expected: dict[str, Any]) -> None:
    if data != expected:
        raise WrongResultError(f"raw httpx got {str(data)[:200]!r}")


def check_sdk_chat(result: Any, content: str) -> None:
    if not (
        result.ok and result.value.choices[0].message.content == content and result.value.usage.total_tokens == 257
    ):
        raise WrongResultError(f"the SDK returned {str(result)[:300]!r}")


def raw_chat_sync(client: Any, url: str) -> Callable[[], None]:
    _, expected = _expected_chat()
    post = client.post
    loads = json.loads

    def call() -> None:
        check_raw_chat(loads(post(url, json=CHAT_REQUEST).content), expected)

    return call


def sdk_chat_sync(core: Any) -> Callable[[], None]:
    from openrouter_funcs.chat_send import chat_send

    content, _ = _expected_chat()

    def call() -> None:
        check_sdk_chat(chat_send(core, CHAT_REQUEST), content)

    return call


def raw_chat_async(client: Any, url: str) -> Callable[[], Awaitable[None]]:
    _, expected = _expected_chat()
    post = client.post
    loads = json.loads

    async def call() -> None:
        check_raw_chat(loads((await post(url, json=CHAT_REQUEST)).content), expected)

    return call


def sdk_chat_async(core: Any) -> Callable[[], Awaitable[None]]:
    from openrouter_funcs.chat_send import chat_send_async

    content, _ = _expected_chat()

    async def call() -> None:
        check_sdk_chat(await chat_send_async(core, CHAT_REQUEST), content)

    return call


# --- streams ---------------------------------------------------------------------------------------
#
# A stream call returns (events, seconds to the first event). Raw httpx iterates the lines and
# ``json.loads`` each ``data:`` line (the comment line and ``[DONE]`` are skipped); the SDK iterates
# its stream of ``ChatStreamChunk`` models. Both read to the end of the body, so the connection
# goes back to the pool, and both check the event count and the first token.


@attrs.frozen
class StreamRun:
    events: int
    first_s: float  # from the call to the first decoded event
    total_s: float


def _first_token() -> str:
    from benchmarks.server import TOKENS

    return TOKENS[0]


def _check_stream(side: str, events: int, expected: int, first: Any, token: str) -> None:
    if events != expected or first != token:
        raise WrongResultError(f"{side} stream: {events} events (expected {expected}), first token {first!r}")


def raw_stream_sync(client: Any, url: str, tokens: int) -> Callable[[], StreamRun]:
    from benchmarks.server import stream_events

    body, expected, token = stream_request(tokens), stream_events(tokens), _first_token()
    loads = json.loads

    def call() -> StreamRun:
        events, first, first_s = 0, None, 0.0
        t0 = time.perf_counter()
        with client.stream("POST", url, json=body) as response:
            for line in response.iter_lines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    chunk = loads(line[6:])
                    if events == 0:
                        first_s = time.perf_counter() - t0
                        first = chunk["choices"][0]["delta"]["content"]
                    events += 1
        total = time.perf_counter() - t0
        _check_stream("raw", events, expected, first, token)
        return StreamRun(events, first_s, total)

    return call


def _check_sdk_stream_result(result: Any) -> Any:
    if not result.ok:
        raise WrongResultError(f"the SDK stream call returned {str(result)[:300]!r}")
    return result.value


def sdk_stream_sync(core: Any, tokens: int) -> Callable[[], StreamRun]:
    from benchmarks.server import stream_events
    from openrouter_funcs.chat_send import chat_send

    body, expected, token = stream_request(tokens), stream_events(tokens), _first_token()

    def call() -> StreamRun:
        events, first, first_s = 0, None, 0.0
        t0 = time.perf_counter()
        with _check_sdk_stream_result(chat_send(core, body)) as stream:
            for chunk in stream:
                if events == 0:
                    first_s = time.perf_counter() - t0
                    first = chunk.choices[0].delta.content
                events += 1
            if stream.error is not None:
                raise WrongResultError(f"the SDK stream failed: {stream.error!r}")
        total = time.perf_counter() - t0
        _check_stream("sdk", events, expected, first, token)
        return StreamRun(events, first_s, total)

    return call


def raw_stream_async(client: Any, url: str, tokens: int) -> Callable[[], Awaitable[StreamRun]]:
    from benchmarks.server import stream_events

    body, expected, token = stream_request(tokens), stream_events(tokens), _first_token()
    loads = json.loads

    async def call() -> StreamRun:
        events, first, first_s = 0, None, 0.0
        t0 = time.perf_counter()
        async with client.stream("POST", url, json=body) as response:
            async for line in response.aiter_lines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    chunk = loads(line[6:])
                    if events == 0:
                        first_s = time.perf_counter() - t0
                        first = chunk["choices"][0]["delta"]["content"]
                    events += 1
        total = time.perf_counter() - t0
        _check_stream("raw", events, expected, first, token)
        return StreamRun(events, first_s, total)

    return call


def sdk_stream_async(core: Any, tokens: int) -> Callable[[], Awaitable[StreamRun]]:
    from benchmarks.server import stream_events
    from openrouter_funcs.chat_send import chat_send_async

    body, expected, token = stream_request(tokens), stream_events(tokens), _first_token()

    async def call() -> StreamRun:
        events, first, first_s = 0, None, 0.0
        t0 = time.perf_counter()
        async with _check_sdk_stream_result(await chat_send_async(core, body)) as stream:
            async for chunk in stream:
                if events == 0:
                    first_s = time.perf_counter() - t0
                    first = chunk.choices[0].delta.content
                events += 1
            if stream.error is not None:
                raise WrongResultError(f"the SDK stream failed: {stream.error!r}")
        total = time.perf_counter() - t0
        _check_stream("sdk", events, expected, first, token)
        return StreamRun(events, first_s, total)

    return call


def timed_streams(call: Callable[[], StreamRun], n: int, max_seconds: float) -> list[StreamRun]:
    """Up to ``n`` stream calls (stopping early past ``max_seconds``)."""
    runs = []
    give_up = time.perf_counter() + max_seconds
    for _ in range(n):
        runs.append(call())
        if time.perf_counter() > give_up:
            break
    return runs


async def timed_streams_async(call: Callable[[], Awaitable[StreamRun]], n: int, max_seconds: float) -> list[StreamRun]:
    runs = []
    give_up = time.perf_counter() + max_seconds
    for _ in range(n):
        runs.append(await call())
        if time.perf_counter() > give_up:
            break
    return runs
