"""The fake OpenRouter's generated half: ``openrouter/testing/_routes.py`` and ``_fakedata.json``.

``_routes.py`` holds the route facts of every operation (97, plus the multipart form of the
transcription) as strings and numbers; ``_fakedata.json`` holds what the fake needs to check requests
and to answer: compact schemas (only the keywords its validator reads, ``$ref`` by component name,
discriminators resolved to member positions), each operation's parameters and body schema, a default
answer, stream templates and download samples. The package loads the JSON on the first request.

Default answers are the document's success examples, repaired where they contradict their own schema,
else values synthesized from the schema; every one is checked here with ``jsonschema`` (a dev
dependency: this module runs only in the generator) and again by ``tests/testing``.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from tools.codegen import config, text
from tools.codegen.document import COMPONENT_PREFIX, Document, DocumentError, Schema, is_null, type_set
from tools.codegen.operations import Op

ROUTES_PATH = "openrouter/testing/_routes.py"
DATA_PATH = "openrouter/testing/_fakedata.json"
DATA_NAME = "_fakedata.json"

# The keywords the fake's validator reads; everything else (descriptions, examples, formats, vendor
# extensions) is left out of the data file.
KEPT = frozenset(
    {"type", "required", "enum", "const", "nullable", "pattern"}
    | {"minLength", "maxLength", "minItems", "maxItems", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
)
MAX_REPAIRS = 500
_NOTHING = object()
JSON_TYPES = ("object", "array", "string", "integer", "number", "boolean")


class Schemas:
    """The document's schemas: ``jsonschema`` validation, synthesized values, and repairs of examples."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._validators: dict[str, Any] = {}

    def resolve(self, schema: Schema) -> Schema:
        """Follow ``$ref`` s."""
        return self.document.resolve(schema)

    def validator(self, schema: Schema) -> Any:
        """A Draft 2020-12 validator of ``schema``, whose references resolve in the document."""
        import jsonschema  # type: ignore[import-untyped]  # dev dependency: the generator only

        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            root = {**schema, "components": {"schemas": self.document.schemas}}
            self._validators[key] = jsonschema.Draft202012Validator(root)
        return self._validators[key]

    def valid(self, value: Any, schema: Schema) -> bool:
        """Whether ``value`` is valid against ``schema``."""
        return bool(self.validator(schema).is_valid(value))

    def errors(self, value: Any, schema: Schema) -> list[Any]:
        """The validation errors, deepest first."""
        return sorted(self.validator(schema).iter_errors(value), key=lambda e: (-len(e.absolute_path), str(e.message)))

    def check(self, value: Any, schema: Schema, what: str) -> None:
        """Fail the generation when ``value`` is not valid (a bug in this module's patches)."""
        import jsonschema

        error = jsonschema.exceptions.best_match(self.validator(schema).iter_errors(value))
        if error is not None:
            while error.context:
                error = jsonschema.exceptions.best_match(error.context)
            raise DocumentError(f"{what}: {json_path(list(error.absolute_path)) or '$'}: {error.message[:300]}")

    # --- synthesized values ------------------------------------------------------------------------

    def synth(self, schema: Schema, depth: int = 0) -> Any:
        """A small valid value for ``schema``: its example, const, first enum value, required fields only."""
        if depth > 14:
            return None
        schema = self.resolve(schema)
        given = self._given(schema)
        if given is not _NOTHING:
            return given
        if schema.get("allOf"):
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                value = self.synth(part, depth + 1)
                if isinstance(value, dict):
                    merged.update(value)
            return merged
        members = schema.get("oneOf") or schema.get("anyOf")
        if members:
            return self._member(members, depth)
        return self._plain(schema, self._kind(schema), depth)

    def _given(self, schema: Schema) -> Any:
        """The value the schema itself offers: its const, its (valid) example, its first enum value."""
        if "const" in schema:
            return copy.deepcopy(schema["const"])
        if "example" in schema and self.valid(schema["example"], schema):
            return copy.deepcopy(schema["example"])
        if "enum" in schema:
            return next((value for value in schema["enum"] if value is not None), None)
        return _NOTHING

    def _member(self, members: list[Schema], depth: int) -> Any:
        """A value of the first union member that yields a valid one."""
        candidates = [member for member in members if not is_null(member)] or members
        for member in candidates:
            value = self.synth(member, depth + 1)
            if self.valid(value, member):
                return value
        return self.synth(candidates[0], depth + 1)

    @staticmethod
    def _kind(schema: Schema) -> str:
        """The JSON type to synthesize: the first non-null ``type``, else what the keywords imply."""
        kinds = [kind for kind in type_set(schema) if kind != "null"]
        if kinds:
            return kinds[0]
        if "properties" in schema:
            return "object"
        if "items" in schema:
            return "array"
        return "null" if type_set(schema) == ["null"] else "any"

    def _plain(self, schema: Schema, kind: str, depth: int) -> Any:
        if kind == "object":
            properties = schema.get("properties") or {}
            return {name: self.synth(properties.get(name, {}), depth + 1) for name in schema.get("required") or ()}
        if kind == "array":
            count = int(schema.get("minItems", 1 if depth < 6 else 0))
            items = schema.get("items") or {}
            return [self.synth(items, depth + 1) for _ in range(count)]
        if kind == "string":
            return _string(schema)
        if kind in ("integer", "number"):
            return _number(schema, kind)
        if kind == "boolean":
            return False
        return {} if kind == "any" else None

    # --- repairs -----------------------------------------------------------------------------------

    def repair(self, value: Any, schema: Schema) -> tuple[Any, list[str]]:
        """``value`` made valid against ``schema`` with the fewest changes found, and what changed."""
        value = copy.deepcopy(value)
        notes: list[str] = []
        for _ in range(MAX_REPAIRS):
            errors = self.errors(value, schema)
            if not errors:
                return value, notes
            error = errors[0]
            path = list(error.absolute_path)
            target = _get(value, path)
            if error.validator == "required" and isinstance(target, dict):
                properties = self.properties(error.schema)
                for name in error.validator_value:
                    if name not in target:
                        target[name] = self.synth(properties.get(name, {}))
                        notes.append(f"{json_path([*path, name])}: added (required)")
            elif error.validator == "additionalProperties" and isinstance(target, dict):
                known = self.properties(error.schema)
                for name in [name for name in target if name not in known]:
                    del target[name]
                    notes.append(f"{json_path([*path, name])}: removed (not in the schema)")
            elif error.validator in ("oneOf", "anyOf") and isinstance(target, dict):
                # Repair toward the member it is closest to (fewest errors), not a fresh value.
                member = min(error.validator_value, key=lambda m: len(self.errors(target, m)))
                replacement, inner = self.repair(target, member)
                if replacement == target:
                    raise DocumentError(f"cannot repair {json_path(path) or '$'}: {error.message[:300]}")
                value = _set(value, path, replacement)
                notes += [_under(path, note) for note in inner]
            else:
                replacement = self.synth(error.schema)
                if replacement == target:
                    raise DocumentError(f"cannot repair {json_path(path) or '$'}: {error.message[:300]}")
                value = _set(value, path, replacement)
                notes.append(f"{json_path(path) or '$'}: replaced ({error.validator})")
        raise DocumentError(f"gave up repairing after {MAX_REPAIRS} changes: {notes[-3:]}")

    def properties(self, schema: Schema) -> dict[str, Schema]:
        """The properties of an object schema, those of its ``allOf`` parts included."""
        return self.document.properties(schema)


