"""Every error the SDK returns (in an ``Err``) or raises (from the facade).

OpenRouterSDKError
├── OpenRouterError                      an HTTP response arrived but is not the success value
│   ├── OpenRouterStatusError            a documented error status (one class per status)
│   │   ├── BadRequestResponseError              400
│   │   ├── UnauthorizedResponseError            401
│   │   ├── PaymentRequiredResponseError         402
│   │   ├── ForbiddenResponseError               403
│   │   ├── NotFoundResponseError                404
│   │   ├── RequestTimeoutResponseError          408
│   │   ├── ConflictResponseError                409
│   │   ├── GoneResponseError                    410
│   │   ├── PayloadTooLargeResponseError         413
│   │   ├── UnprocessableEntityResponseError     422
│   │   ├── TooManyRequestsResponseError         429
│   │   ├── InternalServerResponseError          500
│   │   ├── BadGatewayResponseError              502
│   │   ├── ServiceUnavailableResponseError      503
│   │   ├── EdgeNetworkTimeoutResponseError      524
│   │   └── ProviderOverloadedResponseError      529
│   ├── OpenRouterDefaultError           any other status, or a success status with the wrong content type
│   ├── ResponseValidationError          a success response whose body does not fit the model
│   └── ResponseTooLargeError            a body larger than ``max_response_bytes``
├── HTTPClientError                      no usable response
│   ├── ConnectionFailedError            refused, reset, DNS, dropped mid-response (TS: ConnectionError)
│   │   └── IncompleteStreamError        a stream ended before its [DONE]: what arrived is not the whole answer
│   ├── RequestTimeoutError              an attempt ran past ``timeout_ms``
│   ├── RequestAbortedError              the transport cancelled the request (not the caller's task)
│   ├── InvalidRequestError              the request could not be built or sent as built
│   └── UnexpectedClientError            a hook, key callable or custom transport raised
└── SDKValidationError                   caller input rejected before anything was sent
    └── MissingCredentialsError          no API key from the argument, the core or the environment

Messages are one line and never contain the API key: the pipeline redacts it before an error
is built, and nothing here renders headers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import httpx

    from openrouter_core._models import ErrorDetail


_EXCERPT_CHARS = 300
_WHITESPACE = re.compile(r"\s+")


def one_line(text: str, limit: int = _EXCERPT_CHARS) -> str:
    """Collapse whitespace so a message stays on one line, and cut it to ``limit`` characters."""
    flat = _WHITESPACE.sub(" ", text).strip()
    if len(flat) > limit:
        return flat[:limit] + f"... ({len(flat) - limit} more chars)"
    return flat


def _rebuild(cls: type[OpenRouterSDKError], message: str, state: dict[str, Any]) -> OpenRouterSDKError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class OpenRouterSDKError(Exception):
    """Base class of every error this SDK produces.

    Errors pickle and unpickle (for multiprocessing, task queues, caches); the request they keep
    has its ``Authorization`` header redacted, so a pickle never carries the key.
    """

    @property
    def message(self) -> str:
        """The one-line message (the same as ``str(error)``)."""
        return str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), str(self), dict(self.__dict__))


class OpenRouterError(OpenRouterSDKError):
    """An HTTP response arrived, but it is not the operation's success value.

    Attributes:
        status_code: the HTTP status.
        headers: the response headers.
        body: the response body as text (decoded leniently; may be truncated for huge bodies).
        content_type: the ``Content-Type`` header, or ``""`` when absent.
        response: the ``httpx.Response`` (its body already read).
        request: the ``httpx.Request`` that was sent last.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: str,
        request: httpx.Request | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.response = response
        self.request = request
        self.status_code = response.status_code if status_code is None else status_code
        self.headers = response.headers
        self.body = body
        self.content_type = response.headers.get("content-type", "")


_STATUS_ERRORS: dict[int, type[OpenRouterStatusError]] = {}


