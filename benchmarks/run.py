"""Run every benchmark (issues 5, 10, 11 and 12), print the table and rewrite BENCHMARKS.md.

    python -m benchmarks                   # full size, several minutes on 2 cores
    python -m benchmarks --quick --no-write  # seconds; what the test suite runs

``run()`` is the function entry; ``main()`` the command line. See BENCHMARKS.md for the method.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import attrs

from benchmarks import imports, official, phases, report
from benchmarks.imports import FACADE_CHAT_IMPORT, FACADE_IMPORT, FLOOR_IMPORT, SDK_IMPORT
from benchmarks.interleave import log, pick_cpus, pinned
from benchmarks.report import TIMES, RecordRow, Row, delta_row, missing_row, ratio_row, record_row
from benchmarks.server import ServerProcess
from benchmarks.workloads import RunResult

T = TypeVar("T")

COLD_ROW = "Cold chat call (fresh process: imports to decoded answer)"
SYNC_CHAT_ROW = "Sync chat calls (2 KB answer)"
ASYNC_CHAT_ROW = "Async chat calls (2 KB answer)"


@attrs.frozen
class Settings:
    """How big each benchmark is. ``quick()`` is for the test suite: every path, tiny N."""

    # Many short interleaved runs rather than a few long ones: on a shared machine a burst of
    # someone else's load then spoils a minority of runs, which the median ignores.
    calls: int = 1000  # sequential calls per timed run (credits and chat, sync and async)
    runs: int = 11  # timed sequential runs per side; medians are reported
    concurrency: int = 200
    rounds: int = 10
    concurrent_runs: int = 7  # a run is 2000 calls through a 100-connection pool: slow, so fewer
    import_runs: int = 15
    importtime_runs: int = 5
    # Every operation module: rounds of (operation, floor) pairs; then the worst few again.
    op_import_rounds: int = 3
    op_import_confirm: int = 5
    op_import_confirm_rounds: int = 8
    op_import_limit: int | None = None  # only the first N operation modules (quick mode)
    cold_runs: int = 15  # fresh processes per side for the cold chat call
    stream_tokens: int = 5000
    stream_runs: int = 11
    stream_blocks: int = 2  # blocks per side per run (streams and time to first token)
    ttft_tokens: int = 20
    ttft_calls: int = 10  # stream calls per block for the time to first token
    ttft_runs: int = 11
    transfer_bytes: int = 64 * 1024 * 1024
    transfer_runs: int = 3
    rss_calls: int = 2000
    rss_runs: int = 5
    official: bool = True
    official_block: int = 5  # the official SDK takes ~30 ms a chat call: fewer calls per block
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
            op_import_rounds=1,
            op_import_confirm=1,
            op_import_confirm_rounds=1,
            op_import_limit=3,
            cold_runs=1,
            stream_tokens=200,
            stream_runs=1,
            stream_blocks=1,
            ttft_calls=2,
            ttft_runs=1,
            transfer_bytes=1024 * 1024,
            transfer_runs=1,
            rss_calls=n,
            rss_runs=1,
            official=False,
            official_block=2,
            max_seconds=10.0,
        )

    def describe(self) -> str:
        ops = f"the first {self.op_import_limit}" if self.op_import_limit else "every"
        return (
            f"{self.calls} sequential calls x {self.runs} runs per side (credits and chat); "
            f"{self.concurrency} concurrent x {self.rounds} rounds x {self.concurrent_runs} runs; "
            f"imports {self.import_runs} fresh processes each; "
            f"{ops} operation module x {self.op_import_rounds} pairs with the floor, "
            f"the {self.op_import_confirm} worst x {self.op_import_confirm_rounds} more; "
            f"cold chat {self.cold_runs} fresh processes each; "
            f"streams of {self.stream_tokens} chunks x {self.stream_blocks} x {self.stream_runs} runs; "
            f"first token: {self.ttft_tokens}-chunk streams, {self.ttft_calls} x {self.stream_blocks} x "
            f"{self.ttft_runs} runs; transfers of {self.transfer_bytes / 1048576:g} MiB, {self.transfer_runs} "
            f"processes each; peak RSS after {self.rss_calls} calls, {self.rss_runs} processes each"
        )


@attrs.frozen
class Report:
    rows: list[Row]
    record: list[RecordRow]  # the official SDK's figures, for the record
    offenders: dict[str, list[imports.ImportTimeEntry]]  # statement label -> top modules
    machine: dict[str, str]
    date: str
    settings: Settings
    details: list[str]  # per-run samples, printed for judging the noise
    seconds: float  # how long the run took

    @property
    def table(self) -> str:
        return report.render_table(self.rows)


def _available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:
        return False


def streams_available() -> str | None:
    """``None`` when chat streams can be measured, else why not (the runtime's streams are not in yet)."""
    import openrouter_core
    from openrouter_funcs.chat_send import OPERATION

    if not hasattr(openrouter_core, "Stream") or getattr(OPERATION, "stream", None) is None:
        return "chat_send has no stream yet"
    return None


def transfers_available() -> str | None:
    missing = [m for m in ("files_download", "files_upload") if not _available(f"openrouter_funcs.{m}")]
    return f"no {' or '.join(missing)} yet" if missing else None


class _ServerLoad:
    """How busy the server was during each phase: far below 100% means it was not the bottleneck."""

    def __init__(self, server: ServerProcess) -> None:
        self._server = server
        self.lines: list[str] = []

    def measure(self, name: str, fn: Callable[[], T]) -> T:
        log(name)
        cpu0 = self._server.cpu_seconds()
        t0 = time.perf_counter()
        result = fn()
        wall = time.perf_counter() - t0
        cpu1 = self._server.cpu_seconds()
        if cpu0 is not None and cpu1 is not None and wall > 0:
            self.lines.append(f"server CPU busy during {name}: {(cpu1 - cpu0) / wall:.0%} of one core")
        return result


def _show(values: Sequence[float], fmt: str) -> str:
    return " ".join(f"{v:{fmt}}" for v in values)


def _samples(name: str, sides: dict[str, Sequence[float]], fmt: str = ",.0f") -> list[str]:
    """Per-run figures of each side, and each other side's ratio to raw per run (interleaved, so drift cancels)."""
    lines = [f"{name}: {side} [{_show(values, fmt)}]" for side, values in sides.items()]
    raw = sides.get("raw")
    for side, values in sides.items():
        if side != "raw" and raw:
            # Not strict: a run cut short by the time bound may leave one side with a run fewer.
            pairs = [v / r for r, v in zip(raw, values, strict=False) if r]
            lines.append(f"{name}: {side}/raw per run [{_show(pairs, '.2f')}]")
    return lines


def _rates(results: Sequence[RunResult]) -> list[float]:
    return [r.calls_per_s for r in results]


@attrs.define
class _Collected:
    """Everything measured, by name; the rows are built from it at the end."""

    times: imports.ImportTimes
    ops: list[imports.OperationImport]
    credits: dict[str, dict[str, list[RunResult]]] = attrs.Factory(dict)
    chat: dict[str, dict[str, list[RunResult]]] = attrs.Factory(dict)
    cold: dict[str, list[float]] = attrs.Factory(dict)
    streams: dict[str, dict[str, list[float]]] = attrs.Factory(dict)
    ttft: dict[str, list[float]] = attrs.Factory(dict)
    rss: dict[str, list[int]] = attrs.Factory(dict)
    transfers: dict[str, dict[str, list[int]]] = attrs.Factory(dict)
    details: list[str] = attrs.Factory(list)


def _measure_imports(
    s: Settings, python: imports.Interpreter | None
) -> tuple[imports.ImportTimes, list[imports.OperationImport]]:
    log(f"imports: {s.import_runs} fresh processes per statement, interleaved")
    statements: dict[str, imports.Statement] = {
        "floor": FLOOR_IMPORT,
        "sdk": SDK_IMPORT,
        "facade": FACADE_IMPORT,
        "facade chat": FACADE_CHAT_IMPORT,
    }
    if python is not None:
        statements["official"] = (official.IMPORT, python)
        statements["official facade"] = (official.FACADE, python)
    times = imports.measure_imports(statements, s.import_runs)
    operations = imports.all_operations()[: s.op_import_limit]
    if s.op_import_limit:  # quick mode: still the chat operation, the one everybody imports
        operations = sorted({*operations, ("openrouter_funcs.chat_send", "chat_send")})
    log(f"imports: {len(operations)} operation modules x {s.op_import_rounds} pairs with the floor")
    ops = imports.measure_operation_imports(
        operations, s.op_import_rounds, s.op_import_confirm, s.op_import_confirm_rounds
    )
    return times, ops


def _measure_with_server(
    c: _Collected, s: Settings, server_cpu: int | None, python: imports.Interpreter | None
) -> None:
    no_streams, no_transfers = streams_available(), transfers_available()
    with ServerProcess(cpu=server_cpu, max_seconds=3600, download_bytes=s.transfer_bytes) as server:
        log(f"server pid {server.pid} on {server.url}")
        phase = _ServerLoad(server)
        c.credits["sync"] = phase.measure("sync credits", lambda: phases.credits_sync(server, s))
        c.credits["async"] = phase.measure("async credits", lambda: phases.credits_async(server, s, concurrent=False))
        c.credits["concurrent"] = phase.measure(
            "concurrent credits", lambda: phases.credits_async(server, s, concurrent=True)
        )
        worker = official.start_worker(python, server.base_url, phases.workloads.CHAT_REQUEST, s.max_seconds)
        try:
            c.chat["sync"] = phase.measure("sync chat", lambda: phases.chat_sync(server, s, worker))
            c.chat["async"] = phase.measure("async chat", lambda: phases.chat_async(server, s, worker))
        finally:
            if worker is not None:
                worker.close()
        c.cold = phase.measure("cold chat call", lambda: phases.cold_chat(server, s, python))
        if no_streams is None:
            c.streams["sync"] = phase.measure(
                "sync stream", lambda: phases.stream_throughput(server, s, asynchronous=False)
            )
            c.streams["async"] = phase.measure(
                "async stream", lambda: phases.stream_throughput(server, s, asynchronous=True)
            )
            c.ttft = phase.measure("time to first token", lambda: phases.first_token(server, s))
        else:
            log(f"streams not measured: {no_streams}")
        log(f"peak RSS: {s.rss_runs} fresh processes per side, {s.rss_calls} calls each")
        c.rss = phases.credits_rss(server, s)
        if no_transfers is None:
            log(f"peak RSS of transfers: {s.transfer_runs} fresh processes per side and direction")
            c.transfers = phases.transfer_rss(server, s)
        else:
            log(f"transfers not measured: {no_transfers}")
        c.details += phase.lines


def _details(c: _Collected) -> list[str]:
    lines = [
        f"import {name} ms: [{_show([v * 1000 for v in values], '.1f')}]" for name, values in c.times.samples.items()
    ]
    worst = sorted(c.ops, key=lambda o: o.ratio, reverse=True)
    lines.append(
        "operation imports, ratio to the floor (worst 5): "
        + ", ".join(f"{o.module.rsplit('.', 1)[1]} {o.ratio:.2f}" for o in worst[:5])
    )
    lines.append(
        "operation imports, ratio to the floor (best 3): "
        + ", ".join(f"{o.module.rsplit('.', 1)[1]} {o.ratio:.2f}" for o in worst[-3:])
    )
    lines += c.details
    for kind, label in (
        ("sync", "sync credits calls/s"),
        ("async", "async credits calls/s"),
        ("concurrent", "concurrent credits calls/s"),
    ):
        lines += _samples(label, {side: _rates(r) for side, r in c.credits[kind].items()})
    lines += _samples(
        "sync CPU µs/call", {side: [r.cpu_us_per_call for r in rs] for side, rs in c.credits["sync"].items()}
    )
    for kind in ("sync", "async"):
        lines += _samples(f"{kind} chat calls/s", {side: _rates(r) for side, r in c.chat[kind].items()})
    lines += _samples("cold chat call ms", {side: [v * 1000 for v in values] for side, values in c.cold.items()}, ".1f")
    for kind, rates in c.streams.items():
        lines += _samples(f"{kind} stream events/s", rates)
    if c.ttft:
        lines += _samples("first token ms", c.ttft, ".3f")
    lines += _samples("peak RSS KiB", c.rss)
    for kind, sides in c.transfers.items():
        lines += _samples(f"peak RSS KiB, {kind}", sides)
    return lines


def _import_rows(c: _Collected) -> list[Row]:
    ms = {name: [v * 1000 for v in values] for name, values in c.times.samples.items()}
    floor_ms = [v * 1000 for o in c.ops for v in o.floor_seconds]
    ratios = [o.ratio for o in c.ops]
    worst = max(c.ops, key=lambda o: o.ratio)
    median_op_ms = statistics.median(o.median_s * 1000 for o in c.ops)
    return [
        ratio_row(
            "Import one operation (credits, fresh process)",
            ms["sdk"],
            ms["floor"],
            "ms",
            ".1f",
            1.15,
            higher_is_better=False,
        ),
        delta_row(
            "Modules loaded by that import",
            c.times.module_samples["sdk"],
            c.times.module_samples["floor"],
            "modules",
            ".0f",
            20,
        ),
        Row(
            f"Import any one operation: median of {len(c.ops)} modules",
            f"{median_op_ms:.1f} ms",
            f"{statistics.median(floor_ms):.1f} ms",
            f"{statistics.median(ratios):.2f}{TIMES}",
            f"≤ 1.15{TIMES}",
            statistics.median(ratios) <= 1.15,
        ),
        Row(
            f"Import any one operation: worst (`{worst.module.rsplit('.', 1)[1]}`)",
            f"{worst.median_s * 1000:.1f} ms",
            f"{statistics.median(worst.floor_seconds) * 1000:.1f} ms",
            f"{worst.ratio:.2f}{TIMES}",
            f"≤ 1.35{TIMES}",
            worst.ratio <= 1.35,
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
            "Facade: `OpenRouter()` + `.chat` + `.models`",
            ms["facade chat"],
            ms["floor"],
            "ms",
            ".1f",
            1.25,
            higher_is_better=False,
        ),
    ]


def _chat_rows(c: _Collected) -> list[Row]:
    cold = {side: [v * 1000 for v in values] for side, values in c.cold.items()}
    return [
        ratio_row(
            COLD_ROW,
            cold["sdk"],
            cold["raw"],
            "ms",
            ".1f",
            1.6,
            higher_is_better=False,
        ),
        ratio_row(
            SYNC_CHAT_ROW,
            _rates(c.chat["sync"]["sdk"]),
            _rates(c.chat["sync"]["raw"]),
            "calls/s",
            ",.0f",
            0.9,
            higher_is_better=True,
        ),
        ratio_row(
            ASYNC_CHAT_ROW,
            _rates(c.chat["async"]["sdk"]),
            _rates(c.chat["async"]["raw"]),
            "calls/s",
            ",.0f",
            0.9,
            higher_is_better=True,
        ),
    ]


def _stream_rows(c: _Collected, s: Settings, why: str | None, why_transfers: str | None) -> list[Row]:
    mib = f"{s.transfer_bytes / 1048576:g} MiB"
    rows = []
    for kind in ("sync", "async"):
        name = f"{kind.capitalize()} chat stream, {s.stream_tokens:,}-chunk SSE"
        if kind in c.streams:
            rows.append(
                ratio_row(
                    name, c.streams[kind]["sdk"], c.streams[kind]["raw"], "events/s", ",.0f", 0.8, higher_is_better=True
                )
            )
        else:
            rows.append(missing_row(name, f"≥ 0.80{TIMES}", why or "not measured"))
    name = "Time to first token (sync stream)"
    if c.ttft:
        rows.append(delta_row(name, c.ttft["sdk"], c.ttft["raw"], "ms", ".2f", 1))
    else:
        rows.append(missing_row(name, "≤ +1 ms", why or "not measured"))
    for kind in ("download", "upload"):
        name = f"Peak RSS, {kind} of {mib}"
        if kind in c.transfers:
            sides = c.transfers[kind]
            rows.append(
                delta_row(name, [k / 1024 for k in sides["sdk"]], [k / 1024 for k in sides["raw"]], "MiB", ".1f", 24)
            )
        else:
            rows.append(missing_row(name, "≤ +24 MiB", why_transfers or "not measured"))
    return rows


def _credits_rows(c: _Collected, s: Settings) -> list[Row]:
    cr = c.credits
    cpu = {side: [r.cpu_us_per_call for r in rs] for side, rs in cr["sync"].items()}
    return [
        ratio_row(
            "Sync sequential `GET /credits`",
            _rates(cr["sync"]["sdk"]),
            _rates(cr["sync"]["raw"]),
            "calls/s",
            ",.0f",
            0.90,
            higher_is_better=True,
        ),
        ratio_row(
            "Async sequential `GET /credits`",
            _rates(cr["async"]["sdk"]),
            _rates(cr["async"]["raw"]),
            "calls/s",
            ",.0f",
            0.90,
            higher_is_better=True,
        ),
        ratio_row(
            f"Async concurrent ({s.concurrency} {TIMES} {s.rounds} rounds)",
            _rates(cr["concurrent"]["sdk"]),
            _rates(cr["concurrent"]["raw"]),
            "calls/s",
            ",.0f",
            0.90,
            higher_is_better=True,
        ),
        delta_row("Client CPU per call (sync)", cpu["sdk"], cpu["raw"], "µs", ".0f", 50),
        delta_row(
            f"Peak RSS after {s.rss_calls} calls",
            [k / 1024 for k in c.rss["sdk"]],
            [k / 1024 for k in c.rss["raw"]],
            "MiB",
            ".1f",
            2,
        ),
    ]


def _record_rows(c: _Collected, rows: list[Row]) -> list[RecordRow]:
    """The official SDK's rows, for what was measured of it (none without its virtualenv)."""
    ms = {name: [v * 1000 for v in values] for name, values in c.times.samples.items()}
    cold = {side: [v * 1000 for v in values] for side, values in c.cold.items()}
    rates = {kind: {side: _rates(r) for side, r in sides.items()} for kind, sides in c.chat.items()}
    ours = {r.measure: r for r in rows}
    median_row = next(r for r in rows if r.measure.startswith("Import any one operation: median"))
    specs = [
        ("Import the client (`from openrouter import OpenRouter`)", ms, "official", "floor", "ms", ".1f", median_row),
        (
            "`OpenRouter()` + `.chat` + `.models`",
            ms,
            "official facade",
            "floor",
            "ms",
            ".1f",
            ours["Facade: `OpenRouter()` + `.chat` + `.models`"],
        ),
        (COLD_ROW, cold, "official", "raw", "ms", ".1f", ours[COLD_ROW]),
        (SYNC_CHAT_ROW, rates.get("sync", {}), "official", "raw", "calls/s", ",.0f", ours[SYNC_CHAT_ROW]),
        (ASYNC_CHAT_ROW, rates.get("async", {}), "official", "raw", "calls/s", ",.0f", ours[ASYNC_CHAT_ROW]),
    ]
    return [
        record_row(label, samples[side], samples[base], unit, fmt, our_row)
        for label, samples, side, base, unit, fmt, our_row in specs
        if samples.get(side)
    ]


def run(
    settings: Settings | None = None, *, quick: bool = False, write: bool = True, output: Path = report.BENCHMARKS_MD
) -> Report:
    """Run everything and return the report; with ``write``, also rewrite ``output`` (BENCHMARKS.md)."""
    started = time.perf_counter()
    s = settings or (Settings.quick() if quick else Settings())
    load_start = report.load_average()
    client_cpu, server_cpu = pick_cpus()
    if client_cpu is None:
        log("fewer than 2 usable CPUs (or no affinity API): client and server are not pinned")
    else:
        log(f"client pinned to CPU {client_cpu}, server to CPU {server_cpu}")
    python = official.ensure() if s.official else None

    with pinned(client_cpu):
        times, ops = _measure_imports(s, python)
        log("imports: -X importtime offenders")
        worst = max(ops, key=lambda o: o.ratio)
        offenders = {
            "credits": imports.import_time_offenders(FLOOR_IMPORT, SDK_IMPORT, s.importtime_runs),
            "chat": imports.import_time_offenders(
                FLOOR_IMPORT, imports.operation_import("openrouter_funcs.chat_send", "chat_send"), s.importtime_runs
            ),
        }
        name = worst.module.rsplit(".", 1)[1]
        if name not in ("credits_get_credits", "chat_send"):
            offenders[name] = imports.import_time_offenders(
                FLOOR_IMPORT, imports.operation_import(worst.module, name), s.importtime_runs
            )
        collected = _Collected(times, ops)
        _measure_with_server(collected, s, server_cpu, python)

    rows = [
        *_import_rows(collected),
        *_chat_rows(collected),
        *_stream_rows(collected, s, streams_available(), transfers_available()),
        *_credits_rows(collected, s),
    ]
    details = [*_details(collected), f"load average (1 min) at start / end: {load_start} / {report.load_average()}"]
    machine = report.machine()
    machine["Pinning"] = (
        f"client on CPU {client_cpu}, server on CPU {server_cpu}" if client_cpu is not None else "none (one CPU)"
    )
    if python is not None:
        machine["Official SDK"] = f"`openrouter` {official.VERSION} (PyPI), in `benchmarks/{official.VENV_DIR.name}`"
    seconds = time.perf_counter() - started
    result = Report(
        rows=rows,
        record=_record_rows(collected, rows),
        offenders=offenders,
        machine=machine,
        date=report.utc_now(),
        settings=s,
        details=details,
        seconds=seconds,
    )
    if write:
        report.write_markdown(
            report.render_markdown(
                rows=result.rows,
                record=result.record,
                offenders=result.offenders,
                machine_info=result.machine,
                date=result.date,
                command=report.command_line(),
                settings=s.describe(),
                details=result.details,
                seconds=seconds,
                notes=report.existing_notes(output),
            ),
            output,
        )
        log(f"wrote {output}")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each: a smoke test in seconds")
    parser.add_argument("-n", "--calls", type=int, default=None, help="sequential calls per timed run and for RSS")
    parser.add_argument("--runs", type=int, default=None, help="timed runs per side (median reported)")
    parser.add_argument("--import-runs", type=int, default=None, help="fresh processes per import statement")
    official_group = parser.add_mutually_exclusive_group()
    official_group.add_argument(
        "--official", action="store_true", help="measure the official SDK too (the default except with --quick)"
    )
    official_group.add_argument("--no-official", action="store_true", help="do not measure the official SDK")
    parser.add_argument("--no-write", action="store_true", help="print only; do not rewrite BENCHMARKS.md")
    parser.add_argument(
        "--output", type=Path, default=report.BENCHMARKS_MD, help="where to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)

    s = Settings.quick(args.calls) if args.quick else Settings()
    if args.calls is not None:
        s = attrs.evolve(s, calls=args.calls, rss_calls=args.calls)
    if args.runs is not None:
        runs = args.runs
        s = attrs.evolve(
            s, runs=runs, concurrent_runs=runs, rss_runs=runs, stream_runs=runs, ttft_runs=runs, transfer_runs=runs
        )
    if args.import_runs is not None:
        s = attrs.evolve(s, import_runs=args.import_runs, cold_runs=args.import_runs)
    if args.official or args.no_official:
        s = attrs.evolve(s, official=args.official)
    if min(s.calls, s.runs, s.import_runs) < 1:
        parser.error("-n, --runs and --import-runs must be at least 1")

    result = run(s, write=not args.no_write, output=args.output)
    print(result.table)
    unmet = [r.measure for r in result.rows if not r.met]
    print("\nAll goals met." if not unmet else "\nGoals not met: " + "; ".join(unmet) + ".")
    if result.record:
        print(f"\nOfficial `openrouter` SDK {official.VERSION}, for the record:\n")
        print(report.render_record(result.record))
    for label, entries in result.offenders.items():
        print(f"\nImport time of `{label}`, top SDK modules beyond `{FLOOR_IMPORT}`:\n")
        print(report.render_offenders(entries))
    print(f"\nSettings: {s.describe()}.")
    print("Per-run samples:")
    for line in result.details:
        print(f"  {line}")
    print("Machine: " + "; ".join(f"{k}: {v}" for k, v in result.machine.items()))
    print(f"Took {result.seconds:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