def _under(path: list[Any], note: str) -> str:
    """A repair note of a value at ``path``, re-rooted at the whole answer."""
    inner, _, what = note.partition(": ")
    prefix = json_path(path)
    if not prefix:
        return note
    if inner == "$":
        return f"{prefix}: {what}"
    return f"{prefix}{inner if inner.startswith('[') else '.' + inner}: {what}"


def _string(schema: Schema) -> str:
    kind = schema.get("format")
    value = {
        "date-time": "2025-01-01T00:00:00Z",
        "date": "2025-01-01",
        "uuid": "00000000-0000-4000-8000-000000000000",
        "uri": "https://example.com",
        "url": "https://example.com",
        "email": "user@example.com",
    }.get(str(kind), "string")
    minimum, maximum = int(schema.get("minLength", 0)), schema.get("maxLength")
    if len(value) < minimum:
        value += "x" * (minimum - len(value))
    if maximum is not None and len(value) > int(maximum):
        value = value[: int(maximum)]
    return value


def _number(schema: Schema, kind: str) -> int | float:
    low = schema.get("minimum")
    exclusive = schema.get("exclusiveMinimum")
    if isinstance(exclusive, (int, float)) and not isinstance(exclusive, bool):
        low = exclusive + 1
    elif exclusive is True and low is not None:
        low = low + 1
    value = low if low is not None else 0
    high = schema.get("maximum")
    if high is not None and value > high:
        value = high
    return int(value) if kind == "integer" else value


