"""Per-operation tests: ``tests/funcs/generated/test_<function>.py``.

Each file checks, through ``httpx.MockTransport`` and for both twins: the exact wire request built
from a valid request (the document's examples where they are valid requests, else minimal values
made from the schema), the decoding of every success example of the document, and one typed error
per documented status.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from tools.codegen import config, text
from tools.codegen.document import ANNOTATIONS, Document, DocumentError, Schema, adds_nothing, is_null, type_set
from tools.codegen.operations import Op
from tools.codegen.schema import Builder, ClassDef

SERVER_PATH = "/api/v1"
PER_CALL_KEY = "sk-or-v1-per-call-key"
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
        return _finite(value) and self.schema_valid(value, schema) and self.strict(value, schema)

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


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(item) for item in value.values())
    if isinstance(value, list):
        return all(_finite(item) for item in value)
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


def query_text(value: Any) -> str:
    """How a scalar query or path value appears on the wire."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def param_value(sampler: Sampler, schema: Schema, wire: str, location: str, required: bool) -> Any:
    """A value for a parameter, or ``INVALID`` to leave an optional one out."""
    resolved = sampler.resolve(schema)
    kinds = [kind for kind in type_set(resolved) if kind != "null"]
    if not required and (kinds == ["number"] or resolved.get("x-openrouter-type") == "boolean"):
        return INVALID  # float formatting and boolean spelling on the wire are the runtime's to define
    if location == "path" and kinds == ["string"] and not resolved.get("format") and "enum" not in resolved:
        return f"{wire}:a b/1"  # exercises percent-encoding: ':' ' ' '/' all encoded
    found = sampler.minimal(schema)
    if isinstance(found, float | dict | list):
        return INVALID if not required else found
    return found


def success_examples(op: Op, sampler: Sampler) -> list[tuple[int, Any]]:
    """Every JSON success example of the document (or one minimal answer when it has none)."""
    found: list[tuple[int, Any]] = []
    for answer in op.declared:
        if answer.encoding != "json" or answer.schema is None:
            continue
        # A few examples of the document contradict their own schema (a required field missing):
        # only the ones that validate are decoding tests.
        valid = [e for e in answer.examples if _finite(e) and sampler.schema_valid(e, answer.schema)]
        found += [(answer.status, example) for example in valid]
        if not valid:
            found.append((answer.status, sampler.minimal(answer.schema)))
    return found


def error_body(status: int, examples: list[Any]) -> Any:
    """The document's example error body, or a generic one."""
    for example in examples:
        if isinstance(example, dict):
            return example
    return {"error": {"code": status, "message": f"example {status} error"}}


def _plain_prefix(message: str) -> str:
    """The start of a message up to its first character with a meaning in a regular expression."""
    found = re.match(r"[A-Za-z0-9 ]+", message)
    return found.group(0).strip() if found else ""


def _test_doc(op: Op) -> str:
    head = f"``{op.function}`` (``{op.method} {op.path}``) via ``httpx.MockTransport``: wire, answers, errors."
    if len(head) > text.LINE_LENGTH - 6:
        head = f"``{op.function}`` via ``httpx.MockTransport``: wire request, answers, typed errors."
    return head


@dataclass
class Case:
    """What one operation's test module checks: a valid request and what it looks like on the wire."""

    op: Op
    request: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    path: str = ""
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    examples: list[tuple[int, Any]] = field(default_factory=list)
    errors: list[tuple[int, str, Any]] = field(default_factory=list)
    response_names: set[tuple[str, str]] = field(default_factory=set)

    @property
    def security(self) -> bool:
        """Whether the function takes a per-call ``security`` argument."""
        return self.op.security_class is not None


def request_body(op: Op, sampler: Sampler) -> Any:
    """The first document example that is a valid request, else a minimal one; keys in field order."""
    assert op.body_schema is not None
    body = next((e for e in op.body_examples if sampler.acceptable(e, op.body_schema)), INVALID)
    if body is INVALID:
        body = sampler.minimal(op.body_schema)
    if not sampler.acceptable(body, op.body_schema):
        raise DocumentError(f"{op.id}: could not make a valid request body for its test")
    return sampler.ordered(body, op.body_schema)


def add_params(case: Case, sampler: Sampler) -> None:
    """Parameter values into the request, and where each appears on the wire."""
    case.path = case.op.path
    for param in case.op.params:
        value = param_value(sampler, param.schema, param.wire, param.location, param.required)
        if value is INVALID:
            continue
        assert param.field is not None
        case.request[param.field.dict_key] = value
        if param.location == "path":
            case.path = case.path.replace("{" + param.wire + "}", quote(query_text(value), safe=""))
        elif param.location == "query":
            case.query.append((param.wire, query_text(value)))
        else:
            case.headers.append((param.wire.lower(), query_text(value)))


def build_case(op: Op, builder: Builder, document: Document) -> Case:
    """The request, its wire form, the success examples, the typed errors."""
    sampler = Sampler(document)
    case = Case(op)
    if op.body_schema is not None:
        case.body = request_body(op, sampler)
        case.request.update(case.body)
    add_params(case, sampler)
    case.examples = success_examples(op, sampler)
    if not case.examples:
        raise DocumentError(f"{op.id}: no success answer to test")
    case.errors = [
        (status, config.STATUS_ERRORS[status], error_body(status, op.errors[status]))
        for status in sorted(op.errors)
        if status in config.STATUS_ERRORS
    ]
    if not case.errors:
        raise DocumentError(f"{op.id}: no documented error status to test")
    for answer in op.declared:
        if answer.model:
            module, name = answer.model.split(":")
            if isinstance(builder.definitions.get(name), ClassDef):
                case.response_names.add((module, name))
    return case


