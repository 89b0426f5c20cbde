"""The operation descriptor and the one entry point every operation module calls.

An operation module (generated) declares one ``Operation`` and two thin functions::

    OPERATION = Operation("getCredits", "GET", "/credits", request=..., responses={200: ("json", ...)})

    def credits_get_credits(core, request=None, options=None):
        return call(core, OPERATION, request, options)

Model references are strings (``"ops.credits_get_credits:GetCreditsResponse"``, relative to
``openrouter_funcs.models``), resolved on first call: importing an operation loads no model.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, ParamSpec, TypeVar, overload

from openrouter_core._result import Err

if TYPE_CHECKING:
    from openrouter_core._core import OpenRouterCore
    from openrouter_core._downloads import (
        AsyncBinaryResponse,
        AsyncRaisingBinaryResponse,
        BinaryResponse,
        RaisingBinaryResponse,
    )
    from openrouter_core._errors import OpenRouterSDKError
    from openrouter_core._options import RequestOptions
    from openrouter_core._prepare import Plan
    from openrouter_core._result import Ok
    from openrouter_core._streams import AsyncRaisingStream, AsyncStream, RaisingStream, Stream

__all__ = [
    "Operation",
    "Pages",
    "StreamSpec",
    "async_twin",
    "call",
    "call_async",
    "pages",
    "pages_async",
    "unwrap",
    "unwrap_pages",
    "unwrap_pages_async",
]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
F = TypeVar("F")

Encoding = Literal["json", "sse", "binary", "text", "empty"]
Security = Literal["api_key", "bearer", "bearer_or_api_key", "none"]
BodyKind = Literal["json", "multipart"]

MODELS_PACKAGE = "openrouter_funcs.models"


class StreamSpec(NamedTuple):
    """How an operation streams: the body field that asks for it, one event's model, the end marker.

    Attributes:
        field: the request body field that selects an SSE answer (``"stream"``).
        event_model: ``"module:Name"`` of one event's data.
        sentinel: the data of the last event (``"[DONE]"``), or ``None`` when the stream just ends.
        assemble: ``"module:function"`` building the non-streaming result from the events, or ``None``.
    """

    field: str
    event_model: str
    sentinel: str | None = "[DONE]"
    assemble: str | None = None


class Pages(NamedTuple):
    """How an operation pages: ``"offset"`` (offset + limit) or ``"cursor"``; results are in ``data``.

    Attributes:
        kind: ``"offset"`` or ``"cursor"``.
        default_limit: the page size the server uses when ``limit`` is not given.
        max_offset: the largest offset the server accepts, when it has one.
    """

    kind: Literal["offset", "cursor"]
    default_limit: int | None = None
    max_offset: int | None = None


class Operation:
    """Everything one API operation is, as data.

    Args:
        id: the operationId (``"getCredits"``).
        method: the HTTP method.
        path: the path template, relative to the server URL (``"/keys/{hash}"``).
        request: the request model, ``"module:Class"`` under ``openrouter_funcs.models``.
        body: how the body fields are sent: ``"json"``, ``"multipart"``, or ``None`` (no body).
        path_params: wire names of the path parameters, in template order.
        query: wire names of the query parameters.
        headers: ``(field name, header name)`` of each header parameter.
        responses: success status -> ``(encoding, "module:Class" or None)``.
        errors: the documented error statuses.
        security: ``"api_key"`` (the core's key), ``"bearer"`` (a per-call ``security`` argument),
            ``"bearer_or_api_key"`` (per call, falling back to the core's key) or ``"none"``.
        idempotent: safe to re-send after any failure; by default, from the method (GET, PUT, DELETE).
        deprecated: the deprecation message, when the operation is deprecated.
        management_key: the operation needs a management key (documentation only).
        stream: how the operation streams (``StreamSpec``) when the request asks for it.
        pagination: how the operation pages (``Pages``).
        error_model: the operation's own error body model, when it is not OpenRouter's
            ``{"error": {...}}`` (``createMessages`` answers Anthropic-style errors).
    """

    __slots__ = (
        "_resolved",
        "_shapes",
        "body",
        "deprecated",
        "error_model",
        "errors",
        "headers",
        "id",
        "idempotent",
        "management_key",
        "method",
        "pagination",
        "path",
        "path_params",
        "query",
        "request",
        "responses",
        "security",
        "stream",
    )

    def __init__(
        self,
        id: str,
        method: str,
        path: str,
        *,
        request: str | type,
        body: BodyKind | None = None,
        path_params: tuple[str, ...] = (),
        query: tuple[str, ...] = (),
        headers: tuple[tuple[str, str], ...] = (),
        responses: Mapping[int, tuple[Encoding, str | None]],
        errors: tuple[int, ...] = (),
        security: Security = "api_key",
        idempotent: bool | None = None,
        deprecated: str | None = None,
        management_key: bool = False,
        stream: StreamSpec | None = None,
        pagination: Pages | None = None,
        error_model: str | None = None,
    ) -> None:
        self.id = id
        self.method = method
        self.path = path
        self.request = request
        self.body = body
        self.path_params = path_params
        self.query = query
        self.headers = headers
        self.responses = dict(responses)
        self.errors = errors
        self.security = security
        # GET, PUT and DELETE may be re-sent after any failure; POST and PATCH only where it is safe.
        self.idempotent = method in ("GET", "HEAD", "PUT", "DELETE", "OPTIONS") if idempotent is None else idempotent
        self.deprecated = deprecated
        self.management_key = management_key
        self.stream = stream
        self.pagination = pagination
        self.error_model = error_model
        self._resolved: Any = None
        self._shapes: dict[bool, Any] = {}  # streaming or not -> what prepare works out once (see _prepare)

    def __repr__(self) -> str:
        return f"Operation({self.id!r}, {self.method} {self.path})"

    def request_model(self) -> Any:
        """The request model class, imported on first use."""
        if self._resolved is None:
            from openrouter_core._prepare import model_class

            self._resolved = model_class(self.request)
        return self._resolved


class _Runtime(NamedTuple):
    core_class: Any
    prepare: Any
    call_flow: Any
    run_sync: Any
    run_async: Any


@functools.cache
def _runtime() -> _Runtime:
    """The runtime a call needs, imported on the first call (importing an operation stays cheap)."""
    from openrouter_core._core import OpenRouterCore
    from openrouter_core._drivers import run_async, run_sync
    from openrouter_core._flow import call_flow
    from openrouter_core._prepare import prepare

    return _Runtime(OpenRouterCore, prepare, call_flow, run_sync, run_async)


def _check_core(core: object, core_class: type) -> Err[OpenRouterSDKError] | None:
    if isinstance(core, core_class):
        if core.closed:  # type: ignore[attr-defined]
            from openrouter_core._errors import InvalidRequestError

            return Err(InvalidRequestError("the core is closed; create a new OpenRouterCore"))
        return None
    from openrouter_core._errors import SDKValidationError

    return Err(
        SDKValidationError("core", f"expected an OpenRouterCore or OpenRouter client, got {type(core).__name__}")
    )


_OWN_PACKAGES = ("openrouter_core", "openrouter_funcs", "openrouter")


def _package_dirs() -> tuple[str, ...]:
    import os
    import sys

    dirs = []
    for name in _OWN_PACKAGES:
        module = sys.modules.get(name)
        if module is not None and module.__file__:
            dirs.append(os.path.dirname(module.__file__) + os.sep)
    return tuple(dirs)


def warn_deprecated(message: str) -> None:
    """A ``DeprecationWarning`` attributed to the caller's own line, however deep in the SDK it is raised."""
    import sys
    import warnings

    if sys.version_info >= (3, 12):
        warnings.warn(message, DeprecationWarning, skip_file_prefixes=_package_dirs())  # type: ignore[call-arg]
        return
    # Before 3.12: count the SDK's own frames by module name (not file path) to find the caller.
    level, frame = 2, sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] in _OWN_PACKAGES:
        level, frame = level + 1, frame.f_back  # type: ignore[assignment]
    warnings.warn(message, DeprecationWarning, stacklevel=level)


def _planned(
    core: OpenRouterCore,
    operation: Operation,
    request: object,
    options: object,
    security: object,
    *,
    asynchronous: bool,
) -> Plan | Err[OpenRouterSDKError]:
    """What ``call`` and ``call_async`` share: the deprecation warning, the core's check, the plan."""
    if operation.deprecated:
        warn_deprecated(operation.deprecated)
    runtime = _runtime()
    failed = _check_core(core, runtime.core_class)
    if failed is not None:
        return failed
    plan = runtime.prepare(core, operation, request, options, security)
    if not isinstance(plan, Err):
        plan.asynchronous = asynchronous  # what it hands over open (a stream, a download) is of this kind
    return plan  # type: ignore[no-any-return]


def call(
    core: OpenRouterCore,
    operation: Operation,
    request: object,
    options: RequestOptions | None,
    *,
    security: object = None,
) -> Ok[Any] | Err[OpenRouterSDKError]:
    """Run ``operation`` with blocking I/O: its ``Result``, never an exception for API, transport or input failures."""
    plan = _planned(core, operation, request, options, security, asynchronous=False)
    if isinstance(plan, Err):
        return plan
    runtime = _runtime()
    handle = core._sync()
    return runtime.run_sync(runtime.call_flow(core, plan, handle), handle.client, core.clock)  # type: ignore[no-any-return]


async def call_async(
    core: OpenRouterCore,
    operation: Operation,
    request: object,
    options: RequestOptions | None,
    *,
    security: object = None,
) -> Ok[Any] | Err[OpenRouterSDKError]:
    """The async twin of ``call``."""
    plan = _planned(core, operation, request, options, security, asynchronous=True)
    if isinstance(plan, Err):
        return plan
    runtime = _runtime()
    handle = core._async()
    return await runtime.run_async(runtime.call_flow(core, plan, handle), handle.client, core.clock)  # type: ignore[no-any-return]


def async_twin(function: Callable[P, R], operation: Operation) -> Callable[P, Coroutine[Any, Any, R]]:
    """The ``_async`` twin of an operation's function: the same parameters, awaited.

    Generated modules write their sync function and get the twin from here, typed from it (a type
    checker sees the same parameters), named ``<function>_async``.
    """
    if operation.security in ("bearer", "bearer_or_api_key"):

        async def twin_with_security(
            core: OpenRouterCore, security: object, request: object, options: RequestOptions | None = None
        ) -> Ok[Any] | Err[OpenRouterSDKError]:
            return await call_async(core, operation, request, options, security=security)

        twin: Callable[..., Coroutine[Any, Any, Any]] = twin_with_security
    else:

        async def twin_without_security(
            core: OpenRouterCore, request: object = None, options: RequestOptions | None = None
        ) -> Ok[Any] | Err[OpenRouterSDKError]:
            return await call_async(core, operation, request, options)

        twin = twin_without_security
    name = function.__name__ + "_async"
    twin.__name__, twin.__qualname__, twin.__module__ = name, name, function.__module__
    twin.__doc__ = f"The async twin of ``{function.__name__}``: same arguments, same results (awaited)."
    return twin


# --- pages -----------------------------------------------------------------------------------------


def _request_dict(request: object) -> dict[str, Any] | None:
    """A request as a dict of wire names (a model's fields encoded), so later pages can change it."""
    if request is None:
        return {}
    if isinstance(request, Mapping):
        return dict(request)
    if hasattr(type(request), "__attrs_attrs__"):
        from openrouter_core._serde import to_json

        encoded: dict[str, Any] = to_json(request)
        return encoded
    return None  # not a request at all: the first call reports it


def _next_request(operation: Operation, request: dict[str, Any], page: object, seen: set[str]) -> dict[str, Any] | None:
    """The request for the page after ``page``, or ``None`` after the last one (never sent)."""
    spec = operation.pagination
    data = getattr(page, "data", None)
    if spec is None or not isinstance(data, list) or not data:
        return None
    if spec.kind == "cursor":
        cursor = getattr(page, "cursor", None)
        if not isinstance(cursor, str) or not cursor.strip() or cursor in seen:
            return None
        seen.add(cursor)
        return {**request, "cursor": cursor}
    limit = request.get("limit") or spec.default_limit
    if isinstance(limit, int) and len(data) < limit:
        return None
    offset = (request.get("offset") or 0) + len(data)
    if spec.max_offset is not None and offset > spec.max_offset:
        return None
    return {**request, "offset": offset}


def pages(
    core: OpenRouterCore,
    operation: Operation,
    request: object,
    options: RequestOptions | None,
    *,
    security: object = None,
) -> Iterator[Ok[Any] | Err[OpenRouterSDKError]]:
    """One ``Result`` per page, following the operation's pagination; stops after the last page or the first ``Err``."""
    current = _request_dict(request)
    seen: set[str] = set()
    while True:
        result = call(core, operation, current if current is not None else request, options, security=security)
        yield result
        if not result.ok or current is None:
            return
        following = _next_request(operation, current, result.value, seen)
        if following is None:
            return
        current = following


async def pages_async(
    core: OpenRouterCore,
    operation: Operation,
    request: object,
    options: RequestOptions | None,
    *,
    security: object = None,
) -> AsyncIterator[Ok[Any] | Err[OpenRouterSDKError]]:
    """The async twin of ``pages``."""
    current = _request_dict(request)
    seen: set[str] = set()
    while True:
        result = await call_async(
            core, operation, current if current is not None else request, options, security=security
        )
        yield result
        if not result.ok or current is None:
            return
        following = _next_request(operation, current, result.value, seen)
        if following is None:
            return
        current = following


# --- the facade's helpers -------------------------------------------------------------------------


# The overloads overlap on the Err half of each Result; they are tried in order, most specific first.
@overload
def unwrap(result: Ok[Stream[T, F]] | Err[OpenRouterSDKError]) -> RaisingStream[T, F]: ...  # type: ignore[overload-overlap]
@overload
def unwrap(result: Ok[AsyncStream[T, F]] | Err[OpenRouterSDKError]) -> AsyncRaisingStream[T, F]: ...  # type: ignore[overload-overlap]
@overload
def unwrap(result: Ok[BinaryResponse] | Err[OpenRouterSDKError]) -> RaisingBinaryResponse: ...  # type: ignore[overload-overlap]
@overload
def unwrap(result: Ok[AsyncBinaryResponse] | Err[OpenRouterSDKError]) -> AsyncRaisingBinaryResponse: ...
@overload
def unwrap(result: Ok[T] | Err[OpenRouterSDKError]) -> T: ...
def unwrap(result: Ok[Any] | Err[OpenRouterSDKError]) -> Any:
    """The value of ``result`` (raising its error); a stream or a download becomes its raising variant."""
    value = result.unwrap()
    raising = getattr(value, "raising", None)
    return raising() if callable(raising) else value


def unwrap_pages(results: Iterator[Ok[T] | Err[OpenRouterSDKError]]) -> Iterator[T]:
    """The pages' values, raising the first error."""
    for result in results:
        yield result.unwrap()


async def unwrap_pages_async(results: AsyncIterator[Ok[T] | Err[OpenRouterSDKError]]) -> AsyncIterator[T]:
    """The async twin of ``unwrap_pages``."""
    async for result in results:
        yield result.unwrap()
