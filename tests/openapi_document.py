"""The OpenAPI document as the tests read it: schemas, JSON Schema validators, minimal valid values.

Shared by the conformance suite (tests/conformance) and the property tests (tests/properties). It
reads the document itself, independently of tools/codegen, so the tests do not check the generator
against its own reading of the document:

- ``document()`` is the document as Prism serves it (byte-for-byte the repository's copy);
  ``patched_document()`` adds ``openapi/overlay.yaml``, as the SDK was generated from it.
- ``validator(doc, schema)`` is a Draft 2020-12 validator of one schema, with the document's
  components as ``$defs`` (OpenAPI 3.1 schemas are JSON Schema 2020-12; ``discriminator`` and
  ``example`` are annotations to it).
- ``minimal(doc, schema)`` is a small valid value: the schema's example when it is valid,
  else required fields only, the first enum value, the lowest number allowed, ... checked with the
  validator.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
DOCUMENT_PATH = REPO_ROOT / "openapi" / "openrouter.openapi.yaml"
OVERLAY_PATH = REPO_ROOT / "openapi" / "overlay.yaml"
COMPONENTS = "#/components/schemas/"
DEFS = "#/$defs/"

Schema = dict[str, Any]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(path: Path) -> Any:
    with path.open("rb") as stream:
        return yaml.load(stream, Loader=_Loader)  # noqa: S506 - a safe loader


@functools.cache
def document() -> dict[str, Any]:
    """The document as published (what Prism serves). Do not mutate it."""
    loaded: dict[str, Any] = _load(DOCUMENT_PATH)
    return loaded


@functools.cache
def patched_document() -> dict[str, Any]:
    """The document with the overlay's ``set``/``remove`` actions applied (what the SDK was generated from)."""
    doc = copy.deepcopy(document())
    for action in (_load(OVERLAY_PATH) or {}).get("actions") or ():
        *parents, last = action["path"]
        node = doc
        for key in parents:
            node = node[key]
        if action.get("remove") is True:
            del node[last]
        else:
            node[last] = copy.deepcopy(action["set"])
    return doc


class DocOperation(NamedTuple):
    """One operation of the document."""

    method: str
    path: str
    spec: dict[str, Any]
    parameters: list[dict[str, Any]]


def operation(doc: dict[str, Any], method: str, path: str) -> DocOperation:
    """The operation at ``method path``, with its path item's parameters merged in."""
    item = doc["paths"][path]
    spec = item[method.lower()]
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for parameter in [*item.get("parameters", ()), *spec.get("parameters", ())]:
        resolved = _parameter(doc, parameter)
        by_key[(resolved["in"], resolved["name"])] = resolved
    return DocOperation(method.upper(), path, spec, list(by_key.values()))


def _parameter(doc: dict[str, Any], parameter: dict[str, Any]) -> dict[str, Any]:
    ref = parameter.get("$ref")
    if ref is None:
        return parameter
    resolved: dict[str, Any] = doc["components"]["parameters"][ref.rsplit("/", 1)[1]]
    return resolved


def deref(doc: dict[str, Any], schema: Schema) -> Schema:
    """Follow ``$ref`` (to a component) until the schema is not a reference."""
    for _ in range(50):
        ref = schema.get("$ref")
        if ref is None:
            return schema
        schema = doc["components"]["schemas"][ref[len(COMPONENTS) :]]
    raise AssertionError("a $ref chain longer than 50")


def json_body_schema(content: dict[str, Any] | None) -> Schema | None:
    """The ``application/json`` schema of a request body or response, if it has one."""
    media = (content or {}).get("application/json")
    return None if media is None else media.get("schema")


def media_examples(content: dict[str, Any] | None) -> list[Any]:
    """The examples of an ``application/json`` media type: ``example``, then each of ``examples``."""
    media = (content or {}).get("application/json") or {}
    found = [media["example"]] if "example" in media else []
    found.extend(example["value"] for example in (media.get("examples") or {}).values() if "value" in example)
    return found


# --- JSON Schema -------------------------------------------------------------------------------------


