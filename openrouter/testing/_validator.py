"""A small JSON Schema validator for the subset the OpenRouter document uses, on the fake's compact schemas.

Keywords: ``type`` (and type arrays), ``required``, ``properties``, ``additionalProperties``, ``items``,
``enum``, ``const``, ``allOf``, ``oneOf``/``anyOf`` (with the discriminator the generator resolved),
``nullable``, ``minLength``/``maxLength``, ``minItems``/``maxItems``, ``minimum``/``maximum`` and their
exclusive forms, ``pattern``. Formats are not checked. A ``oneOf`` passes when one member matches, as
the API's own validation does (its unions take the first member that parses).

It reports problems as ``(path, message)``: ``("messages[0].role", "is required")``. Independent of
the SDK's models on purpose: the fake must catch the SDK's mistakes, not share them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["MAX_PROBLEMS", "Problem", "Validator", "join"]

Problem = tuple[str, str]
MAX_PROBLEMS = 20
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WORDS = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


def join(path: str, key: str | int) -> str:
    """``join("messages", 0)`` -> ``messages[0]``; ``join("messages[0]", "role")`` -> ``messages[0].role``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _IDENTIFIER.fullmatch(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key)}]"


_PYTHON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "boolean": bool,
    "null": type(None),
    "object": dict,
    "array": list,
}


def _is(value: Any, kind: str) -> bool:
    if kind in _PYTHON_TYPES:
        return isinstance(value, _PYTHON_TYPES[kind])
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if kind == "integer":
        return isinstance(value, int) or (math.isfinite(value) and float(value).is_integer())
    return kind == "number"


