"""Sample values for schemas: validity checks, minimal valid values, model field order.

The generated tests build their requests and answers from these: a value is only used when it is
valid against its schema (JSON Schema, plus no unknown key at any depth for requests).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from tools.codegen.document import ANNOTATIONS, Document, DocumentError, Schema, adds_nothing, is_null, type_set

INVALID = object()


class Sampler:
    """Values for schemas: validity checks (JSON Schema + no unknown keys), minimal values, field order."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._validators: dict[int, Any] = {}

    def resolve(self, schema: Schema) -> Schema:
        """Follow ``$ref`` s."""
        while "$ref" in schema:
            schema = self.document.component(schema["$ref"])[1]
        return schema

    def merged(self, schema: Schema) -> tuple[dict[str, Schema], list[str]] | None:
        """Properties (document order) and required names of an object schema (``allOf`` merged), else ``None``."""
        schema = self.resolve(schema)
        if any(key in schema for key in ("oneOf", "anyOf")):
            return None
        props: dict[str, Schema] = {}
        required: list[str] = []
        parts = [part for part in schema.get("allOf") or () if not adds_nothing(part)]
        for part in parts:
            found = self.merged(part)
            if found is None:
                return None
            props.update(found[0])
            required += [name for name in found[1] if name not in required]
        if not parts and not schema.get("properties"):
            return None
        props.update(schema.get("properties") or {})
        required += [name for name in schema.get("required") or () if name not in required and name in props]
        return props, required

    def members(self, schema: Schema) -> list[Schema] | None:
        """The non-null members of a union, else ``None``."""
        schema = self.resolve(schema)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return [member for member in schema[key] if not is_null(member)]
        parts = [part for part in schema.get("allOf") or () if not adds_nothing(part)]
        if len(parts) == 1:
            return self.members(parts[0])
        return None

    def schema_valid(self, value: Any, schema: Schema) -> bool:
        """JSON Schema validation against the document (references resolved in it)."""
        import jsonschema  # type: ignore[import-untyped]  # a dev dependency, needed only here

        key = id(schema)
        if key not in self._validators:
            root = {**schema, "components": {"schemas": self.document.schemas}}
            self._validators[key] = jsonschema.Draft202012Validator(root)
        try:
            return bool(self._validators[key].is_valid(value))
        except Exception:
            return False

    def strict(self, value: Any, schema: Schema) -> bool:
        """No key the schema does not declare, at any depth (requests reject unknown keys)."""
        if value is None:
            return True
        members = self.members(schema)
        if members is not None:
            return any(self.schema_valid(value, m) and self.strict(value, m) for m in members)
        if isinstance(value, dict):
            return self.strict_object(value, schema)
        if isinstance(value, list):
            items = self.resolve(schema).get("items")
            return all(self.strict(item, items) for item in value) if isinstance(items, dict) and items else True
        return True

    def strict_object(self, value: dict[str, Any], schema: Schema) -> bool:
        """``strict`` for an object: declared properties only, or a typed map's values."""
        merged = self.merged(schema)
        if merged is not None:
            props = merged[0]
            return all(key in props and self.strict(item, props[key]) for key, item in value.items())
        extra = self.resolve(schema).get("additionalProperties")
        if isinstance(extra, dict) and extra:
            return all(self.strict(item, extra) for item in value.values())
        return True

    def acceptable(self, value: Any, schema: Schema) -> bool:
        """A value the SDK would send as given: schema-valid, no unknown keys, finite numbers."""
        return finite(value) and self.schema_valid(value, schema) and self.strict(value, schema)

    def ordered(self, value: Any, schema: Schema) -> Any:
        """``value`` with object keys in model field order (required first, each group in document order)."""
        if isinstance(value, list):
            items = self.resolve(schema).get("items")
            return [self.ordered(item, items) if isinstance(items, dict) else item for item in value]
        if not isinstance(value, dict):
            return value
        members = self.members(schema)
        if members is not None:
            member = next((m for m in members if self.schema_valid(value, m) and self.strict(value, m)), None)
            return value if member is None else self.ordered(value, member)
        merged = self.merged(schema)
        if merged is None:
            extra = self.resolve(schema).get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return {key: self.ordered(item, extra) for key, item in value.items()}
            return value
        props, required = merged
        order = [name for name in props if name in required] + [name for name in props if name not in required]
        return {name: self.ordered(value[name], props[name]) for name in order if name in value}

    def example(self, schema: Schema) -> Any:
        """The schema's own example when it is acceptable, else ``INVALID``."""
        resolved = self.resolve(schema)
        for candidate in (schema, resolved):
            if "example" in candidate and self.acceptable(candidate["example"], schema):
                return candidate["example"]
        return INVALID

    def minimal(self, schema: Schema, depth: int = 0) -> Any:
        """A small valid value: required properties only, first union member, first enum value."""
        if depth > 12:
            raise DocumentError("schema too deep to sample")
        found = self.example(schema)
        if found is not INVALID:
            return found
        resolved = self.resolve(schema)
        if "enum" in resolved:
            return next(value for value in resolved["enum"] if value is not None)
        if "const" in resolved:
            return resolved["const"]
        members = self.members(resolved)
        if members is not None:
            mapping = (resolved.get("discriminator") or {}).get("mapping") or {}
            first = {"$ref": next(iter(mapping.values()))} if mapping else members[0]
            return self.minimal(first, depth + 1)
        merged = self.merged(resolved)
        if merged is not None:
            props, required = merged
            return {name: self.minimal(props[name], depth + 1) for name in props if name in required}
        return self.minimal_plain(resolved, depth)

    def minimal_plain(self, resolved: Schema, depth: int) -> Any:
        """``minimal`` for a scalar, an array, or a free-form object."""
        kinds = [kind for kind in type_set(resolved) if kind != "null"]
        kind = kinds[0] if kinds else ("object" if "additionalProperties" in resolved else "")
        if kind == "array":
            items = resolved.get("items") or {}
            return [self.minimal(items, depth + 1) for _ in range(int(resolved.get("minItems", 0)))]
        if kind in SAMPLERS:
            return SAMPLERS[kind](resolved, kind)
        if kind == "object" or not set(resolved) - ANNOTATIONS:
            return {}
        raise DocumentError(f"cannot sample {resolved!r}")


