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
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import httpx

    from openrouter_core._models import ErrorDetail

__all__ = [
    "BadGatewayResponseError",
    "BadRequestResponseError",
    "ConflictResponseError",
    "ConnectionFailedError",
    "EdgeNetworkTimeoutResponseError",
    "ForbiddenResponseError",
    "GoneResponseError",
    "HTTPClientError",
    "InternalServerResponseError",
    "InvalidRequestError",
    "MissingCredentialsError",
    "NotFoundResponseError",
    "OpenRouterDefaultError",
    "OpenRouterError",
    "OpenRouterSDKError",
    "OpenRouterStatusError",
    "PayloadTooLargeResponseError",
    "PaymentRequiredResponseError",
    "ProviderOverloadedResponseError",
    "RequestAbortedError",
    "RequestTimeoutError",
    "RequestTimeoutResponseError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "SDKValidationError",
    "ServiceUnavailableResponseError",
    "TooManyRequestsResponseError",
    "UnauthorizedResponseError",
    "UnexpectedClientError",
    "UnprocessableEntityResponseError",
    "status_error_class",
]

_EXCERPT_CHARS = 300
_WHITESPACE = re.compile(r"\s+")


def one_line(text: str, limit: int = _EXCERPT_CHARS) -> str:
    """Collapse whitespace so a message stays on one line, and cut it to ``limit`` characters."""
    flat = _WHITESPACE.sub(" ", text).strip()
    if len(flat) > limit:
        return flat[:limit] + f"... ({len(flat) - limit} more chars)"
    return flat


class OpenRouterSDKError(Exception):
    """Base class of every error this SDK produces."""

    @property
    def message(self) -> str:
        """The one-line message (the same as ``str(error)``)."""
        return str(self)


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
    ) -> None:
        super().__init__(message)
        self.response = response
        self.request = request
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body
        self.content_type = response.headers.get("content-type", "")


_STATUS_ERRORS: dict[int, type[OpenRouterStatusError]] = {}


class OpenRouterStatusError(OpenRouterError):
    """A documented error status. The class says which; the payload is decoded when it can be.

    Attributes:
        error: ``code``, ``message`` and ``metadata`` from the JSON error body, or ``None`` when the
            body was not OpenRouter's error shape (a proxy's HTML page, say).
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
    ) -> None:
        super().__init__(message, response=response, body=body, request=request)
        self.error = error
        self.user_id = user_id
        self.openrouter_metadata = openrouter_metadata


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
        field: the path of the offending input (``request.amount``, ``options.timeout_ms``).
        reason: what is wrong with it.
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class MissingCredentialsError(SDKValidationError):
    """No API key: none was passed, and ``OPENROUTER_API_KEY`` is unset or empty."""
