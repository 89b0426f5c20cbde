"""The benchmarks that need the server: each returns its per-run samples, keyed by side.

Sides are ``raw`` (httpx alone), ``sdk`` (this SDK) and, where it is measured, ``official`` (the
official ``openrouter`` SDK, in its worker process). Every phase interleaves its sides (see
``interleave.py``) and checks every answer (``workloads.py``).
"""

from __future__ import annotations

import asyncio
import functools
import statistics
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks import imports, official, workloads
from benchmarks.interleave import blocked, blocked_async, blocks_of, interleaved
from benchmarks.workloads import RunResult, StreamRun

if TYPE_CHECKING:
    from benchmarks.run import Settings
    from benchmarks.server import ServerProcess

API_KEY = "sk-bench"
Samples = dict[str, list[float]]


def total(results: Sequence[RunResult]) -> RunResult:
    return RunResult(sum(r.calls for r in results), sum(r.wall_s for r in results), sum(r.cpu_s for r in results))


def _totals(done: dict[str, list[list[RunResult]]]) -> dict[str, list[RunResult]]:
    return {side: [total(blocks) for blocks in runs] for side, runs in done.items()}


# --- credits (issue 5's measures) --------------------------------------------------------------


def credits_sync(server: ServerProcess, s: Settings) -> dict[str, list[RunResult]]:
    import httpx

    from openrouter_core import OpenRouterCore

    with httpx.Client() as client, OpenRouterCore(api_key=API_KEY, server_url=server.base_url) as core:
        calls = {"raw": workloads.raw_sync_call(client, server.url), "sdk": workloads.sdk_sync_call(core)}
        return _sync_blocks(calls, s)


def _sync_blocks(
    calls: dict[str, Callable[[], None]], s: Settings, extra: dict[str, Callable[[], RunResult]] | None = None
) -> dict[str, list[RunResult]]:
    for call in calls.values():  # warm-up: connection open, code and caches warm
        workloads.timed_sync(call, min(s.calls, 200), s.max_seconds)
    size, blocks = blocks_of(s.calls)
    block: dict[str, Callable[[], RunResult]] = {
        side: functools.partial(workloads.timed_sync, call, size, s.max_seconds) for side, call in calls.items()
    }
    block.update(extra or {})  # blocks run elsewhere (the official SDK's worker)
    return _totals(blocked(s.runs, blocks, block, s.max_seconds))


async def _async_blocks(
    calls: dict[str, Callable[[], Awaitable[None]]], s: Settings, extra: dict[str, Callable[[], RunResult]]
) -> dict[str, list[RunResult]]:
    for call in calls.values():
        await workloads.timed_async(call, min(s.calls, 200), s.max_seconds)
    size, blocks = blocks_of(s.calls)
    block: dict[str, Callable[[], Awaitable[RunResult]]] = {
        side: functools.partial(workloads.timed_async, call, size, s.max_seconds) for side, call in calls.items()
    }
    for side, fn in extra.items():  # blocks run elsewhere (the official SDK's worker): wrapped as coroutines
        block[side] = functools.partial(_as_coroutine, fn)
    return _totals(await blocked_async(s.runs, blocks, block, s.max_seconds))


async def _as_coroutine(fn: Callable[[], RunResult]) -> RunResult:
    return fn()


async def _credits_async(server: ServerProcess, s: Settings, *, concurrent: bool) -> dict[str, list[RunResult]]:
    import httpx

    from openrouter_core import OpenRouterCore

    async with httpx.AsyncClient() as client, OpenRouterCore(api_key=API_KEY, server_url=server.base_url) as core:
        calls = {"raw": workloads.raw_async_call(client, server.url), "sdk": workloads.sdk_async_call(core)}
        if not concurrent:
            return await _async_blocks(calls, s, {})
        # Warm-up: one round opens the pool's connections. A block is one round.
        for call in calls.values():
            await workloads.timed_concurrent(call, s.concurrency, 1, s.max_seconds)
        block = {
            side: functools.partial(workloads.timed_concurrent, call, s.concurrency, 1, s.max_seconds)
            for side, call in calls.items()
        }
        return _totals(await blocked_async(s.concurrent_runs, s.rounds, block, s.max_seconds))


