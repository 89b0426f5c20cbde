"""Costs measured in fresh interpreters: import time, modules loaded, ``-X importtime``, cold calls.

An import can only be measured once per process (the second one is a dict lookup), so every
sample is a new ``python -c`` process. The timer runs inside that process around the measured
statements alone: interpreter start-up is the same for everyone and would only dilute the
ratio. ``-E -s`` keeps ``PYTHON*`` variables and the user site out; the working directory is
the repository, so the SDK imports from the checkout. The official SDK's interpreter (another
virtualenv, see ``benchmarks/official.py``) runs with ``-I`` from its own directory instead, so
the checkout's ``openrouter`` package cannot shadow the installed one.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs

REPO_ROOT = Path(__file__).resolve().parent.parent
SUBPROCESS_TIMEOUT_S = 60.0

FLOOR_IMPORT = "import httpx, attrs, cattrs"
SDK_IMPORT = (
    "from openrouter_core import OpenRouterCore\nfrom openrouter_funcs.credits_get_credits import credits_get_credits"
)
FACADE_IMPORT = 'from openrouter import OpenRouter\nclient = OpenRouter(api_key="sk-bench")\nclient.credits'
FACADE_CHAT_IMPORT = (
    'from openrouter import OpenRouter\nclient = OpenRouter(api_key="sk-bench")\nclient.chat\nclient.models'
)


def operation_import(module: str, function: str) -> str:
    """The statement that imports one operation, as a user writes it (with the core it needs)."""
    return f"from openrouter_core import OpenRouterCore\nfrom {module} import {function}"


def all_operations() -> list[tuple[str, str]]:
    """(module, function) of every operation module the registry lists, the OAuth helpers included."""
    from openrouter_funcs import _registry

    functions = sorted(set(_registry.BY_FUNCTION) | set(getattr(_registry, "HELPERS", {})))
    return [(f"openrouter_funcs.{name}", name) for name in functions]


@attrs.frozen
class Interpreter:
    """How to start a fresh Python: the command prefix and the working directory."""

    argv: tuple[str, ...]
    cwd: Path

    @classmethod
    def this(cls) -> Interpreter:
        return cls((sys.executable, "-E", "-s"), REPO_ROOT)


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


def python(
    *args: str, timeout: float = SUBPROCESS_TIMEOUT_S, interpreter: Interpreter | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``args`` in a fresh interpreter (this one, in the repository, by default); raise on failure."""
    where = interpreter or Interpreter.this()
    proc = subprocess.run(
        [*where.argv, *args],
        cwd=where.cwd,
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


def sample_import(statement: str, interpreter: Interpreter | None = None) -> ImportSample:
    out = python("-c", _TIMER.format(statement=statement), interpreter=interpreter).stdout.split()
    return ImportSample(float(out[-2]), int(out[-1]))


def modules_loaded(statement: str) -> list[str]:
    return python("-c", _MODULES.format(statement=statement)).stdout.split()


@attrs.frozen
class ImportTimes:
    """Median seconds and module counts of each statement, from interleaved samples."""

    seconds: dict[str, float]
    modules: dict[str, int]
    samples: dict[str, list[float]]  # seconds; sample i of every statement came from the same round
    module_samples: dict[str, list[int]]


Statement = str | tuple[str, Interpreter]


def _split(statement: Statement) -> tuple[str, Interpreter | None]:
    return statement if isinstance(statement, tuple) else (statement, None)


def measure_imports(statements: dict[str, Statement], runs: int) -> ImportTimes:
    """Sample each statement ``runs`` times, interleaved (A B C, B C A, ...), after one warm-up each.

    A statement is code for this interpreter, or ``(code, interpreter)`` for another one (the
    official SDK's). The warm-up compiles any missing ``.pyc`` and warms the OS file cache, which
    every real import after the first enjoys. Rotating the order spreads any drift (CPU
    frequency, other load) evenly over the statements.
    """
    names = list(statements)
    for name in names:
        sample_import(*_split(statements[name]))
    samples: dict[str, list[ImportSample]] = {name: [] for name in names}
    for i in range(runs):
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(sample_import(*_split(statements[name])))
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


# --- every operation -----------------------------------------------------------------------------


@attrs.frozen
class OperationImport:
    """One operation module's import against the floor: paired samples (same round, adjacent)."""

    module: str
    seconds: list[float]
    floor_seconds: list[float]

    @property
    def ratio(self) -> float:
        """The median of the per-pair ratios: a pair shares whatever load the machine had then."""
        return statistics.median(s / f for s, f in zip(self.seconds, self.floor_seconds, strict=True))

    @property
    def median_s(self) -> float:
        return statistics.median(self.seconds)


def _pair(module: str, function: str, floor: str, first: bool) -> tuple[float, float]:
    statement = operation_import(module, function)
    if first:
        floor_s = sample_import(floor).seconds
        return sample_import(statement).seconds, floor_s
    op_s = sample_import(statement).seconds
    return op_s, sample_import(floor).seconds


def measure_operation_imports(
    operations: Sequence[tuple[str, str]], rounds: int, confirm: int, confirm_rounds: int, floor: str = FLOOR_IMPORT
) -> list[OperationImport]:
    """Every operation's import, each paired with a floor sample, ``rounds`` times in shuffled order.

    The worst of ~100 noisy estimates is biased upwards (one burst of outside load is enough),
    so the ``confirm`` worst by ratio get ``confirm_rounds`` more pairs before the worst is named.
    The order is shuffled each round (fixed seed) and the floor goes first in every other pair, so
    drift and order effects spread evenly.
    """
    shuffle = random.Random(20261125).shuffle
    for module, function in operations[:1]:  # warm-up: the shared .pyc files and the file cache
        _pair(module, function, floor, True)
    pairs: dict[str, list[tuple[float, float]]] = {module: [] for module, _ in operations}
    order = list(operations)
    flip = False
    for _ in range(rounds):
        shuffle(order)
        for module, function in order:
            pairs[module].append(_pair(module, function, floor, flip))
            flip = not flip
    results = {module: _result(module, p) for module, p in pairs.items()}
    worst = sorted(results.values(), key=lambda r: r.ratio, reverse=True)[:confirm]
    functions = dict(operations)
    for _ in range(confirm_rounds):
        for entry in worst:
            pairs[entry.module].append(_pair(entry.module, functions[entry.module], floor, flip))
            flip = not flip
    return [_result(module, p) for module, p in pairs.items()]


def _result(module: str, pairs: list[tuple[float, float]]) -> OperationImport:
    return OperationImport(module, [op for op, _ in pairs], [floor for _, floor in pairs])


# --- cold calls ----------------------------------------------------------------------------------
#
# A fresh process that imports what it needs, makes one chat call to the benchmark server and
# decodes the ~2 KB answer: what a script or a serverless function pays on its first call. The
# timer covers the imports, building the client, the call and the decoding; every answer is
# checked inside the timed process (an AssertionError fails the run).

_EXPECT = "The capital of France is Paris."


def cold_raw(chat_url: str, request: dict[str, object]) -> str:
    return (
        "import json, httpx\n"
        'client = httpx.Client(headers={"Authorization": "Bearer sk-bench"})\n'
        f"data = json.loads(client.post({chat_url!r}, json={request!r}).content)\n"
        f'assert data["choices"][0]["message"]["content"].startswith({_EXPECT!r}), data'
    )


def cold_sdk(base_url: str, request: dict[str, object]) -> str:
    return (
        "from openrouter_core import OpenRouterCore\n"
        "from openrouter_funcs.chat_send import chat_send\n"
        f'core = OpenRouterCore(api_key="sk-bench", server_url={base_url!r})\n'
        f"result = chat_send(core, {request!r})\n"
        f"assert result.ok and result.value.choices[0].message.content.startswith({_EXPECT!r}), result"
    )


def cold_official(base_url: str, request: dict[str, object]) -> str:
    # The official SDK takes the body's fields as keyword arguments of chat.send().
    return (
        "from openrouter import OpenRouter\n"
        f'client = OpenRouter(api_key="sk-bench", server_url={base_url!r})\n'
        f"answer = client.chat.send(**{request!r})\n"
        f"assert answer.choices[0].message.content.startswith({_EXPECT!r}), answer"
    )


def sample_cold(code: str, interpreter: Interpreter | None = None) -> float:
    """Seconds from the first import to the checked answer, in a fresh process running ``code``."""
    return sample_import(code, interpreter).seconds
