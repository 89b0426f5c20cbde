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

import attrs

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
    invalid: type[Exception],
) -> Callable[[Any, Any], Any]:
    """A decoder for ``cls``: ``fields`` in order, with the plans ``entries`` holds so far.

    Each field's value goes into a local variable; the object is then built by setting its slots
    directly (what attrs' ``__init__`` does, minus the keyword arguments), or by calling the class
    when it is not a plain slotted attrs class.

    Args:
        cls: the model class.
        fields: its fields.
        entries: wire name -> ``[field, plan or None]`` (plans prepared by earlier decodes).
        slow: decodes field ``index`` the generic way (its plan prepared on demand) into the keyword
            arguments, returning the failures so far.
        prelude: turns a value that is not a dict into a mapping, or raises.
        invalid: the exception class of decoding failures, built from a list of them (and caught
            from the fields' hooks).
    """
    names: dict[str, Any] = {
        "CLS": cls,
        "NEW": object.__new__,
        "MISSING": _MISSING,
        "SLOW": slow,
        "PRELUDE": prelude,
        "INVALID": invalid,
        "FAILED": _failed,
    }
    attributes = {attribute.name: attribute for attribute in attrs.fields(cls)}
    targets = [attributes[field.name].alias or field.name for field in fields]
    lines = [
        "def decode(value, _):",
        "    if value.__class__ is not dict:",
        "        if value.__class__ is CLS:",
        "            return value",
        "        value = PRELUDE(value)",
        "    get = value.get",
        "    failures = None",
    ]
    unseen = frozenset(field.wire for field in fields if entries[field.wire][1] is None)
    if unseen:
        # Fields no value has had yet are usually absent: one C-level test says whether to look.
        names["UNSEEN"] = unseen
        lines += ["    kw = {}", "    rare = not UNSEEN.isdisjoint(value)"]
    for index, field in enumerate(fields):
        attribute = attributes[field.name]
        names[f"DEFAULT{index}"] = None if attribute.default is attrs.NOTHING else attribute.default
        lines += _field_lines(index, field, entries[field.wire][1], targets[index], names)
    lines += ["    if failures:", "        raise INVALID(failures)"]
    lines += _construction(cls, fields, targets, names)
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), f"<decoder of {cls.__qualname__}>", "exec"), names, namespace)  # noqa: S102
    decoder: Callable[[Any, Any], Any] = namespace["decode"]
    return decoder


def _construction(cls: type, fields: list[_Field], targets: list[str], names: dict[str, Any]) -> list[str]:
    """Build the object from the locals ``f0``, ``f1``, ...: through its slots when that is what ``__init__`` does."""
    plain = (
        "__slots__" in vars(cls)
        and not hasattr(cls, "__attrs_post_init__")
        and not hasattr(cls, "__attrs_pre_init__")
        and all(
            a.validator is None and a.converter is None and a.init and not isinstance(a.default, attrs.Factory)  # type: ignore[arg-type]
            for a in attrs.fields(cls)
        )
        and len(attrs.fields(cls)) == len(fields)
    )
    if not plain:
        arguments = ", ".join(f"{target}=f{index}" for index, target in enumerate(targets))
        return [f"    return CLS({arguments})"]
    lines = ["    o = NEW(CLS)"]
    for index, field in enumerate(fields):
        names[f"SET{index}"] = getattr(cls, field.name).__set__
        lines.append(f"    SET{index}(o, f{index})")
    return [*lines, "    return o"]


def _field_lines(index: int, field: _Field, plan: _Plan | None, target: str, names: dict[str, Any]) -> list[str]:
    local = f"f{index}"
    lines = [f"    v = get({field.wire!r}, MISSING)"]
    missing = [f"        {local} = DEFAULT{index}"]
    if field.required:
        reason = "required field is missing"
        missing.append(f"        failures = (failures or []) + [({_path(field.wire)!r}, {reason!r})]")
    if plan is None:  # a field not seen yet: the generic way, which prepares it
        return [
            "    if rare:",
            *("    " + line for line in lines),
            "        if v is MISSING:",
            *("    " + line for line in missing),
            "        else:",
            f"            failures = SLOW({index}, v, kw, failures)",
            f"            {local} = kw.pop({target!r}, DEFAULT{index})",
            "    else:",
            *missing,
        ]
    if plan.fast is not None:
        names[f"FAST{index}"] = plan.fast
        lines += [f"    if v.__class__ is FAST{index}:", f"        {local} = v", "    elif v is MISSING:", *missing]
    else:
        lines += ["    if v is MISSING:", *missing]
    if field.omit_none:
        lines += ["    elif v is None:", f"        {local} = DEFAULT{index}"]
    elif plan.nullable:
        lines += ["    elif v is None:", f"        {local} = None"]
    names[f"HOOK{index}"] = getattr(plan.hook, "compiled", None) or plan.hook
    names[f"TYPE{index}"] = plan.tp
    failed = [
        "        except INVALID as exc:",
        f"            failures = FAILED(failures, {_path(field.wire)!r}, exc)",
        f"            {local} = None",
    ]
    item = _compiled_item(plan)
    if item is not None:  # a list of models: the items' own decoder, straight (the hook again for errors)
        names[f"ITEM{index}"], names[f"ITEMTYPE{index}"] = item
        lines += [
            "    elif v.__class__ is list:",
            "        try:",
            (
                f"            {local} = [ITEM{index}(v[0], ITEMTYPE{index})] if len(v) == 1 else"
                f" [ITEM{index}(x, ITEMTYPE{index}) for x in v]"
            ),
            "        except INVALID:",
            "            try:",
            f"                {local} = HOOK{index}(v, TYPE{index})",
            *("    " + line for line in failed),
        ]
    return [*lines, "    else:", "        try:", f"            {local} = HOOK{index}(v, TYPE{index})", *failed]


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
