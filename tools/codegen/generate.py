"""The pipeline: document -> every generated file (formatted) -> written, or compared (``--check``)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tools.codegen import config, docs, facade, functions, models, operations, registry, templates, testgen, text
from tools.codegen.document import Document
from tools.codegen.fakegen import render as fake_files
from tools.codegen.schema import Builder, ClassDef, request_components

# Where generated files live; a file there whose first line is the header and that the generator
# no longer produces is stale (deleted by a run, reported by --check).
OWNED_GLOBS = (
    "openrouter_funcs/*.py",
    "openrouter_funcs/models/*.py",
    "openrouter_funcs/models/ops/*.py",
    "openrouter/_resources/*.py",
    "openrouter/_client.py",
    "tests/funcs/generated/*.py",
)


@dataclass
class Generated:
    """What one run produces."""

    files: dict[str, str]
    ops: list[operations.Op]
    builder: Builder


def module_head(builder: Builder, module: str, ops_by_module: dict[str, operations.Op]) -> str:
    """The module docstring's one line."""
    if module in ops_by_module:
        op = ops_by_module[module]
        return f"Models of ``{op.function}`` (``{op.method} {op.path}``): its request and answers."
    component = next(name for name, m in builder.component_modules.items() if m == module)
    definition = builder.definitions.get(component)
    description = definition.doc if definition is not None else ""
    prefix = f"``{component}``: "
    return prefix + text.summary(description, "a schema of the API.", text.LINE_LENGTH - 6 - len(prefix))


def build(root: Path) -> Generated:
    """Every generated file's source, before formatting, by repository-relative path."""
    document = Document.load(root / config.DOCUMENT, root / config.OVERLAY)
    ops = operations.derive(document)
    builder = Builder(document, request_components(document))
    for name in document.schemas:
        builder.component(name)
    emitted = [op for op in ops if op.emitted]
    for op in emitted:
        operations.build_models(op, builder)
    files: dict[str, str] = {}
    writer = models.ModuleWriter(builder.modules, builder.definitions)
    ops_by_module = {op.module: op for op in emitted}
    for module in sorted(builder.modules):
        files[models.path_of(module)] = writer.render(module, module_head(builder, module, ops_by_module))
    files["openrouter_funcs/models/_index.py"] = models.render_index(builder.definitions)
    files["openrouter_funcs/models/__init__.py"] = models.render_package(builder.definitions)
    files["openrouter_funcs/models/ops/__init__.py"] = (
        f'{text.HEADER}\n"""Models of each operation: its request, inline bodies and answers, one module each."""\n'
    )
    live = [op for op in emitted if not op.held_back]
    for op in live:
        files[f"openrouter_funcs/{op.function}.py"] = functions.render(op)
    by_id = {op.id: op for op in ops}
    send = by_id["createResponses"]
    files["openrouter_funcs/beta_responses_send.py"] = templates.render_beta_alias(send)
    for name in ("oauth_create_authorization_url", "oauth_create_sha256_code_challenge"):
        files[f"openrouter_funcs/{name}.py"] = templates.render(name)
    files["openrouter_funcs/_registry.py"] = registry.render(emitted)
    files.update(fake_files(document, ops))  # openrouter/testing/_routes.py and _fakedata.json
    tag_descriptions = {tag["name"]: tag.get("description", "") for tag in document.raw.get("tags") or ()}
    spaces = facade.group(live, oauth_helpers(), tag_descriptions)
    files["openrouter/_resources/__init__.py"] = (
        f'{text.HEADER}\n"""The facade\'s namespaces: one module each, imported on first access of the namespace."""\n'
    )
    for name, space in spaces.items():
        files[f"openrouter/_resources/{name}.py"] = facade.render_namespace(space)
    files["openrouter/_resources/beta.py"] = facade.render_beta(send)
    all_spaces = facade.group(emitted, oauth_helpers(), tag_descriptions)
    files["openrouter/_client.py"] = facade.render_client(all_spaces)
    files["tests/funcs/generated/__init__.py"] = (
        f'{text.HEADER}\n"""Generated per-operation tests: wire request, example answers, typed errors."""\n'
    )
    for op in live:
        files[f"tests/funcs/generated/test_{op.function}.py"] = testgen.render(op, builder, document)
    readme = (root / "README.md").read_text(encoding="utf-8")
    files["README.md"] = docs.splice(readme, ops)
    for path in config.HELD_BACK_PATHS if config.HELD_BACK else ():
        files.pop(path, None)
    for op in ops:
        assert op.request is None or isinstance(op.request, ClassDef)
    return Generated(files, ops, builder)


