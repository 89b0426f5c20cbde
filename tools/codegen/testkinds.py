"""Generated test sections for the operations that are not plain JSON: streams, downloads, uploads, pages.

``testgen`` builds the common part of each test module (wire request, example answers, typed
errors); the functions here add what a kind of operation needs, through ``httpx.MockTransport``:

- streams: a ``text/event-stream`` answer made of the document's SSE examples, then the sentinel;
  the decoded events' classes, and a clean end (``stream.error is None``);
- downloads: the body's bytes (``read()`` gives a ``Result``) and content type, read inside the call;
- uploads: the multipart parts (names, file name, file content type, one part per list value);
- pages: a full page then a short one (offset) or a cursor then a blank one: two requests, two
  ``Ok`` s, and the second request's query.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from tools.codegen import config
from tools.codegen.document import Document, DocumentError, Schema
from tools.codegen.operations import Op
from tools.codegen.sampling import Sampler, literal
from tools.codegen.schema import Builder, ClassDef, UnionDef, tag_of

DOWNLOAD_CONTENT = b"\x00\x01binary body\xff"
UPLOAD_CONTENT = b"file content \x00\xff"
PAGE_LIMIT = 2
NEXT_CURSOR = "cursor-2"
_FILENAME = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9]+")


def call_prefix(op: Op) -> str:
    """The arguments before the request: ``core`` (and the per-call key)."""
    return "core, SECURITY" if op.security_class else "core"


# --- streams ---------------------------------------------------------------------------------------


@dataclass
class StreamTest:
    """The SSE answer of a stream test and the classes its events decode to."""

    sse: bytes
    classes: list[str | None]


def stream_test(op: Op, builder: Builder, sampler: Sampler) -> StreamTest:
    """The document's SSE examples (or one minimal event) as a ``text/event-stream`` body."""
    assert op.stream is not None
    assert op.stream.event_model is not None
    wrapper = sampler.document.properties(op.stream.schema)
    event_schema = wrapper.get("data")
    if event_schema is None:
        raise DocumentError(f"{op.id}: the SSE schema has no data property")
    events = [e for e in op.stream.examples if isinstance(e, dict) and sampler.schema_valid(e, op.stream.schema)]
    if not events:
        events = [{"data": sampler.minimal(event_schema)}]
    chunks = [b": OPENROUTER PROCESSING\n\n"]  # a comment: never shown as an event
    classes = []
    for event in events:
        head = f"event: {event['event']}\n" if "event" in event else ""
        chunks.append(f"{head}data: {json.dumps(event['data'], separators=(',', ':'))}\n\n".encode())
        classes.append(event_class(builder, sampler.document, op.stream.event_name, event["data"]))
    if op.stream.sentinel is not None:
        chunks.append(f"data: {op.stream.sentinel}\n\n".encode())
    return StreamTest(b"".join(chunks), classes)


def event_class(builder: Builder, document: Document, name: str, data: Any) -> str | None:
    """The class an event's data decodes to: the model itself, or the union member its tag names."""
    definition = builder.definitions[name]
    if isinstance(definition, ClassDef):
        return definition.name
    if not isinstance(definition, UnionDef) or not isinstance(data, dict):
        return None
    if definition.mapping and definition.discriminator:
        return definition.mapping.get(str(data.get(definition.discriminator)))
    tag = data.get("type")
    for member in definition.members:
        name = next(iter(member.names)) if len(member.names) == 1 else ""
        if name in document.schemas and tag_of(document.schemas[name], None, document) == tag:
            return name
    return None


def stream_lines(op: Op, test: StreamTest) -> tuple[list[str], list[str]]:
    """``(constants, functions and test)`` of the stream test."""
    assert op.stream is not None
    constants = [
        f"STREAM_REQUEST: dict[str, Any] = {{**REQUEST, {op.stream.field!r}: True}}",
        f"SSE = {test.sse!r}",
        f"EVENT_CLASSES = {test.classes!r}",
    ]
    args = f"{call_prefix(op)}, STREAM_REQUEST, NO_RETRY"
    body = [
        "",
        "",
        "def stream(core: orc.OpenRouterCore) -> tuple[list[Any], Any]:",
        f"    result = {op.function}({args})",
        "    assert isinstance(result, Ok), result",
        "    with result.value as events:",
        "        chunks = list(events)",
        "    return chunks, events.error",
        "",
        "",
        "async def stream_async(core: orc.OpenRouterCore) -> tuple[list[Any], Any]:",
        f"    result = await {op.function}_async({args})",
        "    assert isinstance(result, Ok), result",
        "    async with result.value as events:",
        "        chunks = [chunk async for chunk in events]",
        "    return chunks, events.error",
        "",
        "",
        "def test_stream_events_decode(run: Runner) -> None:",
        '    wire = Wire(httpx.Response(200, content=SSE, headers={"content-type": "text/event-stream"}))',
        "    chunks, error = run(stream, stream_async, make_core(wire))",
        "    assert error is None",
        "    assert [type(chunk).__name__ for chunk in chunks] == EVENT_CLASSES",
        "    (request,) = wire.requests",
        f"    assert json.loads(request.content)[{op.stream.field!r}] is True",
    ]
    return constants, body


