"""Random schema-valid values, built from the OpenAPI document, against the SDK's converters.

(a) Responses: random bodies that fit an operation's success schema (plus fields the document does
    not declare, as a newer server would send) decode with ``_serde.decode`` without error; a
    body that fits the schema never decodes to ``RawVariant``; and re-encoding what was decoded
    gives JSON that still fits the schema (nothing known is lost or invented). Every JSON operation
    gets a few bodies; the big unions (chat's ``ChatResult``, the Responses API's result and output
    items, the stream chunks and events) get more.
(b) Requests: random bodies that fit an operation's request schema pass ``validate_request``
    against the operation's request model, and the JSON it produces equals the body (so it fits
    the document too, which is checked separately with jsonschema, Draft 2020-12).
(c) Optional and nullable fields: absent, ``null`` and a value stay three different things through
    request encoding, for every such field of every JSON request body, as a dict and as a model;
    a PATCH sends ``null`` on the wire to clear a field.

Values come from ``tests/properties/schema_strategies.py`` (derandomized, bounded example counts).
"""

from __future__ import annotations

import importlib
import json
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openrouter_core._schema import UNSET, WIRE_NAME, OneOf, RawVariant
from openrouter_core._serde import decode, model_named, resolve, to_json, validate_request
from openrouter_funcs._registry import OPERATIONS
from tests import openapi_document as doc
from tests.helpers import Wire, json_response, make_core
from tests.properties.schema_strategies import SchemaStrategies

DOC = doc.patched_document()  # the document the SDK was generated from


def _shallow_merge(schema: doc.Schema) -> doc.Schema:
    """A component's properties as the generator merges ``allOf`` parts: a later part's property wins."""
    if "allOf" not in schema:
        return schema
    own = {key: value for key, value in schema.items() if key != "allOf"}
    properties: dict[str, Any] = {}
    required: set[str] = set()
    for part in [own, *(_shallow_merge(doc.deref(DOC, part)) for part in schema["allOf"])]:
        properties.update(part.get("properties") or {})
        required.update(part.get("required") or ())
    return {"properties": properties, "required": sorted(required)}


def may_be_null(schema: doc.Schema) -> bool:
    """The document's answer: does this schema accept ``null``?"""
    return bool(doc.validator(DOC, schema).is_valid(None))


def nullability_mismatches(component: str) -> list[tuple[str, bool, Any]]:
    """``(property, the document allows null, the field's default)`` where a model disagrees with the document.

    An optional field that may be null must default to ``UNSET`` (so absent, null and a value stay
    apart); one that may not, to ``None`` (absent, left out).
    """
    cls = model_named(component)
    merged = _shallow_merge(DOC["components"]["schemas"][component])
    fields = {field.metadata.get(WIRE_NAME, field.name): field for field in attrs.fields(cls)}
    found = []
    for name, schema in (merged.get("properties") or {}).items():
        if name in (merged.get("required") or ()):
            continue
        nullable = may_be_null(schema)
        default = fields[name].default
        if nullable != (default is UNSET):
            found.append((name, nullable, default))
    return found


# Fields whose null the SDK would drop (none now): random requests would never put null there.
NULLABILITY_BUGS: dict[str, str] = {}
KNOWN_NULL_DROPS = {
    (component, name) for component in NULLABILITY_BUGS for name, _, _ in nullability_mismatches(component)
}
KNOWN_NULL_DROP_NODES = {
    id(node): node
    for node in (
        _shallow_merge(DOC["components"]["schemas"][component])["properties"][name]
        for component, name in sorted(KNOWN_NULL_DROPS)
    )
}
RESPONSES = SchemaStrategies(DOC, for_responses=True)
REQUESTS = SchemaStrategies(DOC, for_responses=False, never_null=KNOWN_NULL_DROP_NODES.values())


