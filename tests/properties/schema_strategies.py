"""Hypothesis strategies that build values of the OpenAPI document's JSON schemas.

A small generator written for this document's keywords (``type``, ``properties``/``required``,
``additionalProperties``, ``items``, ``enum``/``const``, ``allOf``/``oneOf``/``anyOf``,
``minLength``/``maxLength``/``pattern``/``format``, ``minimum``/``maximum``/``exclusiveMinimum``,
``minItems``/``maxItems``), because hypothesis-jsonschema cannot follow the document's recursive
references. Every value it draws is meant to be valid; the tests check that with jsonschema
(``tests.openapi_document.validator``), so a generator bug shows as a failing check, not as a
silently wrong property.

- Depth is bounded: past ``max_depth`` a schema yields its minimal valid value (required fields
  only), so recursive schemas stay small.
- ``for_responses=True`` adds fields the document does not declare (``zz_unknown_*``) to objects
  that allow them: a newer server's fields, which decoding must ignore. Requests never get them
  (the SDK refuses unknown keys, rightly for closed objects; for the objects the document leaves
  open that is a known bug, tested on its own in test_schema_properties.py).
- An undiscriminated ``oneOf`` keeps only values that match exactly one member; an ``allOf`` is
  merged (shared properties intersected) and its values checked against the original.
- ``never_null`` names schema nodes that never get ``null``: known SDK bugs, kept out of the random
  tests so that those test everything else (each bug fails in a test of its own).
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Iterable
from typing import Any

from hypothesis import strategies as st

from tests import openapi_document as doc

Strategy = st.SearchStrategy[Any]

ASCII_TEXT = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12)
TEXT = st.one_of(ASCII_TEXT, st.text(alphabet=st.characters(codec="utf-8"), max_size=8))
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**53), 2**53), TEXT)
ANY_JSON: Strategy = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=2), st.dictionaries(ASCII_TEXT, inner, max_size=2)),
    max_leaves=4,
)
UNKNOWN_KEYS = ("zz_unknown_field", "zz_unknown_object")
FORMATS: dict[str, Strategy] = {
    "uuid": st.uuids().map(str),
    "date-time": st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2100, 1, 1)).map(
        lambda moment: moment.replace(microsecond=0).isoformat() + "Z"
    ),
    "date": st.dates().map(lambda day: day.isoformat()),
    "uri": st.sampled_from(["https://example.com/hook", "https://openrouter.ai/api/v1", "http://127.0.0.1:8080/x"]),
}
MAX_ITEMS = 2
INT_BOUND = 2**53


class SchemaStrategies:
    """Strategies for the schemas of one document."""

    def __init__(
        self,
        document: dict[str, Any],
        *,
        for_responses: bool,
        max_depth: int = 4,
        never_null: Iterable[doc.Schema] = (),
    ) -> None:
        self.doc = document
        self.for_responses = for_responses
        self.max_depth = max_depth
        # Schema nodes (by identity) whose values are never null: known SDK bugs, tested elsewhere.
        self._never_null = {id(node): node for node in never_null}
        # (id, depth) -> (the schema, its strategy): the schema is kept so that its id is not reused.
        self._cache: dict[tuple[int, int], tuple[doc.Schema, Strategy]] = {}

    def component(self, name: str) -> Strategy:
        """Values of ``#/components/schemas/<name>``."""
        return self.of({"$ref": doc.COMPONENTS + name})

    def of(self, schema: doc.Schema, depth: int = 0) -> Strategy:
        """Values of ``schema`` (which may be a reference)."""
        node = schema
        if set(schema) == {"$ref"}:  # a reference (perhaps made by the caller): the document's node
            schema = doc.deref(self.doc, schema)
        key = (id(schema), depth)
        found = self._cache.get(key)
        if found is None or found[0] is not schema:
            found = self._cache[key] = (schema, self._build(schema, depth))
        if self._never_null.get(id(node)) is node:
            return found[1].filter(lambda value: value is not None)
        return found[1]

    def _build(self, schema: doc.Schema, depth: int) -> Strategy:  # noqa: PLR0911 - one return per keyword
        resolved = doc.deref(self.doc, schema)
        if depth >= self.max_depth:
            return st.just(doc.minimal(self.doc, resolved, prefer_examples=False))
        if "const" in resolved:
            return st.just(resolved["const"])
        if "enum" in resolved:
            return st.sampled_from(resolved["enum"])
        if "allOf" in resolved:
            # The merge is shallow (a part's own union or nullability is approximated): check it.
            merged = self._build(doc.merged_all_of(self.doc, resolved), depth)
            return merged.filter(doc.validator(self.doc, resolved).is_valid)
        if "oneOf" in resolved or "anyOf" in resolved:
            return self._union(resolved, depth)
        kinds = doc.type_list(resolved)
        if not kinds:
            kinds = ["object"] if "properties" in resolved or "additionalProperties" in resolved else []
        if not kinds:
            return ANY_JSON
        return st.one_of(*(self._of_kind(resolved, kind, depth) for kind in kinds))

    def _union(self, schema: doc.Schema, depth: int) -> Strategy:
        exclusive = "oneOf" in schema
        members = schema.get("oneOf") or schema.get("anyOf") or []
        drawn = st.one_of(*(self.of(member, depth + 1) for member in members))
        if exclusive and "discriminator" not in schema:
            check = doc.validator(self.doc, schema)
            drawn = drawn.filter(check.is_valid)
        return drawn

    def _of_kind(self, schema: doc.Schema, kind: str, depth: int) -> Strategy:  # noqa: PLR0911 - one per type
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            return self._array(schema, depth)
        if kind == "string":
            return _string(schema)
        if kind == "integer":
            return st.integers(
                min_value=_bound(schema, "minimum", "exclusiveMinimum", 1, -INT_BOUND),
                max_value=_bound(schema, "maximum", "exclusiveMaximum", -1, INT_BOUND),
            )
        if kind == "number":
            return _number(schema)
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        raise AssertionError(f"unknown type {kind!r}")

    def _object(self, schema: doc.Schema, depth: int) -> Strategy:
        properties: dict[str, Any] = schema.get("properties") or {}
        required = [name for name in schema.get("required") or () if name in properties]
        extra = schema.get("additionalProperties")
        if not properties:
            if isinstance(extra, dict) and extra:
                return st.dictionaries(ASCII_TEXT, self.of(extra, depth + 1), max_size=MAX_ITEMS)
            return st.dictionaries(ASCII_TEXT, ANY_JSON, max_size=MAX_ITEMS)
        fixed = {name: self.of(properties[name], depth + 1) for name in required}
        optional = {name: self.of(value, depth + 1) for name, value in properties.items() if name not in required}
        if self.for_responses and extra is not False and not (isinstance(extra, dict) and extra):
            optional.update(
                {UNKNOWN_KEYS[0]: ANY_JSON, UNKNOWN_KEYS[1]: st.dictionaries(ASCII_TEXT, ANY_JSON, max_size=2)}
            )
        return st.fixed_dictionaries(fixed, optional=optional)

    def _array(self, schema: doc.Schema, depth: int) -> Strategy:
        low = int(schema.get("minItems", 0))
        high = min(int(schema.get("maxItems", low + MAX_ITEMS)), low + MAX_ITEMS)
        items = schema.get("items")
        element = self.of(items, depth + 1) if isinstance(items, dict) and items else ANY_JSON
        return st.lists(element, min_size=low, max_size=high)


