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


def missing_row(measure: str, goal: str, why: str) -> Row:
    """A goal that could not be measured in this run (what it needs is not in the SDK yet): not met."""
    return Row(measure, "n/a", "n/a", f"not measured: {why}", goal, False)


@attrs.frozen
class RecordRow:
    """The official SDK's figure beside the same baseline, and this SDK's comparison for the same measure."""

    measure: str
    official: str
    baseline: str
    comparison: str
    ours: str
    goal: str


def record_row(
    measure: str, official: Sequence[float], base: Sequence[float], unit: str, fmt: str, ours: Row
) -> RecordRow:
    ratio = statistics.median(o / b if b else float("inf") for o, b in _pairs(official, base))
    return RecordRow(
        measure,
        f"{statistics.median(official):{fmt}} {unit}",
        f"{statistics.median(base):{fmt}} {unit}",
        f"{ratio:.2f}{TIMES}",
        ours.comparison,
        ours.goal,
    )


def render_record(rows: Sequence[RecordRow]) -> str:
    lines = [
        "| Measure | Official SDK | Baseline | Official vs baseline | This SDK vs baseline | This SDK's goal |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [f"| {r.measure} | {r.official} | {r.baseline} | {r.comparison} | {r.ours} | {r.goal} |" for r in rows]
    return "\n".join(lines)


def load_average() -> str:
    # Other work on the machine is the main source of noise; the report records how much there was.
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"


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


def _record_section(record: Sequence[RecordRow]) -> str:
    from benchmarks.official import VERSION

    if not record:
        return (
            "## The official SDK, for the record\n\n"
            "Not measured in this run (`--no-official`, `--quick`, or its virtualenv could not be created).\n\n"
        )
    return f"""## The official SDK, for the record

The official `openrouter` package from PyPI, version **{VERSION}** (pinned in `benchmarks/official.py`),
installed by the benchmark into its own virtualenv (`benchmarks/.official-venv`, gitignored: it
has the same import name as our facade) and measured in subprocesses in the same run, against
the same baselines. Its imports and cold call run like ours; its steady calls run in a worker
process whose blocks are interleaved with raw httpx's and ours. Its chat call is
`OpenRouter(api_key=..., server_url=...).chat.send(**request)` (`send_async` for async). It has
no standalone functions, so its import row is its lightest useful import, the client class,
beside this SDK's median over its operation modules.

{render_record(record)}

"""


def _offender_sections(offenders: dict[str, Sequence[ImportTimeEntry]]) -> str:
    parts = []
    for label, entries in offenders.items():
        parts.append(f"### `{label}`\n\n{render_offenders(entries)}\n")
    return "\n".join(parts)


def render_markdown(
    *,
    rows: Sequence[Row],
    record: Sequence[RecordRow],
    offenders: dict[str, Sequence[ImportTimeEntry]],
    machine_info: dict[str, str],
    date: str,
    command: str,
    settings: str,
    details: Sequence[str],
    seconds: float,
    notes: str,
) -> str:
    unmet = [r.measure for r in rows if not r.met]
    verdict = "All goals met." if not unmet else "Goals not met: " + "; ".join(unmet) + "."
    machine_lines = "\n".join(f"- **{k}**: {v}" for k, v in machine_info.items())
    return f"""# Benchmarks

The SDK against raw httpx on the same machine, in the same run (the goals of issues 5, 10, 11 and
12 are ratios or differences, so they hold on any machine). Generated by `{command}` on {date}
in {seconds / 60:.1f} minutes; rerun it to refresh this file (the notes at the end are kept).

## Results

{render_table(rows)}

**{verdict}**

SDK and Baseline are medians over runs; "SDK vs baseline" is the median of the per-run ratios
(or differences) of interleaved runs, which cancels load that hit both sides. The baseline of an
import is `{_floor()}` in a fresh process; of a call, raw httpx making the same request and
decoding the answer with `json.loads` (`.json()` for credits).

Settings: {settings}.

Per-run samples, in run order (the sides' blocks interleaved within each run), to judge the noise:

```text
{chr(10).join(details)}
```

{_record_section(record)}## Import time: top 10 SDK modules beyond the floor

`python -X importtime` of an operation's import with `{_floor()}` already imported, so every
module below is one the SDK adds and its cumulative time is the SDK's own (median of several
runs): for credits, for chat, and for the slowest operation module if it is another.

{_offender_sections(offenders)}
## Machine

{machine_lines}

## How to run

```sh
.venv/bin/python -m benchmarks                     # full run (several minutes); rewrites BENCHMARKS.md
.venv/bin/python -m benchmarks --quick --no-write  # smoke run (seconds); prints the table only
.venv/bin/python -m benchmarks --help              # -n calls per run, --runs, --import-runs, --no-official, --output
.venv/bin/python -m benchmarks.profile_sdk         # where the SDK's extra time per call goes (credits and chat)
.venv/bin/python -m benchmarks.profile_sdk --cold  # where a cold chat call's time goes
```

The first full run creates `benchmarks/.official-venv` (`python -m venv` + pip, needs PyPI);
later runs reuse it. `--quick` skips the official SDK unless `--official` is given.
`tests/benchmarks/test_benchmarks_run.py` runs the quick mode so the benchmark cannot rot;
`tests/benchmarks/test_import_footprint.py` pins which `openrouter*` modules an import loads.

## Method

- **Server**: `benchmarks/server.py`, a raw `asyncio.Protocol` in its own process on 127.0.0.1
  (keep-alive HTTP/1.1, `TCP_NODELAY`, small answers in one write). `GET /api/v1/credits` answers
  a fixed `{{"data":{{"total_credits":100.5,"total_usage":25.75}}}}`; `POST /api/v1/chat/completions`
  a fixed ~2 KB `ChatResult` (the document's example grown to a realistic answer: a paragraph of
  content, usage with details and cost, and two fields the document does not list, `provider` and
  `native_finish_reason`); with `"stream": true`, `max_tokens` chat chunks of one token each, a
  final chunk with the finish reason and usage, and `data: [DONE]`, each event its own HTTP chunk
  (chunked transfer encoding), after one `: OPENROUTER PROCESSING` comment. `GET
  /api/v1/files/{{id}}/content` sends the download; `POST /api/v1/files` reads the upload without
  keeping it and answers a `FileResponse` with the byte count. Nothing else is ever contacted.
- **CPUs**: with two or more usable CPUs the client is pinned to the first and the server to
  the last (`os.sched_setaffinity`), so they never compete. Subprocesses (fresh imports, cold
  calls, RSS workers, the official SDK's worker) inherit the client's CPU.
- **Calls**: one client reused per side. Credits: raw `httpx.Client().get(url).json()`; the SDK
  `credits_get_credits(core)`. Chat: raw `client.post(url, json=request)` + `json.loads(.content)`;
  the SDK `chat_send(core, request)` with the same dict (validated, encoded, decoded into a
  `ChatResult`). Async twins alike. Every result is checked (raw JSON equals the body; the SDK's
  value is `Ok` with the exact fields).
- **Streams**: raw `client.stream("POST", ...)` iterating `iter_lines()` and `json.loads`-ing each
  `data:` line; the SDK `chat_send(core, {{..., "stream": True}})` iterating its `Ok(stream)` of
  `ChatStreamChunk`s. Both read to the end and check the event count and the first token.
  Events/s is events over the whole call (request to the end of the stream). Time to first token
  is from the call to the first decoded event of a short stream, median per run.
- **Interleaving**: after a warm-up of each side, every timed run is cut into blocks (100
  sequential calls, one concurrent round, one stream, or a few stream calls) alternating between
  the sides, forwards then backwards, with a `gc.collect()` before each block; a run's figure for
  a side sums its blocks, and each reported figure is the median over runs. Bursts of other load
  and httpx pool states thus hit all sides alike. Every loop is bounded by a count and a deadline.
- **CPU per call**: `time.process_time()` of the client process over the sync credits runs.
- **Peak RSS**: peak resident set (`VmHWM` from `/proc/self/status`; `ru_maxrss` is carried over
  `exec` from the forking parent) of a fresh process (`benchmarks/rss_worker.py`) that imports only
  httpx or only the SDK and does the work: 2000 credits calls; a download read a piece at a time
  (raw `client.stream` + `iter_bytes()`, the SDK `files_download` + its `iter_bytes()`); a
  multipart upload streamed from a file on disk (raw httpx `files=` with the open file, the SDK
  `files_upload` with the path). Median of several processes each.
- **Imports**: each sample is a fresh `python -E -s -c` process timing the statements alone
  (`perf_counter` around them) and counting `len(sys.modules)` before and after; samples of each
  statement are interleaved, median reported. An operation's import is
  `from openrouter_core import OpenRouterCore` plus `from openrouter_funcs.<name> import <name>`.
  Every module of `openrouter_funcs/_registry.py` (operations, the deprecated alias and the OAuth
  helpers) is measured in shuffled rounds, each sample paired with a floor sample taken next to
  it; a module's ratio is the median of its pairs' ratios. The worst few are measured again before
  the worst is named, since the maximum of ~100 noisy figures is biased upwards.
- **Cold chat call**: a fresh process timing everything from its first import to the checked
  answer: raw `import json, httpx` + `httpx.Client()` + one POST + `json.loads`; the SDK
  `OpenRouterCore` + `chat_send` imports, one call, the answer decoded into models.

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