def head_lines(case: Case) -> list[str]:
    """Header, docstring, imports and the module's constants."""
    op = case.op
    lines = [
        text.HEADER,
        *text.docstring(0, _test_doc(op)),
        "",
        "from __future__ import annotations",
        "",
        *(["import json"] if case.body is not None else []),
        "from typing import Any",
        "",
        "import httpx",
        "import pytest",
        "",
        "import openrouter_core as orc",
        "from openrouter_core import Err, Ok, RequestOptions",
        f"from openrouter_funcs.{op.function} import {op.function}, {op.function}_async",
    ]
    lines += [f"from openrouter_funcs.models.{module} import {name}" for module, name in sorted(case.response_names)]
    lines += [
        f"from tests.helpers import {'' if case.security else 'API_KEY, '}Runner, Wire, json_response, make_core",
        "",
        "NO_RETRY = RequestOptions(retries=None)",
        *([f"PER_CALL_KEY = {PER_CALL_KEY!r}", "SECURITY = {'bearer': PER_CALL_KEY}"] if case.security else []),
        f"REQUEST: dict[str, Any] = {literal(case.request)}",
        f"BODY: Any = {literal(case.body)}",
        f"PATH = {(SERVER_PATH + case.path).encode('ascii')!r}",
        f"QUERY = {literal(sorted(case.query))}",
        f"HEADERS = {literal(case.headers)}",
        f"EXAMPLES: list[tuple[int, Any]] = {literal(case.examples)}",
        "ERRORS: list[tuple[int, type[orc.OpenRouterError], Any]] = [",
        *(f"    ({status}, orc.{name}, {literal(example)})," for status, name, example in case.errors),
        "]",
    ]
    return lines


def call_lines(case: Case) -> list[str]:
    """``call(run, core)``: the function (or its twin) with the test's request, no retries."""
    op = case.op
    call_args = "core, SECURITY, REQUEST, NO_RETRY" if case.security else "core, REQUEST, NO_RETRY"
    invoke = f"run({op.function}, {op.function}_async, {call_args})"
    lines = ["", "", "def call(run: Runner, core: orc.OpenRouterCore) -> Any:"]
    if op.deprecated:
        lines += [
            f"    with pytest.warns(DeprecationWarning, match={_plain_prefix(op.deprecated)!r}):",
            f"        return {invoke}",
        ]
    else:
        lines += [f"    return {invoke}"]
    return lines


def wire_test_lines(case: Case) -> list[str]:
    """``test_wire_request``: method, path, query, headers and body bytes."""
    key = "PER_CALL_KEY" if case.security else "API_KEY"
    lines = [
        "",
        "",
        "def test_wire_request(run: Runner) -> None:",
        "    sent: list[dict[str, str]] = []  # the headers as they went out (the Result keeps them redacted)",
        "",
        "    def answer(request: httpx.Request) -> httpx.Response:",
        "        sent.append(dict(request.headers))",
        "        return json_response(*EXAMPLES[0])",
        "",
        "    wire = Wire(answer)",
        "    call(run, make_core(wire))",
        "    (request,) = wire.requests",
        "    (headers,) = sent",
        f"    assert request.method == {case.op.method!r}",
        '    assert request.url.raw_path.split(b"?")[0] == PATH',
        "    assert sorted(request.url.params.multi_items()) == QUERY",
        f'    assert headers["authorization"] == f"Bearer {{{key}}}"',
        "    for name, value in HEADERS:",
        "        assert headers[name] == value",
    ]
    if case.body is None:
        return [*lines, '    assert request.content == b""']
    lines += [
        '    assert headers["content-type"] == "application/json"',
        "    assert json.loads(request.content) == BODY",
    ]
    if json.dumps(case.body, separators=(",", ":")).isascii():
        lines += ['    assert request.content == json.dumps(BODY, separators=(",", ":")).encode()']
    return lines


def answer_test_lines(case: Case) -> list[str]:
    """``test_example_answer_decodes``: every success example is ``Ok`` (of the response class)."""
    lines = [
        "",
        "",
        '@pytest.mark.parametrize(("status", "body"), EXAMPLES)',
        "def test_example_answer_decodes(run: Runner, status: int, body: Any) -> None:",
        "    result = call(run, make_core(Wire(json_response(status, body))))",
        "    assert isinstance(result, Ok), result",
    ]
    if len(case.response_names) == 1:
        ((_, name),) = case.response_names
        lines += [f"    assert isinstance(result.value, {name})"]
    return lines


def error_test_lines() -> list[str]:
    """``test_documented_error_is_typed``: one typed error per documented status."""
    return [
        "",
        "",
        '@pytest.mark.parametrize(("status", "error", "body"), ERRORS)',
        "def test_documented_error_is_typed(",
        "    run: Runner, status: int, error: type[orc.OpenRouterError], body: Any",
        ") -> None:",
        "    result = call(run, make_core(Wire(json_response(status, body))))",
        "    assert isinstance(result, Err), result",
        "    assert isinstance(result.error, error)",
    ]


def render(op: Op, builder: Builder, document: Document) -> str:
    """The test module of one operation."""
    assert op.request is not None
    case = build_case(op, builder, document)
    lines = [*head_lines(case), *call_lines(case), *wire_test_lines(case), *answer_test_lines(case)]
    lines += error_test_lines()
    return "\n".join(lines) + "\n"
