"""One call, from validated input to ``Result``, written once for sync and async.

``prepare`` checks the caller's options and fixes everything that does not need I/O.
``call_flow`` is a generator: it yields the I/O it needs (resolve the key, run a hook, send,
sleep) as small action objects and receives their results, so the retry loop, the hooks, the
logging and the response matching exist once. ``_transport`` holds the two drivers that
perform those actions, one blocking and one async.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs
import httpx

from openrouter_core import _errors as errors
from openrouter_core._core import (
    check_max_response_bytes,
    check_timeout_ms,
    header_problem,
    join_categories,
    normalize_server_url,
)
from openrouter_core._logging import log_attempt, redact
from openrouter_core._options import NOT_GIVEN, NotGiven, RequestOptions
from openrouter_core._result import Err, HTTPExchange, Ok
from openrouter_core._retries import (
    DEFAULT_IDEMPOTENT_RETRIES,
    DEFAULT_RETRY_CODE_SET,
    NO_RETRIES,
    SAFE_TO_RESEND_STATUSES,
    RetryCodes,
    RetryConfig,
    backoff_wait_ms,
    retry_after_ms,
)
from openrouter_core._serde import DecodeFailure, decode

if TYPE_CHECKING:
    from openrouter_core._core import APIKey, OpenRouterCore
    from openrouter_core._models import AppHeaders

T = TypeVar("T")
AppHeadersT = TypeVar("AppHeadersT", bound="AppHeaders")

AnyResult = Ok[Any] | Err[errors.OpenRouterSDKError]


@attrs.frozen
class Operation(Generic[T]):
    """The fixed facts of one API operation."""

    operation_id: str
    method: str
    path: str
    response_type: type[T]
    idempotent: bool
    success_status: int = 200


@attrs.define(slots=True)
class Call(Generic[T]):
    """One validated call, ready to run."""

    operation: Operation[T]
    key_source: APIKey | None
    key_field: str
    env_fallback: bool
    key_is_header: bool  # a per-call Authorization header: sent exactly as given
    headers: dict[str, str]
    content: bytes | None
    base_url: str
    url: str
    timeout_s: float | None
    retry: RetryConfig
    retry_codes: RetryCodes
    max_response_bytes: int
    follow_redirects: bool
    extensions: Mapping[str, Any] | None


# --- actions: what the flow asks its driver to do -------------------------------------------


# Plain slotted classes, not attrs: they are internal, and each attrs class costs import time.


class ResolveKey:
    """Call the ``api_key`` callable (awaiting it under async)."""

    __slots__ = ("source",)

    def __init__(self, source: Callable[[], Any]) -> None:
        self.source = source


class RunHook:
    """Run one hook (awaiting it under async when it returns an awaitable)."""

    __slots__ = ("args", "hook")

    def __init__(self, hook: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.hook = hook
        self.args = args


class Send:
    """Send a request and read its body, giving up past ``limit`` bytes or ``deadline``."""

    __slots__ = ("deadline", "follow_redirects", "limit", "request")

    def __init__(self, request: httpx.Request, limit: int, deadline: float | None, follow_redirects: bool) -> None:
        self.request = request
        self.limit = limit
        self.deadline = deadline
        self.follow_redirects = follow_redirects


class Sleep:
    """Wait before the next attempt."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


Action = ResolveKey | RunHook | Send | Sleep
Flow = Generator[Action, Any, AnyResult]


class BodyFailed(Exception):
    """Raised by a driver when a response arrived but its body could not be read whole."""

    def __init__(self, response: httpx.Response, cause: Exception | None) -> None:
        super().__init__("response body could not be read")
        self.response = response
        self.cause = cause  # None: the size limit was passed


class AsyncCallableInSyncCall(TypeError):
    """Raised by the sync driver when a hook or key callable returns an awaitable."""


class TransportCancelled(Exception):
    """Raised by the async driver when the request was cancelled but the calling task was not."""


class AttemptDeadlineExceeded(Exception):
    """Raised by a driver when an attempt's body is still arriving at its deadline."""


# --- preparation (pure) ------------------------------------------------------------------------


def _app_headers(core: OpenRouterCore, app: AppHeaders | None) -> dict[str, str] | Err[errors.SDKValidationError]:
    headers = dict(core.app_headers)
    if app is None:
        return headers
    given = {
        "http-referer": ("request.http_referer", app.http_referer),
        "x-openrouter-title": ("request.app_title", app.app_title),
        "x-openrouter-categories": ("request.app_categories", join_categories(app.app_categories)),
    }
    for name, (field, value) in given.items():
        if value is None:
            continue
        if not isinstance(value, str):
            return Err(errors.SDKValidationError(field, f"expected a string, got {type(value).__name__}"))
        problem = header_problem(value)
        if problem:
            return Err(errors.SDKValidationError(field, problem))
        if value:
            headers[name] = value
        else:
            headers.pop(name, None)  # an explicit "" means: do not send it on this call
    return headers


