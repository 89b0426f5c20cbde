"""From a caller's request to a ``Plan``: everything about one call that needs no I/O.

A request is a mapping with wire names or the operation's request model; both take one path:
checked by the request converter (unknown keys, types, enums, constraints; every failure with its
path), then encoded: path parameters percent-encoded, query parameters form-encoded with ``None``
left out, header parameters, the app headers, and a JSON body (``None``/absent/``null`` kept
apart by the models) or a multipart body.
"""

from __future__ import annotations

import importlib
import urllib.parse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from openrouter_core import _errors as errors
from openrouter_core._config import header_problem
from openrouter_core._network import ACCEPT_ENCODING
from openrouter_core._options import NO_OPTIONS, NOT_GIVEN, RequestOptions
from openrouter_core._result import Err
from openrouter_core._retries import (
    DEFAULT_IDEMPOTENT_RETRIES,
    DEFAULT_RETRY_CODE_SET,
    NO_RETRIES,
    RetryConfig,
    RetryPolicy,
)
from openrouter_core._serde import Invalid, encode_json, validate_request

if TYPE_CHECKING:
    from openrouter_core._core import APIKey, OpenRouterCore
    from openrouter_core._operation import Operation

__all__ = ["Plan", "prepare"]

APP_HEADERS = (
    ("http_referer", "http-referer"),
    ("app_title", "x-openrouter-title"),
    ("app_categories", "x-openrouter-categories"),
)
_ACCEPT = {"json": "application/json", "sse": "text/event-stream", "text": "*/*", "binary": "*/*", "empty": "*/*"}
MODELS_PACKAGE = "openrouter_funcs.models"


class Plan:
    """One validated call, ready to run: what to send, how to authenticate, retry and match."""

    __slots__ = (
        "asynchronous",
        "base_url",
        "content",
        "env_fallback",
        "extensions",
        "headers",
        "key_field",
        "key_is_header",
        "key_source",
        "limit",
        "max_redirects",
        "method",
        "needs_key",
        "open_statuses",
        "operation",
        "retry",
        "success",
        "timeout_s",
        "url",
    )

    operation: Operation
    method: str
    url: str
    base_url: str
    headers: dict[str, str]
    content: Any
    key_source: APIKey | None
    key_field: str
    env_fallback: bool
    key_is_header: bool
    needs_key: bool
    timeout_s: float | None
    retry: RetryPolicy
    limit: int
    max_redirects: int
    extensions: dict[str, Any] | None
    open_statuses: frozenset[int]
    success: dict[int, tuple[str, Any]]
    asynchronous: bool


def model_class(reference: object) -> Any:
    """A model given as a class, or as ``"module:Name"`` relative to ``openrouter_funcs.models``, imported."""
    if not isinstance(reference, str):
        return reference
    found = _MODELS.get(reference)
    if found is None:
        module, _, name = reference.partition(":")
        if module.split(".")[0] not in _ABSOLUTE_ROOTS:
            module = f"{MODELS_PACKAGE}.{module}"
        found = _MODELS[reference] = getattr(importlib.import_module(module), name)
    return found


_MODELS: dict[str, Any] = {}  # "module:Name" -> the class, once imported


_ABSOLUTE_ROOTS = frozenset({"openrouter_funcs", "openrouter_core", "openrouter", "tests"})


class Rejected(Exception):
    """Raised inside preparation when caller input is invalid; ``prepare`` turns it into one ``Err``."""

    def __init__(self, failures: list[tuple[str, str]]) -> None:
        super().__init__(failures)
        self.failures = failures


def _validation_error(failures: list[tuple[str, str]]) -> Err[errors.SDKValidationError]:
    field, reason = failures[0]
    return Err(errors.SDKValidationError(field, reason, errors=failures))


def _wire(operation: Operation, request: object) -> dict[str, Any]:
    model = operation.request_model()
    if request is None:
        request = {}
    elif not isinstance(request, Mapping) and not _is_model(request):
        raise Rejected([("request", f"expected {model.__name__} or a dict, got {type(request).__name__}")])
    try:
        wire: dict[str, Any] = validate_request(model, request)
    except Invalid as exc:
        raise Rejected(exc.failures) from None
    return wire


def _is_model(value: object) -> bool:
    return hasattr(type(value), "__attrs_attrs__")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _url(base_url: str, operation: Operation, wire: dict[str, Any]) -> str:
    if not operation.path_params and not operation.query:
        return base_url + operation.path
    path = operation.path
    for name in operation.path_params:
        value = wire.pop(name, None)
        text = "" if value is None else _scalar(value)
        if not text:
            raise Rejected([(f"request.{name}", "is required and may not be empty")])
        path = path.replace("{" + name + "}", urllib.parse.quote(text, safe=""))
    pairs = [(name, _scalar(wire.pop(name))) for name in operation.query if wire.get(name) is not None]
    for name in operation.query:
        wire.pop(name, None)
    query = f"?{urllib.parse.urlencode(pairs)}" if pairs else ""
    return base_url + path + query


