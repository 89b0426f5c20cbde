"""The OpenRouter SDK runtime: ``OpenRouterCore``, ``Result``, errors, retries, hooks and options.

Operations live in ``openrouter_funcs`` (one module each); the client object is in ``openrouter``.
"""

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

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_RETRY_CODES",
    "NOT_GIVEN",
    "UNSET",
    "AfterErrorHook",
    "AfterSuccessHook",
    "AppHeaders",
    "BackoffStrategy",
    "BadGatewayResponseError",
    "BadRequestResponseError",
    "BeforeRequestHook",
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
    "TooManyRequestsResponseError",
    "UnauthorizedResponseError",
    "UnexpectedClientError",
    "UnprocessableEntityResponseError",
    "Unset",
    "__version__",
    "status_error_class",
]


def _show_public_module() -> None:
    # Reprs and tracebacks name the public module (openrouter_core.Ok, not openrouter_core._result.Ok),
    # the one users import from. Pickles resolve through it too.
    for name in __all__:
        obj = globals()[name]
        if isinstance(obj, type) and obj.__module__.startswith("openrouter_core._"):
            obj.__module__ = __name__


_show_public_module()