class OpenRouterStatusError(OpenRouterError):
    """A documented error status. The class says which; the payload is decoded when it can be.

    ``status_code`` is the status the error stands for: the HTTP status, or, for an error that
    OpenRouter reported inside a 200 (a generation that failed after it was accepted, an in-band
    stream error), the error's ``code``; ``response.status_code`` is what the wire said.

    Attributes:
        error: ``code``, ``message`` and ``metadata`` from the JSON error body, or ``None`` when the
            body was not OpenRouter's error shape (a proxy's HTML page, say). ``error.message`` is
            the server's own words; ``str(err)`` (also ``err.message``) is the SDK's one-line summary.
        payload: the decoded error body model (``ErrorResponse``, or an operation's own error
            shape such as the Anthropic-style body of ``messages_create``), or ``None``.
        user_id: ``user_id`` from the body, when present.
        openrouter_metadata: ``openrouter_metadata`` from the body, when present.
    """

    status: ClassVar[int]
    reason: ClassVar[str]

    def __init_subclass__(cls, *, status: int | None = None, reason: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:  # the SDK's own classes; a user's further subclass inherits these
            cls.status = status
            cls.reason = reason
            _STATUS_ERRORS[status] = cls

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: str,
        request: httpx.Request | None = None,
        error: ErrorDetail | None = None,
        user_id: str | None = None,
        openrouter_metadata: Mapping[str, Any] | None = None,
        payload: object = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message, response=response, body=body, request=request, status_code=status_code)
        self.error = error
        self.user_id = user_id
        self.openrouter_metadata = openrouter_metadata
        self.payload = payload


class BadRequestResponseError(OpenRouterStatusError, status=400, reason="Bad Request"):
    """400 Bad Request: Invalid request parameters or malformed input."""


class UnauthorizedResponseError(OpenRouterStatusError, status=401, reason="Unauthorized"):
    """401 Unauthorized: Authentication required or invalid credentials."""


class PaymentRequiredResponseError(OpenRouterStatusError, status=402, reason="Payment Required"):
    """402 Payment Required: Insufficient credits or quota to complete the request."""


class ForbiddenResponseError(OpenRouterStatusError, status=403, reason="Forbidden"):
    """403 Forbidden: Authenticated, but not allowed (for example, not a management key)."""


class NotFoundResponseError(OpenRouterStatusError, status=404, reason="Not Found"):
    """404 Not Found: The resource does not exist."""


class RequestTimeoutResponseError(OpenRouterStatusError, status=408, reason="Request Timeout"):
    """408 Request Timeout: The server gave up waiting for the request."""


class ConflictResponseError(OpenRouterStatusError, status=409, reason="Conflict"):
    """409 Conflict: Resource conflict or concurrent modification."""


class GoneResponseError(OpenRouterStatusError, status=410, reason="Gone"):
    """410 Gone: The endpoint was removed (today's answer to the Coinbase charge)."""


class PayloadTooLargeResponseError(OpenRouterStatusError, status=413, reason="Payload Too Large"):
    """413 Payload Too Large: The request payload exceeds size limits."""


class UnprocessableEntityResponseError(OpenRouterStatusError, status=422, reason="Unprocessable Entity"):
    """422 Unprocessable Entity: Semantic validation failure."""


class TooManyRequestsResponseError(OpenRouterStatusError, status=429, reason="Too Many Requests"):
    """429 Too Many Requests: Rate limit exceeded."""


class InternalServerResponseError(OpenRouterStatusError, status=500, reason="Internal Server Error"):
    """500 Internal Server Error: Unexpected server error."""


class BadGatewayResponseError(OpenRouterStatusError, status=502, reason="Bad Gateway"):
    """502 Bad Gateway: Provider or upstream failure."""


class ServiceUnavailableResponseError(OpenRouterStatusError, status=503, reason="Service Unavailable"):
    """503 Service Unavailable: Service temporarily unavailable."""


class EdgeNetworkTimeoutResponseError(OpenRouterStatusError, status=524, reason="Edge Network Timeout"):
    """524 Edge Network Timeout: The provider timed out at the edge network."""


class ProviderOverloadedResponseError(OpenRouterStatusError, status=529, reason="Provider Overloaded"):
    """529 Provider Overloaded: The provider is temporarily overloaded."""


