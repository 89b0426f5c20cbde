"""Turn what came back into the operation's ``Result``: matched by status and encoding (DESIGN section 6).

1. A documented success status with its encoding's content type: JSON is decoded to the model
   (a body that does not parse or fit is a ``ResponseValidationError`` naming the path); text is
   a ``str``; an empty body is ``None``; SSE and binary bodies are handed over open. A 2xx whose
   JSON is an OpenRouter error object is that error, typed by its code.
2. A documented error status: its typed error, whatever the body (decoded when it is the error
   JSON, the raw text otherwise).
3. Any other 4xx/5xx, or anything else: ``OpenRouterDefaultError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openrouter_core import _errors as errors
from openrouter_core._prepare import model_class
from openrouter_core._result import Err, HTTPExchange, Ok
from openrouter_core._serde import DecodeFailure, decode_json, decode_value, model_fields

if TYPE_CHECKING:
    import httpx

    from openrouter_core._actions import SendFailure
    from openrouter_core._prepare import Plan
    from openrouter_core._redact import Secrets

__all__ = ["NEEDS_BODY", "failure_error", "match"]

NEEDS_BODY = object()
"""``match``'s answer for an open response it can only judge with its body read."""

AnyResult = Ok[Any] | Err[errors.OpenRouterSDKError]


def media_type(content_type: str) -> str:
    """``application/json`` from ``application/json; charset=utf-8``."""
    return content_type.partition(";")[0].strip().lower()


def accepts(encoding: str, content_type: str) -> bool:
    """Whether a success body of this content type is the operation's ``encoding``."""
    media = media_type(content_type)
    if encoding == "json":
        return media == "application/json" or media.endswith("+json")
    if encoding == "sse":
        return media == "text/event-stream"
    if encoding == "binary":  # any type but JSON, which would be an error object
        return media != "application/json"
    if encoding == "text":
        return media.startswith("text/") or media.endswith("+xml") or media == "application/xml"
    return True  # "empty"


def _excerpt(text: str, secrets: Secrets) -> str:
    return secrets.redact(errors.one_line(text)) if text.strip() else "(empty body)"


def _error_object(data: object) -> Any:
    """The OpenRouter error body in ``data`` (``{"error": {"code", "message", ...}}``), decoded; else ``None``."""
    if not isinstance(data, dict) or not isinstance(data.get("error"), dict):
        return None
    from openrouter_core._models import ErrorResponse

    try:
        return decode_value(data, ErrorResponse)
    except DecodeFailure:
        return None


def _status_error(
    status: int,
    payload: Any,
    response: httpx.Response,
    text: str,
    request: httpx.Request,
    secrets: Secrets,
) -> errors.OpenRouterError:
    status_class = errors.status_error_class(status)
    error = getattr(payload, "error", None)
    said = getattr(error, "message", "") or ""
    if status_class is None:
        shown = f"HTTP {response.status_code}" + (f" (error {status})" if status != response.status_code else "")
        message = f"API error occurred: {shown}: {_excerpt(said or text, secrets)}"
        return errors.OpenRouterDefaultError(message, response=response, body=text, request=request)
    prefix = f"HTTP {status} {status_class.reason}"
    if status != response.status_code:  # an error object inside a success response
        prefix = f"HTTP {response.status_code} with error {status} {status_class.reason}"
    from openrouter_core._models import ErrorDetail

    detail = error if isinstance(error, ErrorDetail) else None
    return status_class(
        f"{prefix}: {_excerpt(said or text, secrets)}",
        response=response,
        body=text,
        request=request,
        error=detail,
        user_id=getattr(payload, "user_id", None),
        openrouter_metadata=getattr(payload, "openrouter_metadata", None),
        payload=payload,
        status_code=status,
    )


def _error_payload(plan: Plan, body: bytes) -> Any:
    try:
        data = decode_json(body)
    except DecodeFailure:
        return None
    found = _error_object(data)
    model = plan.operation.error_model
    if found is None and model is not None:
        try:
            found = decode_value(data, model_class(model))
        except DecodeFailure:
            found = None
    return found


def _decode_json(
    plan: Plan, model: Any, request: httpx.Request, response: httpx.Response, body: bytes, secrets: Secrets
) -> Ok[Any] | errors.OpenRouterError:
    status = response.status_code
    cls = model_class(model)
    try:
        data = decode_json(body)
        payload = _error_object(data)
        if payload is not None and "error" not in {field.wire for field in model_fields(cls)}:
            return _status_error(
                payload.error.code, payload, response, body.decode("utf-8", "replace"), request, secrets
            )
        return Ok(decode_value(data, cls))
    except DecodeFailure as failure:
        reason = secrets.redact(failure.reason)
        return errors.ResponseValidationError(
            f"HTTP {status} response does not match {cls.__name__} at {failure.path}: {reason}",
            response=response,
            body=body.decode("utf-8", "replace"),
            path=failure.path,
            reason=reason,
            request=request,
        )


def match(
    plan: Plan,
    request: httpx.Request,
    response: httpx.Response,
    body: bytes | None,
    exchange: HTTPExchange,
    secrets: Secrets,
) -> AnyResult | object:
    """The Result for a response, or ``NEEDS_BODY`` when an open response must be read to judge it."""
    spec = plan.success.get(response.status_code)
    if spec is not None and accepts(spec[0], response.headers.get("content-type", "")):
        return _success(plan, spec, request, response, body, exchange, secrets)
    if body is None:
        return NEEDS_BODY
    return Err(_failure(plan, request, response, body, secrets), exchange)


