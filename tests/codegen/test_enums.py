"""Inline enums that repeat a component enum's values name the component instead."""

from __future__ import annotations

from typing import Any

from tools.codegen.document import Document
from tools.codegen.schema import Builder

EFFORT = ["max", "xhigh", "high", "medium", "low", "minimal", "none"]


def builder(**schemas: Any) -> Builder:
    return Builder(Document({"components": {"schemas": schemas}, "paths": {}}), set())


def expr(b: Builder, schema: dict[str, Any]) -> Any:
    return b.expr(schema, "Thing", "thing", False, "a test schema")


def test_an_inline_enum_repeating_a_component_names_it() -> None:
    b = builder(ReasoningEffort={"type": "string", "enum": EFFORT})
    made = expr(b, {"type": "string", "enum": EFFORT})
    assert made.ann == "ReasoningEffort"
    assert made.names == {"ReasoningEffort"}
    assert not made.nullable
    assert b.definitions["ReasoningEffort"].module == "reasoning_effort"


def test_null_among_the_values_keeps_the_field_nullable() -> None:
    b = builder(ReasoningEffort={"type": "string", "enum": EFFORT})
    made = expr(b, {"type": ["string", "null"], "enum": [*EFFORT, None]})
    assert made.ann == "ReasoningEffort"
    assert made.nullable


def test_other_values_short_lists_and_named_members_stay_inline() -> None:
    short = ["low", "high"]
    b = builder(
        ReasoningEffort={"type": "string", "enum": EFFORT},
        Detail={"type": "string", "enum": short},
        Named={"type": "integer", "enum": [1, 2, 3, 4, 5, 6], "x-enum-varnames": ["A", "B", "C", "D", "E", "F"]},
    )
    assert expr(b, {"type": "string", "enum": EFFORT[:-1]}).ann.startswith("Literal[")
    assert expr(b, {"type": "string", "enum": list(reversed(EFFORT))}).ann.startswith("Literal[")
    assert expr(b, {"type": "string", "enum": short}).ann.startswith("Literal[")
    assert expr(b, {"type": "integer", "enum": [1, 2, 3, 4, 5, 6]}).ann.startswith("Literal[")
    assert "Detail" not in b.definitions


def test_a_nullable_component_stands_only_for_a_nullable_field() -> None:
    b = builder(ReasoningEffort={"type": ["string", "null"], "enum": [*EFFORT, None]})
    assert expr(b, {"type": "string", "enum": EFFORT}).ann.startswith("Literal[")
    made = expr(b, {"type": ["string", "null"], "enum": [*EFFORT, None]})
    assert made.ann == "ReasoningEffort"
    assert made.nullable
