"""Load the OpenAPI document, apply ``openapi/overlay.yaml``, and answer questions about schemas.

Nothing here decides Python names or emits code: this module only reads the document.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

try:  # the C loader parses the 1.3 MB document ~10x faster
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

Schema = dict[str, Any]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
COMPONENT_PREFIX = "#/components/schemas/"
# Keys that describe a schema without constraining it.
ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "deprecated", "default", "externalDocs"}
    | {"x-speakeasy-deprecation-message", "x-speakeasy-ignore", "x-fern-ignore"}
)


class DocumentError(Exception):
    """The document (or the overlay) has something the generator does not know how to map."""


def load_yaml(path: Path) -> Any:
    """Parse one YAML file."""
    with path.open("rb") as stream:
        return yaml.load(stream, Loader=_Loader)  # noqa: S506 - a safe loader (CSafeLoader or SafeLoader)


def apply_overlay(document: dict[str, Any], overlay: Mapping[str, Any]) -> None:
    """Apply the overlay's ``set`` / ``remove`` actions in order (see ``openapi/overlay.yaml``)."""
    for number, action in enumerate(overlay.get("actions") or (), start=1):
        path = action.get("path")
        if not action.get("why") or not isinstance(path, list) or not path:
            raise DocumentError(f"overlay action {number}: needs `why` and a non-empty `path` list")
        parent: Any = document
        for key in path[:-1]:
            if not isinstance(parent, dict) or key not in parent:
                raise DocumentError(f"overlay action {number}: {path} does not resolve (at {key!r})")
            parent = parent[key]
        last = path[-1]
        if not isinstance(parent, dict):
            raise DocumentError(f"overlay action {number}: the parent of {path} is not a mapping")
        if "set" in action and "remove" not in action:
            parent[last] = copy.deepcopy(action["set"])
        elif action.get("remove") is True and "set" not in action:
            if last not in parent:
                raise DocumentError(f"overlay action {number}: {path} does not exist")
            del parent[last]
        else:
            raise DocumentError(f"overlay action {number}: give exactly one of `set` or `remove: true`")


class Document:
    """The patched document, with lookups the generator needs."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.schemas: dict[str, Schema] = raw["components"]["schemas"]
        self.parameters: dict[str, Any] = raw["components"].get("parameters") or {}

    @classmethod
    def load(cls, document: Path, overlay: Path | None) -> Document:
        """Read the document and apply the overlay."""
        raw = load_yaml(document)
        if overlay is not None:
            apply_overlay(raw, load_yaml(overlay) or {})
        return cls(raw)

    def operations(self) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
        """``(method, path, operation, path item)`` for every operation, in document order."""
        for path, item in self.raw["paths"].items():
            for method in HTTP_METHODS:
                if method in item:
                    yield method, path, item[method], item

    def component(self, ref: str) -> tuple[str, Schema]:
        """``#/components/schemas/Name`` -> ``(Name, schema)``."""
        if not ref.startswith(COMPONENT_PREFIX):
            raise DocumentError(f"unsupported $ref {ref!r}")
        name = ref[len(COMPONENT_PREFIX) :]
        if name not in self.schemas:
            raise DocumentError(f"$ref to a missing component {ref!r}")
        return name, self.schemas[name]

    def resolve(self, schema: Schema) -> Schema:
        """Follow ``$ref`` s to the schema itself."""
        for _ in range(50):
            if "$ref" not in schema:
                return schema
            schema = self.component(schema["$ref"])[1]
        raise DocumentError(f"$ref loop at {schema}")

    def properties(self, schema: Schema) -> dict[str, Schema]:
        """An object schema's properties, references followed and ``allOf`` parts merged (later parts win)."""
        schema = self.resolve(schema)
        found: dict[str, Schema] = {}
        for part in schema.get("allOf") or ():
            found.update(self.properties(part))
        found.update(schema.get("properties") or {})
        return found

    def parameter(self, parameter: dict[str, Any]) -> dict[str, Any]:
        """A parameter object, following a ``#/components/parameters/`` reference."""
        ref = parameter.get("$ref")
        if ref is None:
            return parameter
        prefix = "#/components/parameters/"
        if not ref.startswith(prefix) or ref[len(prefix) :] not in self.parameters:
            raise DocumentError(f"unsupported parameter $ref {ref!r}")
        return dict(self.parameters[ref[len(prefix) :]])


def ref_name(ref: str) -> str:
    """``#/components/schemas/Name`` -> ``Name``."""
    if not ref.startswith(COMPONENT_PREFIX):
        raise DocumentError(f"unsupported $ref {ref!r}")
    return ref[len(COMPONENT_PREFIX) :]


def type_set(schema: Schema) -> list[str]:
    """The schema's ``type`` as a list (``[]`` when absent)."""
    kind = schema.get("type")
    if kind is None:
        return []
    return list(kind) if isinstance(kind, list) else [kind]


def is_null(schema: Schema) -> bool:
    """``{type: null}`` (with annotations at most)."""
    return type_set(schema) == ["null"] and not (set(schema) - ANNOTATIONS - {"type"})


def adds_nothing(part: Schema) -> bool:
    """An ``allOf`` part that does not change the type: annotations, ``type: object``, empty ``properties``."""
    for key, value in part.items():
        if key in ANNOTATIONS:
            continue
        if key == "type" and value == "object":
            continue
        if key == "properties" and not value:
            continue
        if key == "additionalProperties" and value in ({}, True):
            continue
        return False
    return True


def references(node: Any) -> Iterator[str]:
    """Every component name a ``$ref`` anywhere under ``node`` points at (examples excluded)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMPONENT_PREFIX):
            yield ref[len(COMPONENT_PREFIX) :]
        for key, value in node.items():
            if key not in ("example", "examples"):
                yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)
