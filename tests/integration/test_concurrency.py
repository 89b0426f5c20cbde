"""One core under load: threads sharing it, and a thousand async tasks with some cancelled midway."""

from __future__ import annotations

import asyncio
import gc
import threading
from typing import Any

import httpx

from openrouter.testing import FakeOpenRouter, FakeResponse, RecordedRequest
from openrouter_core import OpenRouterCore
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async


def echo(request: RecordedRequest) -> FakeResponse:
    """Answer with the caller's own id, so a mixed-up response cannot go unnoticed."""
    ident = float(request.headers()["x-openrouter-title"])
    return FakeResponse(json={"data": {"total_credits": ident, "total_usage": 0}})


def slow_echo(request: RecordedRequest) -> FakeResponse:
    return FakeResponse(json=echo(request).json, delay=0.05)


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
            connections = core.sync_client()._transport._pool.connections  # type: ignore[attr-defined]
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
        with FakeOpenRouter.serve() as fake:
            fake.queue("GET /credits", *[slow_echo] * tasks_total)
            async_client = httpx.AsyncClient(limits=limits)
            async with OpenRouterCore(api_key="sk-test", server_url=fake.url, async_client=async_client) as core:
                tasks = [
                    asyncio.ensure_future(credits_get_credits_async(core, {"app_title": str(i)}))
                    for i in range(tasks_total)
                ]
                await asyncio.sleep(0.2)
                doomed = [t for i, t in enumerate(tasks) if i % cancelled_every == 0 and not t.done()]
                for task in doomed:
                    task.cancel()
                outcomes = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=120)
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
