"""Operation modules: ``openrouter_funcs/<function>.py``, the ``Operation`` and its functions.

Three shapes, by what the operation answers:

- JSON (most): the function, and its async twin from ``async_twin``;
- streams (a body with a stream field): overloads chosen by the request's ``stream`` key, and an
  explicit async function, whose stream is an ``AsyncStream``;
- downloads (a binary answer): ``BinaryResponse``, and an explicit async function (``AsyncBinaryResponse``);

plus, for paginated operations, ``<function>_pages`` and ``<function>_pages_async``.
"""

from __future__ import annotations

import re

from tools.codegen import config, text
from tools.codegen.document import DocumentError
from tools.codegen.operations import Op

ERROR = "OpenRouterSDKError"


def value_name(op: Op, model: str) -> str:
    """A ``"module:Name"`` model as the operation module spells it (``models.Name`` for its own models)."""
    module, name = model.split(":")
    return f"models.{name}" if module == op.module else name


def response_type(op: Op, *, qualify: bool = False, is_async: bool = False) -> str:
    """The success value's type (one model, or a union of the declared ones; a download's body)."""
    names = []
    for answer in op.declared:
        if answer.encoding == "binary":
            name = "AsyncBinaryResponse" if is_async else "BinaryResponse"
        elif answer.model:
            name = value_name(op, answer.model) if qualify else answer.model.split(":")[1]
        else:
            name = "None"
        if name not in names:
            names.append(name)
    return " | ".join(names) or "None"


def stream_type(op: Op, *, qualify: bool = False, is_async: bool = False) -> str:
    """``Stream[<event>, <assembled result or None>]`` (``AsyncStream`` for the async twin)."""
    assert op.stream is not None
    assert op.stream.event_model is not None
    event = value_name(op, op.stream.event_model) if qualify else op.stream.event_name
    assembled = response_type(op, qualify=qualify) if op.stream.assemble else "None"
    return f"{'AsyncStream' if is_async else 'Stream'}[{event}, {assembled}]"


def returns_doc(op: Op) -> list[str]:
    """The ``Returns:`` section: the value, then the errors by kind (each documented status has its class)."""
    statuses = ", ".join(str(s) for s in sorted(op.errors) if s in config.STATUS_ERRORS)
    typed = f"a typed status error ({statuses}) or any other" if statuses else "any"
    value = f"``Ok({response_type(op)})``"
    if op.stream:
        value += f'; with ``"{op.stream.field}": True``, ``Ok({stream_type(op)})`` (iterate it for the events);'
    elif op.download:
        value += ", the unread body (close it, or use ``with``);"
    else:
        value += ","
    line = f"{value} or ``Err``: {typed} ``OpenRouterSDKError``."
    return text.wrap(line, text.LINE_LENGTH - 8)


def signature(op: Op, *, method: bool = False, request_type: str | None = None) -> tuple[str, str]:
    """``(parameters, arguments)`` source of an operation function (or facade method)."""
    assert op.request is not None
    request = request_type or f"{op.request.name} | {op.request.name}Dict"
    params = ["self" if method else "core: OpenRouterCore"]
    args = ["self._core" if method else "core"]
    if op.security_class:
        params.append(f"security: {op.security_class} | Mapping[str, str | None] | None")
        args.append("security")
    params.append(f"request: {request}" if op.request_required else f"request: {request} | None = None")
    params.append("options: RequestOptions | None = None")
    args += ["request", "options"]
    return ", ".join(params), ", ".join(args)


def parameters(op: Op, request: str = "Request", *, optional: bool | None = None) -> str:
    """The parameters of a function of the operation module (``Request`` / ``Security`` are its aliases)."""
    params = ["core: OpenRouterCore"]
    if op.security_class:
        params.append("security: Security")
    optional = not op.request_required if optional is None else optional
    params.append(f"request: {request} | None = None" if optional else f"request: {request}")
    params.append("options: RequestOptions | None = None")
    return ", ".join(params)


def call_arguments(op: Op) -> str:
    """The arguments every function passes to the runtime's entry point."""
    return "core, OPERATION, request, options" + (", security=security" if op.security_class else "")