def credits_async(server: ServerProcess, s: Settings, *, concurrent: bool) -> dict[str, list[RunResult]]:
    return asyncio.run(_credits_async(server, s, concurrent=concurrent))


def _rss(mode: str, url: str, n: int, *extra: str) -> int:
    out = imports.python("-m", "benchmarks.rss_worker", mode, url, str(n), *extra, timeout=300).stdout.split()
    if out[0] != "RSS" or int(out[3]) < n:
        raise RuntimeError(f"rss_worker {mode}: unexpected output {out!r}")
    return int(out[1])


def credits_rss(server: ServerProcess, s: Settings) -> dict[str, list[int]]:
    return interleaved(
        s.rss_runs,
        {"raw": lambda: _rss("raw", server.url, s.rss_calls), "sdk": lambda: _rss("sdk", server.url, s.rss_calls)},
    )


# --- chat ----------------------------------------------------------------------------------------


def chat_sync(server: ServerProcess, s: Settings, worker: official.Worker | None) -> dict[str, list[RunResult]]:
    import httpx

    from openrouter_core import OpenRouterCore

    with (
        httpx.Client(headers=workloads.AUTH_HEADERS) as client,
        OpenRouterCore(api_key=API_KEY, server_url=server.base_url) as core,
    ):
        calls: dict[str, Callable[[], None]] = {
            "raw": workloads.raw_chat_sync(client, server.chat_url),
            "sdk": workloads.sdk_chat_sync(core),
        }
        extra: dict[str, Callable[[], RunResult]] = {}
        if worker is not None:
            worker.block("sync", min(s.official_block * 4, 50))  # its warm-up
            extra["official"] = functools.partial(worker.block, "sync", s.official_block)
        return _sync_blocks(calls, s, extra)


async def _chat_async(server: ServerProcess, s: Settings, worker: official.Worker | None) -> dict[str, list[RunResult]]:
    import httpx

    from openrouter_core import OpenRouterCore

    async with (
        httpx.AsyncClient(headers=workloads.AUTH_HEADERS) as client,
        OpenRouterCore(api_key=API_KEY, server_url=server.base_url) as core,
    ):
        calls = {
            "raw": workloads.raw_chat_async(client, server.chat_url),
            "sdk": workloads.sdk_chat_async(core),
        }
        extra: dict[str, Callable[[], RunResult]] = {}
        if worker is not None:
            worker.block("async", min(s.official_block * 4, 50))
            extra["official"] = functools.partial(worker.block, "async", s.official_block)
        return await _async_blocks(calls, s, extra)


def chat_async(server: ServerProcess, s: Settings, worker: official.Worker | None) -> dict[str, list[RunResult]]:
    return asyncio.run(_chat_async(server, s, worker))


def cold_chat(server: ServerProcess, s: Settings, python: imports.Interpreter | None) -> Samples:
    """Seconds from the first import to the decoded answer, fresh processes, interleaved."""
    request = workloads.CHAT_REQUEST
    sides: dict[str, Callable[[], float]] = {
        "raw": functools.partial(imports.sample_cold, imports.cold_raw(server.chat_url, request)),
        "sdk": functools.partial(imports.sample_cold, imports.cold_sdk(server.base_url, request)),
    }
    if python is not None:
        code = imports.cold_official(server.base_url, request)
        sides["official"] = functools.partial(imports.sample_cold, code, python)
    for fn in sides.values():  # warm-up: .pyc files and the file cache
        fn()
    return interleaved(s.cold_runs, sides)


# --- streams -------------------------------------------------------------------------------------


def _stream_rates(done: dict[str, list[list[StreamRun]]]) -> Samples:
    """Events per second of each run: all its events over all its stream time."""
    return {
        side: [sum(r.events for r in runs) / sum(r.total_s for r in runs) for runs in per_run]
        for side, per_run in done.items()
    }