def _same(left: Any, right: Any) -> bool:
    """JSON equality: ``1 == 1.0``, but ``True != 1``."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right, strict=True))
    if left is None or right is None:
        return left is right
    return bool(left == right)


def _show(values: list[Any]) -> str:
    shown = [json.dumps(value) for value in values[:12]]
    return ", ".join(shown) + (", ..." if len(values) > 12 else "")


class Validator:
    """Checks values against compact schemas; ``{"$ref": "Name"}`` resolves in ``schemas``."""

    def __init__(self, schemas: Mapping[str, Any]) -> None:
        self.schemas = schemas
        self._patterns: dict[str, re.Pattern[str]] = {}

    def problems(self, value: Any, schema: Mapping[str, Any], path: str = "") -> list[Problem]:
        """Every problem of ``value`` (at most ``MAX_PROBLEMS``), ``[]`` when it is valid."""
        found: list[Problem] = []
        self._check(value, schema, path, found)
        return found[:MAX_PROBLEMS]

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """Follow ``$ref`` s."""
        for _ in range(64):
            if "$ref" not in schema:
                return schema
            schema = self.schemas[schema["$ref"]]
        raise ValueError("reference loop in the fake's schemas")

    def _check(self, value: Any, schema: Mapping[str, Any], path: str, out: list[Problem]) -> None:
        if len(out) >= MAX_PROBLEMS:
            return
        schema = self.resolve(schema)
        if value is None and schema.get("nullable"):
            return
        for part in schema.get("allOf") or ():
            self._check(value, part, path, out)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                self._union(value, schema[key], schema.get("discriminator"), path, out)
        if self._value(value, schema, path, out):
            self._contents(value, schema, path, out)

    def _value(self, value: Any, schema: Mapping[str, Any], path: str, out: list[Problem]) -> bool:
        """Check ``const``, ``enum`` and ``type``; ``False`` when the value is not even of the right kind."""
        if "const" in schema and not _same(value, schema["const"]):
            out.append((path, f"must be {json.dumps(schema['const'])}"))
            return False
        if "enum" in schema and not any(_same(value, option) for option in schema["enum"]):
            out.append((path, f"must be one of {_show(list(schema['enum']))}"))
            return False
        kinds = schema.get("type")
        if kinds is not None:
            kinds = [kinds] if isinstance(kinds, str) else list(kinds)
            if schema.get("nullable"):
                kinds.append("null")
            if not any(_is(value, kind) for kind in kinds):
                out.append((path, f"must be {' or '.join(_WORDS.get(k, k) for k in kinds)}"))
                return False
        return True

    def _contents(self, value: Any, schema: Mapping[str, Any], path: str, out: list[Problem]) -> None:
        if isinstance(value, str):
            self._string(value, schema, path, out)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            self._number(value, schema, path, out)
        elif isinstance(value, list):
            self._array(value, schema, path, out)
        elif isinstance(value, dict):
            self._object(value, schema, path, out)

    def _string(self, value: str, schema: Mapping[str, Any], path: str, out: list[Problem]) -> None:
        if "minLength" in schema and len(value) < schema["minLength"]:
            out.append((path, f"must be at least {schema['minLength']} characters long"))
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            out.append((path, f"must be at most {schema['maxLength']} characters long"))
        pattern = schema.get("pattern")
        if pattern is not None:
            compiled = self._patterns.get(pattern)
            if compiled is None:
                compiled = self._patterns[pattern] = re.compile(pattern)
            if not compiled.search(value):
                out.append((path, f"must match {pattern}"))

    @staticmethod
    def _number(value: float, schema: Mapping[str, Any], path: str, out: list[Problem]) -> None:
        if "minimum" in schema and value < schema["minimum"]:
            out.append((path, f"must be at least {schema['minimum']}"))
        if "maximum" in schema and value > schema["maximum"]:
            out.append((path, f"must be at most {schema['maximum']}"))
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            out.append((path, f"must be greater than {schema['exclusiveMinimum']}"))
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            out.append((path, f"must be less than {schema['exclusiveMaximum']}"))

    def _array(self, value: list[Any], schema: Mapping[str, Any], path: str, out: list[Problem]) -> None:
        if "minItems" in schema and len(value) < schema["minItems"]:
            out.append((path, f"must have at least {schema['minItems']} items"))
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append((path, f"must have at most {schema['maxItems']} items"))
        items = schema.get("items")
        if items is not None:
            for index, item in enumerate(value):
                self._check(item, items, join(path, index), out)

    def _object(self, value: dict[str, Any], schema: Mapping[str, Any], path: str, out: list[Problem]) -> None:
        properties: Mapping[str, Any] = schema.get("properties") or {}
        out.extend((join(path, name), "is required") for name in schema.get("required") or () if name not in value)
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            if name in properties:
                self._check(item, properties[name], join(path, name), out)
            elif extra is False:
                out.append((join(path, name), "is not allowed"))
            elif isinstance(extra, dict):
                self._check(item, extra, join(path, name), out)

    def _union(self, value: Any, members: list[Any], tag: list[Any] | None, path: str, out: list[Problem]) -> None:
        if tag is not None and isinstance(value, dict):
            name, positions = tag
            chosen = positions.get(value.get(name)) if isinstance(value.get(name), str) else None
            if chosen is not None:
                self._check(value, members[chosen], path, out)
                return
        attempts: list[list[Problem]] = []
        for member in members:
            found: list[Problem] = []
            self._check(value, member, path, found)
            if not found:
                return
            attempts.append(found)
        if tag is not None and isinstance(value, dict):
            name, positions = tag
            choices = _show(sorted(positions))
            problem = f"is required (one of {choices})" if name not in value else f"must be one of {choices}"
            out.append((join(path, name), problem))
            return
        # Report the member the value came closest to: the deepest problems, then the fewest.
        best = max(attempts, key=lambda found: (max(len(p) for p, _ in found), -len(found)))
        if all(p == path for p, _ in best) and all(all(p == path for p, _ in found) for found in attempts):
            out.append((path, f"must be {self._alternatives(members)}"))
        else:
            out.extend(best)

    def _alternatives(self, members: list[Any]) -> str:
        words: list[str] = []
        for each in members:
            member = self.resolve(each)
            if "const" in member:
                word = json.dumps(member["const"])
            elif "enum" in member:
                word = "one of " + _show(list(member["enum"]))
            else:
                kinds = member.get("type") or ("object" if "properties" in member else None)
                kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
                word = " or ".join(_WORDS.get(k, k) for k in kinds) or "another shape"
            if word not in words:
                words.append(word)
        return " or ".join(words)