def _get(value: Any, path: list[Any]) -> Any:
    for key in path:
        value = value[key]
    return value


def _set(value: Any, path: list[Any], replacement: Any) -> Any:
    if not path:
        return replacement
    _get(value, path[:-1])[path[-1]] = replacement
    return value


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def json_path(path: list[Any]) -> str:
    """``["messages", 0, "role"]`` -> ``messages[0].role`` (the fake's error messages use the same form)."""
    out = ""
    for key in path:
        if isinstance(key, int):
            out += f"[{key}]"
        elif _IDENTIFIER.fullmatch(str(key)):
            out += f".{key}" if out else str(key)
        else:
            out += f"[{json.dumps(str(key))}]"
    return out


# --- compact schemas ---------------------------------------------------------------------------------


class Compactor:
    """Schemas reduced to what the fake's validator reads, and the components they reach."""

    def __init__(self, document: Document, schemas: Schemas) -> None:
        self.document = document
        self.schemas = schemas
        self.components: dict[str, Any] = {}
        self._pending: list[str] = []

    def compact(self, schema: Schema) -> Any:
        """The compact form of one schema node."""
        if not isinstance(schema, dict):
            raise DocumentError(f"not a schema: {schema!r}")
        if "$ref" in schema:
            return self._reference(schema)
        out = self._keywords(schema)
        if "properties" in schema:
            out["properties"] = {name: self.compact(sub) for name, sub in schema["properties"].items()}
        if isinstance(schema.get("items"), dict):
            out["items"] = self.compact(schema["items"])
        extra = schema.get("additionalProperties")
        if extra is False:
            out["additionalProperties"] = False
        elif isinstance(extra, dict) and extra:
            out["additionalProperties"] = self.compact(extra)
        if schema.get("allOf"):
            out["allOf"] = [self.compact(part) for part in schema["allOf"]]
        for key in ("oneOf", "anyOf"):
            if schema.get(key):
                out[key] = [self.compact(member) for member in schema[key]]
                tag = self.discriminator(schema, key)
                if tag is not None:
                    out["discriminator"] = tag
        return out

    @staticmethod
    def _keywords(schema: Schema) -> dict[str, Any]:
        """The schema's own constraints (``KEPT``), OpenAPI 3.0's boolean exclusive bounds made 3.1 numbers."""
        out: dict[str, Any] = {key: copy.deepcopy(value) for key, value in schema.items() if key in KEPT}
        for bound in ("Minimum", "Maximum"):  # the 3.0 spelling is used once in this 3.1 document
            if schema.get(f"exclusive{bound}") is True:
                out[f"exclusive{bound}"] = out.pop(bound.lower(), 0)
        if schema.get("nullable") is not True:
            out.pop("nullable", None)
        return out

    def _reference(self, schema: Schema) -> Any:
        """``{"$ref": Name}`` (with its constraining siblings, if any, beside it in an ``allOf``)."""
        name = schema["$ref"][len(COMPONENT_PREFIX) :]
        self.document.component(schema["$ref"])
        if name not in self.components and name not in self._pending:
            self._pending.append(name)
        rest = {key: value for key, value in schema.items() if key in KEPT or key in ("allOf", "oneOf", "anyOf")}
        return {"$ref": name} if not rest else {"allOf": [{"$ref": name}, self.compact(rest)]}

    def drain(self) -> None:
        """Compact every component reached so far (and those they reach)."""
        while self._pending:
            name = self._pending.pop()
            self.components[name] = {}
            self.components[name] = self.compact(self.document.schemas[name])

    def discriminator(self, schema: Schema, key: str) -> list[Any] | None:
        """``[property, {value: member position}]`` for a union whose members are told apart by one property."""
        declared = schema.get("discriminator") or {}
        name = declared.get("propertyName")
        if name is None:
            return None
        positions: dict[str, int] = {}
        for position, member in enumerate(schema[key]):
            for value in self.tag_values(member, name):
                positions.setdefault(value, position)
        for value, ref in (declared.get("mapping") or {}).items():
            for position, member in enumerate(schema[key]):
                if member.get("$ref") == ref:
                    positions[value] = position
        return [name, dict(sorted(positions.items()))] if positions else None

    def tag_values(self, member: Schema, name: str) -> list[str]:
        """The string values ``member`` allows for property ``name`` (through ``$ref`` and ``allOf``)."""
        member = self.schemas.resolve(member)
        found: list[str] = []
        for part in member.get("allOf") or ():
            found += self.tag_values(part, name)
        prop = (member.get("properties") or {}).get(name)
        if isinstance(prop, dict):
            prop = self.schemas.resolve(prop)
            if isinstance(prop.get("const"), str):
                found.append(prop["const"])
            found += [value for value in prop.get("enum") or () if isinstance(value, str)]
        return found