def _first_token_ms(done: dict[str, list[list[StreamRun]]]) -> Samples:
    """The median time to the first event of each run, in ms."""
    return {
        side: [statistics.median(r.first_s for r in runs) * 1000.0 for runs in per_run]
        for side, per_run in done.items()
    }


def _flatten(done: dict[str, list[list[list[StreamRun]]]]) -> dict[str, list[list[StreamRun]]]:
    return {side: [[run for block in blocks for run in block] for blocks in per_run] for side, per_run in done.items()}


def stream_sync(
    server: ServerProcess, s: Settings, tokens: int, calls: int, runs: int
) -> dict[str, list[list[StreamRun]]]:
    import httpx

    from openrouter_core import OpenRouterCore

    with (
        httpx.Client(headers=workloads.AUTH_HEADERS) as client,
        OpenRouterCore(api_key=API_KEY, server_url=server.base_url) as core,
    ):
        fns = {
            "raw": workloads.raw_stream_sync(client, server.chat_url, tokens),
            "sdk": workloads.sdk_stream_sync(core, tokens),
        }
        for fn in fns.values():
            workloads.timed_streams(fn, 2, s.max_seconds)
        block = {side: functools.partial(workloads.timed_streams, fn, calls, s.max_seconds) for side, fn in fns.items()}
        return _flatten(blocked(runs, s.stream_blocks, block, s.max_seconds))


async def _stream_async(
    server: ServerProcess, s: Settings, tokens: int, calls: int, runs: int
) -> dict[str, list[list[StreamRun]]]:
    import httpx

    from openrouter_core import OpenRouterCore

    async with (
        httpx.AsyncClient(headers=workloads.AUTH_HEADERS) as client,
        OpenRouterCore(api_key=API_KEY, server_url=server.base_url) as core,
    ):
        fns = {
            "raw": workloads.raw_stream_async(client, server.chat_url, tokens),
            "sdk": workloads.sdk_stream_async(core, tokens),
        }
        for fn in fns.values():
            await workloads.timed_streams_async(fn, 2, s.max_seconds)
        block = {
            side: functools.partial(workloads.timed_streams_async, fn, calls, s.max_seconds) for side, fn in fns.items()
        }
        return _flatten(await blocked_async(runs, s.stream_blocks, block, s.max_seconds))


def stream_throughput(server: ServerProcess, s: Settings, *, asynchronous: bool) -> Samples:
    if asynchronous:
        done = asyncio.run(_stream_async(server, s, s.stream_tokens, 1, s.stream_runs))
    else:
        done = stream_sync(server, s, s.stream_tokens, 1, s.stream_runs)
    return _stream_rates(done)


def first_token(server: ServerProcess, s: Settings) -> Samples:
    """Time to the first event of a short stream (``ttft_tokens``), ``ttft_calls`` per block."""
    return _first_token_ms(stream_sync(server, s, s.ttft_tokens, s.ttft_calls, s.ttft_runs))


# --- downloads and uploads -----------------------------------------------------------------------


def transfer_rss(server: ServerProcess, s: Settings) -> dict[str, dict[str, list[int]]]:
    """Peak RSS (KiB) of fresh processes downloading and uploading ``transfer_bytes``."""
    size = s.transfer_bytes
    with tempfile.TemporaryDirectory(prefix="openrouter-bench-") as tmp:
        path = Path(tmp) / "bench.bin"
        with path.open("wb") as f:
            piece = bytes(range(256)) * 4096
            for start in range(0, size, len(piece)):
                f.write(piece[: min(len(piece), size - start)])
        url = server.base_url
        return {
            kind: interleaved(
                s.transfer_runs,
                {side: functools.partial(_rss, f"{side}-{kind}", url, size, str(path)) for side in ("raw", "sdk")},
            )
            for kind in ("download", "upload")
        }