# --- downloads -------------------------------------------------------------------------------------


def download_constants(op: Op) -> list[str]:
    """The body the mock answers with, and its content type (a concrete one for ``audio/*``)."""
    (answer,) = [answer for answer in op.declared if answer.encoding == "binary"]
    content_type = config.SAMPLE_MEDIA_TYPES.get(answer.content_type, answer.content_type)
    return [f"CONTENT = {DOWNLOAD_CONTENT!r}", f"CONTENT_TYPE = {content_type!r}"]


def download_call_lines(op: Op) -> list[str]:
    """``call``: the function's ``Result``, with the body read (and closed) inside the call."""
    args = f"{call_prefix(op)}, REQUEST, NO_RETRY"
    returns = "tuple[Any, bytes | None, str | None]"
    return [
        "",
        "",
        f"def fetch(core: orc.OpenRouterCore) -> {returns}:",
        f"    result = {op.function}({args})",
        "    if not isinstance(result, Ok):",
        "        return result, None, None",
        "    with result.value as body:",
        "        return result, body.read().unwrap(), body.content_type",
        "",
        "",
        f"async def fetch_async(core: orc.OpenRouterCore) -> {returns}:",
        f"    result = await {op.function}_async({args})",
        "    if not isinstance(result, Ok):",
        "        return result, None, None",
        "    async with result.value as body:",
        "        return result, (await body.aread()).unwrap(), body.content_type",
        "",
        "",
        f"def call(run: Runner, core: orc.OpenRouterCore) -> {returns}:",
        "    return run(fetch, fetch_async, core)",
    ]


def download_test_lines() -> list[str]:
    """``test_download_reads_the_body``: the bytes and the content type come back."""
    return [
        "",
        "",
        "def test_download_reads_the_body(run: Runner) -> None:",
        "    answer = httpx.Response(200, content=CONTENT, headers={'content-type': CONTENT_TYPE})",
        "    result, content, content_type = call(run, make_core(Wire(answer)))",
        "    assert isinstance(result, Ok), result",
        "    assert content == CONTENT",
        "    assert content_type == CONTENT_TYPE",
    ]


# --- uploads ---------------------------------------------------------------------------------------


@dataclass
class UploadTest:
    """The file field of a multipart request, and the parts it must give."""

    file_field: str
    filename: str
    parts: list[tuple[str, bool, bytes]] = field(default_factory=list)  # (name, is the file, content)


def upload_body(op: Op, sampler: Sampler, body: dict[str, Any]) -> tuple[dict[str, Any], UploadTest]:
    """The multipart request (the file as bytes), and the expected parts.

    Optional list fields of enum items get every value, so that one part per value is checked.
    """
    assert op.body_schema is not None
    props = sampler.document.properties(op.body_schema)
    files = [wire for wire, schema in props.items() if sampler.resolve(schema).get("format") == "binary"]
    if len(files) != 1:
        raise DocumentError(f"{op.id}: a multipart body needs exactly one file field, has {files}")
    (file_field,) = files
    body = dict(body)
    for wire, schema in props.items():
        items = sampler.resolve(schema).get("items")
        if wire not in body and isinstance(items, dict) and "enum" in sampler.resolve(items):
            body[wire] = list(sampler.resolve(items)["enum"])
    if not sampler.acceptable(body, op.body_schema):
        raise DocumentError(f"{op.id}: the multipart test request is not valid")
    body = sampler.ordered(body, op.body_schema)
    example = body.get(file_field)
    filename = example if isinstance(example, str) and _FILENAME.fullmatch(example) else f"{file_field}.bin"
    test = UploadTest(file_field, filename)
    for wire, value in body.items():
        if wire == file_field:
            test.parts.append((wire, True, UPLOAD_CONTENT))
            continue
        for item in value if isinstance(value, list) else [value]:
            text = ("true" if item else "false") if isinstance(item, bool) else str(item)
            test.parts.append((wire, False, text.encode()))
    return {**body, file_field: UPLOAD_CONTENT}, test