def bounded(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# --- the operations, read from the document ----------------------------------------------------------


@attrs.frozen
class OpSchemas:
    op_id: str
    operation: Any  # the generated Operation
    success_status: int
    success_schema: doc.Schema
    response_model: str
    body_schema: doc.Schema | None
    params: dict[str, Any]  # required parameters, by request field name, with minimal values


def op_schemas(op_id: str) -> OpSchemas:
    info = OPERATIONS[op_id]
    operation = importlib.import_module(info.module).OPERATION
    spec = doc.operation(DOC, info.method, info.path)
    status, (_, model) = next(iter(operation.responses.items()))
    assert model is not None
    success_schema = doc.json_body_schema(spec.spec["responses"][str(status)].get("content"))
    assert success_schema is not None
    headers = {header.lower(): field for field, header in operation.headers}
    params = {
        headers.get(parameter["name"].lower(), parameter["name"]): doc.minimal(DOC, parameter.get("schema") or {})
        for parameter in spec.parameters
        if parameter.get("required")
    }
    body_schema = doc.json_body_schema((spec.spec.get("requestBody") or {}).get("content"))
    return OpSchemas(op_id, operation, status, success_schema, model, body_schema, params)


ALL = {op_id: op_schemas(op_id) for op_id in doc.json_operation_ids()}
WITH_BODY = sorted(op_id for op_id, found in ALL.items() if found.body_schema is not None)


def model_of(reference: str) -> Any:
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(f"openrouter_funcs.models.{module}"), name)


def known_types(model: Any) -> tuple[type, ...]:
    if isinstance(model, OneOf):
        return tuple(found for member in model.members for found in known_types(resolve(member, model.module)))
    return (model,) if isinstance(model, type) else ()


def check_response(schema: doc.Schema, model: Any, body: Any) -> Any:
    """``body`` fits ``schema``; it decodes as ``model``; its re-encoding fits ``schema`` too."""
    assert not doc.problems(DOC, schema, body), "the generator drew an invalid body"
    decoded = decode(json.dumps(body).encode(), model)
    types = known_types(model)
    if types:
        assert isinstance(decoded, types), type(decoded)
    assert not isinstance(decoded, RawVariant)
    again = to_json(decoded)
    assert not doc.problems(DOC, schema, again), doc.problems(DOC, schema, again)
    return decoded


# --- (a) responses -----------------------------------------------------------------------------------


@pytest.mark.parametrize("op_id", sorted(ALL))
def test_random_success_answers_of_every_operation_decode(op_id: str) -> None:
    found = ALL[op_id]
    model = model_of(found.response_model)

    @bounded(6)
    @given(RESPONSES.of(found.success_schema))
    def check(body: Any) -> None:
        check_response(found.success_schema, model, body)

    check()


BIG_RESPONSES = [
    ("ChatResult", 60),
    ("OpenResponsesResult", 60),
    ("MessagesResult", 40),
    ("ChatStreamChunk", 60),
    ("StreamEvents", 80),  # the Responses API's stream events: 49 tagged variants
    ("MessagesStreamEvents", 30),
]


@pytest.mark.parametrize(("name", "examples"), BIG_RESPONSES)
def test_random_bodies_of_the_big_response_schemas_decode(name: str, examples: int) -> None:
    schema = {"$ref": doc.COMPONENTS + name}
    model = model_named(name)
    assert model is not None

    @bounded(examples)
    @given(RESPONSES.of(schema))
    def check(body: Any) -> None:
        check_response(schema, model, body)

    check()


def _tagged_union(name: str) -> tuple[doc.Schema, OneOf, str]:
    union = model_named(name)
    assert isinstance(union, OneOf)
    assert union.discriminator is not None
    return {"$ref": doc.COMPONENTS + name}, union, union.discriminator


TAGGED_UNIONS = ["OutputItems", "StreamEvents", "ChatMessages", "MessagesStreamEvents", "ORAnthropicContentBlock"]
TAGS = [
    (name, tag, target)
    for name in TAGGED_UNIONS
    for tag, target in doc.deref(DOC, {"$ref": doc.COMPONENTS + name})["discriminator"]["mapping"].items()
]


@pytest.mark.parametrize(("name", "tag", "target"), TAGS)
def test_a_tagged_union_decodes_each_tag_to_its_own_member(name: str, tag: str, target: str) -> None:
    schema, union, tag_name = _tagged_union(name)
    assert union.mapping is not None
    expected = resolve(union.mapping[tag], union.module)

    @bounded(3)
    @given(RESPONSES.of({"$ref": target}))
    def check(body: Any) -> None:
        assert body[tag_name] == tag
        decoded = check_response(schema, union, body)
        assert type(decoded) is expected

    check()


