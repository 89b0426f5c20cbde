"""Reading a request the way the API does: its parameters and body, checked against the document.

``understand()`` turns a ``RecordedRequest`` for a known operation into a ``Call`` (path, query and
header parameters, the parsed body, whether it asks for a stream) and the problems found: a missing
required field, a wrong type, a value out of range, invalid JSON. Query, path and header values are
text on the wire; each is read as the types its schema allows (``"5"`` is the integer 5 for an
``integer`` parameter) before it is checked.
"""

from __future__ import annotations

import json
import math
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

import attrs

from openrouter.testing import _data
from openrouter.testing._requests import RecordedRequest
from openrouter.testing._router import Match
from openrouter.testing._routes import Route
from openrouter.testing._validator import Problem, Validator

__all__ = ["Call", "describe", "understand", "validator"]

_TYPE_PROBLEM = re.compile(r"must be (an? (string|integer|number|boolean|object|array)|null)\b")
_INTEGER = re.compile(r"[+-]?\d+")
_validator: Validator | None = None


def validator() -> Validator:
    """The validator over the document's schemas (built on first use)."""
    global _validator  # noqa: PLW0603 - one per process, built lazily with the data it reads
    if _validator is None:
        _validator = Validator(_data.schemas())
    return _validator


@attrs.frozen(kw_only=True)
class Call:
    """A request for a known operation, read the way the API reads it.

    Attributes:
        route: the operation.
        path: the path parameters (percent-decoded).
        query: the query parameters (the last value of a repeated name).
        body: the parsed JSON body, the multipart fields (name -> values), or ``None``.
        stream: the body asks for server-sent events (``"stream": true``).
    """

    route: Route
    path: Mapping[str, str]
    query: Mapping[str, str]
    body: Any = None
    stream: bool = False


def describe(problems: list[Problem], limit: int = 5) -> str:
    """``"messages[0].role is required; model must be a string"`` (the body itself is "the body")."""
    shown = [f"{path or 'the body'} {message}" for path, message in problems[:limit]]
    more = len(problems) - limit
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _readings(raw: str) -> list[Any]:
    """The values a wire text may stand for: integer, number, boolean, null, then the text itself."""
    found: list[Any] = []
    if _INTEGER.fullmatch(raw):
        found.append(int(raw))
    try:
        number = float(raw)
    except ValueError:
        pass
    else:
        if math.isfinite(number):
            found.append(number)
    if raw in ("true", "false"):
        found.append(raw == "true")
    if raw == "null":
        found.append(None)
    found.append(raw)
    return found


def check_text(raw: str, schema: Mapping[str, Any], path: str) -> list[Problem]:
    """Problems of a parameter's text: ``[]`` when any reading of it is valid."""
    best: list[Problem] | None = None
    for value in _readings(raw):
        problems = validator().problems(value, schema, path)
        if not problems:
            return []
        typed = all(_TYPE_PROBLEM.fullmatch(message) for _, message in problems)
        if best is None or (not typed and all(_TYPE_PROBLEM.fullmatch(m) for _, m in best)):
            best = problems
    return best or []


def _multipart(body: bytes, content_type: str) -> dict[str, list[str]] | None:
    """The fields of a ``multipart/form-data`` body (a file's value is its filename), or ``None``."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        return None
    delimiter = b"--" + match.group(1).encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3:
        return None
    fields: dict[str, list[str]] = {}
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            return fields
        head, found, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        disposition = re.search(rb'name="([^"]*)"(?:; *filename="([^"]*)")?', head)
        if not found or disposition is None:
            return None
        name = disposition.group(1).decode("utf-8", "replace")
        filename = disposition.group(2)
        value = filename.decode("utf-8", "replace") if filename is not None else content.removesuffix(b"\r\n")
        fields.setdefault(name, []).append(value if isinstance(value, str) else value.decode("utf-8", "replace"))
    return None  # no closing delimiter


def _check_fields(fields: Mapping[str, list[str]], schema: Mapping[str, Any]) -> list[Problem]:
    resolved = validator().resolve(schema)
    properties: Mapping[str, Any] = resolved.get("properties") or {}
    problems: list[Problem] = [(name, "is required") for name in resolved.get("required") or () if name not in fields]
    for name, values in fields.items():
        prop = properties.get(name)
        if prop is None:
            continue
        prop = validator().resolve(prop)
        kinds = prop.get("type")
        if kinds == "array" or (isinstance(kinds, list) and "array" in kinds):
            for index, value in enumerate(values):
                problems += check_text(value, prop.get("items") or {}, f"{name}[{index}]")
        else:
            problems += check_text(values[-1], prop, name)
    return problems


def _multipart_body(request: RecordedRequest, schema: Mapping[str, Any]) -> tuple[Any, list[Problem]]:
    content_type = request.headers().get("content-type", "")
    fields = _multipart(request.body, content_type) if content_type.startswith("multipart/") else None
    if fields is None:
        return None, [("", "must be multipart/form-data")]
    return fields, _check_fields(fields, schema)


def _json_body(request: RecordedRequest, schema: Mapping[str, Any]) -> tuple[Any, list[Problem]]:
    if not request.body.strip():
        return None, [("", "is required (JSON)")]
    try:
        body = json.loads(request.body, parse_constant=_reject_constant)
        return body, validator().problems(body, schema)
    except ValueError:
        return None, [("", "is not valid JSON")]
    except RecursionError:  # deeper than the parser or the validator recurses: the API refuses it too
        return None, [("", "is nested too deeply")]


def understand(match: Match, request: RecordedRequest, *, check: bool = True) -> tuple[Call, list[Problem]]:
    """The call ``request`` makes, and every problem the API would refuse it for (``[]`` when none).

    With ``check=False`` the problems are not looked for (an unreadable body is ``None``).
    """
    route = match.route
    spec = _data.operation(route.operation_id)
    query = dict(urllib.parse.parse_qsl(request.query, keep_blank_values=True))
    problems: list[Problem] = []
    body: Any = None
    if route.body is not None and (check or request.body):
        read = _multipart_body if route.body == "multipart" else _json_body
        body, found = read(request, spec.get("body") or {})
        if check:
            problems += found
    if check:
        headers = request.headers(reveal=True)
        sources = {"path": match.params, "query": query, "header": headers}
        for location, name, required, schema in spec.get("params") or ():
            raw = sources[location].get(name)
            if raw is None:
                if required:
                    problems.append((name, "is required"))
                continue
            problems += check_text(raw, schema, name)
    stream = bool(route.stream_field and isinstance(body, dict) and body.get(route.stream_field) is True)
    return Call(route=route, path=match.params, query=query, body=body, stream=stream), problems