def upload_constants(test: UploadTest) -> list[str]:
    """The file's name and content, and the parts: ``(name, file name, content type, content)``."""
    parts = [
        f"({name!r}, FILENAME, FILE_TYPE, CONTENT)" if is_file else f"({name!r}, None, None, {content!r})"
        for name, is_file, content in test.parts
    ]
    return [
        f"FILE_FIELD = {test.file_field!r}",
        f"FILENAME = {test.filename!r}",
        'FILE_TYPE = mimetypes.guess_type(FILENAME)[0] or "application/octet-stream"',
        f"CONTENT = {UPLOAD_CONTENT!r}",
        "PARTS: list[tuple[str, str | None, str | None, bytes]] = [",
        *(f"    {part}," for part in parts),
        "]",
    ]


def upload_wire_assertions() -> list[str]:
    """The multipart checks of ``test_wire_request`` (the file sent from a path)."""
    return [
        '    assert headers["content-type"].startswith("multipart/form-data; boundary=")',
        "    assert sorted(multipart_parts(request), key=repr) == sorted(PARTS, key=repr)",
    ]


# --- pages -----------------------------------------------------------------------------------------


@dataclass
class PagesTest:
    """The request of a pages test, its two answers, and the query the second request carries."""

    request: dict[str, Any]
    first: Any
    last: Any
    next_query: tuple[str, str]


def pages_test(op: Op, sampler: Sampler, request: dict[str, Any]) -> PagesTest:
    """Two pages: full then short (offset), or a cursor then a blank one (cursor)."""
    assert op.pages is not None
    (answer,) = [answer for answer in op.declared if answer.encoding == "json"]
    assert answer.schema is not None
    keys = ("data", "cursor") if op.pages.kind == "cursor" else ("data",)
    base, props = page_object(op, sampler, answer.schema, keys)
    items = sampler.resolve(props["data"]).get("items") or {}
    item = sampler.minimal(items)
    if op.pages.kind == "cursor":
        request = {key: value for key, value in request.items() if key != "cursor"}
        first = {**base, "data": [item], "cursor": NEXT_CURSOR}
        last = {**base, "data": [item], "cursor": ""}
        test = PagesTest(request, first, last, ("cursor", NEXT_CURSOR))
    else:
        request = {**request, "offset": 0, "limit": PAGE_LIMIT}
        first = {**base, "data": [item] * PAGE_LIMIT}
        last = {**base, "data": [item] * (PAGE_LIMIT - 1)}
        test = PagesTest(request, first, last, ("offset", str(PAGE_LIMIT)))
    for page in (test.first, test.last):
        if not sampler.schema_valid(page, answer.schema):
            raise DocumentError(f"{op.id}: could not make a valid page for its pages test: {page!r}")
    return test


def page_object(op: Op, sampler: Sampler, schema: Schema, keys: tuple[str, ...]) -> tuple[dict[str, Any], Any]:
    """A minimal answer of the (member) object that has ``keys``, and that object's properties.

    A discriminated union's tag is set, so the answer decodes to that member.
    """
    resolved = sampler.resolve(schema)
    members = sampler.members(resolved)
    mapping = (resolved.get("discriminator") or {}).get("mapping") or {}
    candidates = members if members is not None else [resolved]
    for candidate in candidates:
        merged = sampler.merged(candidate)
        if merged is None or not all(key in merged[0] for key in keys):
            continue
        base = sampler.minimal(candidate)
        for tag, target in mapping.items():
            if sampler.resolve({"$ref": target}) is sampler.resolve(candidate):
                base[resolved["discriminator"]["propertyName"]] = tag
        return base, merged[0]
    raise DocumentError(f"{op.id}: no answer object with {keys} for its pages test")


def pages_lines(op: Op, test: PagesTest) -> tuple[list[str], list[str]]:
    """``(constants, functions and test)`` of the pages test."""
    constants = [
        f"PAGES_REQUEST: dict[str, Any] = {literal(test.request)}",
        f"FIRST_PAGE: Any = {literal(test.first)}",
        f"LAST_PAGE: Any = {literal(test.last)}",
        f"NEXT_QUERY = {test.next_query!r}",
    ]
    args = f"{call_prefix(op)}, PAGES_REQUEST, NO_RETRY"
    body = [
        "",
        "",
        "def all_pages(core: orc.OpenRouterCore) -> list[Any]:",
        f"    return list({op.function}_pages({args}))",
        "",
        "",
        "async def all_pages_async(core: orc.OpenRouterCore) -> list[Any]:",
        f"    return [page async for page in {op.function}_pages_async({args})]",
        "",
        "",
        "def test_pages_stop_after_the_last_page(run: Runner) -> None:",
        "    wire = Wire(json_response(200, FIRST_PAGE), json_response(200, LAST_PAGE))",
        "    results = run(all_pages, all_pages_async, make_core(wire))",
        "    assert [type(result) for result in results] == [Ok, Ok], results",
        "    _, second = wire.requests  # the request after the last page is never sent",
        "    assert NEXT_QUERY in second.url.params.multi_items()",
    ]
    return constants, body
