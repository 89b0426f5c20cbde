"""Response decoders compiled per model class, for the hot path (chat results, stream events).

The generic decoder (``_serde``) loops over a dict's keys and looks each one up. Once a class has
been decoded once (which prepares the fields that appeared, importing only their types), the next
decode compiles a function for that class: one ``get`` per field, an inline type check for the
fields whose plain values pass unchanged, and a call for the rest. The same rules, fewer steps;
``tests/unit/test_compiled.py`` checks that both decoders agree.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openrouter_core._serde import _Field, _Plan

__all__ = ["compile_decoder"]

_MISSING = object()

Slow = Callable[[int, Any, dict[str, Any], "list[tuple[str, str]] | None"], "list[tuple[str, str]] | None"]


def compile_decoder(
    cls: type,
    fields: list[_Field],
    entries: Mapping[str, list[Any]],
    slow: Slow,
    prelude: Callable[[Any], Mapping[str, Any]],
    invalid: Callable[[list[tuple[str, str]]], Exception],
) -> Callable[[Any, Any], Any]:
    """A decoder for ``cls``: ``fields`` in order, with the plans ``entries`` holds so far.

    Args:
        cls: the model class.
        fields: its fields.
        entries: wire name -> ``[field, plan or None]`` (plans prepared by earlier decodes).
        slow: decodes field ``index`` the generic way (its plan prepared on demand) into the keyword
            arguments, returning the failures so far.
        prelude: turns a value that is not a dict into a mapping, or raises.
        invalid: builds the exception for a list of failures.
    """
    names: dict[str, Any] = {
        "CLS": cls,
        "MISSING": _MISSING,
        "SLOW": slow,
        "PRELUDE": prelude,
        "INVALID": invalid,
        "INVALID_EXC": invalid,
        "FAILED": _failed,
    }
    lines = [
        "def decode(value, _):",
        "    if value.__class__ is not dict:",
        "        if value.__class__ is CLS:",
        "            return value",
        "        value = PRELUDE(value)",
        "    get = value.get",
        "    kw = {}",
        "    failures = None",
    ]
    for index, field in enumerate(fields):
        lines += _field_lines(index, field, entries[field.wire][1], names)
    lines += [
        "    if failures:",
        "        raise INVALID(failures)",
        "    return CLS(**kw)",
    ]
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), f"<decoder of {cls.__qualname__}>", "exec"), names, namespace)  # noqa: S102
    decoder: Callable[[Any, Any], Any] = namespace["decode"]
    return decoder


def _field_lines(index: int, field: _Field, plan: _Plan | None, names: dict[str, Any]) -> list[str]:
    wire = repr(field.wire)
    lines = [f"    v = get({wire}, MISSING)"]
    if plan is None:  # a field not seen yet: the generic way, which prepares it
        lines += ["    if v is not MISSING:", f"        failures = SLOW({index}, v, kw, failures)"]
    else:
        target = repr(plan.target)
        branch = "if"
        if plan.fast is not None:
            names[f"FAST{index}"] = plan.fast
            lines += [f"    if v.__class__ is FAST{index}:", f"        kw[{target}] = v"]
            branch = "elif"
        if field.omit_none:
            lines += [f"    {branch} v is None:", "        pass"]
            branch = "elif"
        elif plan.nullable:
            lines += [f"    {branch} v is None:", f"        kw[{target}] = None"]
            branch = "elif"
        names[f"HOOK{index}"] = getattr(plan.hook, "compiled", None) or plan.hook
        names[f"TYPE{index}"] = plan.tp
        item = _compiled_item(plan)
        if item is not None:  # a list of models: the items' own decoder, straight (the hook again for errors)
            names[f"ITEM{index}"], names[f"ITEMTYPE{index}"] = item
            lines += [
                f"    {branch} v.__class__ is list:",
                "        try:",
                f"            kw[{target}] = [ITEM{index}(x, ITEMTYPE{index}) for x in v]",
                "        except INVALID_EXC:",
                "            try:",
                f"                kw[{target}] = HOOK{index}(v, TYPE{index})",
                "            except INVALID_EXC as exc:",
                f"                failures = FAILED(failures, {_path(field.wire)!r}, exc)",
            ]
            branch = "elif"
        lines += [
            f"    {branch} v is not MISSING:",
            "        try:",
            f"            kw[{target}] = HOOK{index}(v, TYPE{index})",
            "        except INVALID_EXC as exc:",
            f"            failures = FAILED(failures, {_path(field.wire)!r}, exc)",
        ]
    if field.required:
        reason = "required field is missing"
        lines += [
            "    if v is MISSING:",
            f"        failures = (failures or []) + [({_path(field.wire)!r}, {reason!r})]",
        ]
    return lines


def _compiled_item(plan: _Plan) -> tuple[Any, Any] | None:
    """``(decoder, type)`` of a ``list[Model]`` field's items, once that model has a compiled decoder."""
    if typing.get_origin(plan.tp) is not list:
        return None
    (item_type,) = typing.get_args(plan.tp) or (None,)
    hook = getattr(plan.hook, "item_hook", None)
    compiled = getattr(hook, "compiled", None) if hook is not None else None
    return (compiled, item_type) if compiled is not None else None


def _failed(failures: list[tuple[str, str]] | None, path: str, exc: Any) -> list[tuple[str, str]]:
    return [*(failures or []), *((path + inner, reason) for inner, reason in exc.failures)]


def _path(wire: str) -> str:
    return f".{wire}" if wire.isidentifier() else f"[{wire!r}]"