def _rewrite(node: Any) -> Any:
    """A copy of ``node`` with components references turned into ``$defs`` references."""
    if isinstance(node, dict):
        return {
            key: DEFS + value[len(COMPONENTS) :]
            if key == "$ref" and isinstance(value, str) and value.startswith(COMPONENTS)
            else _rewrite(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    return node


_DEFS: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}


def _defs(doc: dict[str, Any]) -> dict[str, Any]:
    cached = _DEFS.get(id(doc))
    if cached is None or cached[0] is not doc:
        cached = _DEFS[id(doc)] = (doc, _rewrite(doc["components"]["schemas"]))
    return cached[1]


def as_json_schema(doc: dict[str, Any], schema: Schema) -> Schema:
    """``schema`` as a standalone Draft 2020-12 schema whose ``$defs`` are the document's components."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **_rewrite(schema), "$defs": _defs(doc)}


def validator(doc: dict[str, Any], schema: Schema) -> jsonschema.Draft202012Validator:
    """A validator of ``schema`` (formats are not asserted: the document's are documentation)."""
    return jsonschema.Draft202012Validator(as_json_schema(doc, schema))


def problems(doc: dict[str, Any], schema: Schema, value: Any, limit: int = 5) -> list[str]:
    """Why ``value`` does not fit ``schema`` (empty when it does), for assertion messages."""
    found = []
    for error in validator(doc, schema).iter_errors(value):
        found.append(f"{error.json_path}: {error.message[:200]}")
        if len(found) >= limit:
            break
    return found


# --- minimal valid values -------------------------------------------------------------------------

FORMAT_SAMPLES = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "date-time": "2025-08-24T10:30:00Z",
    "date": "2025-08-24",
    "uri": "https://example.com/hook",
}
# A value for each pattern the document uses (checked against the pattern by ``minimal``).
PATTERN_SAMPLES = {
    "^[a-f0-9]{64}$": "f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943",
    "^[a-z0-9]+(?:-[a-z0-9]+)*$": "my-slug",
    "^[a-zA-Z0-9 _-]+$": "My name",
    "^[\\w-]+$": "name_1",
    "^[a-zA-Z0-9_]+(?:[.-][a-zA-Z0-9_]+)*$": "team.name",
    "^\\d{4}-\\d{2}-\\d{2}$": "2025-08-24",
    "^https:\\/\\/([^:@]+)(?::[^@]*)?@([^/]+)(?:\\/[^/]+)*\\/(\\d+)\\/?$": "https://key@sentry.example.com/42",
    "^0x[0-9a-fA-F]{40}$": "0x1234567890abcdef1234567890ABCDEF12345678",
}
MAX_DEPTH = 12


def type_list(schema: Schema) -> list[str]:
    """The schema's ``type`` as a list (empty when absent)."""
    kind = schema.get("type")
    if kind is None:
        return []
    return list(kind) if isinstance(kind, list) else [kind]


def merged_all_of(doc: dict[str, Any], schema: Schema) -> Schema:
    """An ``allOf`` flattened into one object schema (properties and required of every part)."""
    out: Schema = {key: value for key, value in schema.items() if key != "allOf"}
    properties: dict[str, Any] = dict(out.get("properties") or {})
    required: list[str] = list(out.get("required") or [])
    for listed in schema["allOf"]:
        part = deref(doc, listed)
        if "allOf" in part:
            part = merged_all_of(doc, part)
        for name, value in (part.get("properties") or {}).items():
            # Both parts constrain a property they both declare: keep both (allOf is an intersection).
            known = properties.get(name)
            properties[name] = value if known is None or known == value else {"allOf": [known, value]}
        required.extend(name for name in part.get("required") or () if name not in required)
        for key, value in part.items():
            if key in ("properties", "required", "description", "title", "example"):
                continue
            if key == "type" and "type" in out:  # both parts' types hold: keep what they share
                out["type"] = [kind for kind in type_list(out) if kind in type_list(part)]
            elif key == "enum" and "enum" in out:
                out["enum"] = [item for item in out["enum"] if item in value]
            else:
                out.setdefault(key, value)
    if properties:
        out["properties"] = properties
    if required:
        out["required"] = required
    return out


def minimal(doc: dict[str, Any], schema: Schema, *, prefer_examples: bool = True) -> Any:
    """A small value that ``schema`` accepts (checked); raises ``AssertionError`` when none is found."""
    value = _minimal(doc, schema, 0, prefer_examples)
    found = problems(doc, schema, value)
    assert not found, f"minimal value {value!r} does not fit: {found}"
    return value


def _fits(doc: dict[str, Any], schema: Schema, value: Any) -> bool:
    return bool(validator(doc, schema).is_valid(value))


def _minimal(doc: dict[str, Any], schema: Schema, depth: int, prefer_examples: bool) -> Any:  # noqa: PLR0911
    assert depth < MAX_DEPTH, "the schema needs values nested too deeply"
    resolved = deref(doc, schema)
    if prefer_examples and "example" in resolved and _fits(doc, resolved, resolved["example"]):
        return copy.deepcopy(resolved["example"])
    if "const" in resolved:
        return resolved["const"]
    if "enum" in resolved:
        values = [value for value in resolved["enum"] if value is not None]
        return values[0] if values else None
    if "allOf" in resolved:
        return _minimal(doc, merged_all_of(doc, resolved), depth + 1, prefer_examples)
    for key in ("oneOf", "anyOf"):
        if key in resolved:
            for member in resolved[key]:
                if deref(doc, member).get("type") == "null":
                    continue
                candidate = _minimal(doc, member, depth + 1, prefer_examples)
                if _fits(doc, resolved, candidate):
                    return candidate
            return None
    kinds = [kind for kind in type_list(resolved) if kind != "null"] or type_list(resolved)
    kind = kinds[0] if kinds else ("object" if "properties" in resolved else "string")
    return _minimal_of_kind(doc, resolved, kind, depth, prefer_examples)


def _minimal_of_kind(doc: dict[str, Any], schema: Schema, kind: str, depth: int, prefer_examples: bool) -> Any:
    if kind == "object":
        properties = schema.get("properties") or {}
        return {
            name: _minimal(doc, properties.get(name, {"type": "string"}), depth + 1, prefer_examples)
            for name in schema.get("required") or ()
        }
    if kind == "array":
        count = int(schema.get("minItems", 0))
        items = schema.get("items") or {}
        return [_minimal(doc, items, depth + 1, prefer_examples) for _ in range(count)]
    if kind in ("integer", "number"):
        return _minimal_number(schema, kind)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return _minimal_string(schema)


def _minimal_number(schema: Schema, kind: str) -> int | float:
    low = schema.get("minimum")
    if "exclusiveMinimum" in schema:
        low = schema["exclusiveMinimum"] + 1
    value = 1 if low is None else low
    if "maximum" in schema:
        value = min(value, schema["maximum"])
    return int(value) if kind == "integer" else value


def _minimal_string(schema: Schema) -> str:
    pattern = schema.get("pattern")
    if pattern is not None:
        return PATTERN_SAMPLES[pattern]
    fmt = schema.get("format")
    if fmt in FORMAT_SAMPLES:
        return FORMAT_SAMPLES[fmt]
    return "a" * max(int(schema.get("minLength", 1)), 1)


def walk_schemas(node: Any) -> Iterator[Schema]:
    """Every dict under ``node`` (for searching the document)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk_schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk_schemas(value)


def json_operation_ids() -> list[str]:
    """The operations whose request and success answers are JSON (no multipart body, no binary answer).

    Streaming operations are included: their JSON form (``stream`` unset) is what is called.
    """
    import importlib

    from openrouter_funcs._registry import OPERATIONS

    found = []
    for op_id, info in sorted(OPERATIONS.items()):
        operation = importlib.import_module(info.module).OPERATION
        encodings = {encoding for encoding, _ in operation.responses.values()}
        if operation.body in (None, "json") and encodings == {"json"}:
            found.append(op_id)
    return found