def prepare(
    core: OpenRouterCore,
    operation: Operation[T],
    *,
    app: AppHeaders | None,
    options: RequestOptions | None,
    content: bytes | None = None,
    key_source: APIKey | NotGiven | None = NOT_GIVEN,
    key_field: str = "api_key",
) -> Call[T] | Err[errors.SDKValidationError]:
    """Check options and fix the URL, headers, timeout and retry policy of one call. Sends nothing."""
    if options is not None and not isinstance(options, RequestOptions):
        return Err(errors.SDKValidationError("options", f"expected RequestOptions, got {type(options).__name__}"))
    opts = options or _NO_OPTIONS
    if opts.retries is not NOT_GIVEN and opts.retries is not None and not isinstance(opts.retries, RetryConfig):
        return Err(errors.SDKValidationError("options.retries", "expected a RetryConfig, or None to disable retries"))
    app_headers = _app_headers(core, app)
    if isinstance(app_headers, Err):
        return app_headers
    headers = {"accept": "application/json", **app_headers}
    if content is not None:
        headers["content-type"] = "application/json"
    checked: dict[str, Any] = {}
    for field, check in _OPTION_CHECKS:
        value = getattr(opts, field)
        if value is not NOT_GIVEN:
            try:
                checked[field] = check(value)
            except ValueError as exc:
                return Err(errors.SDKValidationError(f"options.{field}", str(exc)))
    base_url = checked.get("server_url", core.server_url)
    timeout_ms = checked.get("timeout_ms", core.timeout_ms)
    limit = checked.get("max_response_bytes", core.max_response_bytes)
    retry_codes = checked.get("retry_codes", DEFAULT_RETRY_CODE_SET)
    env_fallback = key_source is NOT_GIVEN or key_source is None or key_source == ""
    key_is_header = False
    source: APIKey | None = core.api_key_source if env_fallback else key_source  # type: ignore[assignment]
    if opts.headers is not NOT_GIVEN:
        for name, value in opts.headers.items():
            field = f"options.headers[{name!r}]"
            if not isinstance(name, str) or not isinstance(value, str):
                return Err(errors.SDKValidationError(field, "header names and values must be strings"))
            lower = name.lower()
            if lower in ("user-agent", "cookie"):
                return Err(errors.SDKValidationError(field, f"{name} cannot be set per call"))
            problem = header_problem(name) or header_problem(value)
            if problem:
                return Err(errors.SDKValidationError(field, problem))
            if lower == "authorization":
                # The caller's own credentials for this call; used verbatim and redacted like a key.
                source, key_field, env_fallback, key_is_header = value, field, False, True
            else:
                headers[lower] = value
    headers["user-agent"] = core.user_agent
    return Call(
        operation=operation,
        key_source=source,
        key_field=key_field,
        env_fallback=env_fallback,
        key_is_header=key_is_header,
        headers=headers,
        content=content,
        base_url=base_url,
        url=base_url + operation.path,
        timeout_s=None if timeout_ms is None else timeout_ms / 1000.0,
        retry=_retry_config(core, operation, opts),
        retry_codes=retry_codes,
        max_response_bytes=limit,
        follow_redirects=False if opts.follow_redirects is NOT_GIVEN else bool(opts.follow_redirects),
        extensions=None if opts.extensions is NOT_GIVEN else dict(opts.extensions),
    )


_NO_OPTIONS = RequestOptions()


_OPTION_CHECKS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("server_url", normalize_server_url),
    ("timeout_ms", check_timeout_ms),
    ("max_response_bytes", check_max_response_bytes),
    ("retry_codes", RetryCodes),
)


def _retry_config(core: OpenRouterCore, operation: Operation[Any], opts: RequestOptions) -> RetryConfig:
    chosen = opts.retries if opts.retries is not NOT_GIVEN else core.retry_config
    if chosen is NOT_GIVEN:
        # Calls with side effects are never retried unless the caller asks for it.
        return DEFAULT_IDEMPOTENT_RETRIES if operation.idempotent else NO_RETRIES
    return NO_RETRIES if chosen is None else chosen


# --- the flow ----------------------------------------------------------------------------------


