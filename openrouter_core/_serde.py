"""JSON and models: two cattrs converters built from one set of rules, and the encoder.

The rules, in one place:

- A JSON value must already have the field's type: no string ``"1.5"`` for a number, no ``true``
  for an integer; an integer is accepted where a number (float) is expected. NaN and infinities
  are not JSON and are rejected, including ``1e999``.
- Responses (``decode``): unknown fields are ignored at every level, so a newer server never breaks
  an older SDK; enums are open (a value the SDK does not know is kept); a discriminated union with
  an unknown tag decodes to ``RawVariant``; constraints are not checked (the server's answer is
  not ours to reject). Absent, ``null`` and a value stay distinct (``UNSET``, ``None``, the value).
- Requests (``validate_request``): unknown keys are rejected, with the closest known key suggested;
  required fields, enum values, and every ``Annotated`` constraint marker are checked; every
  failing field is reported with its path, not just the first.
- Unions without a discriminator decode by JSON kind first (``null``, boolean, integer, number,
  string, array, object); among several object members, the one whose known properties best cover
  the value's keys is tried first, then the rest in document order; the first that fits wins.

Model classes name their field types with strings (generated modules import other models only for
type checkers), and each string is resolved the first time a value needs it, through
``openrouter_funcs.models._index``: decoding a chat response loads the classes it meets, not the
hundreds it could meet. Hooks are built per type on first use and cached by cattrs.
"""

from __future__ import annotations

import builtins
import enum
import functools
import importlib
import io
import json
import math
import os
import sys
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, Union

import attrs

from openrouter_core._schema import UNSET, WIRE_NAME, Constraint, FileField, FileValue, OneOf, RawVariant, Unset

if TYPE_CHECKING:
    import cattrs

__all__ = ["DecodeFailure", "decode", "decode_json", "encode_json", "to_json", "validate_request"]

T = TypeVar("T")
Hook = Callable[[Any, Any], Any]

MODELS_INDEX = "openrouter_funcs.models._index"


class DecodeFailure(Exception):
    """Where and why a body failed to decode (internal; becomes a ``ResponseValidationError``)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{reason} at {path}")
        self.path = path
        self.reason = reason


class Invalid(Exception):
    """Failures below some value: ``(relative path, reason)`` pairs; paths are joined on the way up."""

    def __init__(self, failures: list[tuple[str, str]]) -> None:
        super().__init__(failures)
        self.failures = failures


def _fail(reason: str) -> Invalid:
    return Invalid([("", reason)])


def _prefixed(prefix: str, failures: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(prefix + path, reason) for path, reason in failures]


_JSON_KINDS = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def _describe(value: object) -> str:
    kind = _JSON_KINDS.get(type(value))
    if kind is None:
        kind = "an object" if isinstance(value, Mapping) else type(value).__name__
    return kind


def _expected(what: str, value: object) -> Invalid:
    return _fail(f"expected {what}, got {_describe(value)}")


# --- resolving type names lazily ---------------------------------------------------------------


class _LazyNames(dict[str, Any]):
    """Names in an annotation: the defining module's globals, then any model by name (imported on demand)."""

    def __init__(self, namespace: Mapping[str, Any]) -> None:
        super().__init__(namespace)

    def __missing__(self, name: str) -> Any:
        found = getattr(builtins, name, None)
        if found is None:
            found = model_named(name)
        if found is None:
            raise KeyError(name)
        self[name] = found
        return found


@functools.cache
def _index() -> Mapping[str, str]:
    try:
        module = importlib.import_module(MODELS_INDEX)
    except ImportError:
        return {}
    modules: Mapping[str, str] = module.MODULES
    return modules


def model_named(name: str) -> Any:
    """The model class or union alias called ``name``, imported on first use; ``None`` if unknown."""
    module_name = _index().get(name)
    if module_name is None:
        return None
    return getattr(importlib.import_module(module_name), name, None)


_TYPING_NAMES = {
    "Annotated": Annotated,
    "Any": Any,
    "Literal": Literal,
    "Union": Union,
    "Unset": Unset,
    "Mapping": Mapping,
    "Sequence": Sequence,
}


def resolve(annotation: object, module: str | None) -> Any:
    """A type from an annotation, which may be a string naming models that are not imported yet."""
    if not isinstance(annotation, str):
        return annotation
    namespace = dict(_TYPING_NAMES)
    if module is not None and module in sys.modules:
        namespace.update(vars(sys.modules[module]))
    try:
        return eval(annotation, {"__builtins__": builtins}, _LazyNames(namespace))  # noqa: S307 - our own annotations
    except (NameError, SyntaxError, TypeError) as exc:  # a model the index does not know: an SDK bug
        raise _fail(f"cannot resolve the type {annotation!r} ({exc})") from None


# --- fields of a model -------------------------------------------------------------------------


