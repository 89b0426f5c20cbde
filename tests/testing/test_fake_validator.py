"""The fake's validator, keyword by keyword, and against jsonschema on the document's own examples."""

from __future__ import annotations

from typing import Any

import pytest

from openrouter.testing._checks import check_text
from openrouter.testing._data import load
from openrouter.testing._validator import MAX_PROBLEMS, Validator, join
from tests.testing._fake_document import operations_by_id, schemas, validate

COMPONENTS: dict[str, Any] = {
    "Pet": {
        "oneOf": [{"$ref": "Cat"}, {"$ref": "Dog"}],
        "discriminator": ["kind", {"cat": 0, "dog": 1}],
    },
    "Cat": {
        "type": "object",
        "required": ["kind", "lives"],
        "properties": {"kind": {"const": "cat"}, "lives": {"type": "integer"}},
    },
    "Dog": {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"const": "dog"}, "good": {"type": "boolean"}},
    },
}
V = Validator(COMPONENTS)


def problems(value: Any, schema: dict[str, Any]) -> list[tuple[str, str]]:
    return V.problems(value, schema)


@pytest.mark.parametrize(
    ("value", "schema", "expected"),
    [
        ("a", {"type": "string"}, []),
        (1, {"type": "string"}, [("", "must be a string")]),
        (None, {"type": ["string", "null"]}, []),
        (None, {"type": "string", "nullable": True}, []),
        (1.0, {"type": "integer"}, []),
        (1.5, {"type": "integer"}, [("", "must be an integer")]),
        (True, {"type": "integer"}, [("", "must be an integer")]),
        (True, {"type": "number"}, [("", "must be a number")]),
        ([], {"type": "object"}, [("", "must be an object")]),
        ({}, {"type": "array"}, [("", "must be an array")]),
        ("b", {"enum": ["a", 1]}, [("", 'must be one of "a", 1')]),
        (1, {"enum": [True]}, [("", "must be one of true")]),
        ("x", {"const": "y"}, [("", 'must be "y"')]),
        ("ab", {"minLength": 3}, [("", "must be at least 3 characters long")]),
        ("abcd", {"maxLength": 3}, [("", "must be at most 3 characters long")]),
        ("0x12", {"pattern": "^0x[0-9a-f]{4}$"}, [("", "must match ^0x[0-9a-f]{4}$")]),
        (0, {"minimum": 1}, [("", "must be at least 1")]),
        (5, {"maximum": 4}, [("", "must be at most 4")]),
        (0, {"exclusiveMinimum": 0}, [("", "must be greater than 0")]),
        (4, {"exclusiveMaximum": 4}, [("", "must be less than 4")]),
        ([], {"minItems": 1}, [("", "must have at least 1 items")]),
        ([1, 2], {"maxItems": 1}, [("", "must have at most 1 items")]),
        ([1, "x"], {"items": {"type": "integer"}}, [("[1]", "must be an integer")]),
        ({}, {"required": ["a", "b"]}, [("a", "is required"), ("b", "is required")]),
        ({"a": 1}, {"properties": {"a": {"type": "string"}}}, [("a", "must be a string")]),
        ({"z": 1}, {"properties": {}, "additionalProperties": False}, [("z", "is not allowed")]),
        ({"z": 1}, {"additionalProperties": {"type": "string"}}, [("z", "must be a string")]),
        ({"z": 1}, {"properties": {}}, []),
        ({"a": 1}, {"allOf": [{"required": ["a"]}, {"required": ["b"]}]}, [("b", "is required")]),
        ("x", {"format": "uuid"}, []),  # formats are not checked
    ],
)
def test_keywords(value: Any, schema: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert problems(value, schema) == expected


def test_discriminated_unions_check_the_chosen_member() -> None:
    pet = {"$ref": "Pet"}
    assert problems({"kind": "dog", "good": True}, pet) == []
    assert problems({"kind": "cat"}, pet) == [("lives", "is required")]
    assert problems({"kind": "cow"}, pet) == [("kind", 'must be one of "cat", "dog"')]
    assert problems({"lives": 9}, pet) == [("kind", 'is required (one of "cat", "dog")')]
    assert problems([{"kind": "dog", "good": 1}], {"items": pet}) == [("[0].good", "must be a boolean")]


def test_unions_without_a_discriminator() -> None:
    union = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    assert problems("a", union) == []
    assert problems(["a"], union) == []
    assert problems(5, union) == [("", "must be a string or an array")]
    assert problems(["a", 5], union) == [("[1]", "must be a string")]  # the member it came closest to
    consts = {"oneOf": [{"const": "a"}, {"enum": ["b", "c"]}]}
    assert problems("d", consts) == [("", 'must be "a" or one of "b", "c"')]


def test_problems_are_bounded() -> None:
    many = problems(list(range(100)), {"items": {"type": "string"}})
    assert len(many) == MAX_PROBLEMS


def test_paths() -> None:
    assert join("", "a") == "a"
    assert join("a", 0) == "a[0]"
    assert join("a[0]", "b") == "a[0].b"
    assert join("a", "x-y") == 'a["x-y"]'


@pytest.mark.parametrize(
    ("raw", "schema", "expected"),
    [
        ("5", {"type": "integer"}, []),
        ("5", {"type": ["integer", "null"], "minimum": 0}, []),
        ("-1", {"type": ["integer", "null"], "minimum": 0}, [("p", "must be at least 0")]),
        ("five", {"type": "integer"}, [("p", "must be an integer")]),
        ("1.5", {"type": "number"}, []),
        ("true", {"type": "boolean"}, []),
        ("true", {"anyOf": [{"type": "string", "enum": ["true", "false"]}, {"type": "boolean"}]}, []),
        ("yes", {"type": "boolean"}, [("p", "must be a boolean")]),
        ("007", {"type": "string"}, []),
        ("weekly", {"enum": ["daily", "weekly"]}, []),
    ],
)
def test_parameter_text_is_read_as_the_types_it_may_be(
    raw: str, schema: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert check_text(raw, schema, "p") == expected


def _body_examples() -> list[tuple[str, Any]]:
    found = []
    for op in operations_by_id().values():
        if op.body_kind == "json":
            found += [(op.id, example) for example in op.body_examples]
    return found


@pytest.mark.parametrize(("operation", "example"), _body_examples(), ids=[op for op, _ in _body_examples()])
def test_the_fake_agrees_with_jsonschema_on_the_documents_request_examples(operation: str, example: Any) -> None:
    schema = operations_by_id()[operation].body_schema
    assert schema is not None
    fake = Validator(load()["schemas"])
    compact = load()["operations"][operation]["body"]
    try:
        validate(example, schema)
    except Exception:  # the document's own example is invalid: the fake must say so too
        assert fake.problems(example, compact)
        return
    assert fake.problems(example, compact) == []
    required = schemas().resolve(schema).get("required") or []
    if isinstance(example, dict) and required:
        missing = {key: value for key, value in example.items() if key != required[0]}
        assert (required[0], "is required") in fake.problems(missing, compact)
