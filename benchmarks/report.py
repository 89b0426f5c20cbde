"""The result table, the machine description and BENCHMARKS.md."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from benchmarks.imports import ImportTimeEntry

BENCHMARKS_MD = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
# Spelled out because ruff (RUF001) flags the literal character as confusable with "x".
TIMES = "\N{MULTIPLICATION SIGN}"
# Everything below this line in BENCHMARKS.md is hand-written and survives a rerun.
NOTES_MARKER = "<!-- Hand-written notes below this line are kept when the file is regenerated. -->"


@attrs.frozen
class Row:
    """One measure: the SDK's figure, the baseline's, how they compare, the goal, and whether it is met."""

    measure: str
    sdk: str
    baseline: str
    comparison: str
    goal: str
    met: bool


def _pairs(sdk: Sequence[float], base: Sequence[float]) -> list[tuple[float, float]]:
    # Not strict: a phase stopped by its time bound may leave one side with a run fewer.
    return list(zip(sdk, base, strict=False))


def ratio_row(
    measure: str,
    sdk: Sequence[float],
    base: Sequence[float],
    unit: str,
    fmt: str,
    goal: float,
    *,
    higher_is_better: bool,
) -> Row:
    """A row whose goal is SDK / baseline at most (or, for throughput, at least) ``goal``.

    ``sdk[i]`` and ``base[i]`` come from the same interleaved run, so the comparison is the
    median of the per-run ratios: a run slowed by outside load slows both of its sides and
    cancels out, which a ratio of the two medians (taken from different runs) does not do.
    The SDK and baseline columns are the plain medians.
    """
    ratio = statistics.median(s / b if b else float("inf") for s, b in _pairs(sdk, base))
    met = ratio >= goal if higher_is_better else ratio <= goal
    sign = "≥" if higher_is_better else "≤"
    return Row(
        measure,
        f"{statistics.median(sdk):{fmt}} {unit}",
        f"{statistics.median(base):{fmt}} {unit}",
        f"{ratio:.2f}{TIMES}",
        f"{sign} {goal:.2f}{TIMES}",
        met,
    )


def delta_row(measure: str, sdk: Sequence[float], base: Sequence[float], unit: str, fmt: str, limit: float) -> Row:
    """A row whose goal is SDK - baseline at most ``limit``: the median of the per-run differences."""
    delta = statistics.median(s - b for s, b in _pairs(sdk, base))
    return Row(
        measure,
        f"{statistics.median(sdk):{fmt}} {unit}",
        f"{statistics.median(base):{fmt}} {unit}",
        f"{delta:+{fmt}} {unit}",
        f"≤ +{limit:g} {unit}",
        delta <= limit,
    )


def render_table(rows: Sequence[Row]) -> str:
    lines = [
        "| Measure | SDK | Baseline | SDK vs baseline | Goal | Met |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    lines += [
        f"| {r.measure} | {r.sdk} | {r.baseline} | {r.comparison} | {r.goal} | {'✓' if r.met else '✗'} |" for r in rows
    ]
    return "\n".join(lines)


def render_offenders(entries: Sequence[ImportTimeEntry]) -> str:
    if not entries:
        return "(none: the SDK import loads nothing beyond the floor)"
    lines = ["| # | Module | Cumulative (µs) | Self (µs) |", "|---:|---|---:|---:|"]
    lines += [
        f"| {i} | `{e.module}` | {e.cumulative_us:,.0f} | {e.self_us:,.0f} |" for i, e in enumerate(entries, start=1)
    ]
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "CPU": _cpu_model(),
        "Cores": f"{os.cpu_count()} logical ({usable} usable by this process)",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "httpx": _version("httpx"),
        "attrs / cattrs": f"{_version('attrs')} / {_version('cattrs')}",
        "OS": platform.platform(),
    }


def utc_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def render_markdown(
    *,
    rows: Sequence[Row],
    offenders: Sequence[ImportTimeEntry],
    machine_info: dict[str, str],
    date: str,
    command: str,
    settings: str,
    details: Sequence[str],
    notes: str,
) -> str:
    unmet = [r.measure for r in rows if not r.met]
    verdict = "All goals met." if not unmet else "Goals not met: " + "; ".join(unmet) + "."
    machine_lines = "\n".join(f"- **{k}**: {v}" for k, v in machine_info.items())
    return f"""# Benchmarks

