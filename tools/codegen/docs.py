"""The operations table of ``README.md``, between ``<!-- operations:start -->`` and ``<!-- operations:end -->``."""

from __future__ import annotations

from tools.codegen.operations import Op
from tools.codegen.registry import ALIASES, HELPERS

START = "<!-- operations:start -->"
END = "<!-- operations:end -->"
KEYS = {
    "api_key": "API key",
    "bearer": "per-call bearer",
    "bearer_or_api_key": "API key (or per-call bearer)",
    "none": "none",
}


def key_of(op: Op) -> str:
    """What authenticates the operation: a management key, an API key, or per-call credentials."""
    return "management" if op.management_key else KEYS[op.security]


def table(ops: list[Op]) -> str:
    """The Markdown table (sorted by function) and a line naming what is not generated yet."""
    entries = []
    for op in (op for op in ops if op.emitted):
        name = f"`{op.function}`" + (" (deprecated)" if op.deprecated else "")
        facade = f"`client.{op.namespace}.{op.facade_method}`"
        entries.append((op.function, f"| {name} | {facade} | `{op.method} {op.path}` | {key_of(op)} |"))
    by_id = {op.id: op for op in ops}
    for function, (operation_id, facade) in ALIASES.items():
        target = by_id[operation_id]
        http = f"`{target.method} {target.path}`"
        entries.append((function, f"| `{function}` (deprecated) | `client.{facade}` | {http} | {key_of(target)} |"))
    for function, facade in HELPERS.items():
        entries.append((function, f"| `{function}` | `client.{facade}` | none (no HTTP call) | none |"))
    rows = ["| Function | Facade method | HTTP | Key |", "|---|---|---|---|"]
    rows += [row for _, row in sorted(entries)]
    pending = ", ".join(f"`{op.function}`" for op in sorted(ops, key=lambda op: op.function) if not op.emitted)
    streams = ", ".join(
        f"`{op.function}`" for op in sorted(ops, key=lambda op: op.function) if op.emitted and op.stream
    )
    paged = sum(1 for op in ops if op.emitted and op.pages)
    note = (
        "Each function has an `_async` twin (except the two OAuth helpers, which do no I/O). "
        f'With `"stream": True` in the request, {streams} (and `beta_responses_send`) return a stream of events. '
        f"The {paged} paginated functions also have `<function>_pages` / `<function>_pages_async` "
        "(facade: `<method>_pages` / `<method>_pages_async`)."
    )
    if pending:
        note += f" Not generated yet: {pending}."
    return "\n".join([*rows, "", note])


def splice(readme: str, ops: list[Op]) -> str:
    """``readme`` with the table between the markers replaced."""
    if readme.count(START) != 1 or readme.count(END) != 1 or readme.index(START) > readme.index(END):
        raise ValueError(f"README.md must contain {START} and {END} once each, in that order")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table(ops)}\n{END}{tail}"
