"""Operations: what each one is (names, parameters, body, answers), its request models, and its module.

``derive`` reads the document into ``Op`` records (all 98 forms: 97 operations, the multipart
transcription split in two); ``build_models`` adds each emitted operation's request, body, response
and security classes to the builder. ``functions.render`` writes ``openrouter_funcs/<function>.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tools.codegen import config, naming, text
from tools.codegen.document import Document, DocumentError, Schema, ref_name, type_set
from tools.codegen.schema import AliasDef, Builder, ClassDef, Field, TypeRef

IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE", "HEAD", "OPTIONS"})
_MANAGEMENT = re.compile(r"Management key\]?(\([^)]*\))? required")
APP_HEADERS = (
    ("http_referer", "str", "the ``HTTP-Referer`` app header for this call (overrides the core's)"),
    ("app_title", "str", "the ``X-OpenRouter-Title`` app header for this call"),
    ("app_categories", "str | list[str]", "the ``X-OpenRouter-Categories`` app header for this call"),
)


@dataclass
class Param:
    """A path, query or header parameter."""

    wire: str
    location: str
    required: bool
    schema: Schema
    description: str
    field: Field | None = None


@dataclass
class Answer:
    """One success answer: a status with one content type."""

    status: int
    encoding: str
    schema: Schema | None
    examples: list[Any] = field(default_factory=list)
    model: str | None = None  # "module:Name" under openrouter_funcs.models, once built
    content_type: str = ""


@dataclass
class StreamInfo:
    """How an operation streams: the body field that asks for SSE, and its events."""

    field: str  # the body property (wire name) that selects SSE: ``"stream"``
    sentinel: str | None  # ``x-speakeasy-sse-sentinel``: the data that ends the stream
    schema: Schema  # the ``text/event-stream`` schema: an object whose ``data`` is one event
    examples: list[Any]  # the document's SSE examples: ``{"data": ..., "event": ...}``
    assemble: str | None  # ``"module:function"`` that assembles the events (``config.STREAM_ASSEMBLERS``)
    event_model: str | None = None  # ``"module:Name"`` of one event's data, once built

    @property
    def event_name(self) -> str:
        """The event model's name."""
        assert self.event_model is not None
        return self.event_model.split(":")[1]


@dataclass
class PageInfo:
    """How an operation pages (``x-speakeasy-pagination``); results are always at ``$.data``."""

    kind: str  # "offset" (offset + limit query parameters) or "cursor" (next cursor at ``$.cursor``)
    default_limit: int | None  # the ``limit`` parameter's default (offset paging)
    max_offset: int | None  # the ``offset`` parameter's maximum, when it has one


@dataclass
class Op:
    """One operation form (``createAudioTranscriptions`` has two: JSON and multipart)."""

    id: str
    method: str
    path: str
    tag: str
    namespace: str
    namespace_words: list[str]
    facade_method: str
    function: str
    summary: str
    description: str
    deprecated: str | None
    management_key: bool
    security: str
    body_kind: str | None
    body_schema: Schema | None
    body_examples: list[Any]
    params: list[Param]
    answers: list[Answer]
    errors: dict[int, list[Any]]
    stream: StreamInfo | None
    pages: PageInfo | None
    skip: str | None
    error_schemas: dict[int, Schema] = field(default_factory=dict)
    request: ClassDef | None = None
    body_class: str | None = None
    error_model: str | None = None
    security_class: str | None = None
    request_required: bool = False

    @property
    def pascal(self) -> str:
        """``createKeys`` -> ``CreateKeys``."""
        return naming.pascal_operation_id(self.id)

    @property
    def module(self) -> str:
        """The operation's model module, relative to ``openrouter_funcs.models``."""
        return f"ops.{self.function}"

    @property
    def idempotent(self) -> bool:
        """GET, PUT and DELETE may be re-sent after any failure."""
        return self.method in IDEMPOTENT_METHODS

    @property
    def declared(self) -> list[Answer]:
        """The answers of ``Operation.responses``: SSE (in ``Operation.stream``) and skipped encodings left out."""
        skipped = {"sse", *config.SKIPPED_ENCODINGS}
        return [answer for answer in self.answers if answer.encoding not in skipped]

    @property
    def streaming(self) -> bool:
        """Whether a request can ask for server-sent events (its body has the stream field)."""
        return self.stream is not None

    @property
    def paginated(self) -> bool:
        """Whether the document declares pagination for it."""
        return self.pages is not None

    @property
    def download(self) -> bool:
        """Whether its success answer is a binary body (read by the caller)."""
        return any(answer.encoding == "binary" for answer in self.declared)

    @property
    def emitted(self) -> bool:
        """Whether this operation gets a module (not in the skip list)."""
        return self.skip is None

    @property
    def held_back(self) -> bool:
        """Whether its hand-written module stays in place for now (``config.HELD_BACK``)."""
        return self.id in config.HELD_BACK


