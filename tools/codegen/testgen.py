"""Per-operation tests: ``tests/funcs/generated/test_<function>.py``.

Each file checks, through ``httpx.MockTransport`` and for both twins: the exact wire request built
from a valid request (the document's examples where they are valid requests, else minimal values
made from the schema), the decoding of every success example of the document, and one typed error
per documented status.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from tools.codegen import config, testkinds, text
from tools.codegen.document import Document, DocumentError, Schema, type_set
from tools.codegen.operations import Op
from tools.codegen.sampling import INVALID, Sampler, finite, literal
from tools.codegen.schema import Builder, ClassDef

SERVER_PATH = "/api/v1"
PER_CALL_KEY = "sk-or-v1-per-call-key"


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
        valid = [e for e in answer.examples if finite(e) and sampler.schema_valid(e, answer.schema)]
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
    stream: testkinds.StreamTest | None = None
    upload: testkinds.UploadTest | None = None
    pages: testkinds.PagesTest | None = None

    @property
    def security(self) -> bool:
        """Whether the function takes a per-call ``security`` argument."""
        return self.op.security_class is not None


def request_body(op: Op, sampler: Sampler) -> Any:
    """The first document example that is a valid request, else a minimal one; keys in field order.

    A streaming operation's request never asks for a stream here (its stream test adds that).
    """
    assert op.body_schema is not None
    examples = [e for e in op.body_examples if not (op.stream and isinstance(e, dict) and e.get(op.stream.field))]
    body = next((e for e in examples if sampler.acceptable(e, op.body_schema)), INVALID)
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
    """The request, its wire form, the success examples, the typed errors (and the kind's own test data)."""
    sampler = Sampler(document)
    case = Case(op)
    if op.body_schema is not None:
        case.body = request_body(op, sampler)
        if op.body_kind == "multipart":
            case.body, case.upload = testkinds.upload_body(op, sampler, case.body)
        case.request.update(case.body)
    add_params(case, sampler)
    case.examples = success_examples(op, sampler)
    if not case.examples and not op.download:
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
    if op.stream:
        case.stream = testkinds.stream_test(op, builder, sampler)
    if op.pages:
        case.pages = testkinds.pages_test(op, sampler, case.request)
    if op.deprecated and (op.stream or op.pages or op.download):
        raise DocumentError(f"{op.id}: deprecated streams, pages and downloads have no generated test")
    return case


def import_lines(case: Case) -> list[str]:
    """The imports: standard library, httpx and pytest, the SDK, the test helpers."""
    op = case.op
    json_body = case.body is not None and op.body_kind == "json"
    stdlib = ["import json"] if json_body else []
    if case.upload:
        stdlib += ["import mimetypes", "from pathlib import Path"]
    functions = [op.function, f"{op.function}_async"]
    if op.pages:
        functions += [f"{op.function}_pages", f"{op.function}_pages_async"]
    helpers = ["Runner", "Wire", "json_response", "make_core"]
    if not case.security:
        helpers.insert(0, "API_KEY")
    if case.upload:
        helpers.append("multipart_parts")
    lines = ["from __future__ import annotations", "", *stdlib, "from typing import Any", ""]
    lines += ["import httpx", "import pytest", "", "import openrouter_core as orc"]
    lines += ["from openrouter_core import Err, Ok, RequestOptions"]
    lines += [f"from openrouter_funcs.{op.function} import {', '.join(functions)}"]
    lines += [f"from openrouter_funcs.models.{module} import {name}" for module, name in sorted(case.response_names)]
    lines += [f"from tests.helpers import {', '.join(helpers)}"]
    return lines


def head_lines(case: Case) -> list[str]:
    """Header, docstring, imports and the module's constants."""
    op = case.op
    lines = [text.HEADER, *text.docstring(0, _test_doc(op)), "", *import_lines(case), ""]
    lines += [
        "NO_RETRY = RequestOptions(retries=None)",
        *([f"PER_CALL_KEY = {PER_CALL_KEY!r}", "SECURITY = {'bearer': PER_CALL_KEY}"] if case.security else []),
        f"REQUEST: dict[str, Any] = {literal(case.request)}",
        f"BODY: Any = {literal(case.body)}",
        f"PATH = {(SERVER_PATH + case.path).encode('ascii')!r}",
        f"QUERY = {literal(sorted(case.query))}",
        f"HEADERS = {literal(case.headers)}",
    ]
    if op.download:
        lines += testkinds.download_constants(op)
    else:
        lines += [f"EXAMPLES: list[tuple[int, Any]] = {literal(case.examples)}"]
    if case.upload:
        lines += testkinds.upload_constants(case.upload)
    lines += [
        "ERRORS: list[tuple[int, type[orc.OpenRouterError], Any]] = [",
        *(f"    ({status}, orc.{name}, {literal(example)})," for status, name, example in case.errors),
        "]",
    ]
    return lines


def call_lines(case: Case) -> list[str]:
    """``call(run, core)``: the function (or its twin) with the test's request, no retries."""
    op = case.op
    if op.download:
        return testkinds.download_call_lines(op)
    request = "request" if case.upload else "REQUEST"
    call_args = f"core, SECURITY, {request}, NO_RETRY" if case.security else f"core, {request}, NO_RETRY"
    invoke = f"run({op.function}, {op.function}_async, {call_args})"
    params = "run: Runner, core: orc.OpenRouterCore"
    if case.upload:
        params += ", request: dict[str, Any] = REQUEST"
    lines = ["", "", f"def call({params}) -> Any:"]
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
    answer = "httpx.Response(200, content=CONTENT)" if case.op.download else "json_response(*EXAMPLES[0])"
    lines = ["", ""]
    if case.upload:
        lines += [
            "def test_wire_request(run: Runner, tmp_path: Path) -> None:",
            "    upload = tmp_path / FILENAME  # the file goes from a path: its name and type are on the wire",
            "    upload.write_bytes(CONTENT)",
        ]
    else:
        lines += ["def test_wire_request(run: Runner) -> None:"]
    lines += [
        "    sent: list[dict[str, str]] = []  # the headers as they went out (the Result keeps them redacted)",
        "",
        "    def answer(request: httpx.Request) -> httpx.Response:",
        "        sent.append(dict(request.headers))",
        f"        return {answer}",
        "",
        "    wire = Wire(answer)",
        "    call(run, make_core(wire), {**REQUEST, FILE_FIELD: upload})"
        if case.upload
        else "    call(run, make_core(wire))",
        "    (request,) = wire.requests",
        "    (headers,) = sent",
        f"    assert request.method == {case.op.method!r}",
        '    assert request.url.raw_path.split(b"?")[0] == PATH',
        "    assert sorted(request.url.params.multi_items()) == QUERY",
        f'    assert headers["authorization"] == f"Bearer {{{key}}}"',
        "    for name, value in HEADERS:",
        "        assert headers[name] == value",
    ]
    return lines + body_assertions(case)


def body_assertions(case: Case) -> list[str]:
    """What ``test_wire_request`` checks of the body: none, JSON bytes, or multipart parts."""
    if case.upload:
        return testkinds.upload_wire_assertions()
    if case.body is None:
        return ['    assert request.content == b""']
    lines = [
        '    assert headers["content-type"] == "application/json"',
        "    assert json.loads(request.content) == BODY",
    ]
    if json.dumps(case.body, separators=(",", ":")).isascii():
        lines += ['    assert request.content == json.dumps(BODY, separators=(",", ":")).encode()']
    return lines


def answer_test_lines(case: Case) -> list[str]:
    """``test_example_answer_decodes``: every success example is ``Ok`` (of the response class)."""
    if case.op.download:
        return testkinds.download_test_lines()
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


def error_test_lines(case: Case) -> list[str]:
    """``test_documented_error_is_typed``: one typed error per documented status."""
    result = "result, _, _" if case.op.download else "result"
    return [
        "",
        "",
        '@pytest.mark.parametrize(("status", "error", "body"), ERRORS)',
        "def test_documented_error_is_typed(",
        "    run: Runner, status: int, error: type[orc.OpenRouterError], body: Any",
        ") -> None:",
        f"    {result} = call(run, make_core(Wire(json_response(status, body))))",
        "    assert isinstance(result, Err), result",
        "    assert isinstance(result.error, error)",
    ]


def render(op: Op, builder: Builder, document: Document) -> str:
    """The test module of one operation."""
    assert op.request is not None
    case = build_case(op, builder, document)
    lines = head_lines(case)
    tests = [*call_lines(case), *wire_test_lines(case), *answer_test_lines(case), *error_test_lines(case)]
    for constants, more in (
        testkinds.stream_lines(op, case.stream) if case.stream else ([], []),
        testkinds.pages_lines(op, case.pages) if case.pages else ([], []),
    ):
        lines += constants
        tests += more
    return "\n".join([*lines, *tests]) + "\n"
