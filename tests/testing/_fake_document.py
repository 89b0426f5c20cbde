"""The API document as these tests read it: ``jsonschema`` validators and valid requests per operation.

The fake's own checks and answers come from generated compact data; these tests hold them against the
document itself (``openapi/openrouter.openapi.yaml`` with ``openapi/overlay.yaml``), validated by
``jsonschema`` (a dev dependency the shipped package never imports).
"""

from __future__ import annotations

import functools
import json
from typing import Any, NamedTuple

import jsonschema  # type: ignore[import-untyped]  # a dev dependency

from openrouter.testing._routes import ROUTES, Route
from tools.codegen import config, operations
from tools.codegen.document import Document
from tools.codegen.fakegen import Schemas

Schema = dict[str, Any]
BOUNDARY = "fake-test-boundary"
AUDIO = b"ID3\x04fake audio bytes"


@functools.cache
def document() -> Document:
    return Document.load(config.ROOT / config.DOCUMENT, config.ROOT / config.OVERLAY)


@functools.cache
def operations_by_id() -> dict[str, operations.Op]:
    return {op.id: op for op in operations.derive(document())}


@functools.cache
def schemas() -> Schemas:
    return Schemas(document())


def validate(value: Any, schema: Schema) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``value`` is valid against the document's ``schema``."""
    root = {**schema, "components": {"schemas": document().schemas}}
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(root).iter_errors(value))
    if error is not None:
        raise error


def success_schema(operation_id: str, encoding: str = "json") -> Schema:
    op = operations_by_id()[operation_id]
    answer = next(answer for answer in op.answers if answer.encoding == encoding)
    assert answer.schema is not None
    return answer.schema


def event_schema(operation_id: str) -> Schema:
    """The schema of one SSE event's ``data`` of a streaming operation."""
    wrapper = schemas().resolve(success_schema(operation_id, "sse"))
    data: Schema = wrapper["properties"]["data"]
    return data


class Wire(NamedTuple):
    """A valid request on the wire."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    content: bytes


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def valid_body(route: Route) -> Any:
    op = operations_by_id()[route.operation_id]
    assert op.body_schema is not None
    return schemas().synth(op.body_schema)


def file_fields(route: Route) -> set[str]:
    op = operations_by_id()[route.operation_id]
    assert op.body_schema is not None
    properties = schemas().properties(op.body_schema)
    return {name for name, schema in properties.items() if schemas().resolve(schema).get("format") == "binary"}


def multipart(fields: dict[str, Any], files: set[str]) -> bytes:
    parts = []
    for name, value in fields.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if name in files:
                head = f'Content-Disposition: form-data; name="{name}"; filename="a.mp3"\r\nContent-Type: audio/mpeg'
                parts.append(f"--{BOUNDARY}\r\n{head}\r\n\r\n".encode() + AUDIO + b"\r\n")
            else:
                head = f'Content-Disposition: form-data; name="{name}"'
                parts.append(f"--{BOUNDARY}\r\n{head}\r\n\r\n{_text(item)}\r\n".encode())
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def wire_request(route: Route, path_params: dict[str, str] | None = None, **body_fields: Any) -> Wire:
    """A valid request: required parameters, a valid body (plus ``body_fields``)."""
    op = operations_by_id()[route.operation_id]
    params = dict(path_params or {})
    query: dict[str, str] = {}
    for param in op.params:
        if param.location == "path" and param.wire not in params:
            params[param.wire] = _text(schemas().synth(param.schema))
        elif param.location == "query" and param.required:
            query[param.wire] = _text(schemas().synth(param.schema))
    path = route.path
    for name, value in params.items():
        path = path.replace("{" + name + "}", value)
    headers = {"Authorization": "Bearer sk-or-v1-test"}
    content = b""
    if route.body == "json":
        body = valid_body(route)
        if isinstance(body, dict):
            body.update(body_fields)
        headers["Content-Type"] = "application/json"
        content = json.dumps(body).encode()
    elif route.body == "multipart":
        headers["Content-Type"] = f"multipart/form-data; boundary={BOUNDARY}"
        content = multipart({**valid_body(route), **body_fields}, file_fields(route))
    return Wire(path, query, headers, content)


def sdk_request(route: Route) -> dict[str, Any]:
    """A valid request for the SDK function: the body's fields and the required parameters, by wire name."""
    op = operations_by_id()[route.operation_id]
    request: dict[str, Any] = {}
    if route.body is not None:
        request.update(valid_body(route))
        for name in file_fields(route) if route.body == "multipart" else ():
            request[name] = ("a.mp3", AUDIO)
    for param in op.params:
        if param.required:
            request[param.wire] = schemas().synth(param.schema)
    return request


def routes(*, answer: str | None = None, stream: bool | None = None) -> list[Route]:
    """The routes, optionally only those with that kind of answer or that can stream."""
    return [
        route
        for route in ROUTES
        if (answer is None or route.answer == answer) and (stream is None or bool(route.stream_field) == stream)
    ]


def parse_sse(text: str) -> list[tuple[str | None, str]]:
    """``(event name, data)`` of each event of a ``text/event-stream`` body; comments skipped."""
    events = []
    for block in text.split("\n\n"):
        name, data = None, []
        for line in block.split("\n"):
            if line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: "):
                data.append(line[len("data: ") :])
        if data:
            events.append((name, "\n".join(data)))
    return events