def test_every_output_item_of_a_responses_result_decodes_to_a_known_member() -> None:
    # OpenResponsesResult is allOf(BaseResponsesResult, {output: OutputItems[]}), and the base's own
    # `output` is a 9-member union: read strictly, allOf lets only those 9 item types through. The
    # API sends all 31 OutputItems (the openrouter:* server tools among them), as the SDK models it,
    # so the items are checked against OutputItems and the rest of the body against the result.
    schema = {"$ref": doc.COMPONENTS + "OpenResponsesResult"}
    item_schema = {"$ref": doc.COMPONENTS + "OutputItems"}
    model = model_named("OpenResponsesResult")
    items = known_types(model_named("OutputItems"))
    outputs = st.lists(RESPONSES.of(item_schema), min_size=1, max_size=4)

    @bounded(60)
    @given(RESPONSES.of(schema), outputs)
    def check(body: Any, output: list[Any]) -> None:
        assert not doc.problems(DOC, schema, {**body, "output": []})
        for item in output:
            assert not doc.problems(DOC, item_schema, item)
        decoded = decode(json.dumps({**body, "output": output}).encode(), model)
        assert len(decoded.output) == len(output)
        for item, sent in zip(decoded.output, output, strict=True):
            assert isinstance(item, items), type(item)
            again = to_json(item)
            assert not doc.problems(DOC, item_schema, again), doc.problems(DOC, item_schema, again)
            assert again["type"] == sent["type"]

    check()


# --- (b) requests ------------------------------------------------------------------------------------


def encode_request(found: OpSchemas, body: dict[str, Any]) -> dict[str, Any]:
    """``validate_request`` on the operation's request model; the body part of what it produces."""
    wire = validate_request(found.operation.request_model(), {**found.params, **body})
    assert isinstance(wire, dict)
    for name in found.params:
        wire.pop(name)
    return wire


def check_request(found: OpSchemas, body: Any) -> None:
    assert found.body_schema is not None
    assert not doc.problems(DOC, found.body_schema, body), "the generator drew an invalid body"
    wire = encode_request(found, body)
    assert not doc.problems(DOC, found.body_schema, wire), doc.problems(DOC, found.body_schema, wire)
    assert wire == body


BIG_REQUESTS = {"sendChatCompletionRequest": 80, "createResponses": 80, "createMessages": 80}


@pytest.mark.parametrize("op_id", WITH_BODY)
def test_random_valid_request_bodies_encode_to_json_that_fits_the_document(op_id: str) -> None:
    found = ALL[op_id]
    assert found.body_schema is not None

    @bounded(BIG_REQUESTS.get(op_id, 10))
    @given(REQUESTS.of(found.body_schema))
    def check(body: Any) -> None:
        check_request(found, body)

    check()


def test_a_random_chat_request_goes_out_as_the_same_json() -> None:
    # The same property through the function: validation, encoding, and the bytes on the wire.
    from openrouter_funcs.chat_send import chat_send

    found = ALL["sendChatCompletionRequest"]
    assert found.body_schema is not None
    wire = Wire(json_response(200, {"error": {"code": 500, "message": "not the point"}}))
    core = make_core(wire, retry_config=None)

    @bounded(25)
    @given(REQUESTS.of(found.body_schema))
    def check(body: Any) -> None:
        chat_send(core, body)
        sent = wire.requests[-1]
        assert json.loads(sent.content) == body

    check()


def open_request_components() -> list[str]:
    """Components reachable from a JSON request body with properties and ``additionalProperties`` allowed."""
    seen: set[str] = set()
    pending = [ALL[op_id].body_schema for op_id in WITH_BODY]
    found = []
    while pending:
        for ref in _refs(pending.pop()):
            name = ref[len(doc.COMPONENTS) :]
            if name in seen:
                continue
            seen.add(name)
            schema = DOC["components"]["schemas"][name]
            extra = schema.get("additionalProperties")
            if schema.get("properties") and extra is not None and extra is not False:
                found.append(name)
            pending.append(schema)
    return sorted(found)


def _refs(node: Any) -> list[str]:
    return [found["$ref"] for found in doc.walk_schemas(node) if isinstance(found.get("$ref"), str)]


@pytest.mark.parametrize("component", open_request_components())
def test_a_request_object_the_document_leaves_open_accepts_extra_keys(component: str) -> None:
    schema = {"$ref": doc.COMPONENTS + component}
    extra = DOC["components"]["schemas"][component]["additionalProperties"]
    value = {
        **doc.minimal(DOC, schema, prefer_examples=False),
        "zz_extra": doc.minimal(DOC, extra or {"type": "string"}),
    }
    assert not doc.problems(DOC, schema, value)
    assert validate_request(model_named(component), value) == value