def finite(value: Any) -> bool:
    """No NaN or infinity anywhere in ``value`` (JSON cannot carry them)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(finite(item) for item in value.values())
    if isinstance(value, list):
        return all(finite(item) for item in value)
    return True


def _string(schema: Schema, _kind: str = "string") -> str:
    form = schema.get("format")
    if form == "uuid":
        return "3f2a8c1e-5b7d-4e9f-a1c3-0d6e8b2f4a71"
    if form == "date-time":
        return "2026-11-30T12:00:00Z"
    if form == "uri":
        return "https://example.com/callback"
    size = max(int(schema.get("minLength", 1)), 1)
    word = "value"
    return (word * (size // len(word) + 1))[: max(size, len(word))][: schema.get("maxLength", 10**6)]


def _number(schema: Schema, kind: str) -> int | float:
    low = schema.get("minimum", schema.get("exclusiveMinimum") if schema.get("exclusiveMinimum") is not True else None)
    high = schema.get("maximum")
    value: int | float = 1 if kind == "integer" else 0.5
    if isinstance(low, int | float) and not isinstance(low, bool) and value <= low:
        value = low + 1 if kind == "integer" or schema.get("exclusiveMinimum") is not None else low
    if isinstance(high, int | float) and not isinstance(high, bool) and value > high:
        value = high
    return int(value) if kind == "integer" else value


def _boolean(_schema: Schema, _kind: str) -> bool:
    return True


SAMPLERS: dict[str, Callable[[Schema, str], Any]] = {
    "string": _string,
    "integer": _number,
    "number": _number,
    "boolean": _boolean,
}


def literal(value: Any) -> str:
    """Python source for a JSON value (ASCII only: non-ASCII characters escaped)."""
    return ascii(value)
