"""Import cost, measured in fresh interpreters: wall time, modules loaded, and ``-X importtime``.

An import can only be measured once per process (the second one is a dict lookup), so every
sample is a new ``python -c`` process. The timer runs inside that process around the import
statement alone: interpreter start-up is the same for everyone and would only dilute the
ratio. ``-E -s`` keeps ``PYTHON*`` variables and the user site out; the working directory is
the repository, so the SDK imports from the checkout.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

import attrs

REPO_ROOT = Path(__file__).resolve().parent.parent
SUBPROCESS_TIMEOUT_S = 60.0

FLOOR_IMPORT = "import httpx, attrs, cattrs"
SDK_IMPORT = (
    "from openrouter_core import OpenRouterCore\nfrom openrouter_funcs.credits_get_credits import credits_get_credits"
)
FACADE_IMPORT = 'from openrouter import OpenRouter\nclient = OpenRouter(api_key="sk-bench")\nclient.credits'

# The measured statements are pasted between two perf_counter() calls. The result is printed
# with print() only, which imports nothing; len(sys.modules) before/after counts exactly the
# modules the statement loaded (the empty interpreter's own modules are the "before").
_TIMER = """\
import sys, time
_before = len(sys.modules)
_t0 = time.perf_counter()
{statement}
_t1 = time.perf_counter()
print(_t1 - _t0, len(sys.modules) - _before)
"""

# For the module-set comparison (which modules, not how many): prints them one per line.
_MODULES = """\
import sys
_before = set(sys.modules)
{statement}
print("\\n".join(sorted(set(sys.modules) - _before)))
"""

_MARK = "@@benchmark-mark@@"


def python(*args: str, timeout: float = SUBPROCESS_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    """Run this interpreter with ``args`` in the repository; raise with its stderr on failure."""
    proc = subprocess.run(
        [sys.executable, "-E", "-s", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)[:200]!r} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return proc


@attrs.frozen
class ImportSample:
    seconds: float
    modules: int


def sample_import(statement: str) -> ImportSample:
    out = python("-c", _TIMER.format(statement=statement)).stdout.split()
    return ImportSample(float(out[0]), int(out[1]))


def modules_loaded(statement: str) -> list[str]:
    return python("-c", _MODULES.format(statement=statement)).stdout.split()


@attrs.frozen
class ImportTimes:
    """Median seconds and module counts of each statement, from interleaved samples."""

    seconds: dict[str, float]
    modules: dict[str, int]
    samples: dict[str, list[float]]  # seconds; sample i of every statement came from the same round
    module_samples: dict[str, list[int]]


def measure_imports(statements: dict[str, str], runs: int) -> ImportTimes:
    """Sample each statement ``runs`` times, interleaved (A B C, B C A, ...), after one warm-up each.

    The warm-up compiles any missing ``.pyc`` and warms the OS file cache, which every real
    import after the first enjoys. Rotating the order spreads any drift (CPU frequency, other
    load) evenly over the statements.
    """
    names = list(statements)
    for name in names:
        sample_import(statements[name])
    samples: dict[str, list[ImportSample]] = {name: [] for name in names}
    for i in range(runs):
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(sample_import(statements[name]))
    return ImportTimes(
        seconds={name: statistics.median(s.seconds for s in samples[name]) for name in names},
        modules={name: statistics.median_low(s.modules for s in samples[name]) for name in names},
        samples={name: [s.seconds for s in samples[name]] for name in names},
        module_samples={name: [s.modules for s in samples[name]] for name in names},
    )


@attrs.frozen
class ImportTimeEntry:
    module: str
    self_us: float
    cumulative_us: float


def import_time_offenders(floor: str, statement: str, runs: int, top: int = 10) -> list[ImportTimeEntry]:
    """The ``top`` modules by cumulative ``-X importtime`` of ``statement`` beyond ``floor``.

    ``floor`` is imported first, so everything it loads is already in ``sys.modules`` and is
    not reported again: each line after the marker is a module the SDK adds, and its
    cumulative time is the SDK's own cost (httpx's import is not folded into it). Medians over
    ``runs`` processes; the marker goes to stderr between the two imports.
    """
    code = f"{floor}\nimport sys\nsys.stderr.write({_MARK!r} + '\\n')\nsys.stderr.flush()\n{statement}\n"
    per_module: dict[str, list[tuple[float, float]]] = {}
    for _ in range(max(runs, 1)):
        stderr = python("-X", "importtime", "-c", code).stderr
        after = stderr.split(_MARK, 1)[1]
        for line in after.splitlines():
            # "import time:  self [us] | cumulative | imported package" (the header repeats nothing)
            if not line.startswith("import time:"):
                continue
            parts = line[len("import time:") :].split("|")
            if len(parts) != 3 or not parts[0].strip().isdigit():
                continue
            per_module.setdefault(parts[2].strip(), []).append((float(parts[0]), float(parts[1])))
    entries = [
        ImportTimeEntry(
            module=name,
            self_us=statistics.median(s for s, _ in values),
            cumulative_us=statistics.median(c for _, c in values),
        )
        for name, values in per_module.items()
    ]
    entries.sort(key=lambda e: e.cumulative_us, reverse=True)
    return entries[:top]
