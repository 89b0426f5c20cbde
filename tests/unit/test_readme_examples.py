"""Every Python example of README.md runs as written, as a user would run it, against a fake OpenRouter.

Each ```python block (outside "## Testing your code", whose blocks are pytest files run by
``tests/testing/test_fake_plugin.py``) is a complete script. It runs in its own interpreter
(``sys.executable -W error``), in a temporary directory, with ``OPENROUTER_API_KEY`` set to a test
key and ``OPENROUTER_BASE_URL`` pointing at a ``FakeOpenRouter`` served on 127.0.0.1 by this module
(reset before each example). The developer's own ``OPENROUTER_*`` and proxy variables are removed;
instead every proxy variable points at a local tripwire that records any connection, with
``NO_PROXY`` exempting 127.0.0.1, so an example that tried to reach a real server (openrouter.ai)
fails here instead of contacting it.

The examples also pass ``mypy --strict`` (for Python 3.10, the oldest supported), so what the README
says a type checker knows (a stream for ``"stream": True``, narrowing by ``result.ok``) holds.

A block that cannot run is marked in the README by an HTML comment on the line before its fence,
``<!-- not run: the reason -->``; it is skipped with that reason. Test ids come from the nearest
heading.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from openrouter.testing import FakeOpenRouter

README = Path(__file__).resolve().parents[2] / "README.md"
RUN_ELSEWHERE = "Testing your code"  # a "## " section whose blocks tests/testing/test_fake_plugin.py runs
NOT_RUN = re.compile(r"^<!--\s*not run:\s*(?P<reason>.+?)\s*-->$")
HEADING = re.compile(r"^(?P<level>#{2,4}) (?P<title>.+)$")
TEST_KEY = "sk-or-v1-readme-examples-0123456789"
TIMEOUT_S = 60
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


class Example(NamedTuple):
    """One ```python block of the README."""

    heading: str  # the nearest heading above it
    line: int  # the line of its opening fence (1-based)
    code: str
    not_run: str | None  # the reason given by a "<!-- not run: ... -->" marker, else None


def read_examples(text: str) -> list[Example]:
    """The python blocks of ``text`` outside the run-elsewhere section, in order."""
    found: list[Example] = []
    heading = section = ""
    fence: str | None = None  # the language of the open fence
    start = 0
    body: list[str] = []
    previous = ""  # the last non-blank line outside a fence
    for number, line in enumerate(text.splitlines(), start=1):
        if fence is not None:
            if line.startswith("```"):
                if fence == "python" and section != RUN_ELSEWHERE:
                    marker = NOT_RUN.match(previous)
                    reason = marker.group("reason") if marker else None
                    found.append(Example(heading, start, "\n".join(body) + "\n", reason))
                fence = None
                previous = line
            else:
                body.append(line)
            continue
        if line.startswith("```"):
            fence, start, body = line[3:].strip(), number, []
            continue
        match = HEADING.match(line)
        if match:
            heading = match.group("title").replace("`", "")
            if len(match.group("level")) == 2:
                section = heading
        if line.strip():
            previous = line.strip()
    assert fence is None, f"README.md: the fence opened at line {start} is never closed"
    return found


def example_id(heading: str, seen: dict[str, int]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-") or "readme"
    seen[slug] = seen.get(slug, 0) + 1
    return slug if seen[slug] == 1 else f"{slug}-{seen[slug]}"


EXAMPLES = read_examples(README.read_text(encoding="utf-8"))
_SEEN: dict[str, int] = {}
PARAMS = [pytest.param(example, id=example_id(example.heading, _SEEN)) for example in EXAMPLES]


class Tripwire:
    """A TCP listener that counts connections: the proxy of every example, so none reaches the internet."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="readme-tripwire", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenRouter]:
    with FakeOpenRouter.serve() as served:
        yield served


@pytest.fixture(scope="module")
def tripwire() -> Iterator[Tripwire]:
    wire = Tripwire()
    yield wire
    wire.close()


def example_env(fake: FakeOpenRouter, tripwire: Tripwire) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.upper().startswith("OPENROUTER_") and name.upper() not in PROXY_VARIABLES
    }
    env["OPENROUTER_API_KEY"] = TEST_KEY
    env["OPENROUTER_BASE_URL"] = fake.url
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env[name] = tripwire.url
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


def test_the_readme_has_runnable_examples() -> None:
    assert len(EXAMPLES) >= 20
    assert all(example.code.strip() for example in EXAMPLES)
    not_run = [example for example in EXAMPLES if example.not_run is not None]
    assert len(not_run) <= 3, f"keep blocks that cannot run rare: {[e.line for e in not_run]}"


def test_the_reader_keeps_out_the_testing_section_and_reads_markers() -> None:
    text = (
        "## Usage\n\n### One\n\n```python\nprint(1)\n```\n\n<!-- not run: a signature -->\n"
        "```python\ndef f() -> None: ...\n```\n\n```sh\n# not a heading\n```\n\n"
        f"## {RUN_ELSEWHERE}\n\n```python\nimport pytest\n```\n\n## After\n\n```python\nprint(2)\n```\n"
    )
    assert read_examples(text) == [
        Example("One", 5, "print(1)\n", None),
        Example("One", 10, "def f() -> None: ...\n", "a signature"),
        Example("After", 26, "print(2)\n", None),
    ]


@pytest.mark.parametrize("example", PARAMS)
def test_the_example_runs(example: Example, fake: FakeOpenRouter, tripwire: Tripwire, tmp_path: Path) -> None:
    if example.not_run is not None:
        pytest.skip(f"README.md line {example.line} is marked not run: {example.not_run}")
    fake.reset()
    contacted = tripwire.connections
    script = tmp_path / "example.py"
    script.write_text(example.code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-W", "error", str(script)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        cwd=tmp_path,
        env=example_env(fake, tripwire),
        check=False,
    )
    where = f"README.md line {example.line} ({example.heading})"
    output = f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    assert done.returncode == 0, f"{where} failed:\n{output}"
    assert "Traceback" not in done.stderr, f"{where} printed a traceback:\n{output}"
    assert "Exception ignored" not in done.stderr, f"{where} leaked something (a ResourceWarning?):\n{output}"
    assert tripwire.connections == contacted, f"{where} tried to reach a server other than 127.0.0.1"
    assert fake.requests, f"{where} sent nothing to the fake: does it use OPENROUTER_BASE_URL?"
    assert TEST_KEY not in done.stdout + done.stderr, f"{where} printed the API key"


def test_the_examples_pass_mypy_strict(tmp_path: Path) -> None:
    for number, example in enumerate(EXAMPLES):
        (tmp_path / f"readme_example_{number:02d}.py").write_text(example.code, encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", "--no-error-summary"]
    command += ["--cache-dir", str(tmp_path / ".mypy_cache"), *sorted(str(path) for path in tmp_path.glob("*.py"))]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, cwd=tmp_path, check=False)
    lines = {f"readme_example_{number:02d}.py": example.line for number, example in enumerate(EXAMPLES)}
    report = done.stdout + done.stderr
    for name, line in lines.items():
        report = report.replace(name, f"{name} (README.md line {line})")
    assert done.returncode == 0, report