def _missing_key(call: Call[Any]) -> errors.MissingCredentialsError:
    how = "pass api_key to OpenRouterCore/OpenRouter, or set the OPENROUTER_API_KEY environment variable"
    if call.key_field == "security.bearer":
        how = "pass security={'bearer': ...}, or " + how
    return errors.MissingCredentialsError(call.key_field, f"no API key was given; {how}")


def coerce_app_headers(
    value: object, cls: type[AppHeadersT], field: str = "request"
) -> AppHeadersT | Err[errors.SDKValidationError] | None:
    """A request model from ``value``: the model itself, ``None``, or a dict with its field names."""
    if value is None or isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        return Err(errors.SDKValidationError(field, f"expected {cls.__name__} or a dict, got {type(value).__name__}"))
    names = {a.name for a in attrs.fields(cls)}
    unknown = [key for key in value if key not in names]
    if unknown:
        known = ", ".join(sorted(names))
        return Err(errors.SDKValidationError(f"{field}.{unknown[0]}", f"unknown field (known: {known})"))
    try:
        return cls(**value)
    except TypeError as exc:
        return Err(errors.SDKValidationError(field, str(exc)))


def _hook_name(hook: object) -> str:
    return getattr(hook, "__qualname__", None) or type(hook).__qualname__


def _describe_exception(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def call_flow(core: OpenRouterCore, call: Call[T], client: httpx.Client | httpx.AsyncClient) -> Flow:
    """Run ``call`` to a Result, yielding each piece of I/O to the driver."""
    source = call.key_source
    if callable(source):
        try:
            key = yield ResolveKey(source)
        except AsyncCallableInSyncCall:
            return Err(errors.SDKValidationError(call.key_field, "is an async callable; use the _async function"))
        except Exception as exc:  # only the type: the callable's message might quote the key
            error = errors.UnexpectedClientError(f"the {call.key_field} callable raised {type(exc).__name__}")
            error.__cause__ = exc
            return Err(error)
    else:
        key = source
    if key is None and call.env_fallback:
        key = os.environ.get("OPENROUTER_API_KEY")
    if not key:
        return Err(_missing_key(call))
    if not isinstance(key, str):
        return Err(errors.SDKValidationError(call.key_field, f"expected a string key, got {type(key).__name__}"))
    problem = header_problem(key)
    if problem:
        return Err(errors.SDKValidationError(call.key_field, f"the key {problem}"))
    scheme, _, token = key.partition(" ")
    has_scheme = call.key_is_header or scheme.lower() == "bearer"
    # Redact the bare token (which covers the whole value): a server may echo it without its scheme.
    bare = token.strip() if has_scheme else ""
    secrets = (bare or key,)
    # Clients the core created have only httpx's default headers: merge them here once and build
    # the httpx.Request directly. A caller's own client goes through its build_request(), which
    # applies its default headers, cookies and params.
    direct_headers = core.owned_client_headers(client)
    headers = {**(direct_headers or {}), **call.headers}
    headers["authorization"] = key if has_scheme else "Bearer " + key
    operation = call.operation
    hooks = core.hooks
    clock = core.clock
    retry = call.retry
    retrying = retry.strategy == "backoff"
    started = clock.monotonic()
    budget_end = started + retry.backoff.max_elapsed_time / 1000.0 if retrying else None
    attempt = 0
    request: httpx.Request | None = None
    while True:
        attempt += 1
        attempt_start = clock.monotonic()
        timeout_s = call.timeout_s
        if budget_end is not None:
            remaining = max(budget_end - attempt_start, 0.001)
            timeout_s = remaining if timeout_s is None else min(timeout_s, remaining)
        try:
            request = _build_request(client, direct_headers, operation.method, call, headers, timeout_s)
        except Exception as exc:  # httpx refused what we built: an SDK or configuration bug
            return Err(
                errors.InvalidRequestError(f"the request could not be built: {_describe_exception(exc)}"),
                HTTPExchange(None, None, attempt - 1),
            )
        ctx = None
        if hooks.before_request or hooks.after_success or hooks.after_error:
            from openrouter_core._hooks import HookContext

            ctx = HookContext(operation.operation_id, call.base_url, attempt, retry)
        for before in hooks.before_request:
            try:
                request = yield RunHook(before, (ctx, request))
            except Exception as exc:
                return _hook_failed("before_request", before, exc, request, None, attempt)
        deadline = None if timeout_s is None else attempt_start + timeout_s
        response: httpx.Response | None = None
        body = b""
        failure: Exception | None = None
        try:
            response, body = yield Send(request, call.max_response_bytes, deadline, call.follow_redirects)
        except BodyFailed as exc:
            response, failure = exc.response, exc
        except Exception as exc:
            failure = exc
        elapsed_ms = (clock.monotonic() - attempt_start) * 1000.0
        outcome = str(response.status_code) if response is not None else ""
        if failure is not None:
            outcome = f"{outcome} {_describe_exception(failure)}".strip()
        log_attempt(
            request, outcome, elapsed_ms, attempt, debug=core.debug, secrets=secrets, response=response, body=body
        )
        if response is not None and failure is None and response.status_code < 400:
            for on_success in hooks.after_success:
                try:
                    response = yield RunHook(on_success, (ctx, response))
                except Exception as exc:
                    return _hook_failed("after_success", on_success, exc, request, response, attempt)
                body = response.content
        elif hooks.after_error:
            for on_error in hooks.after_error:
                try:
                    replacement = yield RunHook(on_error, (ctx, response, failure))
                except Exception as exc:
                    return _hook_failed("after_error", on_error, exc, request, response, attempt)
                if replacement is not None:
                    response, body, failure = replacement, replacement.content, None
        wait_s = _retry_wait(call, clock, response, failure, attempt, budget_end)
        if wait_s is not None:
            yield Sleep(wait_s)
            continue
        exchange = HTTPExchange(request, response, attempt)
        if failure is not None:
            failed = _failure_error(failure, request, response, timeout_s, secrets, call.max_response_bytes)
            return Err(failed, exchange)
        if response is None:  # unreachable: no failure means Send returned a response
            raise RuntimeError("no response and no failure")
        return _match(operation, request, response, body, exchange, secrets)


_PARSED_URLS: dict[str, httpx.URL] = {}


def _parsed_url(url: str) -> httpx.URL:
    """``httpx.URL(url)``, parsed once per distinct URL (there are few: base URL x operation)."""
    parsed = _PARSED_URLS.get(url)
    if parsed is None:
        if len(_PARSED_URLS) >= 256:  # per-call server_url values could be unbounded
            _PARSED_URLS.clear()
        parsed = _PARSED_URLS[url] = httpx.URL(url)
    return parsed


def _build_request(
    client: httpx.Client | httpx.AsyncClient,
    direct_headers: dict[str, str] | None,
    method: str,
    call: Call[Any],
    headers: dict[str, str],
    timeout_s: float | None,
) -> httpx.Request:
    if direct_headers is None:
        return client.build_request(
            method, call.url, headers=headers, content=call.content, timeout=timeout_s, extensions=call.extensions
        )
    timeout = {"connect": timeout_s, "read": timeout_s, "write": timeout_s, "pool": timeout_s}
    extensions = {"timeout": timeout, **call.extensions} if call.extensions else {"timeout": timeout}
    return httpx.Request(method, _parsed_url(call.url), headers=headers, content=call.content, extensions=extensions)


def _hook_failed(
    kind: str,
    hook: object,
    exc: Exception,
    request: httpx.Request,
    response: httpx.Response | None,
    attempt: int,
) -> Err[errors.UnexpectedClientError]:
    error = errors.UnexpectedClientError(
        f"{kind} hook {_hook_name(hook)} raised {errors.one_line(_describe_exception(exc))}", request=request
    )
    error.__cause__ = exc
    return Err(error, HTTPExchange(request, response, attempt))


# --- retry decision ----------------------------------------------------------------------------

# No response arrived and the request certainly did not reach the server whole: safe to re-send
# even a charge.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteError, httpx.WriteTimeout)
# No (complete) response arrived, but the server may have acted on the request.
_MAYBE_ACTED = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError, AttemptDeadlineExceeded)