def _headers(core: OpenRouterCore, shape: _Shape, wire: dict[str, Any]) -> dict[str, str]:
    # The SDK decodes bodies itself, bounded at every layer, so it asks only for what it decodes.
    headers = {"accept": shape.accept, "accept-encoding": ACCEPT_ENCODING, **core.app_headers}
    fields = shape.header_fields
    failures = []
    for field, header in fields:
        value = wire.pop(field, None)
        if value is None:
            continue
        text = ",".join(value) if isinstance(value, list) else _scalar(value)
        problem = header_problem(text)
        if problem:
            failures.append((f"request.{field}", f"cannot be sent as a header: it {problem}"))
        elif text:
            headers[header] = text
        else:
            headers.pop(header, None)  # an explicit "" means: do not send it on this call
    if failures:
        raise Rejected(failures)
    return headers


def _body(operation: Operation, wire: dict[str, Any], opts: RequestOptions) -> Any:

    extra = {} if opts.extra_body is NOT_GIVEN else dict(opts.extra_body)
    if operation.body is None:
        if extra:
            raise Rejected([("options.extra_body", "this operation has no JSON body")])
        return None
    if operation.body == "multipart":
        from openrouter_core._multipart import MultipartBody

        if extra:
            raise Rejected([("options.extra_body", "a multipart body takes no extra JSON fields")])
        try:
            return MultipartBody.of(wire)
        except (TypeError, OSError) as exc:  # a file that is not a file, or a path that cannot be read
            field, _, reason = str(exc).partition(": ")
            raise Rejected([(f"request.{field}", reason or str(exc))]) from None
    try:
        return encode_json({**wire, **extra} if extra else wire)
    except (ValueError, TypeError) as exc:  # NaN in extra_body, or something that is not JSON
        raise Rejected([("options.extra_body", f"cannot be sent as JSON ({exc})")]) from None


def _bearer(security: object) -> str | None:
    """``security.bearer`` from a mapping or a security model."""
    if isinstance(security, Mapping):
        unknown = set(security) - {"bearer"}
        if unknown:
            raise Rejected([(f"security.{sorted(unknown)[0]}", "unknown field; expected 'bearer'")])
        bearer = security.get("bearer")
    elif security is None:
        bearer = None
    elif hasattr(security, "bearer"):
        bearer = security.bearer
    else:
        expected = f"expected {{'bearer': ...}}, a security model or None, got {type(security).__name__}"
        raise Rejected([("security", expected)])
    if bearer is not None and not isinstance(bearer, str):
        raise Rejected([("security.bearer", f"expected a string, got {type(bearer).__name__}")])
    return bearer or None


def _security(core: OpenRouterCore, operation: Operation, security: object) -> tuple[APIKey | None, str, bool]:
    """The key source, the field to name when it is missing, and whether the environment may supply it."""
    kind = operation.security
    if kind == "bearer":  # its own credentials only
        return _bearer(security), "security.bearer", False
    if kind == "bearer_or_api_key":
        bearer = _bearer(security)
        return (bearer or core.api_key_source), "security.bearer", bearer is None
    if security is not None:
        raise Rejected([("security", "this operation takes no security argument")])
    return core.api_key_source, "api_key", True


def _retry_policy(core: OpenRouterCore, operation: Operation, opts: RequestOptions) -> RetryPolicy:
    chosen = opts.retries if opts.retries is not NOT_GIVEN else core.retry_config
    if chosen is NOT_GIVEN:
        # Calls with side effects are never retried unless the caller asks for it.
        config = DEFAULT_IDEMPOTENT_RETRIES if operation.idempotent else NO_RETRIES
    else:
        config = NO_RETRIES if chosen is None else chosen
    assert isinstance(config, RetryConfig)  # noqa: S101 - RequestOptions and the core checked it
    if opts.retry_codes is not NOT_GIVEN:
        return RetryPolicy(config, opts.retry_codes, operation.idempotent)  # type: ignore[arg-type]
    key = (id(config), operation.idempotent)
    found = _POLICIES.get(key)
    if found is None or found[0] is not config:
        if len(_POLICIES) > 64:  # configs built per call would otherwise pile up
            _POLICIES.clear()
        found = _POLICIES[key] = (config, RetryPolicy(config, DEFAULT_RETRY_CODE_SET, operation.idempotent))
    return found[1]