class _Field:
    __slots__ = ("annotation", "default", "module", "name", "omit_none", "required", "wire")

    def __init__(self, attribute: attrs.Attribute[Any], module: str) -> None:
        self.name = attribute.name
        self.wire = attribute.metadata.get(WIRE_NAME, attribute.name)
        self.annotation = attribute.type
        self.module = module
        self.default = attribute.default
        self.required = attribute.default is attrs.NOTHING
        # An optional field that is not nullable: None means "absent", and is not sent.
        self.omit_none = attribute.default is None


def _declaring_module(cls: type, name: str) -> str:
    # An inherited field's annotation names things in the module of the class that declares it.
    for klass in cls.__mro__:
        if name in vars(klass).get("__annotations__", {}):
            return klass.__module__
    return cls.__module__


@functools.cache
def model_fields(cls: type) -> tuple[_Field, ...]:
    """The fields of an attrs model, with their wire names."""
    return tuple(_Field(attribute, _declaring_module(cls, attribute.name)) for attribute in attrs.fields(cls))


@functools.cache
def _wire_names(cls: type) -> frozenset[str]:
    return frozenset(field.wire for field in model_fields(cls))


# --- hook factories shared by both converters ----------------------------------------------------


def _is_union(tp: object) -> bool:
    return typing.get_origin(tp) in (Union, types.UnionType)


def _is_annotated(tp: object) -> bool:
    return typing.get_origin(tp) is Annotated


def _is_literal(tp: object) -> bool:
    return typing.get_origin(tp) is Literal


def _is_list(tp: object) -> bool:
    return typing.get_origin(tp) in (list, Sequence, tuple) or tp in (list, tuple)


def _is_dict(tp: object) -> bool:
    return typing.get_origin(tp) in (dict, Mapping) or tp in (dict, Mapping)


def _structure_str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise _expected("a string", value)
    return value


def _structure_int(value: Any, _: Any) -> int:
    if type(value) is not int and (not isinstance(value, int) or isinstance(value, bool)):
        raise _expected("an integer", value)
    return value


def _structure_float(value: Any, _: Any) -> float:
    if type(value) is float:
        if not math.isfinite(value):
            raise _fail("expected a finite number")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _expected("a number", value)
    try:
        number = float(value)
    except OverflowError:
        raise _fail("number too large") from None
    if not math.isfinite(number):
        raise _fail("expected a finite number")
    return number


def _structure_number_keeping_ints(value: Any, tp: Any) -> float:
    number = _structure_float(value, tp)
    return value if type(value) is int else number  # a request's 100 is sent as 100, not 100.0


def _structure_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise _expected("a boolean", value)
    return value


def _structure_any(value: Any, _: Any) -> Any:
    return value


def _structure_json(value: Any, _: Any) -> Any:
    """Requests: any JSON value, checked all the way down (a model is sent as its JSON)."""
    cls = value.__class__
    if value is None or cls is str or cls is bool or cls is int:
        return value
    if cls is float:
        if math.isfinite(value):
            return value
        raise _fail(f"{value!r} is not JSON")
    if isinstance(value, Mapping):
        return _json_items([(key, _path_of(key) if isinstance(key, str) else "") for key in value], value, {})
    if isinstance(value, (list, tuple)):
        return list(_json_items([(index, f"[{index}]") for index in range(len(value))], value, {}).values())
    if attrs.has(cls) or isinstance(value, enum.Enum):
        return _structure_json(to_json(value), None)
    for base in (str, int, float):  # a subclass of one: sent as the plain value
        if isinstance(value, base):
            return _structure_json(base(value), None)
    raise _expected("a JSON value", value)


def _json_items(keys: list[tuple[Any, str]], container: Any, out: dict[Any, Any]) -> dict[Any, Any]:
    failures: list[tuple[str, str]] = []
    for key, path in keys:
        if not path:
            failures.append((f"[{key!r}]", "an object key must be a string"))
            continue
        try:
            out[key] = _structure_json(container[key], None)
        except Invalid as exc:
            failures.extend(_prefixed(path, exc.failures))
    if failures:
        raise Invalid(failures)
    return out


def _structure_none(value: Any, _: Any) -> None:
    if value is not None:
        raise _expected("null", value)


def _structure_unset(value: Any, _: Any) -> Unset:
    raise _fail("cannot be UNSET here")


class _Rules:
    """What differs between the response converter (lenient) and the request converter (strict)."""

    __slots__ = ("strict",)

    def __init__(self, *, strict: bool) -> None:
        self.strict = strict


def _list_hook(conv: cattrs.Converter, tp: Any) -> Hook:
    args = typing.get_args(tp)
    item_type = args[0] if args else Any
    item_hook: list[Hook] = []

    def structure_list(value: Any, _: Any) -> list[Any]:
        if not isinstance(value, (list, tuple)):
            raise _expected("an array", value)
        if not item_hook:
            item_hook.append(conv.get_structure_hook(item_type))
            structure_list.item_hook = item_hook[0]  # type: ignore[attr-defined]  # read by _compiled
        hook = item_hook[0]
        out: list[Any] = []
        failures: list[tuple[str, str]] = []
        for index, item in enumerate(value):
            try:
                out.append(hook(item, item_type))
            except Invalid as exc:
                failures.extend(_prefixed(f"[{index}]", exc.failures))
        if failures:
            raise Invalid(failures)
        return out

    return structure_list