def _retry_wait(
    call: Call[Any],
    clock: Any,
    response: httpx.Response | None,
    failure: Exception | None,
    attempt: int,
    budget_end: float | None,
) -> float | None:
    """Seconds to wait before the next attempt, or ``None`` to stop here."""
    retry = call.retry
    if budget_end is None:
        return None
    resend_anything = call.operation.idempotent or retry.retry_non_idempotent
    server_wait_ms: float | None = None
    if failure is None and response is not None:
        status = response.status_code
        if status not in call.retry_codes:
            return None
        if not resend_anything and status not in SAFE_TO_RESEND_STATUSES:
            return None
        server_wait_ms = retry_after_ms(response.headers, clock.time())
    elif isinstance(failure, _NOT_SENT):
        if not retry.retry_connection_errors:
            return None
    elif isinstance(failure, _MAYBE_ACTED):
        if not (retry.retry_connection_errors and resend_anything):
            return None
    else:
        return None
    strategy = retry.backoff
    if server_wait_ms is not None:
        wait_ms = min(server_wait_ms, strategy.max_interval)
    else:
        wait_ms = backoff_wait_ms(strategy, attempt - 1, clock.random())
    wait_s = wait_ms / 1000.0
    if clock.monotonic() + wait_s >= budget_end:
        return None  # the next attempt would start past max_elapsed_time
    return wait_s


