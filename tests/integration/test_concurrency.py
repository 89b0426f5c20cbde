"""One core under load: threads sharing it, and a thousand async tasks with some cancelled midway."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from openrouter.testing import FakeOpenRouter, FakeResponse, RecordedRequest
from openrouter_core import OpenRouterCore
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async


def echo(request: RecordedRequest) -> FakeResponse:
    """Answer with the caller's own id, so a mixed-up response cannot go unnoticed."""
    ident = float(request.headers()["x-openrouter-title"])
    return FakeResponse(json={"data": {"total_credits": ident, "total_usage": 0}})


@contextmanager
def echo_server(delay: float) -> Iterator[str]:
    """The fast echo server in its own process (a load this size would starve an in-process one)."""
    root = Path(__file__).parents[2]
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.echoserver", str(delay)],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        assert process.stdout is not None
        process.stdout.close()


def test_threads_sharing_one_core_each_get_their_own_answers() -> None:
    threads, calls = 8, 500
    wrong: list[tuple[int, Any]] = []
    with FakeOpenRouter.serve() as fake:
        fake.queue("GET /credits", *[echo] * (threads * calls))
        with OpenRouterCore(api_key="sk-test", server_url=fake.url, timeout_ms=10_000) as core:

            def worker(n: int) -> None:
                for i in range(calls):
                    ident = n * calls + i
                    result = credits_get_credits(core, {"app_title": str(ident)})
                    if not result.ok or result.value.data.total_credits != ident:
                        wrong.append((ident, result))

            pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
            for thread in pool:
                thread.start()
            for thread in pool:
                thread.join(timeout=120)
            assert not any(t.is_alive() for t in pool)
            connections = core._sync().client._transport._pool.connections  # type: ignore[attr-defined]
            assert len(connections) <= threads
        assert len(fake.requests) == threads * calls
    assert wrong == []
    gc.collect()


def test_a_thousand_tasks_with_a_tenth_cancelled_midway() -> None:
    tasks_total, cancelled_every = 1000, 10
    problems: list[str] = []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _, context: problems.append(str(context.get("message"))))
        limits = httpx.Limits(max_connections=50, max_keepalive_connections=50)
        with echo_server(delay=0.05) as url:
            async_client = httpx.AsyncClient(limits=limits, timeout=None)  # noqa: S113 - None here: the SDK adds none either
            # httpcore's pool spends CPU quadratic in the number of queued requests (raw httpx too:
            # ~10 ms per request at 1000 queued, several times that under coverage), so this test
            # turns per-attempt timeouts off and bounds the whole run with wait_for instead.
            settings: dict[str, Any] = {"timeout_ms": None, "retry_config": None}
            async with OpenRouterCore(api_key="sk-test", server_url=url, async_client=async_client, **settings) as core:
                tasks = [
                    asyncio.ensure_future(credits_get_credits_async(core, {"app_title": str(i)}))
                    for i in range(tasks_total)
                ]
                await asyncio.sleep(0.2)
                doomed = [t for i, t in enumerate(tasks) if i % cancelled_every == 0 and not t.done()]
                for task in doomed:
                    task.cancel()
                outcomes = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=300)
                pool = async_client._transport._pool  # type: ignore[attr-defined]
                assert len(pool.connections) <= limits.max_connections
            await async_client.aclose()
        for i, outcome in enumerate(outcomes):
            if isinstance(outcome, asyncio.CancelledError):
                assert tasks[i] in doomed
            elif isinstance(outcome, BaseException) or not outcome.ok:
                problems.append(f"task {i}: {outcome!r}")
            elif outcome.value.data.total_credits != i:
                problems.append(f"task {i} got {outcome.value.data.total_credits}")
        assert any(isinstance(o, asyncio.CancelledError) for o in outcomes)

    asyncio.run(main())
    gc.collect()
    assert problems == []