# (id of a RetryConfig, idempotent) -> (that config, its policy): a RetryPolicy holds no per-call state.
_POLICIES: dict[tuple[int, bool], tuple[RetryConfig, RetryPolicy]] = {}


class _Shape(NamedTuple):
    """What ``prepare`` works out once per operation (and per streaming or not), not once per call."""

    success: dict[int, tuple[str, Any]]  # status -> (encoding, model); read-only
    accept: str
    open_statuses: frozenset[int]  # statuses whose body is handed over open (a stream, a download)
    header_fields: tuple[tuple[str, str], ...]  # request field -> header name


def _shape(operation: Operation, wire: dict[str, Any]) -> _Shape:
    stream = operation.stream
    streaming = stream is not None and wire.get(stream.field) is True
    found: _Shape | None = operation._shapes.get(streaming)
    if found is None:
        success: dict[int, tuple[str, Any]] = (
            dict.fromkeys(operation.responses, ("sse", stream)) if streaming else dict(operation.responses)
        )
        encodings = {encoding for encoding, _ in success.values()}
        found = operation._shapes[streaming] = _Shape(
            success,
            _ACCEPT[min(encodings)] if len(encodings) == 1 else "application/json",
            frozenset(status for status, (encoding, _) in success.items() if encoding in ("sse", "binary")),
            (*APP_HEADERS, *((field, header.lower()) for field, header in operation.headers)),
        )
    return found


def prepare(
    core: OpenRouterCore, operation: Operation, request: object, options: object, security: object
) -> Plan | Err[errors.SDKValidationError]:
    """Check and encode one call. Sends nothing."""
    try:
        return _plan(core, operation, request, options, security)
    except Rejected as rejected:
        return _validation_error(rejected.failures)


def _plan(core: OpenRouterCore, operation: Operation, request: object, options: object, security: object) -> Plan:
    if options is not None and not isinstance(options, RequestOptions):
        raise Rejected([("options", f"expected RequestOptions, got {type(options).__name__}")])
    opts = options or NO_OPTIONS
    wire = _wire(operation, request)
    shape = _shape(operation, wire)
    base_url = core.server_url if opts.server_url is NOT_GIVEN else opts.server_url
    url = _url(base_url, operation, wire)
    headers = _headers(core, shape, wire)
    content = _body(operation, wire, opts)
    if isinstance(content, bytes):
        headers["content-type"] = "application/json"
    elif content is not None:
        headers["content-type"] = content.content_type
        length = content.content_length()
        if length is not None:
            headers["content-length"] = str(length)
    key_source, key_field, env_fallback = _security(core, operation, security)
    key_is_header = False
    if opts.headers is not NOT_GIVEN:
        extra_headers = dict(opts.headers)
        authorization = extra_headers.pop("authorization", None)
        if authorization is not None:  # the caller's own credentials for this call: sent verbatim
            key_source, key_field, env_fallback = authorization, "options.headers['authorization']", False
            key_is_header = True
        headers.update(extra_headers)
    headers["user-agent"] = core.user_agent
    plan = Plan()
    plan.operation = operation
    plan.method = operation.method
    plan.url = url
    plan.base_url = base_url
    plan.headers = headers
    plan.content = content
    plan.key_source = key_source
    plan.key_field = key_field
    plan.env_fallback = env_fallback
    plan.key_is_header = key_is_header
    plan.needs_key = operation.security != "none" or key_is_header
    plan.timeout_s = _timeout_s(core, opts)
    plan.retry = _retry_policy(core, operation, opts)
    plan.limit = core.max_response_bytes if opts.max_response_bytes is NOT_GIVEN else opts.max_response_bytes
    plan.max_redirects = _max_redirects(operation, opts)
    plan.extensions = None if opts.extensions is NOT_GIVEN else dict(opts.extensions)
    plan.open_statuses = shape.open_statuses
    plan.success = shape.success
    plan.asynchronous = False
    return plan


def _timeout_s(core: OpenRouterCore, opts: RequestOptions) -> float | Any | None:
    """Per call > the core's ``timeout_ms`` > (resolved by the client handle) the client's own > 60 s."""
    chosen = opts.timeout_ms if opts.timeout_ms is not NOT_GIVEN else core.timeout_ms
    if chosen is NOT_GIVEN or chosen is None:
        return chosen
    return chosen / 1000.0


def _max_redirects(operation: Operation, opts: RequestOptions) -> int:
    if opts.follow_redirects is NOT_GIVEN or not opts.follow_redirects:
        return 0
    # A request with side effects follows one redirect at most: a loop must not re-send it.
    return 20 if operation.idempotent else 1