def test_chat_trace_metadata_passes_custom_keys_through() -> None:
    # TraceConfig: "Additional keys are passed through as custom metadata to configured broadcast destinations."
    found = ALL["sendChatCompletionRequest"]
    body = {"messages": [{"role": "user", "content": "hi"}], "trace": {"trace_id": "t-1", "environment": "prod"}}
    assert not doc.problems(DOC, found.body_schema or {}, body)
    assert encode_request(found, body) == body


def test_a_messages_tool_input_schema_may_say_additional_properties_false() -> None:
    found = ALL["createMessages"]
    tool_input = {"type": "object", "properties": {"city": {"type": "string"}}, "additionalProperties": False}
    body = {
        "model": "anthropic/claude-sonnet-4",
        "messages": [{"role": "user", "content": "hi"}],
        "tools": [{"name": "get_weather", "input_schema": tool_input}],
    }
    assert not doc.problems(DOC, found.body_schema or {}, body)
    assert encode_request(found, body) == body


# --- (c) absent, null and a value ------------------------------------------------------------------------


ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated", "default"})


def _object_schema(schema: doc.Schema) -> doc.Schema:
    resolved = doc.deref(DOC, schema)
    return _shallow_merge(resolved)


def optional_nullable_fields() -> list[tuple[str, str]]:
    """``(operation, wire name)`` of every optional property of a JSON request body that may be null."""
    found = []
    for op_id in WITH_BODY:
        body = _object_schema(ALL[op_id].body_schema or {})
        required = set(body.get("required") or ())
        for name, schema in (body.get("properties") or {}).items():
            if name not in required and may_be_null(schema) and id(schema) not in KNOWN_NULL_DROP_NODES:
                found.append((op_id, name))
    return found


OPTIONAL_NULLABLE = optional_nullable_fields()


def _a_value(schema: doc.Schema) -> Any:
    """A value other than null that ``schema`` accepts."""
    value = _value_candidate(doc.deref(DOC, schema))
    assert value is not None, f"no value other than null for {schema}"
    assert not doc.problems(DOC, schema, value), (value, doc.problems(DOC, schema, value))
    return value


def _value_candidate(resolved: doc.Schema) -> Any:
    if "allOf" in resolved:
        parts = [part for part in resolved["allOf"] if set(doc.deref(DOC, part)) - ANNOTATIONS]
        return _value_candidate(doc.deref(DOC, parts[0])) if len(parts) == 1 else None
    if "enum" in resolved:
        return next(value for value in resolved["enum"] if value is not None)
    for member in resolved.get("anyOf") or resolved.get("oneOf") or ():
        value = doc.minimal(DOC, member)
        if value is not None:
            return value
    kinds = [kind for kind in doc.type_list(resolved) if kind != "null"]
    if kinds:
        return doc.minimal(DOC, {**resolved, "type": kinds[0]})
    return "any JSON" if not set(resolved) - ANNOTATIONS else None


def test_every_request_body_field_that_may_be_null_is_checked_below() -> None:
    assert len(OPTIONAL_NULLABLE) > 80
    assert {("updateGuardrail", "limit_usd"), ("updateBYOKKey", "name"), ("updateKeys", "limit")} <= set(
        OPTIONAL_NULLABLE
    )


@pytest.mark.parametrize(("op_id", "name"), OPTIONAL_NULLABLE)
def test_absent_null_and_a_value_stay_distinct_in_a_request(op_id: str, name: str) -> None:
    found = ALL[op_id]
    assert found.body_schema is not None
    base = doc.minimal(DOC, found.body_schema, prefer_examples=False)
    base.pop(name, None)
    value = _a_value(_object_schema(found.body_schema)["properties"][name])

    assert name not in encode_request(found, base)
    assert encode_request(found, {**base, name: None})[name] is None
    assert encode_request(found, {**base, name: value})[name] == value


@pytest.mark.parametrize(("op_id", "name"), OPTIONAL_NULLABLE)
def test_the_request_model_keeps_unset_none_and_a_value_apart(op_id: str, name: str) -> None:
    found = ALL[op_id]
    assert found.body_schema is not None
    model = found.operation.request_model()
    field = next(field for field in attrs.fields(model) if field.metadata.get(WIRE_NAME, field.name) == name)
    assert field.default is UNSET, f"{model.__name__}.{field.name} may be null: its default must be UNSET"
    base = {**found.params, **doc.minimal(DOC, found.body_schema, prefer_examples=False)}
    base.pop(name, None)
    built = decode(json.dumps(base).encode(), model)  # as a caller would build it
    assert getattr(built, field.name) is UNSET
    assert name not in validate_request(model, built)
    cleared = attrs.evolve(built, **{field.alias: None})
    assert validate_request(model, cleared)[name] is None
    value = _a_value(_object_schema(found.body_schema)["properties"][name])
    given_value = decode(json.dumps({**base, name: value}).encode(), model)
    assert validate_request(model, given_value)[name] == value