def encoding_of(content_type: str) -> str:
    """The encoding of a success content type."""
    if content_type not in config.ENCODINGS:
        raise DocumentError(f"unknown success content type {content_type!r}")
    return config.ENCODINGS[content_type]


def examples_of(media: dict[str, Any]) -> list[Any]:
    """Examples of a media type object: ``example``, ``examples.*.value``, then the schema's ``example``."""
    found: list[Any] = []
    if "example" in media:
        found.append(media["example"])
    found += [e["value"] for e in (media.get("examples") or {}).values() if isinstance(e, dict) and "value" in e]
    schema = media.get("schema")
    if not found and isinstance(schema, dict) and "example" in schema:
        found.append(schema["example"])
    return found


def security_of(document: Document, operation: dict[str, Any]) -> str:
    """``api_key``, ``bearer``, ``bearer_or_api_key`` or ``none``."""
    override = operation.get("x-openrouter-python-security")
    if override is not None:
        if override not in ("api_key", "bearer", "bearer_or_api_key", "none"):
            raise DocumentError(f"{operation['operationId']}: unknown x-openrouter-python-security {override!r}")
        return str(override)
    requirement = operation.get("security", document.raw.get("security"))
    if requirement == []:
        return "none"
    if requirement == [{"bearer": []}]:
        return "bearer"
    if requirement == [{"apiKey": []}]:
        return "api_key"
    raise DocumentError(f"{operation['operationId']}: unsupported security {requirement!r}")


def names_of(operation_id: str, operation: dict[str, Any], tag: str) -> tuple[str, list[str], str]:
    """``(namespace, facade class words, facade method)`` by the rules of ``operations.md``."""
    if operation_id in config.NAMESPACE_OVERRIDES:
        namespace, words = config.NAMESPACE_OVERRIDES[operation_id]
    elif operation.get("x-speakeasy-group"):
        group = str(operation["x-speakeasy-group"])
        namespace, words = naming.snake(group), [group[:1].upper() + group[1:]]
    else:
        namespace, words = naming.namespace(tag), naming.tag_words(tag)
    method = str(operation.get("x-speakeasy-name-override") or operation_id)
    return namespace, words, naming.snake(method)


def derive(document: Document) -> list[Op]:
    """Every operation form of the document, in document order."""
    found: list[Op] = []
    for method, path, operation, item in document.operations():
        found += forms_of(document, method, path, operation, item)
    check_functions(found)
    return found