def _bound(schema: doc.Schema, inclusive: str, exclusive: str, step: int, default: int) -> int:
    if exclusive in schema:
        return int(schema[exclusive]) + step
    if inclusive in schema:
        return int(schema[inclusive])
    return default


def _number(schema: doc.Schema) -> Strategy:
    """Floats in range, and integers in range (a JSON number may be written without a fraction)."""
    low_exclusive = "exclusiveMinimum" in schema
    high_exclusive = "exclusiveMaximum" in schema
    low = schema.get("exclusiveMinimum", schema.get("minimum"))
    high = schema.get("exclusiveMaximum", schema.get("maximum"))
    floats = st.floats(
        min_value=low,
        max_value=high,
        exclude_min=low_exclusive,
        exclude_max=high_exclusive,
        allow_nan=False,
        allow_infinity=False,
    )
    int_low = -INT_BOUND if low is None else (math.floor(low) + 1 if low_exclusive else math.ceil(low))
    int_high = INT_BOUND if high is None else (math.ceil(high) - 1 if high_exclusive else math.floor(high))
    if int_low > int_high:
        return floats
    return st.one_of(floats, st.integers(min_value=int_low, max_value=int_high))


@functools.cache
def _pattern(pattern: str) -> Strategy:
    ascii_word = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
    return st.from_regex(pattern, fullmatch=True, alphabet=ascii_word)


def _string(schema: doc.Schema) -> Strategy:
    if "pattern" in schema:
        low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
        drawn = _pattern(schema["pattern"])
        if low or high is not None:
            drawn = drawn.filter(lambda text: low <= len(text) and (high is None or len(text) <= high))
        return drawn
    fmt = schema.get("format")
    if fmt in FORMATS:
        return FORMATS[fmt]
    low = int(schema.get("minLength", 0))
    high = int(schema.get("maxLength", low + 12))
    return st.one_of(
        st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=low, max_size=high),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=low, max_size=min(high, low + 4)),
    )