def operation_literal(op: Op) -> list[str]:
    """The ``OPERATION = Operation(...)`` statement."""
    assert op.request is not None
    path_params = tuple(p.wire for p in op.params if p.location == "path")
    template = re.findall(r"{([^}]+)}", op.path)
    if sorted(template) != sorted(path_params):
        raise DocumentError(f"{op.id}: path template {template} and path parameters {path_params} differ")
    query = tuple(p.wire for p in op.params if p.location == "query")
    headers = tuple((p.field.name, p.wire) for p in op.params if p.location == "header" and p.field)
    responses = ", ".join(f"{answer.status}: ({answer.encoding!r}, {answer.model!r})" for answer in op.declared)
    errors = tuple(sorted(op.errors))
    # Arguments left at the Operation's defaults are not written: the module stays a page.
    optional = [
        ("body", op.body_kind, None),
        ("path_params", tuple(template), ()),
        ("query", query, ()),
        ("headers", headers, ()),
    ]
    return [
        "OPERATION = Operation(",
        f"    {op.id!r},",
        f"    {op.method!r},",
        f"    {op.path!r},",
        f"    request={op.module + ':' + op.request.name!r},",
        *(f"    {name}={value!r}," for name, value, default in optional if value != default),
        f"    responses={{{responses}}},",
        f"    errors={errors!r},",
        *([f"    security={op.security!r},"] if op.security != "api_key" else []),
        *([f"    idempotent={op.idempotent!r},"] if op.idempotent != (op.method in ("GET", "PUT", "DELETE")) else []),
        *(_deprecated_argument(op) if op.deprecated else []),
        *(["    management_key=True,"] if op.management_key else []),
        *([f"    stream={stream_spec(op)},"] if op.stream else []),
        *([f"    pagination={pages_spec(op)},"] if op.pages else []),
        *([f"    error_model={op.error_model!r},"] if op.error_model else []),
        ")",
    ]


def stream_spec(op: Op) -> str:
    """``StreamSpec(field, event_model, sentinel[, assemble])``."""
    assert op.stream is not None
    stream = op.stream
    args = [repr(stream.field), repr(stream.event_model), repr(stream.sentinel)]
    if stream.assemble:
        args.append(repr(stream.assemble))
    return f"StreamSpec({', '.join(args)})"


def pages_spec(op: Op) -> str:
    """``Pages(kind, default_limit, max_offset)``."""
    assert op.pages is not None
    return f"Pages({op.pages.kind!r}, {op.pages.default_limit!r}, {op.pages.max_offset!r})"


def _deprecated_argument(op: Op) -> list[str]:
    """``deprecated=...``: the warning's whole message, naming the function (wrapped to the line length)."""
    if not op.deprecated:
        return ["    deprecated=None,"]
    lines = text.string_literal(f"{op.function} is deprecated: {op.deprecated}", 4, text.LINE_LENGTH - 1)
    lines[0] = "    deprecated=" + lines[0].lstrip()
    lines[-1] += ","
    return lines


def function_doc(op: Op) -> list[str]:
    """The docstring lines of the sync function (indented 4)."""
    assert op.request is not None
    head = text.summary(op.summary or op.description, f"``{op.method} {op.path}``.", text.LINE_LENGTH - 10)
    notes = []
    if op.deprecated:  # what to do instead is in the warning itself (OPERATION.deprecated)
        head = head.rstrip(".") + "; each call emits a ``DeprecationWarning``."
    if op.management_key:
        notes.append("Needs a management key.")
    description = "" if op.deprecated else text.plain(op.description)
    description = re.sub(r"\s*Management key required\.?", "", description).strip()
    summary = text.plain(op.summary).rstrip(".")
    if summary and description.startswith(summary):
        description = description[len(summary) :].lstrip(". ").strip()
    paragraph = " ".join([*notes, description]).strip()
    body = ["", *text.wrap(paragraph, text.LINE_LENGTH - 4, 4)] if paragraph else []
    body += ["", "Args:", "    core: the core (or an ``OpenRouter`` client)."]
    if op.security_class:
        fallback = "" if op.security == "bearer" else ", else the core's key"
        body += text_item(f"security: ``{{'bearer': ...}}`` or ``{op.security_class}``: this call's key{fallback}.")
    optional = "" if op.request_required else " (optional: no field is required)"
    streaming = f'; ``"{op.stream.field}": True`` asks for a stream' if op.stream else ""
    body += text_item(f"request: a ``{op.request.name}`` or a dict with its JSON names{optional}{streaming}.")
    body += ["    options: per-call ``RequestOptions``."]
    body += ["", "Returns:", *(f"    {line}" for line in returns_doc(op))]
    return text.docstring(4, head, body)


