"""Interleaved A/B(/C) runs, and CPU pinning: how every in-process comparison is scheduled.

Raw and SDK never run as two long separate stretches: other load on the machine comes in
bursts, and httpx's connection pool has slow and fast states that persist for seconds. Each
timed run is therefore cut into blocks (100 sequential calls, one concurrent round, one stream)
that alternate between the sides, forwards then backwards (raw, SDK, SDK, raw, ...; with a third
side raw, SDK, official, official, SDK, raw, ...) so no side always goes first. A run's figure for
a side combines its blocks; the reported figure is the median over runs, and comparisons are
medians of the per-run ratios.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

SEQUENTIAL_BLOCK = 100


def log(message: str) -> None:
    print(f"[benchmarks] {message}", file=sys.stderr, flush=True)


# --- CPU pinning ---------------------------------------------------------------------------


def pick_cpus() -> tuple[int | None, int | None]:
    """(client CPU, server CPU), or (None, None) when pinning is unavailable or pointless."""
    if not hasattr(os, "sched_getaffinity"):
        return None, None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, None
    return cpus[0], cpus[-1]


@contextlib.contextmanager
def pinned(cpu: int | None) -> Iterator[None]:
    """Pin this process (and the subprocesses it starts, which inherit it) to ``cpu``; restore after."""
    if cpu is None:
        yield
        return
    saved = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    try:
        yield
    finally:
        os.sched_setaffinity(0, saved)


# --- schedules -----------------------------------------------------------------------------


def schedule(runs: int, blocks: int, sides: Sequence[str]) -> Iterator[tuple[int, str]]:
    """(run index, side) in execution order: each block round goes forwards, the next backwards."""
    flip = False
    for run in range(runs):
        for _ in range(blocks):
            yield from ((run, side) for side in (reversed(sides) if flip else sides))
            flip = not flip


def blocks_of(calls: int, size: int = SEQUENTIAL_BLOCK) -> tuple[int, int]:
    """(calls per block, blocks per run) for ``calls`` sequential calls per run."""
    size = min(size, calls)
    return size, -(-calls // size)


def blocked(runs: int, blocks: int, block: dict[str, Callable[[], T]], max_seconds: float) -> dict[str, list[list[T]]]:
    """Every side's block results, per run, from an interleaved schedule bounded by ``max_seconds * runs``."""
    done: dict[str, list[list[T]]] = {side: [[] for _ in range(runs)] for side in block}
    give_up = time.perf_counter() + max_seconds * runs
    for run, side in schedule(runs, blocks, list(block)):
        gc.collect()  # each block starts with no garbage left by the other side
        done[side][run].append(block[side]())
        if time.perf_counter() > give_up:
            log(f"warning: time bound reached in run {run + 1} of {runs}; later runs are left out")
            break
    return {side: [r for r in per_run if r] for side, per_run in done.items()}


async def blocked_async(
    runs: int, blocks: int, block: dict[str, Callable[[], Awaitable[T]]], max_seconds: float
) -> dict[str, list[list[T]]]:
    """``blocked`` for coroutines, on the running event loop."""
    done: dict[str, list[list[T]]] = {side: [[] for _ in range(runs)] for side in block}
    give_up = time.perf_counter() + max_seconds * runs
    for run, side in schedule(runs, blocks, list(block)):
        gc.collect()
        done[side][run].append(await block[side]())
        if time.perf_counter() > give_up:
            log(f"warning: time bound reached in run {run + 1} of {runs}; later runs are left out")
            break
    return {side: [r for r in per_run if r] for side, per_run in done.items()}


def interleaved(runs: int, sides: dict[str, Callable[[], T]]) -> dict[str, list[T]]:
    """Whole runs of each side in turn, forwards then backwards (for fresh-process samples)."""
    results: dict[str, list[T]] = {side: [] for side in sides}
    for run, side in schedule(runs, 1, list(sides)):
        del run
        results[side].append(sides[side]())
    return results