def _dict_hook(conv: cattrs.Converter, tp: Any) -> Hook:
    args = typing.get_args(tp)
    value_type = args[1] if len(args) == 2 else Any
    if value_type is Any:

        def structure_free_object(value: Any, _: Any) -> dict[str, Any]:
            if not isinstance(value, Mapping):
                raise _expected("an object", value)
            return dict(value)

        return structure_free_object
    value_hook: list[Hook] = []

    def structure_map(value: Any, _: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise _expected("an object", value)
        if not value_hook:
            value_hook.append(conv.get_structure_hook(value_type))
        hook = value_hook[0]
        out: dict[str, Any] = {}
        failures: list[tuple[str, str]] = []
        for key, item in value.items():
            try:
                out[key] = hook(item, value_type)
            except Invalid as exc:
                failures.extend(_prefixed(f"[{key!r}]", exc.failures))
        if failures:
            raise Invalid(failures)
        return out

    return structure_map


_KIND_OF_TYPE = {
    type(None): "null",
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    tuple: "array",
    dict: "object",
}


def _json_kind(value: object) -> str:
    """The JSON kind of a value (an enum member counts as its value; anything else is an object)."""
    kind = _KIND_OF_TYPE.get(type(value))
    if kind is not None:
        return kind
    for cls in (bool, int, float, str):  # subclasses: IntEnum, (str, Enum) members
        if isinstance(value, cls):
            return _KIND_OF_TYPE[cls]
    return "array" if isinstance(value, (list, tuple)) else "object"


def _literal_hook(rules: _Rules, tp: Any) -> Hook:
    allowed = typing.get_args(tp)
    known = {(_json_kind(value), value.value if isinstance(value, enum.Enum) else value) for value in allowed}
    kinds = {kind for kind, _ in known}
    shown = ", ".join(repr(value) for _, value in sorted(known, key=repr))

    def structure_literal(value: Any, _: Any) -> Any:
        plain = value.value if isinstance(value, enum.Enum) else value
        kind = _json_kind(plain)
        if (kind, plain) in known:
            return plain
        if not rules.strict and kind in kinds:
            return plain  # an open value the SDK does not know yet: kept
        raise _fail(f"must be one of {shown}; got {plain!r}"[:300])

    return structure_literal


def _annotated_hook(conv: cattrs.Converter, rules: _Rules, tp: Any) -> Hook:
    inner, *markers = typing.get_args(tp)
    checks = [marker for marker in markers if isinstance(marker, Constraint)]
    inner_hook: list[Hook] = []

    def structure_annotated(value: Any, _: Any) -> Any:
        if not inner_hook:
            inner_hook.append(conv.get_structure_hook(inner))
        result = inner_hook[0](value, inner)
        if rules.strict and checks and result is not None:
            problems = [problem for check in checks if (problem := check.check(result)) is not None]
            if problems:
                raise Invalid([("", problem) for problem in problems])
        return result

    return structure_annotated


# --- unions ---------------------------------------------------------------------------------------

_PRIMITIVE_KINDS: dict[object, frozenset[str]] = {
    str: frozenset({"string"}),
    int: frozenset({"integer"}),
    float: frozenset({"integer", "number"}),
    bool: frozenset({"boolean"}),
    type(None): frozenset({"null"}),
    Any: frozenset({"null", "boolean", "integer", "number", "string", "array", "object"}),
}


def _kinds(tp: Any) -> frozenset[str]:
    """The JSON kinds a type accepts (resolving union members lazily)."""
    if tp in _PRIMITIVE_KINDS:
        return _PRIMITIVE_KINDS[tp]
    origin = typing.get_origin(tp)
    if origin is Annotated:
        return _kinds(typing.get_args(tp)[0])
    if origin is Literal:
        return frozenset(_json_kind(value) for value in typing.get_args(tp))
    if origin in (Union, types.UnionType):
        return frozenset().union(*(_kinds(member) for member in typing.get_args(tp)))
    return _other_kinds(tp)


def _other_kinds(tp: Any) -> frozenset[str]:
    if isinstance(tp, OneOf):
        return _one_of_kinds(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return frozenset(_json_kind(member.value) for member in tp)
    return frozenset({"array"}) if _is_list(tp) else frozenset({"object"})  # else a model, a map, free-form


def _one_of_kinds(union: OneOf) -> frozenset[str]:
    found = frozenset({"null"}) if union.nullable else frozenset()
    if union.discriminator is not None:
        return found | {"object"}
    return found.union(*(_kinds(member) for member in _union_members(union)))


_RESOLVED_MEMBERS: dict[int, tuple[OneOf, tuple[Any, ...]]] = {}


def _union_members(union: OneOf) -> tuple[Any, ...]:
    cached = _RESOLVED_MEMBERS.get(id(union))
    if cached is not None and cached[0] is union:
        return cached[1]
    resolved = tuple(resolve(member, union.module) for member in union.members)
    _RESOLVED_MEMBERS[id(union)] = (union, resolved)
    return resolved


_KIND_ORDER = ["object", "array", "string", "integer", "number", "boolean", "null"]
_KIND_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


@functools.cache
def _tags(cls: type) -> tuple[tuple[str, object], ...]:
    """The fields of a model whose type is one constant (``type: Literal["json_object"]``): its tags."""
    found = []
    for field in model_fields(cls):
        tp = resolve(field.annotation, field.module)
        if _is_union(tp):
            members = [m for m in typing.get_args(tp) if m is not Unset and m is not type(None)]
            tp = members[0] if len(members) == 1 else None
        if _is_literal(tp) and len(typing.get_args(tp)) == 1:
            found.append((field.wire, typing.get_args(tp)[0]))
    return tuple(found)


def _fit(tp: Any, value: Mapping[str, Any]) -> tuple[int, int]:
    """How well an object fits a model member: tags that differ first (fewer is better), then keys known."""
    while _is_annotated(tp):
        tp = typing.get_args(tp)[0]
    if not attrs.has(tp):
        return (0, 0)
    wrong_tags = sum(1 for wire, tag in _tags(tp) if wire in value and value[wire] != tag)
    return (wrong_tags, -len(value.keys() & _wire_names(tp)))


class _Members:
    """A union's members, with the JSON kinds each accepts and its hook, worked out once (lazily)."""

    __slots__ = ("_by_kind", "_conv", "_entries", "_members")

    def __init__(self, conv: cattrs.Converter, members: Sequence[Any] | Callable[[], Sequence[Any]]) -> None:
        self._conv = conv
        self._members = members
        self._entries: list[tuple[Any, frozenset[str], Hook]] | None = None
        self._by_kind: dict[str, list[tuple[Any, frozenset[str], Hook]]] = {}

    def entries(self) -> list[tuple[Any, frozenset[str], Hook]]:
        if self._entries is None:
            members = self._members() if callable(self._members) else self._members
            entries = [(m, _kinds(m), self._conv.get_structure_hook(m)) for m in members]
            self._by_kind = {kind: [entry for entry in entries if kind in entry[1]] for kind in _KIND_ORDER}
            self._entries = entries
        return self._entries

    def pick(self, value: Any) -> Any:
        """Decode ``value`` as the first fitting member, by the module docstring's rule."""
        entries = self.entries()
        cls = value.__class__
        if cls not in _KIND_OF_TYPE and attrs.has(cls):
            for member, _, hook in entries:
                if member is cls:
                    return hook(value, member)
            value = to_json(value)
        kind = _json_kind(value)
        candidates = self._by_kind.get(kind)
        if not candidates:
            kinds = sorted({k for entry in entries for k in entry[1]}, key=_KIND_ORDER.index)
            raise _fail(f"expected {' or '.join(_KIND_NAMES[k] for k in kinds)}, got {_describe(value)}")
        if len(candidates) == 1:
            member, _, hook = candidates[0]
            return hook(value, member)
        if kind == "object":  # stable sort: ties keep document order
            candidates = sorted(candidates, key=lambda entry: _fit(entry[0], value))
        first_failure: Invalid | None = None
        for member, _, hook in candidates:
            try:
                return hook(value, member)
            except Invalid as exc:
                first_failure = first_failure or exc
        assert first_failure is not None  # noqa: S101 - candidates is not empty
        raise first_failure


def _typing_union_hook(conv: cattrs.Converter, rules: _Rules, tp: Any) -> Hook:
    members = [member for member in typing.get_args(tp) if member is not Unset]
    nullable = type(None) in members
    members = [member for member in members if member is not type(None)]
    literals = [member for member in members if _is_literal(member)]
    others = [member for member in members if not _is_literal(member)]
    open_enum = bool(literals) and len(others) == 1 and others[0] in (str, int)
    if open_enum and rules.strict:  # requests name a known value; responses keep unknown ones
        members = literals
    choice = _Members(conv, members)

    def structure_union(value: Any, _: Any) -> Any:
        if value is None:
            if nullable:
                return None
            raise _fail("may not be null")
        entries = choice.entries()
        if len(entries) == 1:
            return entries[0][2](value, entries[0][0])
        return choice.pick(value)

    return structure_union


def _one_of_hook(conv: cattrs.Converter, rules: _Rules, union: OneOf) -> Hook:
    choice = _Members(conv, lambda: _union_members(union))
    targets: dict[str, tuple[Any, Hook]] = {}

    def target_for(tag: str) -> tuple[Any, Hook] | None:
        found = targets.get(tag)
        if found is None and union.mapping is not None and tag in union.mapping:
            member = resolve(union.mapping[tag], union.module)
            found = targets[tag] = (member, conv.get_structure_hook(member))
        return found

    def structure_one_of(value: Any, _: Any) -> Any:
        if value is None:
            if union.nullable:
                return None
            raise _fail(f"may not be null ({union.name})")
        cls = value.__class__
        if cls is RawVariant:
            if not isinstance(value.raw, Mapping):
                raise _fail("RawVariant.raw must be an object")
            return to_json(value) if rules.strict else value
        if union.discriminator is None:
            return choice.pick(value)
        if cls is not dict and attrs.has(cls):
            for member, _, hook in choice.entries():
                if member is type(value):
                    return hook(value, member)
            value = to_json(value)
        if not isinstance(value, Mapping):
            raise _expected(f"an object ({union.name})", value)
        tag = value.get(union.discriminator)
        target = target_for(tag) if isinstance(tag, str) else None
        if target is None:
            return _unknown_tag(union, tag, value, strict=rules.strict)
        return target[1](value, target[0])

    return structure_one_of


def _unknown_tag(union: OneOf, tag: object, value: Mapping[str, Any], *, strict: bool) -> Any:
    if not strict:
        return RawVariant(dict(value))  # a newer server's variant: kept, not refused
    known = ", ".join(repr(known_tag) for known_tag in union.mapping or ())
    reason = "is required" if tag is None else f"must be one of {known}; got {tag!r}"
    raise Invalid([(f".{union.discriminator}", reason[:300])])


# --- models -----------------------------------------------------------------------------------

_MISSING = object()


def _path_of(wire: str) -> str:
    return f".{wire}" if wire.isidentifier() else f"[{wire!r}]"


def _unknown_keys(value: Mapping[str, Any], known: frozenset[str]) -> list[tuple[str, str]]:
    failures = []
    for key in value:
        if key in known:
            continue
        import difflib  # only for a request with an unknown key: not loaded otherwise

        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        failures.append((_path_of(str(key)), f"unknown field{hint}"))
    return failures


class _Plan:
    """How one field is decoded, prepared on first use: its hook, and a fast path for plain values.

    ``fast`` is the one Python type whose values pass unchanged (``str`` for a string field), so the
    common case costs a type check instead of a call; anything else goes through ``hook``.
    """

    __slots__ = ("fast", "hook", "nullable", "target", "tp")

    def __init__(self, conv: cattrs.Converter, rules: _Rules, field: _Field, target: str) -> None:
        tp = resolve(field.annotation, field.module)
        self.fast, self.nullable = _fast_path(tp, strict=rules.strict)
        if not rules.strict and _is_union(tp):
            # ``Model | None`` (or ``| Unset``) in a response: null is handled by the field's own check,
            # so a value goes straight to the model's hook, without the union's.
            members = [member for member in typing.get_args(tp) if member is not Unset and member is not type(None)]
            if len(members) == 1 and attrs.has(members[0]):
                tp = members[0]
        self.tp = tp
        self.hook = conv.get_structure_hook(tp)
        self.target = target


_NO_FAST = (None, False)


def _only_str_takes_strings(members: list[Any]) -> bool:
    """Whether, among a union's members, a JSON string can only be the plain ``str`` (no enum, no constraint)."""
    flat: list[Any] = []
    for member in members:
        if isinstance(member, OneOf) and member.discriminator is None:
            flat.extend(_union_members(member))
        else:
            flat.append(member)
    return len(flat) > 1 and str in flat and [m for m in flat if "string" in _kinds(m)] == [str]


def _fast_path(tp: Any, *, strict: bool) -> tuple[type | None, bool]:
    """The type whose values a field keeps unchanged, and whether ``None`` is one of its values."""
    nullable = False
    if _is_union(tp):
        members = [m for m in typing.get_args(tp) if m is not Unset]
        nullable = type(None) in members
        members = [m for m in members if m is not type(None)]
        if not strict and len(members) == 2 and _is_literal(members[0]) and members[1] in (str, int):
            return members[1], nullable  # an open enum: any value of its type is kept
        if _only_str_takes_strings(members):
            return str, nullable  # ``str | list[Part]``: a string can only be the str member
        if len(members) != 1:
            return None, nullable
        tp = members[0]
    if not strict and _is_annotated(tp):  # constraints are not checked on responses
        tp = typing.get_args(tp)[0]
    if not strict and _is_literal(tp):
        kinds = {type(value) for value in typing.get_args(tp)}
        return (kinds.pop(), nullable) if len(kinds) == 1 and kinds <= {str, int} else (None, nullable)
    if isinstance(tp, OneOf) and _only_str_takes_strings([tp]):  # a named ``str | list[Part]`` union
        return str, nullable or tp.nullable
    return (tp, nullable) if tp in (str, int, bool, float) else (None, nullable)


def _model_hook(conv: cattrs.Converter, rules: _Rules, cls: type) -> Hook:
    """Decode an object into ``cls`` (responses), or check it and return its wire data (requests)."""
    strict = rules.strict
    fields = {field.wire: field for field in model_fields(cls)}
    init_names = {attribute.name: attribute.alias or attribute.name for attribute in attrs.fields(cls)}
    # wire name -> [field, its plan once prepared]: one lookup per key on the hot path
    entries: dict[str, list[Any]] = {wire: [field, None] for wire, field in fields.items()}

    def plan_for(entry: list[Any]) -> _Plan:
        field: _Field = entry[0]
        entry[1] = _Plan(conv, rules, field, field.wire if strict else init_names[field.name])
        return entry[1]  # type: ignore[no-any-return]

    if not strict:
        return _lenient_model_hook(cls, fields, entries, plan_for)
    return _strict_model_hook(conv, cls, fields, entries, plan_for)


def _other_keys_hook(conv: cattrs.Converter, cls: type, fields: dict[str, _Field]) -> Callable[..., None]:
    """What a request does with keys beyond the fields: refused (a typo), or checked and kept (open objects)."""
    extra_type: str | None = getattr(cls, "__extra__", None)  # the document allows other keys
    extra_plan: list[Any] = []  # [type, hook], on first use

    def other_key(key: str, raw: Any, other: dict[str, Any], failures: list[tuple[str, str]]) -> None:
        if extra_type is None:
            failures.extend(_unknown_keys({key: raw}, frozenset(fields)))
            return
        if not extra_plan:
            tp = resolve(extra_type, cls.__module__)
            extra_plan.extend((tp, conv.get_structure_hook(tp)))
        try:
            other[key] = extra_plan[1](raw, extra_plan[0])
        except Invalid as exc:
            failures.extend(_prefixed(_path_of(str(key)), exc.failures))

    return other_key


def _strict_model_hook(
    conv: cattrs.Converter,
    cls: type,
    fields: dict[str, _Field],
    entries: dict[str, list[Any]],
    plan_for: Callable[[list[Any]], _Plan],
) -> Hook:
    """Requests: check an object against ``cls`` and return its wire data, fields in the model's order."""
    required = [field.wire for field in fields.values() if field.required]
    position = {wire: index for index, wire in enumerate(fields)}  # requests go out in the model's order
    other_key = _other_keys_hook(conv, cls, fields)

    # wire name -> (position, 1 if required, whether None means absent, [field, plan]): one lookup per key
    info = {wire: (position[wire], int(f.required), f.omit_none, entries[wire]) for wire, f in fields.items()}

    def structure_model(value: Any, _: Any) -> Any:
        if type(value) is not dict:
            value = _as_mapping(value)
        out: dict[str, Any] = {}
        other: dict[str, Any] = {}
        failures: list[tuple[str, str]] = []
        found = 0
        in_order = True
        last = -1
        for key, raw in value.items():
            meta = info.get(key)
            if meta is None:
                other_key(key, raw, other, failures)
                continue
            place, required_one, omit_none, entry = meta
            found += required_one
            if raw is None and omit_none:
                continue  # an optional field that is not nullable: None means absent
            plan = entry[1] or plan_for(entry)
            if place < last:
                in_order = False
            last = place
            if raw.__class__ is plan.fast or (raw is None and plan.nullable):
                out[key] = raw
                continue
            try:
                out[key] = plan.hook(raw, plan.tp)
            except Invalid as exc:
                failures.extend(_prefixed(_path_of(key), exc.failures))
        if found < len(required):
            missing = [wire for wire in required if wire not in value or _absent(value, fields[wire])]
            failures.extend((_path_of(wire), "is required") for wire in missing)
        if failures:
            raise Invalid(failures)
        if not in_order:
            out = dict(sorted(out.items(), key=lambda item: position[item[0]]))
        return {**out, **other} if other else out  # other keys last, as given

    return structure_model


def _lenient_model_hook(
    cls: type, fields: dict[str, _Field], entries: dict[str, list[Any]], plan_for: Callable[[list[Any]], _Plan]
) -> Hook:
    """Responses: the first decode prepares the fields that appear; the second compiles a decoder for the rest."""
    ordered = list(fields.values())
    by_index = [entries[field.wire] for field in ordered]

    def slow(index: int, raw: Any, kw: dict[str, Any], failures: list[tuple[str, str]] | None) -> Any:
        entry = by_index[index]
        field: _Field = entry[0]
        if raw is None and field.omit_none:
            return failures  # a server's null for an optional field that is not nullable: absent
        plan = entry[1] or plan_for(entry)
        if raw.__class__ is plan.fast or (raw is None and plan.nullable):
            kw[plan.target] = raw
            return failures
        try:
            kw[plan.target] = plan.hook(raw, plan.tp)
        except Invalid as exc:
            return [*(failures or []), *_prefixed(_path_of(field.wire), exc.failures)]
        return failures

    state: list[Hook | None] = [None, None]  # [compiled decoder, first-call decoder]

    def first_call(value: Any, _: Any) -> Any:
        from openrouter_core._compiled import compile_decoder

        if value.__class__ is not dict:
            if value.__class__ is cls:
                return value
            value = _as_mapping(value)
        kw: dict[str, Any] = {}
        failures: list[tuple[str, str]] | None = None
        for index, field in enumerate(ordered):
            raw = value.get(field.wire, _MISSING)
            if raw is not _MISSING:
                failures = slow(index, raw, kw, failures)
            elif field.required:
                failures = [*(failures or []), (_path_of(field.wire), "required field is missing")]
        state[0] = structure_model.compiled = compile_decoder(  # type: ignore[attr-defined]  # read by _compiled
            cls, ordered, entries, slow, _as_mapping, Invalid
        )
        if failures:
            raise Invalid(failures)
        return cls(**kw)

    def structure_model(value: Any, tp: Any) -> Any:
        decoder = state[0]
        return decoder(value, tp) if decoder is not None else first_call(value, tp)

    return structure_model


def _as_mapping(value: Any) -> Mapping[str, Any]:
    if attrs.has(type(value)):  # a caller's model: checked like the dict it stands for
        encoded: Mapping[str, Any] = to_json(value)
        return encoded
    if not isinstance(value, Mapping):
        raise _expected("an object", value)
    return value


def _absent(value: Mapping[str, Any], field: _Field) -> bool:
    return value[field.wire] is None and field.omit_none


# --- the converters -------------------------------------------------------------------------------


def configure_converter(conv: cattrs.Converter, *, strict: bool) -> cattrs.Converter:
    """Install the SDK's rules on ``conv``: lenient for responses, ``strict`` for requests."""
    rules = _Rules(strict=strict)
    float_hook = _structure_number_keeping_ints if strict else _structure_float
    for tp, hook in ((str, _structure_str), (int, _structure_int), (float, float_hook), (bool, _structure_bool)):
        conv.register_structure_hook(tp, _unless_enum(hook, strict=strict))
    any_hook = _structure_json if strict else _structure_any
    conv.register_structure_hook_func(lambda tp: tp is Any or tp is object, any_hook)
    conv.register_structure_hook_func(lambda tp: tp is type(None), _structure_none)
    conv.register_structure_hook_func(lambda tp: tp is Unset, _structure_unset)
    conv.register_structure_hook_factory(_is_list, functools.partial(_list_hook_for, conv))
    conv.register_structure_hook_factory(_is_dict, functools.partial(_dict_hook_for, conv))
    conv.register_structure_hook_factory(_is_literal, lambda tp: _literal_hook(rules, tp))
    conv.register_structure_hook_factory(_is_annotated, lambda tp: _annotated_hook(conv, rules, tp))
    conv.register_structure_hook_factory(_is_union, lambda tp: _typing_union_hook(conv, rules, tp))
    conv.register_structure_hook_factory(lambda tp: isinstance(tp, OneOf), lambda tp: _one_of_hook(conv, rules, tp))
    conv.register_structure_hook_func(lambda tp: isinstance(tp, FileField), _file_hook(rules))
    conv.register_structure_hook_factory(
        lambda tp: isinstance(tp, type) and issubclass(tp, enum.Enum), lambda tp: _enum_hook(tp, strict=strict)
    )
    conv.register_structure_hook_factory(attrs.has, lambda cls: _model_hook(conv, rules, cls))
    return conv


def _list_hook_for(conv: cattrs.Converter, tp: Any) -> Hook:
    return _list_hook(conv, tp)


def _dict_hook_for(conv: cattrs.Converter, tp: Any) -> Hook:
    return _dict_hook(conv, tp)


def _file_hook(rules: _Rules) -> Hook:
    def structure_file(value: Any, _: Any) -> Any:
        if isinstance(value, FileValue) or not rules.strict:
            return value
        filename = content_type = None
        if isinstance(value, tuple) and len(value) in (2, 3) and isinstance(value[0], str):
            filename, value, *rest = value
            content_type = rest[0] if rest else None
        if isinstance(value, io.TextIOBase):
            raise _fail("a file opened in text mode: open it in binary mode ('rb')")
        if isinstance(value, (bytes, bytearray, memoryview)) or hasattr(value, "read"):
            return FileValue(value, filename, content_type)
        if isinstance(value, str):
            raise _fail("a str is ambiguous: pass pathlib.Path(...) for a file on disk, or bytes for the content")
        if isinstance(value, os.PathLike):
            if not os.path.isfile(value):
                raise _fail(f"no readable file at {os.fspath(value)!r}")
            return FileValue(os.fspath(value), filename, content_type)
        raise _expected("a path, bytes or a binary file object", value)

    return structure_file


def _unless_enum(hook: Hook, *, strict: bool) -> Hook:
    # Class hooks also catch subclasses, and an IntEnum is an int: send enums to their own hook.
    def structure_primitive(value: Any, tp: Any) -> Any:
        if tp in _PRIMITIVES:
            return hook(value, tp)
        return _enum_hook(tp, strict=strict)(value, tp)

    return structure_primitive


_PRIMITIVES = frozenset({str, int, float, bool})


@functools.cache
def _enum_hook(cls: type[enum.Enum], *, strict: bool) -> Hook:
    members = {member.value: member for member in cls}

    def structure_enum(value: Any, _: Any) -> Any:
        if isinstance(value, cls):
            return value.value if strict else value
        if isinstance(value, bool) or value not in members:
            raise _fail(f"must be one of {', '.join(repr(v) for v in members)}; got {value!r}"[:300])
        return value if strict else members[value]

    return structure_enum


@functools.cache
def response_converter() -> cattrs.Converter:
    """The converter that decodes responses (built on first use)."""
    import cattrs

    return configure_converter(cattrs.Converter(), strict=False)


@functools.cache
def request_converter() -> cattrs.Converter:
    """The converter that checks requests (built on first use)."""
    import cattrs

    return configure_converter(cattrs.Converter(), strict=True)


# --- encoding -----------------------------------------------------------------------------------


def to_json(value: Any) -> Any:
    """A model (or anything containing models) as JSON-ready data, with wire names; UNSET is left out."""
    cls = type(value)
    if cls in _JSON_SCALARS or cls is FileValue:
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if attrs.has(cls):
        return to_json(dict(value.raw)) if cls is RawVariant else _model_to_json(value, cls)
    if isinstance(value, Mapping):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    return value  # str/int subclasses, bytes, paths and files (multipart parts, handled by the encoder)


_JSON_SCALARS = frozenset({type(None), str, bool, int, float})


def _model_to_json(value: Any, cls: type) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in model_fields(cls):
        item = getattr(value, field.name)
        if item is UNSET or (item is None and field.omit_none):
            continue
        out[field.wire] = to_json(item)
    return out


def encode_json(data: Any) -> bytes:
    """Compact UTF-8 JSON; raises ``ValueError`` for NaN or infinities."""
    return _ENCODER.encode(data).encode("utf-8")


# One encoder for every call (json.dumps with options builds a new one each time).
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)


# --- decoding -------------------------------------------------------------------------------------


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def _parse_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"the number {text[:40]} is too large for a float")
    return number


