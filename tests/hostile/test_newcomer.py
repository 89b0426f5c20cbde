"""Promise 12: a newcomer's first hour.

- ``openrouter credits`` against a closed port fails within 10 s by default, saying on stderr,
  one line per retry, that it is retrying ("retrying in ..., attempt ..."); ``--retries none``
  fails after one attempt; ``--version`` prints the version; ``fake-server --port 70000`` is a
  usage error (exit 2); a closed stdout (``openrouter demo | head -1``) exits 0 quietly.
- A standalone function given ``None`` or a key string as its core returns an ``Err`` naming
  ``core`` or raises ``TypeError`` at once: never an ``AttributeError`` from inside.
- ``openrouter fake-server`` stops cleanly on SIGINT even when started with SIGINT ignored (as
  in a non-interactive background shell).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import openrouter_core as orc
from openrouter_funcs.credits_create_coinbase_charge import (
    credits_create_coinbase_charge,
    credits_create_coinbase_charge_async,
)
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from tests.hostile import rawserver as rs
from tests.hostile.support import CHARGE, KEY, ROOT

CLI = [sys.executable, "-W", "error", "-m", "openrouter"]


def cli_env(api_key: str | None = KEY, **extra: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("OPENROUTER_") and not name.lower().endswith("_proxy")
    }
    if api_key is not None:
        env["OPENROUTER_API_KEY"] = api_key
    env.update(extra)
    return env


def run_cli(*args: str, limit_s: float, api_key: str | None = KEY) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    try:
        process = subprocess.run(
            [*CLI, *args], cwd=ROOT, env=cli_env(api_key), capture_output=True, text=True, timeout=limit_s, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`openrouter {' '.join(args)}` was still running after {limit_s} s")
    return process, time.monotonic() - started


def retry_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "retrying in" in line and "attempt" in line]


@pytest.mark.slow
def test_credits_against_a_closed_port_fails_within_10_s_and_says_it_retries() -> None:
    process, elapsed = run_cli("credits", "--server-url", rs.closed_port_url(), limit_s=12)
    assert process.returncode == 1, process.stderr
    assert elapsed < 10, f"took {elapsed:.1f} s"
    lines = retry_lines(process.stderr)
    assert lines, f"no retry lines on stderr: {process.stderr!r}"
    assert KEY not in process.stderr
    assert "Traceback" not in process.stderr
    assert process.stderr.strip().splitlines()[-1] not in lines  # the last line is the error itself


@pytest.mark.slow
def test_retries_none_fails_after_one_attempt() -> None:
    process, elapsed = run_cli("credits", "--server-url", rs.closed_port_url(), "--retries", "none", limit_s=12)
    assert process.returncode == 1, process.stderr
    assert retry_lines(process.stderr) == []
    assert "unrecognized arguments" not in process.stderr
    assert elapsed < 5, f"took {elapsed:.1f} s"


@pytest.mark.slow
def test_retries_none_sends_one_request() -> None:
    with rs.serve(rs.answer(503, rs.error_json(503), [("Retry-After", "0")])) as server:
        process, _ = run_cli("credits", "--server-url", server.url, "--retries", "none", limit_s=20)
    assert process.returncode == 1, process.stderr
    assert server.count == 1


def test_version() -> None:
    process, _ = run_cli("--version", limit_s=30, api_key=None)
    assert process.returncode == 0, process.stderr
    assert orc.__version__ in process.stdout


@pytest.mark.parametrize("port", ["70000", "65536", "-1"])
def test_fake_server_with_an_impossible_port_is_a_usage_error(port: str) -> None:
    process, _ = run_cli("fake-server", "--port", port, limit_s=30, api_key=None)
    assert process.returncode == 2, (process.returncode, process.stderr)
    assert "Traceback" not in process.stderr
    assert "--port" in process.stderr or "port" in process.stderr


@pytest.mark.slow
@pytest.mark.parametrize("reader", ["closed-at-once", "head-1-unbuffered"])
def test_demo_into_a_closed_pipe_exits_0_quietly(reader: str) -> None:
    extra = {"PYTHONUNBUFFERED": "1"} if reader == "head-1-unbuffered" else {}
    process = subprocess.Popen(
        [*CLI, "demo"],
        cwd=ROOT,
        env=cli_env(None, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        if reader == "head-1-unbuffered":
            process.stdout.readline()
        process.stdout.close()  # the reader goes away, like `| head -1`
        _, raw_stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    stderr = raw_stderr.decode()
    assert process.returncode == 0, (process.returncode, stderr)
    assert "Traceback" not in stderr
    assert "BrokenPipe" not in stderr
    assert "Exception ignored" not in stderr


# --- a wrong core ------------------------------------------------------------------------------------


def call_with(fn: Callable[..., Any], core: object) -> Any:
    args: tuple[Any, ...] = (core,) if "get_credits" in fn.__name__ else (core, None, CHARGE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if fn.__name__.endswith("_async"):
            return asyncio.run(fn(*args))
        return fn(*args)


FUNCTIONS = [
    credits_get_credits,
    credits_get_credits_async,
    credits_create_coinbase_charge,
    credits_create_coinbase_charge_async,
]
WRONG_CORES: list[tuple[str, Callable[[], object]]] = [
    ("None", lambda: None),
    ("key-string", lambda: KEY),
    ("int", lambda: 5),
    ("object", object),
    ("dict", lambda: {"api_key": KEY}),
    ("httpx-client", httpx.Client),
]


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("make", [w[1] for w in WRONG_CORES], ids=[w[0] for w in WRONG_CORES])
def test_a_wrong_core_is_an_err_or_type_error_naming_core(fn: Callable[..., Any], make: Callable[[], object]) -> None:
    core = make()
    try:
        try:
            result = call_with(fn, core)
        except TypeError as exc:
            message = str(exc)
        else:
            assert isinstance(result, orc.Err), result
            assert isinstance(result.error, orc.OpenRouterSDKError), repr(result.error)
            message = str(result.error)
    finally:
        if isinstance(core, httpx.Client):
            core.close()
    assert "core" in message, message
    assert KEY not in message
    assert "\n" not in message


# --- SIGINT with SIGINT ignored by the parent ------------------------------------------------------------


def ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def start_fake_server(how: str) -> subprocess.Popen[str]:
    common: dict[str, Any] = {
        "cwd": ROOT,
        "env": cli_env(),
        "stdout": subprocess.PIPE,
        "stderr": subprocess.PIPE,
        "text": True,
    }
    if how == "preexec_fn":
        with warnings.catch_warnings():  # newer Pythons warn about fork() in a threaded process
            warnings.simplefilter("ignore", DeprecationWarning)
            return subprocess.Popen([*CLI, "fake-server"], preexec_fn=ignore_sigint, **common)  # noqa: PLW1509
    # The same disposition, inherited through exec() from a launcher that ignores SIGINT.
    launcher = (
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
        "os.execv(sys.executable, [sys.executable, '-W', 'error', '-m', 'openrouter', 'fake-server'])"
    )
    return subprocess.Popen([sys.executable, "-c", launcher], **common)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("how", ["preexec_fn", "exec-launcher"])
def test_fake_server_stops_on_sigint_even_when_sigint_was_ignored(how: str) -> None:
    process = start_fake_server(how)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Fake OpenRouter listening on http://127.0.0.1:"), first
        url = first.split()[-1]
        with httpx.Client(trust_env=False) as client:
            assert client.get(url + "/credits", headers={"Authorization": "Bearer k"}).status_code == 200
        process.send_signal(signal.SIGINT)
        try:
            stdout, stderr = process.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            pytest.fail("the fake server ignored SIGINT")
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert stdout.rstrip().endswith("Stopped.")
    assert "Traceback" not in stderr
