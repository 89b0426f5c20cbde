"""The OpenRouter SDK runtime: ``OpenRouterCore``, ``Result``, errors, retries, hooks and options.

Operations live in ``openrouter_funcs`` (one module each); the client object is in ``openrouter``.
"""

from typing import TYPE_CHECKING

from openrouter_core._core import Clock, OpenRouterCore
from openrouter_core._errors import (
    BadGatewayResponseError,
    BadRequestResponseError,
    ConflictResponseError,
    ConnectionFailedError,
    EdgeNetworkTimeoutResponseError,
    ForbiddenResponseError,
    GoneResponseError,
    HTTPClientError,
    IncompleteStreamError,
    InternalServerResponseError,
    InvalidRequestError,
    MissingCredentialsError,
    NotFoundResponseError,
    OpenRouterDefaultError,
    OpenRouterError,
    OpenRouterSDKError,
    OpenRouterStatusError,
    PayloadTooLargeResponseError,
    PaymentRequiredResponseError,
    ProviderOverloadedResponseError,
    RequestAbortedError,
    RequestTimeoutError,
    RequestTimeoutResponseError,
    ResponseTooLargeError,
    ResponseValidationError,
    SDKValidationError,
    ServiceUnavailableResponseError,
    TooManyRequestsResponseError,
    UnauthorizedResponseError,
    UnexpectedClientError,
    UnprocessableEntityResponseError,
    status_error_class,
)
from openrouter_core._hooks import AfterErrorHook, AfterSuccessHook, BeforeRequestHook, HookContext, Hooks
from openrouter_core._models import AppHeaders, ErrorDetail, ErrorResponse
from openrouter_core._options import NOT_GIVEN, NotGiven, RequestOptions
from openrouter_core._result import Err, HTTPExchange, Ok, Result
from openrouter_core._retries import DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_CODES, BackoffStrategy, RetryConfig
from openrouter_core._schema import UNSET, RawVariant, Unset
from openrouter_core._version import __version__

if TYPE_CHECKING:
    from openrouter_core._downloads import (
        AsyncBinaryResponse,
        AsyncRaisingBinaryResponse,
        BinaryResponse,
        RaisingBinaryResponse,
    )
    from openrouter_core._streams import AsyncRaisingStream, AsyncStream, RaisingStream, Stream

# Loaded when first used (a stream or a download arrives, or you import the name), not with the runtime.
_LAZY = {
    "AsyncBinaryResponse": "openrouter_core._downloads",
    "AsyncRaisingBinaryResponse": "openrouter_core._downloads",
    "BinaryResponse": "openrouter_core._downloads",
    "RaisingBinaryResponse": "openrouter_core._downloads",
    "AsyncRaisingStream": "openrouter_core._streams",
    "AsyncStream": "openrouter_core._streams",
    "RaisingStream": "openrouter_core._streams",
    "Stream": "openrouter_core._streams",
}

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_RETRY_CODES",
    "NOT_GIVEN",
    "UNSET",
    "AfterErrorHook",
    "AfterSuccessHook",
    "AppHeaders",
    "AsyncBinaryResponse",
    "AsyncRaisingBinaryResponse",
    "AsyncRaisingStream",
    "AsyncStream",
    "BackoffStrategy",
    "BadGatewayResponseError",
    "BadRequestResponseError",
    "BeforeRequestHook",
    "BinaryResponse",
    "Clock",
    "ConflictResponseError",
    "ConnectionFailedError",
    "EdgeNetworkTimeoutResponseError",
    "Err",
    "ErrorDetail",
    "ErrorResponse",
    "ForbiddenResponseError",
    "GoneResponseError",
    "HTTPClientError",
    "HTTPExchange",
    "HookContext",
    "Hooks",
    "IncompleteStreamError",
    "InternalServerResponseError",
    "InvalidRequestError",
    "MissingCredentialsError",
    "NotFoundResponseError",
    "NotGiven",
    "Ok",
    "OpenRouterCore",
    "OpenRouterDefaultError",
    "OpenRouterError",
    "OpenRouterSDKError",
    "OpenRouterStatusError",
    "PayloadTooLargeResponseError",
    "PaymentRequiredResponseError",
    "ProviderOverloadedResponseError",
    "RaisingBinaryResponse",
    "RaisingStream",
    "RawVariant",
    "RequestAbortedError",
    "RequestOptions",
    "RequestTimeoutError",
    "RequestTimeoutResponseError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "Result",
    "RetryConfig",
    "SDKValidationError",
    "ServiceUnavailableResponseError",
    "Stream",
    "TooManyRequestsResponseError",
    "UnauthorizedResponseError",
    "UnexpectedClientError",
    "UnprocessableEntityResponseError",
    "Unset",
    "__version__",
    "status_error_class",
]


def _show_public_module(names: list[str]) -> None:
    # Reprs and tracebacks name the public module (openrouter_core.Ok, not openrouter_core._result.Ok),
    # the one users import from. Pickles resolve through it too.
    for name in names:
        obj = globals().get(name)
        if isinstance(obj, type) and obj.__module__.startswith("openrouter_core._"):
            obj.__module__ = __name__


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'openrouter_core' has no attribute {name!r}")
    import importlib

    loaded = importlib.import_module(module)
    for lazy_name, where in _LAZY.items():
        if where == module:
            globals()[lazy_name] = getattr(loaded, lazy_name)
    _show_public_module(list(_LAZY))
    return globals()[name]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


_show_public_module(__all__)