def forms_of(document: Document, method: str, path: str, operation: dict[str, Any], item: dict[str, Any]) -> list[Op]:
    """The ``Op`` records of one operation: one per request body form (the multipart split gives two)."""
    operation_id = operation["operationId"]
    tags = operation.get("tags") or []
    if len(tags) != 1:
        raise DocumentError(f"{operation_id}: expected exactly one tag, got {tags}")
    namespace, words, facade_method = names_of(operation_id, operation, tags[0])
    params = params_of(document, operation, item)
    answers, errors, error_schemas = answers_of(operation)
    description = str(operation.get("description") or "")
    bodies = bodies_of(operation)
    forms = []
    for kind, schema, body_examples in bodies:
        form_id, form_method = operation_id, facade_method
        if len(bodies) > 1 and kind == "multipart":
            form_id, form_method = f"{operation_id}_multipart", f"{facade_method}_multipart"
        forms.append(
            Op(
                id=form_id,
                method=method.upper(),
                path=path,
                tag=tags[0],
                namespace=namespace,
                namespace_words=words,
                facade_method=form_method,
                function=f"{namespace}_{form_method}",
                summary=str(operation.get("summary") or ""),
                description=description,
                deprecated=deprecation_of(operation, description),
                management_key=bool(_MANAGEMENT.search(description)),
                security=security_of(document, operation),
                body_kind=kind,
                body_schema=schema,
                body_examples=body_examples,
                params=params,
                answers=answers,
                errors=errors,
                stream=stream_of(document, operation, answers, schema),
                pages=pages_of(operation, params),
                skip=config.SKIPPED_OPERATIONS.get(form_id),
                error_schemas=error_schemas,
            )
        )
    return forms


def params_of(document: Document, operation: dict[str, Any], item: dict[str, Any]) -> list[Param]:
    """The path item's parameters, then the operation's."""
    operation_id = operation["operationId"]
    params = []
    for raw in [*(item.get("parameters") or ()), *(operation.get("parameters") or ())]:
        parameter = document.parameter(raw)
        if parameter["in"] not in ("path", "query", "header"):
            raise DocumentError(f"{operation_id}: unsupported parameter location {parameter['in']!r}")
        if parameter.get("style") not in (None, "form", "simple") or parameter.get("explode") is False:
            raise DocumentError(f"{operation_id}: parameter styles are not supported ({parameter['name']})")
        params.append(
            Param(
                parameter["name"],
                parameter["in"],
                bool(parameter.get("required")) or parameter["in"] == "path",
                parameter.get("schema") or {},
                str(parameter.get("description") or ""),
            )
        )
    return params


def answers_of(operation: dict[str, Any]) -> tuple[list[Answer], dict[int, list[Any]], dict[int, Schema]]:
    """``(success answers, error examples by status, error schemas by status)``."""
    answers: list[Answer] = []
    errors: dict[int, list[Any]] = {}
    error_schemas: dict[int, Schema] = {}
    for status_text, response in operation["responses"].items():
        status = int(status_text)
        content = response.get("content") or {}
        if 200 <= status < 300:
            if not content:
                answers.append(Answer(status, "empty", None))
            for content_type, media in content.items():
                encoding = encoding_of(content_type)
                answer = Answer(status, encoding, media.get("schema"), examples_of(media), content_type=content_type)
                answers.append(answer)
            continue
        media = content.get("application/json") or {}
        errors[status] = examples_of(media) if media else []
        if isinstance(media.get("schema"), dict):
            error_schemas[status] = media["schema"]
    return answers, errors, error_schemas


def deprecation_of(operation: dict[str, Any], description: str) -> str | None:
    """The deprecation message: ``x-speakeasy-deprecation-message``, else the description's first sentence."""
    if operation.get("deprecated") is not True:
        return None
    message = operation.get("x-speakeasy-deprecation-message") or text.first_sentence(text.plain(description))
    return text.plain(message) or "Deprecated"


def bodies_of(operation: dict[str, Any]) -> list[tuple[str | None, Schema | None, list[Any]]]:
    """``(kind, schema, examples)`` per request content type (``[(None, None, [])]`` without a body)."""
    operation_id = operation["operationId"]
    body = operation.get("requestBody")
    if not body:
        return [(None, None, [])]
    if not body.get("required", False):
        raise DocumentError(f"{operation_id}: optional request bodies are not supported")
    bodies: list[tuple[str | None, Schema | None, list[Any]]] = []
    for content_type, media in body["content"].items():
        kind = {"application/json": "json", "multipart/form-data": "multipart"}.get(content_type)
        if kind is None:
            raise DocumentError(f"{operation_id}: unsupported request content type {content_type!r}")
        bodies.append((kind, media.get("schema"), examples_of(media)))
    if len(bodies) > 1 and operation_id != config.MULTIPART_SPLIT:
        raise DocumentError(f"{operation_id}: several request bodies, and it is not the multipart split")
    return bodies


