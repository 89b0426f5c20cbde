"""JSON to models: the one cattrs converter, its strict rules, and ``decode``.

The rules, in one place:
- a JSON value must already have the field's type: no string "1.5" for a number, no ``true``
  for an integer; an integer is accepted where a number (float) is expected;
- NaN and Infinity literals are rejected (they are not JSON);
- unknown fields are ignored at every level, so a newer server never breaks an older SDK;
- an open enum (``ChainId | int``) keeps values it does not know.

The converter and each model's structuring function are built on first use and cached, so
importing an operation costs nothing here and each call reuses the compiled functions.
"""

from __future__ import annotations

import enum
import functools
import json
import math
import types
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, Union

if TYPE_CHECKING:
    import cattrs

__all__ = ["DecodeFailure", "decode", "decode_json"]

T = TypeVar("T")


class DecodeFailure(Exception):
    """Where and why a body failed to decode (internal; becomes a ``ResponseValidationError``)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{reason} at {path}")
        self.path = path
        self.reason = reason


_JSON_TYPE_NAMES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def _describe(value: object) -> str:
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def _expected(what: str, value: object) -> TypeError:
    return TypeError(f"expected {what}, got {_describe(value)}")


def _structure_str(value: object, _: type) -> str:
    if type(value) is not str:
        raise _expected("a string", value)
    return value


def _structure_int(value: object, _: type) -> int:
    if type(value) is not int:
        raise _expected("an integer", value)
    return value


def _structure_float(value: object, _: type) -> float:
    if type(value) is float:
        return value
    if type(value) is int:
        try:
            return float(value)
        except OverflowError:
            raise ValueError("number too large") from None
    raise _expected("a number", value)


def _structure_bool(value: object, _: type) -> bool:
    if type(value) is not bool:
        raise _expected("a boolean", value)
    return value


def _structure_any(value: object, _: object) -> object:
    return value


def _is_open_int_enum(tp: object) -> bool:
    """``SomeIntEnum | int``: an enum that keeps unknown integer values."""
    if typing.get_origin(tp) not in (Union, types.UnionType):
        return False
    args = typing.get_args(tp)
    return len(args) == 2 and args[1] is int and isinstance(args[0], type) and issubclass(args[0], enum.IntEnum)


def _open_int_enum_hook(tp: Any) -> Callable[[object, object], object]:
    enum_cls: type[enum.IntEnum] = typing.get_args(tp)[0]
    known = {member.value: member for member in enum_cls}

    def structure(value: object, _: object) -> object:
        if type(value) is float and value.is_integer():
            value = int(value)  # the wire type is "number"; 8453.0 is still chain 8453
        if type(value) is not int:
            raise _expected("an integer", value)
        return known.get(value, value)

    return structure


def _is_mapping(tp: object) -> bool:
    origin = typing.get_origin(tp)
    return origin is not None and isinstance(origin, type) and issubclass(origin, Mapping)


def _json_object_hook(_: object) -> Callable[[object, object], object]:
    def structure(value: object, __: object) -> object:
        if type(value) is not dict:
            raise _expected("an object", value)
        return value

    return structure


@functools.cache
def converter() -> cattrs.Converter:
    """The shared converter, built once."""
    import attrs
    import cattrs
    from cattrs.gen import make_dict_structure_fn

    conv = cattrs.Converter(detailed_validation=True, forbid_extra_keys=False)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook_func(lambda tp: tp is Any, _structure_any)
    conv.register_structure_hook_factory(_is_open_int_enum, _open_int_enum_hook)
    # Free-form objects (``metadata``) are kept as the decoded dict, checked only to be objects.
    conv.register_structure_hook_factory(_is_mapping, _json_object_hook)

    def attrs_hook(cls: type) -> Callable[[object, object], object]:
        inner: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, conv)

        def structure(value: object, tp: object) -> object:
            if type(value) is not dict:
                raise _expected("an object", value)
            return inner(value, tp)

        return structure

    conv.register_structure_hook_factory(attrs.has, attrs_hook)
    return conv


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


_JSON = json.JSONDecoder(parse_constant=_reject_constant)  # one decoder, not one per call


def decode_json(body: bytes) -> object:
    """Parse a JSON body strictly; raises ``DecodeFailure`` with path ``$`` when it cannot."""
    if not body.strip():
        raise DecodeFailure("$", "the body is empty")
    try:
        return _JSON.decode(body.decode("utf-8"))
    except json.JSONDecodeError as exc:
        raise DecodeFailure("$", f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except UnicodeDecodeError:
        raise DecodeFailure("$", "the body is not valid UTF-8") from None
    except RecursionError:
        raise DecodeFailure("$", "the JSON is nested too deeply") from None
    except ValueError as exc:  # NaN/Infinity literals, integers past the int-digits limit
        raise DecodeFailure("$", str(exc)) from None


def _format_leaf(exc: BaseException, _: object) -> str:
    if isinstance(exc, KeyError):
        return "required field is missing"
    return str(exc) or type(exc).__name__


def decode(body: bytes, model: type[T]) -> T:
    """Parse ``body`` and structure it as ``model``; raises ``DecodeFailure`` naming the first bad path."""
    data = decode_json(body)
    try:
        return converter().structure(data, model)
    except RecursionError:
        raise DecodeFailure("$", "the JSON is nested too deeply") from None
    except Exception as exc:
        raise _failure(exc) from None


def _failure(exc: Exception) -> DecodeFailure:
    import cattrs  # loaded already: converter() imported it

    if isinstance(exc, cattrs.BaseValidationError):
        first = cattrs.transform_error(exc, path="$", format_exception=_format_leaf)[0]
        reason, _, path = first.rpartition(" @ ")
        return DecodeFailure(path or "$", reason or first)
    return DecodeFailure("$", _format_leaf(exc, None))


def is_finite_number(value: object) -> bool:
    """True for an int or float (never a bool) whose float value is finite."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False