# --- outcomes ----------------------------------------------------------------------------------


def _failure_error(
    failure: Exception,
    request: httpx.Request,
    response: httpx.Response | None,
    timeout_s: float | None,
    secrets: tuple[str, ...],
    limit: int,
) -> errors.OpenRouterSDKError:
    where = f"{request.method} {redact(str(request.url), secrets)}"
    if isinstance(failure, BodyFailed):
        response = failure.response
        if failure.cause is None:
            return errors.ResponseTooLargeError(
                f"HTTP {response.status_code} response body is larger than max_response_bytes ({limit}): {where}",
                response=response,
                limit=limit,
                request=request,
            )
        failure = failure.cause
    detail = redact(errors.one_line(_describe_exception(failure)), secrets)
    error: errors.OpenRouterSDKError
    if isinstance(failure, (httpx.TimeoutException, AttemptDeadlineExceeded)):
        after = "" if timeout_s is None else f" after {timeout_s * 1000:.0f} ms"
        error = errors.RequestTimeoutError(f"Request timed out{after}: {where} ({detail})", request=request)
    elif isinstance(failure, (httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError)):
        error = errors.ConnectionFailedError(f"Connection failed: {where} ({detail})", request=request)
    elif isinstance(failure, httpx.DecodingError) and response is not None:
        error = errors.ResponseValidationError(
            f"HTTP {response.status_code} response body could not be decoded: {detail}",
            response=response,
            body="",
            path="$",
            reason=detail,
            request=request,
        )
    elif isinstance(failure, (httpx.LocalProtocolError, httpx.UnsupportedProtocol, httpx.InvalidURL)):
        error = errors.InvalidRequestError(f"Invalid request: {where} ({detail})", request=request)
    elif isinstance(failure, TransportCancelled):
        error = errors.RequestAbortedError(f"Request aborted: {where} ({detail})", request=request)
    else:
        error = errors.UnexpectedClientError(f"Unexpected client error: {where} ({detail})", request=request)
    error.__cause__ = failure
    return error


def _media_type(content_type: str) -> str:
    return content_type.partition(";")[0].strip().lower()


def _excerpt(text: str, secrets: tuple[str, ...]) -> str:
    return redact(errors.one_line(text), secrets) if text.strip() else "(empty body)"


def _match(
    operation: Operation[T],
    request: httpx.Request,
    response: httpx.Response,
    body: bytes,
    exchange: HTTPExchange,
    secrets: tuple[str, ...],
) -> Ok[T] | Err[errors.OpenRouterSDKError]:
    """Turn a complete response into the operation's value or its typed error (DESIGN section 6)."""
    status = response.status_code
    content_type = response.headers.get("content-type", "")
    is_json = _media_type(content_type) == "application/json"
    if status == operation.success_status and is_json:
        try:
            return Ok(decode(body, operation.response_type), exchange)
        except DecodeFailure as failure:
            name = operation.response_type.__name__
            reason = redact(failure.reason, secrets)
            return Err(
                errors.ResponseValidationError(
                    f"HTTP {status} response does not match {name} at {failure.path}: {reason}",
                    response=response,
                    body=body.decode("utf-8", "replace"),
                    path=failure.path,
                    reason=reason,
                    request=request,
                ),
                exchange,
            )
    text = body.decode("utf-8", "replace")
    status_class = errors.status_error_class(status)
    if status_class is not None:
        from openrouter_core._models import ErrorResponse

        payload: ErrorResponse | None = None
        if is_json:
            try:
                payload = decode(body, ErrorResponse)
            except DecodeFailure:
                payload = None
        said = payload.error.message if payload is not None and payload.error.message.strip() else ""
        message = f"HTTP {status} {status_class.reason}: {_excerpt(said or text, secrets)}"
        return Err(
            status_class(
                message,
                response=response,
                body=text,
                request=request,
                error=payload.error if payload else None,
                user_id=payload.user_id if payload else None,
                openrouter_metadata=payload.openrouter_metadata if payload else None,
            ),
            exchange,
        )
    if 400 <= status < 600:
        message = f"API error occurred: HTTP {status}: {_excerpt(text, secrets)}"
    else:
        shown = repr(content_type) if content_type else "none"
        message = (
            f"Unexpected response: HTTP {status} with content type {shown} "
            f"(expected {operation.success_status} application/json): {_excerpt(text, secrets)}"
        )
    return Err(errors.OpenRouterDefaultError(message, response=response, body=text, request=request), exchange)