def text_item(line: str) -> list[str]:
    """One ``Args:`` entry, wrapped with a hanging indent."""
    wrapped = text.wrap(line, text.LINE_LENGTH - 12)
    return [f"    {wrapped[0]}", *(f"        {rest}" for rest in wrapped[1:])]


def module_head(op: Op) -> list[str]:
    """Header, docstring, imports (the types under ``TYPE_CHECKING``) and the ``Request`` alias."""
    assert op.request is not None
    head = f"``{op.method} {op.path}``: " + text.summary(op.summary or op.description, "", text.LINE_LENGTH - 30)
    typing_names = {"TYPE_CHECKING"}
    runtime = {"Operation"}
    abc: set[str] = {"Mapping"} if op.security_class else set()
    core = {"OpenRouterCore", ERROR, "RequestOptions", "Result"}
    if op.stream:
        typing_names.add("overload")
        runtime |= {"StreamSpec", "call", "call_async"}
        core |= {"AsyncStream", "Stream"}
    elif op.download:
        runtime |= {"call", "call_async"}
        core |= {"AsyncBinaryResponse", "BinaryResponse"}
    else:
        runtime |= {"async_twin", "call"}
    if op.pages:
        runtime |= {"Pages", "pages", "pages_async"}
        abc |= {"AsyncIterator", "Iterator"}
    lines = [text.HEADER, f'"""{head}"""', "", "from __future__ import annotations", ""]
    lines += [f"from typing import {', '.join(sorted(typing_names))}", ""]
    lines += [f"from openrouter_core._operation import {', '.join(sorted(runtime))}", ""]
    lines += ["if TYPE_CHECKING:"]
    if abc:
        lines += [f"    from collections.abc import {', '.join(sorted(abc))}", ""]
    lines += [f"    from openrouter_core import {', '.join(sorted(core))}"]
    lines += model_imports(op)
    forms = [f"models.{op.request.name}", f"models.{op.request.name}Dict"]
    if op.stream:
        forms.append(f"models.{op.request.name}StreamingDict")
    lines += ["", f"    Request = {' | '.join(forms)}"]
    if op.security_class:
        lines.append(f"    Security = models.{op.security_class} | Mapping[str, str | None] | None")
    return lines


def model_imports(op: Op) -> list[str]:
    """The operation's models module (as ``models``), and the other modules its types come from."""
    other: dict[str, set[str]] = {}
    refs = [answer.model for answer in op.declared if answer.model]
    if op.stream and op.stream.event_model:
        refs.append(op.stream.event_model)
    for ref in refs:
        module, name = ref.split(":")
        if module != op.module:
            other.setdefault(module, set()).add(name)
    lines = [f"    from openrouter_funcs.models.{op.module.replace('ops.', 'ops import ', 1)} as models"]
    lines += [
        f"    from openrouter_funcs.models.{module} import {', '.join(sorted(names))}"
        for module, names in sorted(other.items())
    ]
    return lines


def json_functions(op: Op) -> list[str]:
    """The function, and its async twin made by ``async_twin``."""
    returns = f"Result[{response_type(op, qualify=True)}, {ERROR}]"
    lines = ["", "", f"def {op.function}({parameters(op)}) -> {returns}:", *function_doc(op)]
    lines += [f"    return call({call_arguments(op)})"]
    lines += ["", "", f"{op.function}_async = async_twin({op.function}, OPERATION)"]
    return lines


def stream_overloads(op: Op, *, is_async: bool) -> list[str]:
    """Three overloads: a streaming dict gives a stream, a plain dict the result, a model either."""
    assert op.request is not None
    value = response_type(op, qualify=True)
    stream = stream_type(op, qualify=True, is_async=is_async)
    name = op.function + ("_async" if is_async else "")
    define = "async def" if is_async else "def"
    request = f"models.{op.request.name}"
    forms = [
        (f"{request}StreamingDict", False, stream),
        (f"{request}Dict", None, value),
        (request, False, f"{value} | {stream}"),
    ]
    lines = []
    for request_type, optional, returns in forms:
        params = parameters(op, request_type, optional=optional)
        lines += ["", "", "@overload", f"{define} {name}({params}) -> Result[{returns}, {ERROR}]: ..."]
    return lines


