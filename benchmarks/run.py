"""Run every benchmark of issue 5, print the table and rewrite BENCHMARKS.md.

    python -m benchmarks                   # full size, a few minutes on 2 cores
    python -m benchmarks --quick --no-write  # seconds; what the test suite runs

``run()`` is the function entry; ``main()`` the command line. See BENCHMARKS.md for the method.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import os
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import attrs

from benchmarks import imports, report, workloads
from benchmarks.imports import FACADE_IMPORT, FLOOR_IMPORT, SDK_IMPORT
from benchmarks.report import TIMES, Row, delta_row, ratio_row
from benchmarks.server import ServerProcess
from benchmarks.workloads import RunResult

T = TypeVar("T")

API_KEY = "sk-bench"


@attrs.frozen
class Settings:
    """How big each benchmark is. ``quick()`` is for the test suite: every path, tiny N."""

    # Many short interleaved runs rather than a few long ones: on a shared machine a burst of
    # someone else's load then spoils a minority of runs, which the median ignores.
    calls: int = 1000  # sequential calls per timed run (sync and async)
    runs: int = 11  # timed sequential runs per side; medians are reported
    concurrency: int = 200
    rounds: int = 10
    concurrent_runs: int = 7  # a run is 2000 calls through a 100-connection pool: slow, so fewer
    import_runs: int = 15
    importtime_runs: int = 5
    rss_calls: int = 2000
    rss_runs: int = 5
    # Time bound of one block; a phase stops starting blocks after ``max_seconds * runs``, and
    # the runs it could not finish are reported as a warning (the figures use what completed).
    max_seconds: float = 60.0

    @classmethod
    def quick(cls, calls: int | None = None) -> Settings:
        n = calls if calls is not None else 20
        return cls(
            calls=n,
            runs=1,
            concurrency=20,
            rounds=2,
            concurrent_runs=1,
            import_runs=1,
            importtime_runs=1,
            rss_calls=n,
            rss_runs=1,
            max_seconds=10.0,
        )

    def describe(self) -> str:
        return (
            f"{self.calls} sequential calls x {self.runs} runs per side; "
            f"{self.concurrency} concurrent x {self.rounds} rounds x {self.concurrent_runs} runs; "
            f"imports {self.import_runs} fresh processes each; "
            f"peak RSS after {self.rss_calls} calls, {self.rss_runs} processes each"
        )


@attrs.frozen
class Report:
    rows: list[Row]
    offenders: list[imports.ImportTimeEntry]
    machine: dict[str, str]
    date: str
    settings: Settings
    details: list[str]  # per-run samples, printed for judging the noise

    @property
    def table(self) -> str:
        return report.render_table(self.rows)


def _log(message: str) -> None:
    print(f"[benchmarks] {message}", file=sys.stderr, flush=True)


# --- CPU pinning ---------------------------------------------------------------------------


def _pick_cpus() -> tuple[int | None, int | None]:
    """(client CPU, server CPU), or (None, None) when pinning is unavailable or pointless."""
    if not hasattr(os, "sched_getaffinity"):
        return None, None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, None
    return cpus[0], cpus[-1]


@contextlib.contextmanager
def _pinned(cpu: int | None) -> Iterator[None]:
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


# --- interleaved A/B runs ------------------------------------------------------------------
#
# Raw and SDK never run as two long separate stretches: other load on the machine comes in
# bursts, and httpx's connection pool has slow and fast states that persist for seconds. Each
# timed run is therefore cut into blocks (100 sequential calls, or one concurrent round) that
# alternate raw, SDK, SDK, raw, raw, ... (ABBA, so neither side always goes first). A run's
# figure for a side is the sum of its blocks; the reported figure is the median over runs.

SEQUENTIAL_BLOCK = 100


def _schedule(runs: int, blocks: int) -> Iterator[tuple[int, str]]:
    """(run index, side) in execution order."""
    flip = False
    for run in range(runs):
        for _ in range(blocks):
            yield from ((run, side) for side in (("sdk", "raw") if flip else ("raw", "sdk")))
            flip = not flip


def _sum(results: Sequence[RunResult]) -> RunResult:
    return RunResult(sum(r.calls for r in results), sum(r.wall_s for r in results), sum(r.cpu_s for r in results))


def _blocked_sync(
    runs: int, blocks: int, block: dict[str, Callable[[], RunResult]], max_seconds: float
) -> tuple[list[RunResult], list[RunResult]]:
    done: dict[str, list[list[RunResult]]] = {side: [[] for _ in range(runs)] for side in block}
    give_up = time.perf_counter() + max_seconds * runs
    for run, side in _schedule(runs, blocks):
        gc.collect()  # each block starts with no garbage left by the other side
        done[side][run].append(block[side]())
        if time.perf_counter() > give_up:
            break
    return [_sum(r) for r in done["raw"] if r], [_sum(r) for r in done["sdk"] if r]


async def _blocked_async(
    runs: int, blocks: int, block: dict[str, Callable[[], Awaitable[RunResult]]], max_seconds: float
) -> tuple[list[RunResult], list[RunResult]]:
    done: dict[str, list[list[RunResult]]] = {side: [[] for _ in range(runs)] for side in block}
    give_up = time.perf_counter() + max_seconds * runs
    for run, side in _schedule(runs, blocks):
        gc.collect()
        done[side][run].append(await block[side]())
        if time.perf_counter() > give_up:
            break
    return [_sum(r) for r in done["raw"] if r], [_sum(r) for r in done["sdk"] if r]


def _interleaved(runs: int, raw: Callable[[], T], sdk: Callable[[], T]) -> tuple[list[T], list[T]]:
    """Whole runs alternating raw-SDK, SDK-raw, ... (for the fresh-process RSS samples)."""
    raw_results: list[T] = []
    sdk_results: list[T] = []
    for i in range(runs):
        order = [(raw, raw_results), (sdk, sdk_results)]
        for fn, out in order if i % 2 == 0 else reversed(order):
            out.append(fn())
    return raw_results, sdk_results


def _checked_complete(name: str, results: Sequence[RunResult], runs: int, expected: int) -> None:
    short = [r.calls for r in results if r.calls < expected]
    if short or len(results) < runs:
        _log(f"warning: {name}: {len(results)}/{runs} runs, some stopped by the time bound ({short})")


def _blocks(calls: int) -> tuple[int, int]:
    """(calls per block, blocks per run) for ``calls`` sequential calls per run."""
    size = min(SEQUENTIAL_BLOCK, calls)
    return size, -(-calls // size)


# --- the benchmarks ------------------------------------------------------------------------


def bench_sync(server: ServerProcess, s: Settings) -> tuple[list[RunResult], list[RunResult]]:
    import httpx

    from openrouter_core import OpenRouterCore

    with httpx.Client() as client, OpenRouterCore(api_key=API_KEY, server_url=server.base_url) as core:
        calls = {"raw": workloads.raw_sync_call(client, server.url), "sdk": workloads.sdk_sync_call(core)}
        for call in calls.values():  # warm-up: connection open, code and caches warm
            workloads.timed_sync(call, min(s.calls, 200), s.max_seconds)
        size, blocks = _blocks(s.calls)
        block = {
            side: functools.partial(workloads.timed_sync, call, size, s.max_seconds) for side, call in calls.items()
        }
        return _blocked_sync(s.runs, blocks, block, s.max_seconds)


async def _bench_async(
    server: ServerProcess, s: Settings, *, concurrent: bool
) -> tuple[list[RunResult], list[RunResult]]:
    import httpx

    from openrouter_core import OpenRouterCore

    async with httpx.AsyncClient() as client, OpenRouterCore(api_key=API_KEY, server_url=server.base_url) as core:
        calls = {"raw": workloads.raw_async_call(client, server.url), "sdk": workloads.sdk_async_call(core)}
        block: dict[str, Callable[[], Awaitable[RunResult]]]
        if concurrent:
            # Warm-up: one round opens the pool's connections. A block is one round.
            for call in calls.values():
                await workloads.timed_concurrent(call, s.concurrency, 1, s.max_seconds)
            block = {
                side: functools.partial(workloads.timed_concurrent, call, s.concurrency, 1, s.max_seconds)
                for side, call in calls.items()
            }
            return await _blocked_async(s.concurrent_runs, s.rounds, block, s.max_seconds)
        for call in calls.values():
            await workloads.timed_async(call, min(s.calls, 200), s.max_seconds)
        size, blocks = _blocks(s.calls)
        block = {
            side: functools.partial(workloads.timed_async, call, size, s.max_seconds) for side, call in calls.items()
        }
        return await _blocked_async(s.runs, blocks, block, s.max_seconds)


def bench_async(server: ServerProcess, s: Settings, *, concurrent: bool) -> tuple[list[RunResult], list[RunResult]]:
    return asyncio.run(_bench_async(server, s, concurrent=concurrent))


def _rss_kib(mode: str, url: str, calls: int) -> int:
    out = imports.python("-m", "benchmarks.rss_worker", mode, url, str(calls), timeout=180).stdout.split()
    if out[0] != "RSS" or int(out[3]) != calls:
        raise RuntimeError(f"rss_worker {mode}: unexpected output {out!r}")
    return int(out[1])


def bench_rss(server: ServerProcess, s: Settings) -> tuple[list[int], list[int]]:
    return _interleaved(
        s.rss_runs, lambda: _rss_kib("raw", server.url, s.rss_calls), lambda: _rss_kib("sdk", server.url, s.rss_calls)
    )


def _load_average() -> str:
    # Other work on the machine is the main source of noise; the report records how much there was.
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"


class _ServerLoad:
    """How busy the server was during each phase: far below 100% means it was not the bottleneck."""

    def __init__(self, server: ServerProcess) -> None:
        self._server = server
        self.lines: list[str] = []

    def measure(self, name: str, fn: Callable[[], T]) -> T:
        cpu0 = self._server.cpu_seconds()
        t0 = time.perf_counter()
        result = fn()
        wall = time.perf_counter() - t0
        cpu1 = self._server.cpu_seconds()
        if cpu0 is not None and cpu1 is not None and wall > 0:
            self.lines.append(f"server CPU busy during {name}: {(cpu1 - cpu0) / wall:.0%} of one core")
        return result


def _rates(results: Sequence[RunResult]) -> list[float]:
    return [r.calls_per_s for r in results]


def _samples(name: str, raw: Sequence[float], sdk: Sequence[float], fmt: str = ",.0f") -> list[str]:
    """Per-run figures, and the SDK/raw ratio of each run (its blocks were interleaved, so drift cancels)."""

    def show(values: Sequence[float], f: str = fmt) -> str:
        return " ".join(f"{v:{f}}" for v in values)

    # Not strict: a run cut short by the time bound may leave one side with a run fewer.
    pairs = [s / r for r, s in zip(raw, sdk, strict=False) if r]
    return [
        f"{name}: raw [{show(raw)}]",
        f"{name}: sdk [{show(sdk)}]",
        f"{name}: sdk/raw per run [{show(pairs, '.2f')}]",
    ]


def run(
    settings: Settings | None = None, *, quick: bool = False, write: bool = True, output: Path = report.BENCHMARKS_MD
) -> Report:
    """Run everything and return the report; with ``write``, also rewrite ``output`` (BENCHMARKS.md)."""
    s = settings or (Settings.quick() if quick else Settings())
    load_start = _load_average()
    client_cpu, server_cpu = _pick_cpus()
    details: list[str] = []
    if client_cpu is None:
        _log("fewer than 2 usable CPUs (or no affinity API): client and server are not pinned")
    else:
        _log(f"client pinned to CPU {client_cpu}, server to CPU {server_cpu}")

    with _pinned(client_cpu):
        _log(f"imports: {s.import_runs} fresh processes per statement, interleaved")
        statements = {"floor": FLOOR_IMPORT, "sdk": SDK_IMPORT, "facade": FACADE_IMPORT}
        times = imports.measure_imports(statements, s.import_runs)
        for name, values in times.samples.items():
            details.append(f"import {name} ms: [{' '.join(f'{v * 1000:.1f}' for v in values)}]")
        _log("imports: -X importtime offenders")
        offenders = imports.import_time_offenders(FLOOR_IMPORT, SDK_IMPORT, s.importtime_runs)

        with ServerProcess(cpu=server_cpu, max_seconds=3600) as server:
            _log(f"server pid {server.pid} on {server.url}")
            phase = _ServerLoad(server)
            _log(f"sync: {s.runs} x {s.calls} calls per side")
            sync_raw, sync_sdk = phase.measure("sync", lambda: bench_sync(server, s))
            _log(f"async sequential: {s.runs} x {s.calls} calls per side")
            async_raw, async_sdk = phase.measure("async", lambda: bench_async(server, s, concurrent=False))
            _log(f"async concurrent: {s.concurrent_runs} x {s.concurrency} x {s.rounds} calls per side")
            conc_raw, conc_sdk = phase.measure("concurrent", lambda: bench_async(server, s, concurrent=True))
            _log(f"peak RSS: {s.rss_runs} fresh processes per side, {s.rss_calls} calls each")
            rss_raw, rss_sdk = bench_rss(server, s)
            details += phase.lines

    seq_calls = _blocks(s.calls)[0] * _blocks(s.calls)[1]
    for name, results, runs, expected in [
        ("sync raw", sync_raw, s.runs, seq_calls),
        ("sync sdk", sync_sdk, s.runs, seq_calls),
        ("async raw", async_raw, s.runs, seq_calls),
        ("async sdk", async_sdk, s.runs, seq_calls),
        ("concurrent raw", conc_raw, s.concurrent_runs, s.concurrency * s.rounds),
        ("concurrent sdk", conc_sdk, s.concurrent_runs, s.concurrency * s.rounds),
    ]:
        _checked_complete(name, results, runs, expected)

    details += [
        *_samples("sync calls/s", [r.calls_per_s for r in sync_raw], [r.calls_per_s for r in sync_sdk]),
        *_samples("async calls/s", [r.calls_per_s for r in async_raw], [r.calls_per_s for r in async_sdk]),
        *_samples("concurrent calls/s", [r.calls_per_s for r in conc_raw], [r.calls_per_s for r in conc_sdk]),
        *_samples("sync CPU µs/call", [r.cpu_us_per_call for r in sync_raw], [r.cpu_us_per_call for r in sync_sdk]),
        *_samples("peak RSS KiB", rss_raw, rss_sdk),
        f"load average (1 min) at start / end: {load_start} / {_load_average()}",
    ]

    ms = {name: [v * 1000 for v in values] for name, values in times.samples.items()}
    sync_cpu = {side: [r.cpu_us_per_call for r in results] for side, results in (("raw", sync_raw), ("sdk", sync_sdk))}
    rows = [
        ratio_row(
            "Import one operation (fresh process)", ms["sdk"], ms["floor"], "ms", ".1f", 1.15, higher_is_better=False
        ),
        delta_row(
            "Modules loaded by that import",
            times.module_samples["sdk"],
            times.module_samples["floor"],
            "modules",
            ".0f",
            20,
        ),
        ratio_row(
            "Facade: import, construct, first `.credits`",
            ms["facade"],
            ms["floor"],
            "ms",
            ".1f",
            1.25,
            higher_is_better=False,
        ),
        ratio_row(
            "Sync sequential `GET /credits`",
            _rates(sync_sdk),
            _rates(sync_raw),
            "calls/s",
            ",.0f",
            0.90,
            higher_is_better=True,
        ),
        ratio_row(
            "Async sequential `GET /credits`",
            _rates(async_sdk),
            _rates(async_raw),
            "calls/s",
            ",.0f",
            0.90,
            higher_is_better=True,
        ),
        ratio_row(
            f"Async concurrent ({s.concurrency} {TIMES} {s.rounds} rounds)",
            _rates(conc_sdk),
            _rates(conc_raw),
            "calls/s",
            ",.0f",
            0.90,
            higher_is_better=True,
        ),
        delta_row("Client CPU per call (sync)", sync_cpu["sdk"], sync_cpu["raw"], "µs", ".0f", 50),
        delta_row(
            f"Peak RSS after {s.rss_calls} calls",
            [kib / 1024 for kib in rss_sdk],
            [kib / 1024 for kib in rss_raw],
            "MiB",
            ".1f",
            2,
        ),
    ]
    machine = report.machine()
    machine["Pinning"] = (
        f"client on CPU {client_cpu}, server on CPU {server_cpu}" if client_cpu is not None else "none (one CPU)"
    )
    result = Report(
        rows=rows,
        offenders=offenders,
        machine=machine,
        date=report.utc_now(),
        settings=s,
        details=details,
    )
    if write:
        report.write_markdown(
            report.render_markdown(
                rows=result.rows,
                offenders=result.offenders,
                machine_info=result.machine,
                date=result.date,
                command=report.command_line(),
                settings=s.describe(),
                details=result.details,
                notes=report.existing_notes(output),
            ),
            output,
        )
        _log(f"wrote {output}")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each: a smoke test in seconds")
    parser.add_argument("-n", "--calls", type=int, default=None, help="sequential calls per timed run and for RSS")
    parser.add_argument("--runs", type=int, default=None, help="timed runs per side (median reported)")
    parser.add_argument("--import-runs", type=int, default=None, help="fresh processes per import statement")
    parser.add_argument("--no-write", action="store_true", help="print only; do not rewrite BENCHMARKS.md")
    parser.add_argument(
        "--output", type=Path, default=report.BENCHMARKS_MD, help="where to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)

    s = Settings.quick(args.calls) if args.quick else Settings()
    if args.calls is not None:
        s = attrs.evolve(s, calls=args.calls, rss_calls=args.calls)
    if args.runs is not None:
        s = attrs.evolve(s, runs=args.runs, concurrent_runs=args.runs, rss_runs=args.runs)
    if args.import_runs is not None:
        s = attrs.evolve(s, import_runs=args.import_runs)
    if min(s.calls, s.runs, s.import_runs) < 1:
        parser.error("-n, --runs and --import-runs must be at least 1")

    result = run(s, write=not args.no_write, output=args.output)
    print(result.table)
    unmet = [r.measure for r in result.rows if not r.met]
    print("\nAll goals met." if not unmet else "\nGoals not met: " + "; ".join(unmet) + ".")
    print(f"\nImport time, top SDK modules beyond `{FLOOR_IMPORT}`:\n")
    print(report.render_offenders(result.offenders))
    print(f"\nSettings: {s.describe()}.")
    print("Per-run samples:")
    for line in result.details:
        print(f"  {line}")
    print("Machine: " + "; ".join(f"{k}: {v}" for k, v in result.machine.items()))
    return 0