def oauth_helpers() -> list[facade.Helper]:
    """The facade methods of the two OAuth helpers (no HTTP, no async twin)."""
    url_imports = {
        "openrouter_funcs.oauth_create_authorization_url": {
            "CreateAuthorizationUrlRequest",
            "CreateAuthorizationUrlRequestDict",
        }
    }
    challenge_imports = {
        "openrouter_funcs.oauth_create_sha256_code_challenge": {
            "CreateSHA256CodeChallengeRequest",
            "CreateSHA256CodeChallengeRequestDict",
            "CreateSHA256CodeChallengeResponse",
        }
    }
    return [
        facade.Helper(
            namespace="oauth",
            method="create_authorization_url",
            function="oauth_create_authorization_url",
            module="openrouter_funcs.oauth_create_authorization_url",
            params="self, request: CreateAuthorizationUrlRequest | CreateAuthorizationUrlRequestDict, "
            "options: RequestOptions | None = None",
            args="self._core, request, options",
            returns="str",
            doc="The OAuth authorization URL (no HTTP). See ``oauth_create_authorization_url``; raises its ``Err``.",
            imports=url_imports,
            is_async=False,
        ),
        facade.Helper(
            namespace="oauth",
            method="create_sha256_code_challenge",
            function="oauth_create_sha256_code_challenge",
            module="openrouter_funcs.oauth_create_sha256_code_challenge",
            params="self, request: CreateSHA256CodeChallengeRequest | CreateSHA256CodeChallengeRequestDict | None"
            " = None",
            args="request",
            returns="CreateSHA256CodeChallengeResponse",
            doc="A PKCE verifier and its challenge. See ``oauth_create_sha256_code_challenge``; raises its ``Err``.",
            imports=challenge_imports,
            is_async=False,
        ),
    ]


def ruff(*args: str, cwd: Path) -> None:
    """Run ruff (the dev dependency, from this interpreter's environment)."""
    command = [sys.executable, "-m", "ruff", *args]
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"ruff {' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}")


def formatted(root: Path, files: dict[str, str]) -> dict[str, str]:
    """The Python files sorted (isort rules) and formatted by ruff with the repository's configuration."""
    with tempfile.TemporaryDirectory(prefix="codegen-") as scratch:
        base = Path(scratch)
        for path, source in files.items():
            target = base / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source, encoding="utf-8")
        python = sorted(path for path in files if path.endswith(".py"))
        config_file = str(root / "pyproject.toml")
        # In the scratch directory ruff cannot see which packages are the repository's own.
        first_party = (
            "lint.isort.known-first-party = ['openrouter', 'openrouter_core', 'openrouter_funcs', 'tests', 'tools']"
        )
        select = ("--select", "I", "--fix", "--quiet")
        ruff("check", "--config", config_file, "--config", first_party, *select, *python, cwd=base)
        ruff("format", "--config", config_file, "--quiet", *python, cwd=base)
        return {path: (base / path).read_text(encoding="utf-8") for path in files}


def stale(root: Path, files: dict[str, str]) -> list[str]:
    """Generated files on disk that this run does not produce (and hand-written files it replaces)."""
    found = []
    for pattern in OWNED_GLOBS:
        for path in sorted(root.glob(pattern)):
            relative = path.relative_to(root).as_posix()
            if relative in files or (config.HELD_BACK and relative in config.HELD_BACK_PATHS):
                continue
            with path.open(encoding="utf-8") as stream:
                if stream.readline().rstrip("\n") == text.HEADER:
                    found.append(relative)
    if not config.HELD_BACK:
        found += [path for path in config.REPLACED_BY_GENERATED if (root / path).exists()]
    return sorted(set(found))


def differences(root: Path, files: dict[str, str]) -> Iterator[tuple[str, str]]:
    """``(path, "changed" | "added" | "removed")`` for every file a run would touch."""
    for path, source in sorted(files.items()):
        target = root / path
        if not target.exists():
            yield path, "added"
        elif target.read_text(encoding="utf-8") != source:
            yield path, "changed"
    for path in stale(root, files):
        yield path, "removed"


def run(root: Path, *, check: bool) -> int:
    """Regenerate (or with ``check``, only compare). Returns the exit status."""
    generated = build(root)
    files = formatted(root, generated.files)
    changes = list(differences(root, files))
    if check:
        for path, change in changes:
            print(f"{change}: {path}")
        if changes:
            print(f"{len(changes)} generated file(s) out of date: run `python -m tools.codegen`")
            return 1
        return 0
    for path, change in changes:
        target = root / path
        if change == "removed":
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[path], encoding="utf-8")
    emitted = [op for op in generated.ops if op.emitted]
    classes = sum(isinstance(d, ClassDef) for d in generated.builder.definitions.values())
    print(
        f"{len(files)} files ({len(changes)} changed): {len(generated.builder.modules)} model modules, "
        f"{classes} classes, {len(emitted)} operations ({len(generated.ops) - len(emitted)} skipped, "
        f"{len([op for op in emitted if op.held_back])} held back)"
    )
    return 0