def stream_of(
    document: Document, operation: dict[str, Any], answers: list[Answer], body: Schema | None
) -> StreamInfo | None:
    """The stream of an operation that answers SSE and whose body has the stream field, else ``None``.

    ``createEmbeddings`` and ``createRerank`` declare ``text/event-stream`` but have no stream field:
    they stay JSON only.
    """
    operation_id = operation["operationId"]
    sse = [answer for answer in answers if answer.encoding == "sse"]
    if not sse or body is None:
        return None
    (answer,) = sse
    named = operation.get("x-speakeasy-stream-request-field")
    name = str(named or config.DEFAULT_STREAM_FIELD)
    prop = document.properties(body).get(name)
    if prop is None or type_set(document.resolve(prop)) != ["boolean"]:
        if named:
            raise DocumentError(f"{operation_id}: the stream field {name!r} is not a boolean body property")
        return None
    media = operation["responses"][str(answer.status)]["content"][answer.content_type]
    if answer.schema is None or "$ref" not in answer.schema:
        raise DocumentError(f"{operation_id}: the text/event-stream schema must be a component")
    sentinel = media.get("x-speakeasy-sse-sentinel")
    return StreamInfo(name, sentinel, answer.schema, answer.examples, config.STREAM_ASSEMBLERS.get(operation_id))


def pages_of(operation: dict[str, Any], params: list[Param]) -> PageInfo | None:
    """``x-speakeasy-pagination``: offset paging (``offsetLimit``) or cursor paging; ``None`` without it."""
    spec = operation.get("x-speakeasy-pagination")
    if spec is None:
        return None
    operation_id = operation["operationId"]
    outputs = spec.get("outputs") or {}
    inputs = {item["type"]: item["name"] for item in spec.get("inputs") or ()}
    if outputs.get("results") != "$.data" or any(item["in"] != "parameters" for item in spec.get("inputs") or ()):
        raise DocumentError(f"{operation_id}: pagination with results elsewhere than $.data: {spec!r}")
    query = {param.wire: param.schema for param in params if param.location == "query"}
    if spec.get("type") == "offsetLimit" and inputs == {"offset": "offset", "limit": "limit"}:
        limit = query["limit"].get("default")
        maximum = query["offset"].get("maximum")
        if not isinstance(limit, int) or not (maximum is None or isinstance(maximum, int)):
            raise DocumentError(f"{operation_id}: offset paging needs an integer default limit")
        return PageInfo("offset", limit, maximum)
    if spec.get("type") == "cursor" and inputs == {"cursor": "cursor"} and outputs.get("nextCursor") == "$.cursor":
        if "cursor" not in query:
            raise DocumentError(f"{operation_id}: cursor paging without a cursor query parameter")
        return PageInfo("cursor", None, None)
    raise DocumentError(f"{operation_id}: unsupported pagination {spec!r}")


def check_functions(found: list[Op]) -> None:
    """Function names are unique, and the config names only operations the document has."""
    seen: dict[str, str] = {}
    for op in found:
        if op.function in seen:
            raise DocumentError(f"{op.id} and {seen[op.function]} both give the function {op.function}")
        seen[op.function] = op.id
    unknown = (set(config.SKIPPED_OPERATIONS) | config.HELD_BACK) - {op.id for op in found}
    if unknown:
        raise DocumentError(f"config names operations the document does not have: {sorted(unknown)}")


