"""openrouter.testing stays layered: each module imports only its own layer or those below, without cycles.

wire types -> routes (generated) -> answers -> the fake -> connectors -> FakeOpenRouter and the package.
The fake must not share the SDK's models (it exists to catch their mistakes), and the shipped package
never imports jsonschema or PyYAML; importing it reads no data file.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import openrouter.testing

PACKAGE = Path(openrouter.testing.__file__).parent
LAYERS = {
    # wire types: what goes over the wire, scripted or not
    "_wire": 0,
    "_requests": 0,
    "_responses": 0,
    "_streams": 0,
    # routes: generated facts and data, and reading requests with them
    "_routes": 1,
    "_data": 1,
    "_router": 1,
    "_validator": 1,
    "_checks": 1,
    # default answers and what the fake keeps
    "_answers": 2,
    "_state": 2,
    # the fake itself
    "_fake": 3,
    # connectors
    "_inprocess": 4,
    "_server": 4,
    # the public class and the package
    "_openrouter": 5,
    "__init__": 5,
}
PREFIX = "openrouter.testing."


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every module ``path`` imports, anywhere in it (type-checking and function-level imports too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module == "openrouter.testing":
            # ``from openrouter.testing import _data`` imports a module; any other name, the package.
            found += [
                (PREFIX + alias.name if alias.name.startswith("_") else node.module, node.lineno)
                for alias in node.names
            ]
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            found.append((node.module, node.lineno))
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in PACKAGE.glob("*.py"):
        edges[path.stem] = {
            name[len(PREFIX) :].split(".")[0] for name, _ in imports_of(path) if name.startswith(PREFIX)
        }
    return edges


def test_every_module_has_a_layer() -> None:
    assert set(graph()) <= set(LAYERS)


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = [
        f"{module} (layer {LAYERS[module]}) imports {target} (layer {LAYERS[target]})"
        for module, targets in graph().items()
        for target in targets
        if LAYERS.get(target, 99) > LAYERS[module]
    ]
    assert upward == []


def test_the_import_graph_has_no_cycle() -> None:
    edges = graph()
    state: dict[str, str] = {}
    cycles: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges[module]):
            if state.get(target) == "open":
                cycles.append([*trail[trail.index(target) :], target] if target in trail else [module, target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_connectors_do_not_know_each_other() -> None:
    edges = graph()
    assert "_server" not in edges["_inprocess"]
    assert "_inprocess" not in edges["_server"]


def test_the_package_imports_only_its_own_layers() -> None:
    """Inside the package, only the package's top (``__init__``) and its users import ``openrouter.testing``."""
    for path in PACKAGE.glob("*.py"):
        names = [name for name, _ in imports_of(path)]
        assert "openrouter.testing" not in names or path.stem == "__init__", path.name


def test_the_fake_shares_no_model_or_validation_with_the_sdk() -> None:
    for path in PACKAGE.glob("*.py"):
        for name, line in imports_of(path):
            assert not name.startswith("openrouter_funcs"), f"{path.name}:{line} imports {name}"
            assert name.split(".")[0] not in {"jsonschema", "yaml"}, f"{path.name}:{line} imports {name}"
            if name.startswith("openrouter_core"):
                # The redaction list (so the fake hides what the SDK hides) and the core it connects.
                assert name in {"openrouter_core._redact", "openrouter_core"}, f"{path.name}:{line} imports {name}"


def test_route_facts_are_written_once() -> None:
    """Paths and methods live in the generated ``_routes.py`` only: no hand-written module spells one."""
    routes = __import__("openrouter.testing._routes", fromlist=["ROUTES"]).ROUTES
    templates = {route.path for route in routes if route.path.count("/") > 1}
    for path in PACKAGE.glob("*.py"):
        if path.stem == "_routes":
            continue
        source = path.read_text(encoding="utf-8")
        assert [template for template in templates if f'"{template}"' in source] == [], path.name


def test_importing_the_package_is_cheap() -> None:
    """``import openrouter.testing`` loads the wire types and the fake; routes, data and connectors wait."""
    code = """
import json, sys
import openrouter.testing
loaded = sorted(m for m in sys.modules if m.startswith("openrouter.testing."))
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("jsonschema", "yaml", "openrouter_funcs"))
openrouter.testing.FakeTransport
from openrouter.testing import _data
print(json.dumps({"loaded": loaded, "heavy": heavy, "data_loaded": _data.load.cache_info().currsize}))
"""
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(completed.stdout) == {
        "loaded": [PREFIX + name for name in ("_fake", "_openrouter", "_requests", "_responses", "_streams", "_wire")],
        "heavy": [],
        "data_loaded": 0,
    }


def test_lazy_names_are_listed() -> None:
    assert {"FakeTransport", "AsyncFakeTransport", "OPERATIONS"} <= set(dir(openrouter.testing))
    assert set(openrouter.testing.__all__) <= set(dir(openrouter.testing))
    assert openrouter.testing.OPERATIONS["getCredits"] == "GET /credits"