def status_error_class(status: int) -> type[OpenRouterStatusError] | None:
    """The typed error class for an HTTP status, or ``None`` when the status has none."""
    return _STATUS_ERRORS.get(status)


# Errors reported inside a stream (or a 200 body) carry a type name instead of a status: OpenRouter's
# ApiErrorType, Anthropic-style types (Messages) and OpenAI-style codes (Responses). The status each
# stands for, so that an in-band error is the same typed error as the status would have been.
ERROR_TYPE_STATUS: dict[str, int] = {
    "invalid_request": 400,
    "invalid_prompt": 400,
    "context_length_exceeded": 400,
    "max_tokens_exceeded": 400,
    "token_limit_exceeded": 400,
    "string_too_long": 400,
    "content_policy_violation": 400,
    "invalid_image": 400,
    "image_too_large": 400,
    "image_too_small": 400,
    "unsupported_image_format": 400,
    "image_not_found": 400,
    "image_download_failed": 400,
    "invalid_request_error": 400,
    "authentication": 401,
    "authentication_error": 401,
    "payment_required": 402,
    "billing_error": 402,
    "permission_denied": 403,
    "permission_error": 403,
    "not_found": 404,
    "not_found_error": 404,
    "timeout": 408,
    "timeout_error": 408,
    "payload_too_large": 413,
    "request_too_large": 413,
    "unprocessable": 422,
    "rate_limit_exceeded": 429,
    "rate_limit_error": 429,
    "server": 500,
    "server_error": 500,
    "api_error": 500,
    "provider_unavailable": 503,
    "provider_overloaded": 529,
    "overloaded_error": 529,
}


class OpenRouterDefaultError(OpenRouterError):
    """Any other 4xx/5xx, or a response the operation does not expect (status or content type)."""


