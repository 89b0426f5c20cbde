"""The official ``openrouter`` SDK from PyPI, measured beside ours "for the record".

It has the same import name as our facade (``openrouter``), so it cannot live in the project's
virtualenv: the benchmark creates its own under ``benchmarks/.official-venv`` (gitignored) with
``python -m venv`` and pip, pinned to ``VERSION``, and reuses it while the pin matches. Every
measurement of it runs in a subprocess of that interpreter, with ``-I`` and from the venv's own
directory so the checkout's ``openrouter`` package can never shadow the installed one:

- imports and cold calls: fresh processes, timed like ours (``benchmarks/imports.py``);
- steady calls: one long-lived ``official_worker.py`` process that runs blocks of calls on
  command, so its blocks interleave with raw httpx's and ours in the same run.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.imports import Interpreter
from benchmarks.workloads import RunResult

VERSION = "1.3.84"
PACKAGE = f"openrouter=={VERSION}"
VENV_DIR = Path(__file__).resolve().parent / ".official-venv"
WORKER = Path(__file__).resolve().parent / "official_worker.py"
INSTALL_TIMEOUT_S = 600.0
REPLY_TIMEOUT_S = 300.0


def _log(message: str) -> None:
    print(f"[benchmarks] {message}", file=sys.stderr, flush=True)


def _python() -> Path:
    return VENV_DIR / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def interpreter() -> Interpreter:
    return Interpreter((str(_python()), "-I"), VENV_DIR)


def _installed_version() -> str | None:
    if not _python().exists():
        return None
    code = "import importlib.metadata as m; print(m.version('openrouter'))"
    proc = subprocess.run(
        [str(_python()), "-I", "-c", code], cwd=VENV_DIR, capture_output=True, text=True, timeout=60, check=False
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


def _run(argv: list[str]) -> None:
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:4])} ... failed ({proc.returncode}):\n{proc.stderr[-1500:]}")


def ensure() -> Interpreter | None:
    """The official SDK's interpreter, creating or updating its virtualenv if needed; ``None`` if that fails.

    A failure (no network, PyPI unreachable) is reported and the run goes on without the
    official SDK's figures: they are for the record, not goals.
    """
    if _installed_version() == VERSION:
        return interpreter()
    _log(f"official SDK: creating {VENV_DIR.name} with {PACKAGE} (once; reused by later runs)")
    try:
        if not _python().exists():
            _run([sys.executable, "-m", "venv", str(VENV_DIR)])
        _run([str(_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PACKAGE])
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        _log(f"warning: official SDK not measured: {exc}")
        return None
    if _installed_version() != VERSION:
        _log(f"warning: official SDK not measured: {PACKAGE} did not install")
        return None
    return interpreter()


def start_worker(
    python: Interpreter | None, base_url: str, request: dict[str, Any], max_seconds: float
) -> Worker | None:
    """The official SDK's worker, or ``None`` (reported) when there is no interpreter or it fails to start."""
    if python is None:
        return None
    try:
        return Worker(python, base_url, request, max_seconds)
    except (RuntimeError, OSError) as exc:
        _log(f"warning: official SDK's steady calls not measured: {exc}")
        return None


IMPORT = "from openrouter import OpenRouter"
FACADE = 'from openrouter import OpenRouter\nclient = OpenRouter(api_key="sk-bench")\nclient.chat\nclient.models'


class Worker:
    """The official SDK in a long-lived process, running blocks of chat calls on command.

    The protocol is one line each way: ``sync N`` or ``async N`` in, ``calls wall_s cpu_s`` out.
    The worker stops when its stdin closes (this object's ``close()`` or our death) and checks
    every answer itself. Each reply is awaited at most ``REPLY_TIMEOUT_S``.
    """

    def __init__(self, python: Interpreter, base_url: str, request: dict[str, Any], max_seconds: float) -> None:
        self._proc = subprocess.Popen(
            [*python.argv, str(WORKER), base_url, json.dumps(request), str(max_seconds)],
            cwd=python.cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self._selector = selectors.DefaultSelector()
        assert self._proc.stdout is not None
        self._selector.register(self._proc.stdout, selectors.EVENT_READ)
        self._expect("READY")

    def _expect(self, prefix: str) -> str:
        assert self._proc.stdout is not None
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._selector.select(remaining):
                raise RuntimeError("the official SDK worker did not answer in time")
            line = self._proc.stdout.readline()
            if not line:
                raise RuntimeError(f"the official SDK worker exited (code {self._proc.poll()})")
            if line.startswith(prefix):
                return line[len(prefix) :].strip()

    def block(self, mode: str, calls: int) -> RunResult:
        assert self._proc.stdin is not None
        self._proc.stdin.write(f"{mode} {calls}\n")
        self._proc.stdin.flush()
        done, wall, cpu = self._expect("DONE").split()
        return RunResult(int(done), float(wall), float(cpu))

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=10)
        self._selector.close()
        if self._proc.stdout is not None:
            self._proc.stdout.close()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