# --- streams -----------------------------------------------------------------------------------------


def pieces_of(sentence: str) -> list[str]:
    """``"The capital of France"`` -> ``["The", " capital", " of", " France"]``: the deltas of a stream."""
    return re.findall(r"\s*\S+", sentence)


def merge(base: Any, patch: Any) -> Any:
    """``base`` with ``patch`` laid over it (objects merged key by key, anything else replaced)."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = copy.deepcopy(base)
        for key, value in patch.items():
            out[key] = merge(out.get(key), value)
        return out
    return copy.deepcopy(patch)


class Streams:
    """The default SSE answers: events built from the document's SSE and component examples."""

    def __init__(self, schemas: Schemas, document: Document) -> None:
        self.schemas = schemas
        self.document = document

    def member(self, union: Schema, tag: str) -> Schema:
        """The member of a union of events whose ``type`` is ``tag``."""
        union = self.schemas.resolve(union)
        for member in union.get("oneOf") or union.get("anyOf") or ():
            resolved = self.schemas.resolve(member)
            for part in [resolved, *(self.schemas.resolve(p) for p in resolved.get("allOf") or ())]:
                prop = self.schemas.resolve((part.get("properties") or {}).get("type") or {})
                if tag in (prop.get("enum") or ()) or prop.get("const") == tag:
                    found: Schema = member
                    return found
        raise DocumentError(f"no stream event of type {tag!r}")

    def member_example(self, union: Schema, tag: str) -> Any:
        """The example of the union member whose ``type`` is ``tag`` (else a synthesized one)."""
        member = self.member(union, tag)
        resolved = self.schemas.resolve(member)
        example = resolved.get("example")
        for part in resolved.get("allOf") or ():
            if example is None:
                example = self.schemas.resolve(part).get("example")
        if example is None or not self.schemas.valid(example, member):
            example = self.schemas.synth(member)
        return copy.deepcopy(example)

    def event(self, union: Schema, tag: str, patch: dict[str, Any], what: str) -> Any:
        """One event: the member's example with ``patch`` over it, checked against its member and the union."""
        value = merge(self.member_example(union, tag), {"type": tag, **patch})
        self.schemas.check(value, self.member(union, tag), f"{what} {tag}")
        self.schemas.check(value, union, f"{what} {tag}")
        return value

    def build(self, op: Op, answer_example: Any) -> dict[str, Any] | None:
        """The stream data of a streaming operation, or ``None``."""
        builder: dict[str, Callable[[Op, Any], dict[str, Any]]] = {
            "sendChatCompletionRequest": self.chat,
            "createResponses": self.responses,
            "createMessages": self.messages,
            "createImages": self.images,
        }
        if op.id not in builder:
            return None
        stream = builder[op.id](op, answer_example)
        data_schema = self.sse_data_schema(op)
        for name, data in [*stream["head"], *stream["tail"]]:
            self.schemas.check(data, data_schema, f"{op.id} stream event {name}")
        for key in ("text", "error"):
            self.schemas.check(stream[key][1], data_schema, f"{op.id} stream {key} template")
        return stream

    def sse_data_schema(self, op: Op) -> Schema:
        """The schema of one event's ``data`` (the ``data`` property of the declared SSE schema)."""
        answer = next(answer for answer in op.answers if answer.encoding == "sse")
        assert answer.schema is not None
        wrapper = self.schemas.resolve(answer.schema)
        data: Schema = wrapper["properties"]["data"]
        return data

    def chat(self, op: Op, example: Any) -> dict[str, Any]:
        """Chat chunks: the role first, the example answer's words as deltas, then ``finish_reason`` and usage."""
        sse = next(answer for answer in op.answers if answer.encoding == "sse")
        chunk = copy.deepcopy(sse.examples[0]["data"])
        chunk["model"] = example["model"]
        choice = chunk["choices"][0]
        sentence = example["choices"][0]["message"]["content"]

        def with_choice(**fields: Any) -> Any:
            out = copy.deepcopy(chunk)
            out["choices"] = [{**choice, **fields}]
            return out

        return {
            "named": False,
            "head": [[None, with_choice(delta={"role": "assistant", "content": ""})]],
            "text": [None, with_choice(delta={"content": ""}), ["choices", 0, "delta", "content"]],
            "pieces": pieces_of(sentence),
            "tail": [
                [
                    None,
                    {
                        **with_choice(delta={}, finish_reason=example["choices"][0]["finish_reason"]),
                        "usage": example["usage"],
                    },
                ]
            ],
            "fill": [],
            "error": [
                None,
                {
                    **with_choice(delta={"content": ""}, finish_reason="error"),
                    "error": {"code": 502, "message": "Provider returned error"},
                },
                ["error", "code"],
                ["error", "message"],
            ],
            "sequence": None,
        }

    def responses(self, op: Op, example: Any) -> dict[str, Any]:
        """Responses events: created, in progress, item and part added, text deltas, done events, completed."""
        union = self.sse_data_schema(op)
        message = example["output"][0]
        sentence = message["content"][0]["text"]
        started = {**copy.deepcopy(example), "status": "in_progress", "output": [], "completed_at": None}
        started.pop("usage", None)
        item_id = message["id"]
        empty_part = {**message["content"][0], "text": ""}
        open_item = {**message, "status": "in_progress", "content": []}
        at = {"item_id": item_id, "output_index": 0, "content_index": 0}
        text_event = self.event(union, "response.output_text.delta", {**at, "delta": "", "logprobs": []}, op.id)
        return {
            "named": False,
            "head": [
                [None, self.event(union, "response.created", {"response": started}, op.id)],
                [None, self.event(union, "response.in_progress", {"response": started}, op.id)],
                [None, self.event(union, "response.output_item.added", {"output_index": 0, "item": open_item}, op.id)],
                [None, self.event(union, "response.content_part.added", {**at, "part": empty_part}, op.id)],
            ],
            "text": [None, text_event, ["delta"]],
            "pieces": pieces_of(sentence),
            "tail": [
                [None, self.event(union, "response.output_text.done", {**at, "text": sentence, "logprobs": []}, op.id)],
                [None, self.event(union, "response.content_part.done", {**at, "part": message["content"][0]}, op.id)],
                [None, self.event(union, "response.output_item.done", {"output_index": 0, "item": message}, op.id)],
                [None, self.event(union, "response.completed", {"response": example}, op.id)],
            ],
            "fill": [
                [0, ["text"]],
                [1, ["part", "text"]],
                [2, ["item", "content", 0, "text"]],
                [3, ["response", "output", 0, "content", 0, "text"]],
            ],
            "error": [
                None,
                self.event(union, "error", {"code": "502", "message": "Provider returned error", "param": None}, op.id),
                ["code"],
                ["message"],
            ],
            "sequence": "sequence_number",
        }

    def messages(self, op: Op, example: Any) -> dict[str, Any]:
        """Anthropic Messages events, named: message_start, block start, ping, text deltas, stops, message_delta."""
        union = self.sse_data_schema(op)
        sentence = example["content"][0]["text"]
        usage = example["usage"]
        start = self.member_example(union, "message_start")
        started = merge(start["message"], {"id": example["id"], "model": example["model"], "content": []})
        started["usage"] = {**usage, "output_tokens": 0}

        def named(tag: str, patch: dict[str, Any]) -> list[Any]:
            return [tag, self.event(union, tag, patch, op.id)]

        final_usage = self.member_example(union, "message_delta")["usage"]
        final_usage["output_tokens"] = usage["output_tokens"]
        text_delta = named("content_block_delta", {"index": 0, "delta": {"type": "text_delta", "text": ""}})
        error = named("error", {"error": {"type": "api_error", "message": "Provider returned error"}})
        return {
            "named": True,
            "head": [
                named("message_start", {"message": started}),
                named("content_block_start", {"index": 0, "content_block": {"type": "text", "text": ""}}),
                named("ping", {}),
            ],
            "text": [*text_delta, ["delta", "text"]],
            "pieces": pieces_of(sentence),
            "tail": [
                named("content_block_stop", {"index": 0}),
                named(
                    "message_delta",
                    {"delta": {"stop_reason": example["stop_reason"], "stop_sequence": None}, "usage": final_usage},
                ),
                named("message_stop", {}),
            ],
            "fill": [],
            "error": [*error, None, ["error", "message"]],
            "sequence": None,
        }

    def images(self, op: Op, example: Any) -> dict[str, Any]:
        """Image events: the document's partial image, then the completed image of the example answer."""
        union = self.sse_data_schema(op)
        sse = next(answer for answer in op.answers if answer.encoding == "sse")
        partial = sse.examples[0]["data"]
        completed = {"b64_json": example["data"][0]["b64_json"], "created": example["created"]}
        if "usage" in example:
            completed["usage"] = example["usage"]
        error = {
            "error": {"code": "502", "message": "Provider returned error", "param": None, "type": "provider_error"}
        }
        return {
            "named": False,
            "head": [[None, self.event(union, str(partial["type"]), partial, op.id)]],
            "text": [None, self.event(union, "image_generation.text_chunk", {"text": ""}, op.id), ["text"]],
            "pieces": [],
            "tail": [[None, self.event(union, "image_generation.completed", completed, op.id)]],
            "fill": [],
            "error": [None, self.event(union, "error", error, op.id), ["error", "code"], ["error", "message"]],
            "sequence": None,
        }


