"""The runtime's shape, checked: short functions, operation modules that are a page, one core import each."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_FUNCTION_LINES = 60


def functions(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            assert node.end_lineno is not None
            found.append((f"{path.name}:{node.lineno} {node.name}", node.end_lineno - node.lineno + 1))
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "openrouter_core").glob("*.py")), ids=lambda p: p.name)
def test_no_runtime_function_is_longer_than_a_screen(path: Path) -> None:
    long = [(name, lines) for name, lines in functions(path) if lines > MAX_FUNCTION_LINES]
    assert long == [], f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def operation_modules() -> list[Path]:
    return sorted(p for p in (ROOT / "openrouter_funcs").glob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("path", operation_modules(), ids=lambda p: p.name)
def test_an_operation_module_imports_one_private_core_module_at_most(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("openrouter_core._")
    }
    assert len(private) <= 1, private


@pytest.mark.parametrize("name", ["credits_get_credits.py", "credits_create_coinbase_charge.py"])
def test_the_credits_modules_are_data_and_two_thin_functions(name: str) -> None:
    path = ROOT / "openrouter_funcs" / name
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 50
    tree = ast.parse(source)
    defined = [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    assert defined == [name.removesuffix(".py")]  # the async twin comes from async_twin()
    body = next(node for node in tree.body if isinstance(node, ast.FunctionDef)).body
    assert len(body) == 2  # the docstring, and one call into the runtime