class ResponseValidationError(OpenRouterError):
    """A success response whose body is not valid JSON or does not fit the model.

    Attributes:
        path: where decoding failed, as a JSON path (``$`` is the whole body,
            ``$.data.total_credits`` a field).
        reason: what was wrong there.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: str,
        path: str,
        reason: str,
        request: httpx.Request | None = None,
    ) -> None:
        super().__init__(message, response=response, body=body, request=request)
        self.path = path
        self.reason = reason


class ResponseTooLargeError(OpenRouterError):
    """The body passed ``max_response_bytes``; reading stopped there. ``body`` is empty.

    Attributes:
        limit: the limit in bytes that was exceeded.
    """

    def __init__(
        self, message: str, *, response: httpx.Response, limit: int, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, response=response, body="", request=request)
        self.limit = limit


class HTTPClientError(OpenRouterSDKError):
    """No usable response: the exchange failed below HTTP. ``__cause__`` holds the original exception.

    Attributes:
        request: the request that was being sent, when one was built.
    """

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class ConnectionFailedError(HTTPClientError):
    """The connection failed: refused, reset, unreachable, or dropped before the response ended.

    The TypeScript SDK calls this ``ConnectionError``; renamed so it does not shadow the builtin.
    """


class IncompleteStreamError(ConnectionFailedError):
    """A stream ended (the connection closed cleanly) before its end marker: the answer may be truncated."""


class RequestTimeoutError(HTTPClientError):
    """An attempt did not complete within ``timeout_ms`` (or the call ran out of ``max_elapsed_time``)."""


class RequestAbortedError(HTTPClientError):
    """The request was cancelled by something other than the calling task being cancelled.

    Cancelling the calling task itself propagates ``asyncio.CancelledError``, as Python expects.
    """


class InvalidRequestError(HTTPClientError):
    """The request could not be built, or the transport refused it as built."""


class UnexpectedClientError(HTTPClientError):
    """Something in the client raised: a hook, the ``api_key`` callable, or a custom transport."""


class SDKValidationError(OpenRouterSDKError):
    """Caller input was rejected before anything was sent.

    Attributes:
        field: the path of the (first) offending input (``request.messages[0].role``,
            ``options.timeout_ms``).
        reason: what is wrong with it.
        errors: every failing ``(field, reason)``, in the order found.
    """

    def __init__(self, field: str, reason: str, *, errors: Sequence[tuple[str, str]] | None = None) -> None:
        found = list(errors) if errors else [(field, reason)]
        if len(found) == 1:
            message = f"{found[0][0]}: {found[0][1]}"
        else:
            shown = "; ".join(f"{path}: {why}" for path, why in found[:_LISTED_FIELDS])
            more = f"; and {len(found) - _LISTED_FIELDS} more" if len(found) > _LISTED_FIELDS else ""
            message = f"{len(found)} invalid fields: {shown}{more}"
        super().__init__(message)
        self.field, self.reason = found[0]
        self.errors = found


_LISTED_FIELDS = 10


class MissingCredentialsError(SDKValidationError):
    """No API key: none was passed, and ``OPENROUTER_API_KEY`` is unset or empty."""


# --- transport exceptions -------------------------------------------------------------------------

# How far a failed exchange got, which decides whether even a request with side effects may be
# re-sent: "not_sent" (it never reached the server whole), "maybe_acted" (it did, and no complete
# answer came back), "other" (not a network failure; never retried).
RetryKind = str

_HTTPX_ERRORS: tuple[tuple[type[BaseException], type[OpenRouterSDKError], RetryKind], ...] | None = None


def httpx_error_table() -> tuple[tuple[type[BaseException], type[OpenRouterSDKError], RetryKind], ...]:
    """Every exception httpx raises -> the SDK error class and how far the exchange got; most specific first.

    ``tests/unit/test_errors.py`` checks that every exception class httpx exports has a row.
    """
    global _HTTPX_ERRORS  # noqa: PLW0603 - built once, on the first failure
    if _HTTPX_ERRORS is None:
        import httpx

        _HTTPX_ERRORS = (
            (httpx.ConnectTimeout, RequestTimeoutError, "not_sent"),
            (httpx.PoolTimeout, RequestTimeoutError, "not_sent"),
            (httpx.WriteTimeout, RequestTimeoutError, "not_sent"),
            (httpx.ReadTimeout, RequestTimeoutError, "maybe_acted"),
            (httpx.TimeoutException, RequestTimeoutError, "maybe_acted"),
            (httpx.ConnectError, ConnectionFailedError, "not_sent"),
            (httpx.WriteError, ConnectionFailedError, "not_sent"),
            (httpx.ProxyError, ConnectionFailedError, "not_sent"),
            (httpx.ReadError, ConnectionFailedError, "maybe_acted"),
            (httpx.CloseError, ConnectionFailedError, "maybe_acted"),
            (httpx.NetworkError, ConnectionFailedError, "maybe_acted"),
            (httpx.RemoteProtocolError, ConnectionFailedError, "maybe_acted"),
            (httpx.LocalProtocolError, InvalidRequestError, "other"),
            (httpx.UnsupportedProtocol, InvalidRequestError, "other"),
            (httpx.ProtocolError, ConnectionFailedError, "maybe_acted"),
            (httpx.DecodingError, ResponseValidationError, "other"),
            (httpx.TooManyRedirects, InvalidRequestError, "other"),
            (httpx.InvalidURL, InvalidRequestError, "other"),
            (httpx.TransportError, ConnectionFailedError, "maybe_acted"),
            (httpx.RequestError, UnexpectedClientError, "other"),
            (httpx.StreamConsumed, UnexpectedClientError, "other"),
            (httpx.StreamClosed, UnexpectedClientError, "other"),
            (httpx.ResponseNotRead, UnexpectedClientError, "other"),
            (httpx.RequestNotRead, UnexpectedClientError, "other"),
            (httpx.StreamError, UnexpectedClientError, "other"),
            (httpx.CookieConflict, UnexpectedClientError, "other"),
            (httpx.HTTPStatusError, UnexpectedClientError, "other"),
            (httpx.HTTPError, UnexpectedClientError, "other"),
        )
    return _HTTPX_ERRORS


def classify(exc: BaseException) -> tuple[type[OpenRouterSDKError], RetryKind]:
    """The SDK error class for a transport exception, and how far the exchange got."""
    for exc_class, error_class, kind in httpx_error_table():
        if isinstance(exc, exc_class):
            return error_class, kind
    return UnexpectedClientError, "other"