# --- operations --------------------------------------------------------------------------------------


def stream_field(document: Document, op: Op, schemas: Schemas) -> str | None:
    """The body field that asks for an SSE answer: the declared one, else a boolean ``stream`` property.

    ``createImages`` declares none but has ``stream: boolean``; the embeddings and rerank operations
    declare an SSE answer without any field to ask for it (they always answer JSON).
    """
    if not op.streaming or op.body_schema is None:
        return None
    declared = raw_operation(document, op).get("x-speakeasy-stream-request-field")
    if isinstance(declared, str):
        return declared
    stream = schemas.properties(op.body_schema).get("stream")
    if isinstance(stream, dict) and "boolean" in type_set(schemas.resolve(stream)):
        return "stream"
    return None


def raw_operation(document: Document, op: Op) -> dict[str, Any]:
    """The document's operation object of ``op``."""
    item = document.raw["paths"][op.path]
    found: dict[str, Any] = item[op.method.lower()]
    return found


def success(document: Document, op: Op) -> tuple[int, str, str]:
    """``(status, kind, content type)`` of the main success answer: ``json``, ``binary`` or ``empty``."""
    for answer in op.answers:
        if answer.encoding == "json":
            return answer.status, "json", "application/json"
    for answer in op.answers:
        if answer.encoding == "binary":
            return answer.status, "binary", content_type_of(document, op, answer.status, "binary")
    return op.answers[0].status, "empty", ""