def op_name(builder: Builder, pascal: str, suffix: str) -> str:
    """The TS name ``<PascalOperationId><Suffix>``, or ``<PascalOperationId>Operation<Suffix>`` when a component has it.

    ``CreateBYOKKeyRequest`` is the body schema of ``createBYOKKey``; the operation's request (the
    body's fields plus parameters and app headers) is then ``CreateBYOKKeyOperationRequest``.
    """
    name = pascal + suffix
    if name in builder.document.schemas:
        name = f"{pascal}Operation{suffix}"
    return name


def model_ref(builder: Builder, name: str) -> str:
    """``"module:Name"`` of a defined model."""
    return f"{builder.module_of(name)}:{name}"


def build_models(op: Op, builder: Builder) -> None:
    """Define the operation's request (and body), response and security classes in ``ops.<function>``."""
    request = ClassDef(op_name(builder, op.pascal, "Request"), op.module, "", True, kind="request")
    request.where = f"request of ``{op.function}``"
    request.doc = f"The request of ``{op.function}`` (``{op.method} {op.path}``)."
    builder.add(request)
    op.request = request
    body_fields = build_body(op, builder)
    params = build_params(op, builder)
    app = [Field(name, name, TypeRef(kind, kind), False, False, doc) for name, kind, doc in APP_HEADERS]
    check_keys(op, [*body_fields, *params, *app])
    request.fields = [f for f in params if f.required] + [f for f in params if not f.required] + app
    op.request_required = any(f.required for f in [*body_fields, *params])
    if op.security in ("bearer", "bearer_or_api_key"):
        op.security_class = build_security(op, builder)
    op.error_model = error_model(op, builder)
    for answer in op.declared:
        if answer.encoding == "json":
            answer.model = build_answer(op, answer, builder)
    if op.stream is not None:
        build_stream(op, op.stream, body_fields, builder)


def build_stream(op: Op, stream: StreamInfo, body_fields: list[Field], builder: Builder) -> None:
    """The event model (the ``data`` of the SSE schema); the request's dicts split on the stream field."""
    assert op.request is not None
    wrapper = builder.definitions.get(builder.component(ref_name(stream.schema["$ref"])).ann)
    data = next((f for f in wrapper.fields if f.wire == "data"), None) if isinstance(wrapper, ClassDef) else None
    event = builder.definitions.get(data.type.ann) if data is not None else None
    if event is None or isinstance(event, AliasDef) or data is None or data.type.nullable:
        raise DocumentError(f"{op.id}: the SSE schema must be an object whose ``data`` is a model")
    stream.event_model = model_ref(builder, event.name)
    selector = next((f for f in body_fields if f.wire == stream.field), None)
    if selector is None or selector.required or selector.type.ann != "bool":
        raise DocumentError(f"{op.id}: the stream field {stream.field!r} must be an optional boolean body field")
    for name in (f"{op.request.name}Streaming", f"{op.request.name}StreamingDict"):
        if name in builder.definitions:
            raise DocumentError(f"name collision: {name} (the streaming dict of {op.request.name})")
    op.request.stream_field = stream.field


def build_body(op: Op, builder: Builder) -> list[Field]:
    """The body class (a component or ``<Op>RequestBody``) becomes the request's base; its fields."""
    if op.body_schema is None:
        return []
    assert op.request is not None
    where = f"request body of ``{op.function}``"
    if "$ref" in op.body_schema:
        body = builder.component(ref_name(op.body_schema["$ref"]))
    else:
        body = builder.expr(op.body_schema, op_name(builder, op.pascal, "RequestBody"), op.module, True, where)
    definition = builder.definitions.get(body.ann)
    if not isinstance(definition, ClassDef) or body.nullable:
        raise DocumentError(f"{op.id}: the request body must be an object schema")
    op.body_class = definition.name
    op.request.base = definition.name
    return all_fields(builder, definition)


