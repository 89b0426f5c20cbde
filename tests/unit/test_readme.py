"""The README's Python examples at least compile, and its quick start has exactly two commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_python_examples_compile(index: int) -> None:
    compile(PYTHON_BLOCKS[index], f"README.md python block {index}", "exec")


def test_quick_start_has_exactly_two_commands() -> None:
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert "openrouter demo" in commands[0]
    assert "pytest" in commands[1]
    assert "coverage report" in commands[1]


def test_ci_runs_the_readme_quick_start() -> None:
    ci = (Path(__file__).parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert "## Quick start" in ci


def test_the_testing_your_code_example_passes(tmp_path: Path) -> None:
    import subprocess
    import sys

    section = README.split("## Testing your code", 1)[1]
    example = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert example is not None
    (tmp_path / "test_example.py").write_text(example.group(1), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