def content_type_of(document: Document, op: Op, status: int, encoding: str) -> str:
    """The declared content type of ``op``'s ``status`` answer with that encoding (``audio/*`` stays a pattern)."""
    response = raw_operation(document, op)["responses"][str(status)]
    for content_type in response.get("content") or {}:
        if config.ENCODINGS.get(content_type) == encoding:
            return str(content_type)
    raise DocumentError(f"{op.id}: no {encoding} content for status {status}")


def pagination(document: Document, op: Op) -> str | None:
    """``offset`` or ``cursor`` (``x-speakeasy-pagination``), else ``None``."""
    declared = raw_operation(document, op).get("x-speakeasy-pagination")
    if not declared:
        return None
    kind = str(declared.get("type"))
    return {"offsetLimit": "offset", "cursor": "cursor"}.get(kind, kind)


class Builder:
    """Everything ``_routes.py`` and ``_fakedata.json`` hold, from the document and the derived operations."""

    def __init__(self, document: Document, ops: list[Op]) -> None:
        self.document = document
        self.ops = ops
        self.schemas = Schemas(document)
        self.compactor = Compactor(document, self.schemas)
        self.streams = Streams(self.schemas, document)
        self.repaired: dict[str, list[str]] = {}

    def default_answer(self, op: Op) -> tuple[Any, Schema | None]:
        """The default JSON body (repaired example, else synthesized) and its schema."""
        answer = next((answer for answer in op.answers if answer.encoding == "json"), None)
        if answer is None or answer.schema is None:
            return None, None
        schema = answer.schema
        if answer.examples:
            value, notes = self.schemas.repair(answer.examples[0], schema)
            if notes:
                self.repaired[op.id] = notes
        else:
            value, notes = self.schemas.repair(self.schemas.synth(schema), schema)
            if notes:
                self.repaired[op.id] = ["(synthesized) " + note for note in notes]
        self.schemas.check(value, schema, f"{op.id} default answer")
        return value, schema

    def operation(self, op: Op, collection_ops: set[str]) -> dict[str, Any]:
        """The data entry of one operation."""
        entry: dict[str, Any] = {}
        params = []
        for param in op.params:
            params.append([param.location, param.wire, param.required, self.compactor.compact(param.schema or {})])
            if param.wire == "limit" and "default" in self.schemas.resolve(param.schema or {}):
                entry["limit"] = self.schemas.resolve(param.schema)["default"]
        if params:
            entry["params"] = params
        if op.body_schema is not None:
            entry["body"] = self.compactor.compact(op.body_schema)
        answer, schema = self.default_answer(op)
        if answer is not None:
            entry["answer"] = answer
            if op.id in collection_ops and schema is not None:
                entry["schema"] = self.compactor.compact(schema)
        stream = self.streams.build(op, answer)
        if stream is not None:
            entry["stream"] = stream
        for candidate in op.answers:
            if candidate.encoding == "binary":
                sample = candidate.examples[0] if candidate.examples else "binary content"
                entry["binary"] = str(sample)
            if candidate.encoding == "text":
                content_type = content_type_of(self.document, op, candidate.status, "text")
                entry["text"] = [content_type, str(candidate.examples[0] if candidate.examples else "")]
        return entry

    def collections(self) -> list[tuple[str, str, str, str, str, str | None, str | None]]:
        """``(path, key, create, list, get, update, delete)`` of every collection the API lets you create in.

        A collection is a path with a POST answering 201 and a GET, whose items live at ``<path>/{key}``.
        """
        by_route = {(op.method, op.path): op for op in self.ops}
        found = []
        for op in self.ops:
            if op.method != "POST" or success(self.document, op)[0] != 201:
                continue
            listing = by_route.get(("GET", op.path))
            item = next(
                (
                    other
                    for other in self.ops
                    if other.method == "GET" and re.fullmatch(re.escape(op.path) + r"/\{[^/}]+\}", other.path)
                ),
                None,
            )
            if listing is None or item is None:
                continue
            key = item.path.rsplit("{", 1)[1].rstrip("}")
            update = by_route.get(("PATCH", item.path))
            delete = by_route.get(("DELETE", item.path))
            found.append(
                (
                    op.path,
                    key,
                    op.id,
                    listing.id,
                    item.id,
                    update.id if update else None,
                    delete.id if delete else None,
                )
            )
        return sorted(found)

    def build(self) -> tuple[str, str]:
        """The two files' text."""
        collections = self.collections()
        collection_ops = {name for row in collections for name in row[2:] if name}
        operations = {op.id: self.operation(op, collection_ops) for op in self.ops}
        self.compactor.drain()
        data = {
            "schemas": self.compactor.components,
            "operations": operations,
            "repaired": self.repaired,
        }
        return render_routes(self.document, self.ops, collections, self.schemas), render_data(data)