@pytest.mark.parametrize(
    "component",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=NULLABILITY_BUGS[name]))
        if name in NULLABILITY_BUGS
        else name
        for name, schema in sorted(DOC["components"]["schemas"].items())
        if isinstance(model_named(name), type)
        and attrs.has(model_named(name))
        and _shallow_merge(schema).get("properties")
    ],
)
def test_optional_fields_default_to_unset_exactly_where_the_document_allows_null(component: str) -> None:
    # Every model class of a component, not only request bodies: a nested field that drops null
    # cannot clear anything either, and a response field that takes null for absent loses a state.
    wrong = [
        f"{name}: the document {'allows' if nullable else 'forbids'} null; the default is {default!r}"
        for name, nullable, default in nullability_mismatches(component)
    ]
    assert not wrong, wrong


def test_no_field_drops_a_null_the_document_allows() -> None:
    assert set() == KNOWN_NULL_DROPS


def test_a_web_search_plugin_can_send_a_null_user_location() -> None:
    found = ALL["sendChatCompletionRequest"]
    body = {"messages": [{"role": "user", "content": "hi"}], "plugins": [{"id": "web", "user_location": None}]}
    assert not doc.problems(DOC, found.body_schema or {}, body)
    assert encode_request(found, body) == body


def test_a_null_in_an_any_json_field_is_sent() -> None:
    found = ALL["createResponses"]
    body = {"input": "hi", "previous_response_id": None}
    assert not doc.problems(DOC, found.body_schema or {}, body)
    assert encode_request(found, body) == body


UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
PATCHES = [
    ("guardrails_update", {"id": UUID}, "description"),
    ("guardrails_update", {"id": UUID}, "limit_usd"),
    ("guardrails_update", {"id": UUID}, "reset_interval"),
    ("byok_update", {"id": UUID}, "name"),
    ("byok_update", {"id": UUID}, "allowed_models"),
    ("api_keys_update", {"hash": "f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943"}, "limit"),
]


@pytest.mark.parametrize(("function", "params", "name"), PATCHES)
def test_a_patch_sends_null_to_clear_a_field_and_nothing_for_an_absent_one(
    function: str, params: dict[str, Any], name: str
) -> None:
    module = importlib.import_module(f"openrouter_funcs.{function}")
    call = getattr(module, function)
    wire = Wire(lambda request: httpx.Response(500))
    core = make_core(wire, retry_config=None)
    call(core, {**params, name: None})  # clear it
    call(core, dict(params))  # leave it as it is
    cleared, untouched = (request.content for request in wire.requests)
    assert json.loads(cleared) == {name: None}
    assert cleared == b'{"' + name.encode() + b'":null}'
    assert json.loads(untouched) == {}


@pytest.mark.parametrize(("function", "name"), [(function, name) for function, _, name in PATCHES])
def test_the_patched_resource_decodes_absent_null_and_a_value_apart(function: str, name: str) -> None:
    # The same three states on the way back: the updated resource in the PATCH's answer.
    op_id = next(op for op, info in OPERATIONS.items() if info.function == function)
    found = ALL[op_id]
    model = model_of(found.response_model)
    body = doc.minimal(DOC, found.success_schema, prefer_examples=False)
    data_schema = _object_schema(_object_schema(found.success_schema)["properties"]["data"])
    assert name in (data_schema.get("properties") or {}), f"{op_id}'s answer has no {name!r}"
    absent = {key: value for key, value in body["data"].items() if key != name}
    value = _a_value(data_schema["properties"][name])
    states = {"null": {**absent, name: None}, "value": {**absent, name: value}}
    optional = name not in (data_schema.get("required") or ())
    if optional:
        states["absent"] = absent
    decoded = {state: decode(json.dumps({**body, "data": data}).encode(), model).data for state, data in states.items()}
    field = next(f for f in attrs.fields(type(decoded["null"])) if f.metadata.get(WIRE_NAME, f.name) == name)
    assert getattr(decoded["null"], field.name) is None
    assert to_json(getattr(decoded["value"], field.name)) == value
    if optional:
        assert getattr(decoded["absent"], field.name) is UNSET
