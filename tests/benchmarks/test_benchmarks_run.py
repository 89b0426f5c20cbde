"""The benchmark still runs end to end (tiny N), so it cannot rot. No timing is asserted.

It runs as ``python -m benchmarks`` in a subprocess from the repository root, exactly as
BENCHMARKS.md documents: that checks the command itself, keeps the CPU pinning and event loops
out of the pytest process, and works whether or not the repository root is on ``sys.path``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

# Every measure of issues 5, 10, 11 and 12: each must appear as a table row with a verdict.
ROWS = [
    "Import one operation (credits, fresh process)",
    "Modules loaded by that import",
    "Import any one operation: median of ",
    "Import any one operation: worst (",
    "Facade: import, construct, first `.credits`",
    "Facade: `OpenRouter()` + `.chat` + `.models`",
    "Cold chat call (",
    "Sync chat calls (",
    "Async chat calls (",
    "Sync chat stream, ",
    "Async chat stream, ",
    "Time to first token (",
    "Peak RSS, download of ",
    "Peak RSS, upload of ",
    "Sync sequential `GET /credits`",
    "Async sequential `GET /credits`",
    "Async concurrent (",
    "Client CPU per call (sync)",
    "Peak RSS after ",
]


def _row_lines(text: str) -> dict[str, str]:
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    found = {}
    for name in ROWS:
        matching = [line for line in lines if line.startswith(f"| {name}")]
        assert len(matching) == 1, f"expected one row {name!r} in:\n{text}"
        found[name] = matching[0]
    return found


def _assert_table(text: str) -> None:
    assert "| Measure | SDK | Baseline | SDK vs baseline | Goal | Met |" in text
    for name, line in _row_lines(text).items():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == 6, line
        assert cells[5] in ("✓", "✗"), f"{name}: no verdict in {line!r}"
        # Every figure is a number with its unit, not "nan" or empty.
        for cell in cells[1:4]:
            assert re.search(r"\d", cell), f"{name}: no number in {cell!r}"


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    output = tmp_path_factory.mktemp("bench") / "BENCHMARKS.md"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--output", str(output)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,  # the quick run takes a few seconds; this only stops a hang
        check=False,
    )
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc, output


def test_quick_run_prints_every_row(quick_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    proc, _ = quick_run
    _assert_table(proc.stdout)
    assert "Import time of `credits`, top SDK modules beyond" in proc.stdout
    assert "Import time of `chat`, top SDK modules beyond" in proc.stdout
    assert "Machine: CPU:" in proc.stdout
    assert re.search(r"Took \d+ s\.", proc.stdout)


def test_quick_run_measures_chat_and_several_operation_modules(
    quick_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    proc, _ = quick_run
    rows = _row_lines(proc.stdout)
    # Quick mode imports a few operation modules, chat_send among them, each paired with the floor.
    assert re.search(r"median of [2-9] modules", rows["Import any one operation: median of "])
    assert "operation imports, ratio to the floor" in proc.stdout
    assert "chat_send" in proc.stdout
    for name in ("cold chat call ms: sdk/raw", "sync chat calls/s: sdk/raw", "sync stream events/s: sdk/raw"):
        assert name in proc.stdout


def test_quick_run_leaves_the_official_sdk_out(quick_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    # It needs its own virtualenv from PyPI: only full runs (or --official) measure it.
    proc, output = quick_run
    assert "official" not in proc.stderr.lower()
    assert "Not measured in this run" in output.read_text(encoding="utf-8")


def test_quick_run_writes_the_markdown(quick_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, output = quick_run
    text = output.read_text(encoding="utf-8")
    _assert_table(text)
    for section in (
        "## Results",
        "## The official SDK, for the record",
        "## Import time",
        "## Machine",
        "## How to run",
        "## Method",
    ):
        assert section in text
    assert "python -m benchmarks --quick --output" in text  # the command that produced it
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", text)  # the date
    assert "**Python**:" in text
    assert "**httpx**:" in text


def test_hand_written_notes_survive_a_rerun(tmp_path: Path) -> None:
    output = tmp_path / "BENCHMARKS.md"
    marker = "<!-- Hand-written notes below this line are kept when the file is regenerated. -->"
    output.write_text(f"old generated text\n{marker}\n## Notes\n\nkeep me\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "-n", "5", "--output", str(output)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    text = output.read_text(encoding="utf-8")
    assert "old generated text" not in text
    assert text.count(marker) == 1
    assert text.endswith("## Notes\n\nkeep me\n")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to look the server process up")
def test_the_server_process_is_stopped(quick_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    proc, _ = quick_run
    match = re.search(r"server pid (\d+)", proc.stderr)
    assert match, proc.stderr
    pid = int(match.group(1))
    # The runner waits for the server to exit, so no process with that id runs our server any more
    # (the id itself may since have been reused by an unrelated process).
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        assert b"benchmarks.server" not in cmdline.read_bytes()