def build_params(op: Op, builder: Builder) -> list[Field]:
    """One field per parameter: path, then query, then header ones (by their snake name)."""
    params: list[Field] = []
    for location in ("path", "query", "header"):
        for param in (p for p in op.params if p.location == location):
            hint = f"{op.pascal}Request{naming.pascal(param.wire)}"
            where = f"parameter ``{param.wire}`` of ``{op.id}``"
            kind = builder.expr(param.schema, hint, op.module, True, where)
            if location == "header":
                name = naming.header_attribute(param.wire)
                made = Field(param.wire, name, kind, param.required, False, param.description, dict_key=name)
            else:
                made = Field(param.wire, naming.attribute(param.wire), kind, param.required, False, param.description)
            # A parameter cannot carry null on the wire: None (or leaving it out) omits it.
            made.nullable = param.required and kind.nullable
            param.field = made
            params.append(made)
    return params


def check_keys(op: Op, fields: list[Field]) -> None:
    """No attribute or dict key is both a body field and a parameter or app header."""
    taken: dict[str, str] = {}
    for item in fields:
        for key in {item.name, item.dict_key}:
            if key in taken:
                raise DocumentError(f"{op.id}: {key!r} is both a {taken[key]} and a parameter or app header")
            taken[key] = item.wire


def build_security(op: Op, builder: Builder) -> str:
    """``<Op>Security``: the per-call ``bearer`` (hidden from the repr)."""
    security = ClassDef(op_name(builder, op.pascal, "Security"), op.module, "", False, kind="security")
    fallback = "" if op.security == "bearer" else "; when it is ``None``, the core's key is used"
    security.doc = (
        f"Per-call credentials of ``{op.function}``: ``bearer`` is sent as ``Authorization: Bearer ...``"
        f"{fallback}. It never appears in a repr."
    )
    secret = Field("bearer", "bearer", TypeRef("str", "str"), False, False, "the key for this call", secret=True)
    security.fields = [secret]
    builder.add(security)
    return security.name


def build_answer(op: Op, answer: Answer, builder: Builder) -> str:
    """``"module:Name"`` of a JSON answer's model (a component, or ``<Op>Response``)."""
    if answer.schema is None:
        raise DocumentError(f"{op.id}: a JSON answer without a schema")
    if "$ref" in answer.schema:
        ref = builder.component(ref_name(answer.schema["$ref"]))
    else:
        where = f"response of ``{op.function}``"
        ref = builder.expr(answer.schema, op_name(builder, op.pascal, "Response"), op.module, False, where)
    definition = builder.definitions.get(ref.ann)
    if definition is None or isinstance(definition, AliasDef) or ref.nullable:
        raise DocumentError(f"{op.id}: a {answer.status} answer must be an object or a union, got {ref.ann}")
    return model_ref(builder, ref.ann)


def is_openrouter_error(document: Document, schema: Schema) -> bool:
    """OpenRouter's error body: ``{"error": {"code": int, "message": str, ...}, ...}``."""
    while "$ref" in schema:
        schema = document.component(schema["$ref"])[1]
    error = (schema.get("properties") or {}).get("error")
    while isinstance(error, dict) and "$ref" in error:
        error = document.component(error["$ref"])[1]
    props = (error or {}).get("properties") or {}
    return "code" in props and "message" in props


def error_model(op: Op, builder: Builder) -> str | None:
    """The model of the operation's error bodies when they are not OpenRouter's (``createMessages``)."""
    other = {
        status: schema
        for status, schema in op.error_schemas.items()
        if not is_openrouter_error(builder.document, schema)
    }
    if not other:
        return None
    refs = {schema.get("$ref") for schema in other.values()}
    if len(refs) != 1 or None in refs or len(other) != len(op.error_schemas):
        raise DocumentError(f"{op.id}: error bodies of several shapes are not supported")
    ref = builder.component(ref_name(next(iter(refs))))  # type: ignore[arg-type]
    return model_ref(builder, ref.ann)


def all_fields(builder: Builder, definition: ClassDef) -> list[Field]:
    """A class's fields, its base's first."""
    fields: list[Field] = []
    if definition.base:
        base = builder.definitions[definition.base]
        assert isinstance(base, ClassDef)
        fields += all_fields(builder, base)
    return fields + definition.fields