# --- rendering ---------------------------------------------------------------------------------------


def render_data(data: dict[str, Any]) -> str:
    """The JSON data file: one schema or operation per line, so a document change is a readable diff."""

    def dumps(value: Any) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)

    lines = ["{"]
    sections = list(data.items())
    for number, (section, entries) in enumerate(sections):
        lines.append(f"{dumps(section)}:{{")
        items = sorted(entries.items())
        lines += [
            f"{dumps(name)}:{dumps(value)}{',' if i < len(items) - 1 else ''}" for i, (name, value) in enumerate(items)
        ]
        lines.append("}" + ("," if number < len(sections) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _routes_rows(document: Document, ops: list[Op], schemas: Schemas) -> Iterator[str]:
    for op in sorted(ops, key=lambda op: (op.path, op.method, op.id)):
        status, kind, content_type = success(document, op)
        values = (
            op.id,
            op.function,
            op.method,
            op.path,
            status,
            kind,
            content_type,
            stream_field(document, op, schemas),
            op.body_kind,
            op.security,
            op.management_key,
            pagination(document, op),
        )
        yield f"    Route{values!r},"


def render_routes(
    document: Document,
    ops: list[Op],
    collections: list[tuple[str, str, str, str, str, str | None, str | None]],
    schemas: Schemas,
) -> str:
    """``openrouter/testing/_routes.py``."""
    lines = [
        text.HEADER,
        '"""Every operation of the OpenRouter API as the fake serves it: strings and numbers only.',
        "",
        f"The schemas, default answers and stream templates are in ``{DATA_NAME}``, loaded on first use.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import NamedTuple",
        "",
        '__all__ = ["COLLECTIONS", "DATA", "ROUTES", "Collection", "Route"]',
        "",
        f"DATA = {DATA_NAME!r}",
        '"""The data file next to this module."""',
        "",
        "",
        "class Route(NamedTuple):",
        '    """One operation (the multipart transcription is its own form of ``createAudioTranscriptions``).',
        "",
        "    Attributes:",
        "        operation_id: the document's operationId (``createAudioTranscriptions_multipart`` for the form).",
        "        function: the SDK's function name (``api_keys_list``).",
        "        method: the HTTP method.",
        "        path: the path template (``/keys/{hash}``), relative to ``/api/v1``.",
        "        status: the documented success status (200, 201 or 202).",
        '        answer: ``"json"``, ``"binary"`` or ``"empty"``.',
        "        content_type: the success content type (``audio/*`` is chosen per request).",
        "        stream_field: the body field that asks for server-sent events, or ``None``.",
        '        body: ``"json"``, ``"multipart"`` or ``None``.',
        '        security: ``"api_key"``, ``"bearer"``, ``"bearer_or_api_key"`` or ``"none"``.',
        "        management_key: the operation needs a management key.",
        '        pages: ``"offset"``, ``"cursor"`` or ``None``.',
        '    """',
        "",
        "    operation_id: str",
        "    function: str",
        "    method: str",
        "    path: str",
        "    status: int",
        "    answer: str",
        "    content_type: str",
        "    stream_field: str | None",
        "    body: str | None",
        "    security: str",
        "    management_key: bool",
        "    pages: str | None",
        "",
        "",
        "class Collection(NamedTuple):",
        '    """Things the API creates, then fetches, lists, updates and deletes: the fake keeps them.',
        "",
        "    Attributes:",
        "        path: the collection's path (``/keys``); its items are at ``<path>/{<key>}``.",
        "        key: the item field (and path parameter) that names an item (``hash``).",
        "        create, list, get, update, delete: operation ids (``update``/``delete`` may be ``None``).",
        '    """',
        "",
        "    path: str",
        "    key: str",
        "    create: str",
        "    list: str",
        "    get: str",
        "    update: str | None",
        "    delete: str | None",
        "",
        "",
        "ROUTES: tuple[Route, ...] = (",
        *_routes_rows(document, ops, schemas),
        ")",
        "",
        "COLLECTIONS: tuple[Collection, ...] = (",
        *(f"    Collection{row!r}," for row in collections),
        ")",
    ]
    return "\n".join(lines) + "\n"


def render(document: Document, ops: list[Op]) -> dict[str, str]:
    """The generated files of the fake, by repository-relative path."""
    routes, data = Builder(document, ops).build()
    return {ROUTES_PATH: routes, DATA_PATH: data}