def stream_functions(op: Op) -> list[str]:
    """The streaming function and its async twin, each with its overloads."""
    value = response_type(op, qualify=True)
    lines = stream_overloads(op, is_async=False)
    returns = f"Result[{value} | {stream_type(op, qualify=True)}, {ERROR}]"
    lines += ["", "", f"def {op.function}({parameters(op)}) -> {returns}:", *function_doc(op)]
    lines += [f"    return call({call_arguments(op)})"]
    lines += stream_overloads(op, is_async=True)
    returns = f"Result[{value} | {stream_type(op, qualify=True, is_async=True)}, {ERROR}]"
    lines += ["", "", f"async def {op.function}_async({parameters(op)}) -> {returns}:"]
    lines += [f'    """The async twin of ``{op.function}``: same arguments; a stream is an ``AsyncStream``."""']
    lines += [f"    return await call_async({call_arguments(op)})"]
    return lines


def download_functions(op: Op) -> list[str]:
    """The download function (a ``BinaryResponse``) and its async twin (an ``AsyncBinaryResponse``)."""
    returns = f"Result[{response_type(op)}, {ERROR}]"
    lines = ["", "", f"def {op.function}({parameters(op)}) -> {returns}:", *function_doc(op)]
    lines += [f"    return call({call_arguments(op)})"]
    returns = f"Result[{response_type(op, is_async=True)}, {ERROR}]"
    lines += ["", "", f"async def {op.function}_async({parameters(op)}) -> {returns}:"]
    doc = f"The async twin of ``{op.function}``: same arguments; the body is an ``AsyncBinaryResponse``."
    if len(doc) > text.LINE_LENGTH - 10:
        doc = f"The async twin of ``{op.function}``: the body is an ``AsyncBinaryResponse``."
    lines += text.docstring(4, doc)
    lines += [f"    return await call_async({call_arguments(op)})"]
    return lines


def pages_doc(op: Op) -> list[str]:
    """The docstring of ``<function>_pages``: what it yields, and how it finds the next page."""
    assert op.pages is not None
    head = f"Every page of ``{op.function}``, one ``Result`` each."
    if op.pages.kind == "cursor":
        rule = "The next request sends the answer's ``cursor``; there is none after a blank cursor or an empty page."
    else:
        rule = (
            "The next request's ``offset`` is this one's plus the number of ``data`` items; there is none after a "
            f"page shorter than ``limit`` (default {op.pages.default_limit})"
        )
        rule += f", nor past ``offset`` {op.pages.max_offset}." if op.pages.max_offset is not None else "."
    ending = "Iteration ends after the last page or after the first ``Err``. " + rule
    body = ["", *text.wrap(ending, text.LINE_LENGTH - 4), "", f"Takes the arguments of ``{op.function}``."]
    return text.docstring(4, head, body)


def page_functions(op: Op) -> list[str]:
    """``<function>_pages`` (an iterator of results) and ``<function>_pages_async`` (an async one)."""
    value = f"Result[{response_type(op, qualify=True)}, {ERROR}]"
    name = f"{op.function}_pages"
    lines = ["", "", f"def {name}({parameters(op)}) -> Iterator[{value}]:", *pages_doc(op)]
    lines += [f"    return pages({call_arguments(op)})"]
    lines += ["", "", f"def {name}_async({parameters(op)}) -> AsyncIterator[{value}]:"]
    lines += [f'    """The async twin of ``{name}``: an async iterator (``async for``)."""']
    lines += [f"    return pages_async({call_arguments(op)})"]
    return lines


def render(op: Op) -> str:
    """The source of ``openrouter_funcs/<function>.py``: the ``Operation`` and its functions."""
    lines = [*module_head(op), "", *operation_literal(op)]
    if op.stream:
        lines += stream_functions(op)
    elif op.download:
        lines += download_functions(op)
    else:
        lines += json_functions(op)
    if op.pages:
        lines += page_functions(op)
    return "\n".join(lines) + "\n"
