"""Prism, the mock server generated from the OpenAPI document, for the conformance tests.

The session fixture ``prism_url`` installs Prism with ``npm ci`` (pinned by package.json and
package-lock.json beside this file) when node_modules is missing or holds another version, starts
``prism mock openapi/openrouter.openapi.yaml`` on 127.0.0.1 and a free port, and stops it at the
end of the session. These tests are required: with no Node.js or npm, or no registry to install
from, they fail with a message saying so; they are never skipped.

Prism serves the document's paths at the root: ``/credits``, not ``/api/v1/credits`` (the path of
the document's server URL is not mounted). So the URL the fixture yields is the ``server_url`` to
give the SDK, in place of ``https://openrouter.ai/api/v1``.

Prism validates every request against the document (its default for ``mock``): a missing or
non-bearer Authorization header answers the document's 401, an invalid body its 400. Responses
are the document's examples; ``Prefer: code=404`` picks the documented 404 (and a code that the
operation does not document answers Prism's own 404 problem document). ``Prefer: dynamic=true``
answers a body generated from the schema instead; Prism runs with a fixed ``--seed``, so that
body is the same on every run (the generator is re-seeded for each request).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CONFORMANCE_DIR = Path(__file__).resolve().parent
REPO_ROOT = CONFORMANCE_DIR.parents[1]
DOCUMENT = Path("openapi") / "openrouter.openapi.yaml"  # relative to REPO_ROOT, where Prism runs
PRISM_BIN = CONFORMANCE_DIR / "node_modules" / ".bin" / "prism"
PRISM_PACKAGE = CONFORMANCE_DIR / "node_modules" / "@stoplight" / "prism-cli" / "package.json"
# npm writes this after a complete install only: without it, node_modules may be half-installed.
INSTALL_MARKER = CONFORMANCE_DIR / "node_modules" / ".package-lock.json"

NPM_CI_TIMEOUT_S = 600.0
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
MIN_NODE = (18, 20, 1)  # @stoplight/prism-cli 5.14.2 declares engines.node ">=18.20.1"

# Dynamic answers (``Prefer: dynamic=true``) are generated from this seed: the same bodies every run.
PRISM_SEED = "openrouter-python-conformance"

FIX_HINT = "install Node.js >= 18.20.1 and npm, then rerun"


def _pinned_version() -> str:
    manifest = json.loads((CONFORMANCE_DIR / "package.json").read_text(encoding="utf-8"))
    return str(manifest["devDependencies"]["@stoplight/prism-cli"])


def _installed_version() -> str | None:
    if not (INSTALL_MARKER.exists() and PRISM_BIN.exists() and PRISM_PACKAGE.exists()):
        return None
    return str(json.loads(PRISM_PACKAGE.read_text(encoding="utf-8")).get("version"))


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"conformance tests: `node` is not on PATH; Prism needs it: {FIX_HINT}", pytrace=False)
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=False).stdout
    match = re.match(r"v(\d+)\.(\d+)\.(\d+)", out.strip())
    if match is None or tuple(int(part) for part in match.groups()) < MIN_NODE:
        version = out.strip() or "(unknown version)"
        pytest.fail(f"conformance tests: node {version} is too old for Prism: {FIX_HINT}", pytrace=False)
    return node


def _ensure_prism_installed() -> None:
    """Run ``npm ci`` unless node_modules already holds the pinned Prism."""
    pinned = _pinned_version()
    if _installed_version() == pinned:
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail(f"conformance tests: `npm` is not on PATH, so Prism cannot be installed: {FIX_HINT}", pytrace=False)
    command = [npm, "ci", "--no-audit", "--no-fund"]
    try:
        done = subprocess.run(
            command,
            cwd=CONFORMANCE_DIR,
            capture_output=True,
            text=True,
            timeout=NPM_CI_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(
            f"conformance tests: `npm ci` in tests/conformance did not finish in {NPM_CI_TIMEOUT_S:.0f} s; "
            "is the npm registry reachable from here (offline, proxy)?",
            pytrace=False,
        )
    if done.returncode != 0:
        pytest.fail(
            f"conformance tests: `npm ci` in tests/conformance failed (exit {done.returncode}); is the npm "
            f"registry reachable from here (offline, proxy)? Its output ends:\n{_tail(done.stdout + done.stderr)}",
            pytrace=False,
        )
    installed = _installed_version()
    if installed != pinned:
        pytest.fail(
            f"conformance tests: `npm ci` succeeded but installed @stoplight/prism-cli {installed}, not {pinned}: "
            "package.json and package-lock.json disagree; run `npm install` in tests/conformance and commit both",
            pytrace=False,
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop Prism and everything it started (it runs in its own process group)."""
    if process.poll() is None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
                break
            except subprocess.TimeoutExpired:
                continue
    process.wait()


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> float:
    """Poll until Prism answers any HTTP request; return the seconds it took."""
    started = time.monotonic()
    with httpx.Client(trust_env=False, timeout=2.0) as client:
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"conformance tests: Prism exited with {process.returncode} while starting; its log ends:\n"
                    f"{_tail(log.read_text(encoding='utf-8', errors='replace'))}",
                    pytrace=False,
                )
            try:
                client.get(url + "/")  # any answer (Prism's 404 for "/") means it is serving
            except httpx.TransportError:
                pass
            else:
                return time.monotonic() - started
            if time.monotonic() - started > STARTUP_TIMEOUT_S:
                pytest.fail(
                    f"conformance tests: Prism did not answer on {url} within {STARTUP_TIMEOUT_S:.0f} s; "
                    "its log ends:\n"
                    f"{_tail(log.read_text(encoding='utf-8', errors='replace'))}",
                    pytrace=False,
                )
            time.sleep(0.1)


@contextlib.contextmanager
def _serve(document: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[str]:
    """Run ``prism mock document`` on 127.0.0.1 and a free port; yield its base URL; stop it after."""
    node = _node()
    _ensure_prism_installed()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp(name) / "prism.log"
    command = [node, str(PRISM_BIN), "mock", str(document), "--host", "127.0.0.1", "--port", str(port)]
    command += ["--seed", PRISM_SEED]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(process, url, log)
        yield url
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a Prism mock of the OpenAPI document: the SDK's ``server_url`` for it.

    Only ever on 127.0.0.1. The log (every request, with Prism's validation messages) is in the
    session's temporary directory, ``prism0/prism.log``.
    """
    if not (REPO_ROOT / DOCUMENT).is_file():
        pytest.fail(f"conformance tests: the OpenAPI document {DOCUMENT.as_posix()} is missing", pytrace=False)
    with _serve(DOCUMENT, tmp_path_factory, "prism") as url:
        yield url


@pytest.fixture(scope="session")
def prism_patched_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second Prism, serving the document with ``openapi/overlay.yaml`` applied (started on first use).

    The SDK is generated from the patched document; the overlay changes one operation (the
    Coinbase charge gets back its request body and 200 answer), which only this server can check.
    """
    from tests.openapi_document import patched_document

    patched = tmp_path_factory.mktemp("patched-document") / "openrouter.patched.json"
    patched.write_text(json.dumps(patched_document()), encoding="utf-8")
    with _serve(patched, tmp_path_factory, "prism-patched") as url:
        yield url