The SDK against raw httpx on the same machine, in the same run (issue 5's goals are ratios, so
they hold on any machine). Generated by `{command}` on {date}; rerun it to refresh
this file (the notes at the end are kept).

## Results

{render_table(rows)}

**{verdict}**

SDK and Baseline are medians over runs; "SDK vs baseline" is the median of the per-run ratios
(or differences) of interleaved runs, which cancels load that hit both sides.

Settings: {settings}.

Per-run samples, in run order (raw and SDK blocks interleaved within each run), to judge the noise:

```text
{chr(10).join(details)}
```

## Import time: top 10 SDK modules beyond the floor

`python -X importtime` of the SDK import with `{_floor()}` already imported, so every module
below is one the SDK adds and its cumulative time is the SDK's own (median of several runs).

{render_offenders(offenders)}

## Machine

{machine_lines}

## How to run

```sh
.venv/bin/python -m benchmarks                   # full run (a few minutes); rewrites BENCHMARKS.md
.venv/bin/python -m benchmarks --quick --no-write  # smoke run (seconds); prints the table only
.venv/bin/python -m benchmarks --help            # -n calls per run, --runs, --import-runs, --output
.venv/bin/python -m benchmarks.profile_sdk       # where the SDK's extra time per call goes
```

`tests/benchmarks/test_benchmarks_run.py` runs the quick mode so the benchmark cannot rot;
`tests/benchmarks/test_import_footprint.py` pins which `openrouter*` modules an import loads.

## Method

- **Server**: `benchmarks/server.py`, a raw `asyncio.Protocol` in its own process on 127.0.0.1
  answering `GET /api/v1/credits` with a fixed `{{"data":{{"total_credits":100.5,"total_usage":25.75}}}}`
  (`application/json`, `Content-Length`, keep-alive), each response in one write with
  `TCP_NODELAY`. Nothing else is ever contacted.
- **CPUs**: with two or more usable CPUs the client is pinned to the first and the server to
  the last (`os.sched_setaffinity`), so they never compete.
- **Calls**: raw is `httpx.Client().get(url).json()` (and `await httpx.AsyncClient().get(url)`),
  one client reused; the SDK is `credits_get_credits(core)` / `credits_get_credits_async(core)`
  with one `OpenRouterCore` and the default retry config (backoff, on for GET). Every result is
  checked (raw JSON equals the body; SDK result is `Ok` with the exact floats).
- **Interleaving**: after a warm-up of each, every timed run is cut into blocks (100 sequential
  calls, or one concurrent round) alternating raw, SDK, SDK, raw, ... with a `gc.collect()`
  before each block; a run's figure for a side sums its blocks, and each reported figure is the
  median over runs. Bursts of other load on the machine and httpx pool states thus hit both
  sides alike (the per-run SDK/raw ratios above show how steady the comparison was). Every
  loop is bounded by a call count and a deadline.
- **CPU per call**: `time.process_time()` of the client process over the sync runs, per call.
- **Peak RSS**: peak resident set of a fresh process (`benchmarks/rss_worker.py`) that imports
  only httpx or only the SDK and makes the calls sync; median of several processes each. It
  reads `VmHWM` from `/proc/self/status`, not `ru_maxrss`, which Linux carries over `exec` from
  the forking parent and would report the runner's own size.
- **Imports**: each sample is a fresh `python -E -s -c` process timing the import statement
  alone (`perf_counter` around it) and counting `len(sys.modules)` before and after; samples
  of the floor, the SDK and the facade are interleaved, median reported. The facade row
  imports `openrouter`, constructs `OpenRouter(api_key=...)` and accesses `.credits`.

{NOTES_MARKER}
{notes}"""


def _floor() -> str:
    from benchmarks.imports import FLOOR_IMPORT

    return FLOOR_IMPORT


def existing_notes(path: Path = BENCHMARKS_MD) -> str:
    """The hand-written notes of the current BENCHMARKS.md, if any."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    _, found, notes = text.partition(NOTES_MARKER)
    return notes.lstrip("\n") if found else ""


def write_markdown(text: str, path: Path = BENCHMARKS_MD) -> None:
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def command_line(argv: Sequence[str] | None = None) -> str:
    args = sys.argv[1:] if argv is None else list(argv)
    return " ".join(["python -m benchmarks", *args])