_JSON = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_parse_float)  # one decoder, not one per call
_SCAN = _JSON.scan_once  # type: ignore[attr-defined]  # the C scanner: a value at an index, and its end


def decode_json(body: bytes | str) -> Any:
    """Parse a JSON body (bytes, or text already decoded) strictly; raises ``DecodeFailure`` with path ``$``."""
    if body.__class__ is bytes and body:
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            raise DecodeFailure("$", "the body is not valid UTF-8") from None
    if body.__class__ is str and body:
        # The common case in one C call (a stream event's data): a value that fills the text.
        # Anything else (leading or trailing space, an error) takes the full path below.
        try:
            value, end = _SCAN(body, 0)
        except (StopIteration, ValueError, RecursionError):
            pass
        else:
            if end == len(body):
                return value
    if not body.strip():
        raise DecodeFailure("$", "the body is empty")
    try:
        return _JSON.decode(body if isinstance(body, str) else body.decode("utf-8"))
    except json.JSONDecodeError as exc:
        raise DecodeFailure("$", f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except UnicodeDecodeError:
        raise DecodeFailure("$", "the body is not valid UTF-8") from None
    except RecursionError:
        raise DecodeFailure("$", "the JSON is nested too deeply") from None
    except ValueError as exc:  # NaN/Infinity literals, 1e999, integers past the int-digits limit
        raise DecodeFailure("$", str(exc)) from None


def decoder_for(model: Any) -> Callable[[Any], Any]:
    """A function structuring already-parsed JSON as ``model`` (for many values: a stream's events)."""
    converter = response_converter()
    cached = _DECODERS.get(model)
    if cached is not None and cached[0] is converter:
        return cached[1]
    decode_one = _decoder(converter, model)
    _DECODERS[model] = (converter, decode_one)
    return decode_one


_DECODERS: dict[Any, tuple[Any, Callable[[Any], Any]]] = {}  # model -> (its converter, its decoder)


def _decoder(converter: cattrs.Converter, model: Any) -> Callable[[Any], Any]:
    hook = converter.get_structure_hook(model)
    fast: list[Any] = []  # the compiled decoder, once the model has one: one call less per value

    def decode_one(data: Any) -> Any:
        try:
            if fast:
                return fast[0](data, model)
            compiled = getattr(hook, "compiled", None)
            if compiled is not None:
                fast.append(compiled)
            return hook(data, model)
        except Invalid as exc:
            path, reason = exc.failures[0]
            raise DecodeFailure("$" + path, reason) from None
        except RecursionError:
            raise DecodeFailure("$", "the JSON is nested too deeply") from None

    return decode_one


def decode_value(data: Any, model: Any) -> Any:
    """Structure already-parsed JSON as ``model``; raises ``DecodeFailure`` naming the first bad path."""
    return decoder_for(model)(data)


def decode(body: bytes, model: type[T]) -> T:
    """Parse ``body`` and structure it as ``model``; raises ``DecodeFailure`` naming the first bad path."""
    result: T = decode_value(decode_json(body), model)
    return result


def validate_request(model: Any, request: Any, root: str = "request") -> Any:
    """``request`` (a model, or a mapping with wire names) checked against ``model``, as JSON-ready data.

    Raises:
        Invalid: with every failing ``(path, reason)``, paths starting at ``root``.
    """
    conv = request_converter()
    try:
        return conv.get_structure_hook(model)(request, model)  # the request converter returns wire data
    except Invalid as exc:
        raise Invalid(_prefixed(root, exc.failures)) from None
    except RecursionError:
        raise Invalid([(root, "is nested too deeply")]) from None