def _success(
    plan: Plan,
    spec: tuple[str, Any],
    request: httpx.Request,
    response: httpx.Response,
    body: bytes | None,
    exchange: HTTPExchange,
    secrets: Secrets,
) -> AnyResult:
    encoding, model = spec
    if body is None:  # a stream or a download: the caller reads it (the driver closes it on an Err)
        from openrouter_core._actions import SendFailure
        from openrouter_core._decoding import UndecodableBody
        from openrouter_core._streams import open_value

        try:
            return Ok(open_value(encoding, model, response, plan, secrets), exchange)
        except UndecodableBody as exc:  # a Content-Encoding the SDK cannot decode
            timeout = plan.timeout_s if isinstance(plan.timeout_s, float) else None
            failure = SendFailure(exc, "undecodable")
            failed = failure_error(failure, request, response, timeout, secrets, plan.limit, closed=False)
            return Err(failed, exchange)
    if encoding == "json":
        decoded = _decode_json(plan, model, request, response, body, secrets)
        return Ok(decoded.value, exchange) if isinstance(decoded, Ok) else Err(decoded, exchange)
    if encoding == "text":
        return Ok(body.decode(response.encoding or "utf-8", "replace"), exchange)
    return Ok(None, exchange)


def _failure(
    plan: Plan, request: httpx.Request, response: httpx.Response, body: bytes, secrets: Secrets
) -> errors.OpenRouterError:
    """The typed error for a response that is not the operation's success value."""
    status = response.status_code
    content_type = response.headers.get("content-type", "")
    text = body.decode("utf-8", "replace")
    documented = errors.status_error_class(status) is not None
    payload = _error_payload(plan, body) if documented or media_type(content_type) == "application/json" else None
    code = getattr(getattr(payload, "error", None), "code", None)
    if 200 <= status < 300 and isinstance(code, int):  # an error OpenRouter reported inside a 2xx
        return _status_error(code, payload, response, text, request, secrets)
    if documented or 400 <= status < 600:
        return _status_error(status, payload, response, text, request, secrets)
    shown = repr(content_type) if content_type else "none"
    expected = ", ".join(f"{code} {encoding}" for code, (encoding, _) in sorted(plan.success.items()))
    message = (
        f"Unexpected response: HTTP {status} with content type {shown} (expected {expected}): {_excerpt(text, secrets)}"
    )
    return errors.OpenRouterDefaultError(message, response=response, body=text, request=request)


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def failure_error(
    failure: SendFailure,
    request: httpx.Request,
    response: httpx.Response | None,
    timeout_s: float | None,
    secrets: Secrets,
    limit: int,
    *,
    closed: bool,
) -> errors.OpenRouterSDKError:
    """The typed error for a send that produced no usable response."""
    where = f"{request.method} {secrets.redact(str(request.url))}"
    exc = failure.exception
    detail = secrets.redact(errors.one_line(_describe(exc)))
    error: errors.OpenRouterSDKError
    if closed:
        error = errors.RequestAbortedError(f"Request aborted: the core was closed: {where} ({detail})", request=request)
    elif failure.kind == "too_large" and response is not None:
        error = errors.ResponseTooLargeError(
            f"HTTP {response.status_code} response body is larger than max_response_bytes ({limit}): {where}",
            response=response,
            limit=limit,
            request=request,
        )
    elif failure.kind == "undecodable" and response is not None:
        error = _undecodable(response, detail, request)
    else:
        error = _transport_error(exc, where, detail, timeout_s, request, response)
    error.__cause__ = exc
    return error


def _undecodable(response: httpx.Response, detail: str, request: httpx.Request) -> errors.ResponseValidationError:
    return errors.ResponseValidationError(
        f"HTTP {response.status_code} response body could not be decoded: {detail}",
        response=response,
        body="",
        path="$",
        reason=detail,
        request=request,
    )


def _transport_error(
    exc: BaseException,
    where: str,
    detail: str,
    timeout_s: float | None,
    request: httpx.Request,
    response: httpx.Response | None,
) -> errors.OpenRouterSDKError:
    from openrouter_core._actions import AttemptDeadlineExceeded, TransportCancelled

    if isinstance(exc, AttemptDeadlineExceeded):
        error_class: type[errors.OpenRouterSDKError] = errors.RequestTimeoutError
    elif isinstance(exc, TransportCancelled):
        error_class = errors.RequestAbortedError
    else:
        error_class = errors.classify(exc)[0]
    if error_class is errors.RequestTimeoutError:
        after = "" if timeout_s is None else f" after {timeout_s * 1000:.0f} ms"
        return errors.RequestTimeoutError(f"Request timed out{after}: {where} ({detail})", request=request)
    if issubclass(error_class, errors.OpenRouterError):  # a body that httpx could not decode
        if response is not None:
            return _undecodable(response, detail, request)
        error_class = errors.UnexpectedClientError
    labels: dict[type[errors.OpenRouterSDKError], str] = {
        errors.ConnectionFailedError: "Connection failed",
        errors.InvalidRequestError: "Invalid request",
        errors.RequestAbortedError: "Request aborted",
    }
    label = labels.get(error_class, "Unexpected client error")
    return error_class(f"{label}: {where} ({detail})", request=request)  # type: ignore[call-arg]
