"""The public names of the packages, pinned: adding or removing one is a decision, made here on purpose."""

from __future__ import annotations

import pickle
import traceback

import openrouter
import openrouter_core

CORE_NAMES = {
    # results, options, configuration
    "Ok", "Err", "Result", "HTTPExchange", "OpenRouterCore", "Clock", "RequestOptions", "NOT_GIVEN", "NotGiven",
    "RetryConfig", "BackoffStrategy", "DEFAULT_RETRY_CODES", "DEFAULT_MAX_ATTEMPTS",
    "Hooks", "HookContext", "BeforeRequestHook", "AfterSuccessHook", "AfterErrorHook",
    # models shared by every operation
    "AppHeaders", "ErrorDetail", "ErrorResponse", "UNSET", "Unset", "RawVariant",
    # what an operation hands over open
    "Stream", "AsyncStream", "RaisingStream", "AsyncRaisingStream",
    "BinaryResponse", "AsyncBinaryResponse", "RaisingBinaryResponse", "AsyncRaisingBinaryResponse",
    # the error tree
    "OpenRouterSDKError", "OpenRouterError", "OpenRouterStatusError", "OpenRouterDefaultError",
    "ResponseValidationError", "ResponseTooLargeError", "HTTPClientError", "ConnectionFailedError",
    "IncompleteStreamError", "RequestTimeoutError", "RequestAbortedError", "InvalidRequestError",
    "UnexpectedClientError", "SDKValidationError", "MissingCredentialsError", "status_error_class",
    "BadRequestResponseError", "UnauthorizedResponseError", "PaymentRequiredResponseError", "ForbiddenResponseError",
    "NotFoundResponseError", "RequestTimeoutResponseError", "ConflictResponseError", "GoneResponseError",
    "PayloadTooLargeResponseError", "UnprocessableEntityResponseError", "TooManyRequestsResponseError",
    "InternalServerResponseError", "BadGatewayResponseError", "ServiceUnavailableResponseError",
    "EdgeNetworkTimeoutResponseError", "ProviderOverloadedResponseError",
    "__version__",
}  # fmt: skip


def test_openrouter_core_exports_exactly_its_public_names() -> None:
    assert set(openrouter_core.__all__) == CORE_NAMES
    assert len(openrouter_core.__all__) == len(CORE_NAMES)  # no duplicates
    for name in openrouter_core.__all__:
        assert getattr(openrouter_core, name) is not None, name
    public = {name for name in dir(openrouter_core) if not name.startswith("_")}
    assert public - CORE_NAMES <= {"TYPE_CHECKING"}  # nothing public is missing from __all__


def test_openrouter_reexports_the_runtime_and_the_client() -> None:
    assert set(openrouter.__all__) == CORE_NAMES | {"OpenRouter"}
    for name in CORE_NAMES - {"__version__"}:
        assert getattr(openrouter, name) is getattr(openrouter_core, name), name


def test_public_classes_show_their_public_module() -> None:
    for name in openrouter_core.__all__:
        obj = getattr(openrouter_core, name)  # lazily loaded names included
        if isinstance(obj, type):
            assert obj.__module__ == "openrouter_core", name
    assert repr(openrouter_core.Ok) == "<class 'openrouter_core.Ok'>"
    assert openrouter.OpenRouter.__module__ == "openrouter._client"


def test_a_traceback_names_the_public_class() -> None:
    error = openrouter_core.UnauthorizedResponseError.__new__(openrouter_core.UnauthorizedResponseError)
    Exception.__init__(error, "HTTP 401 Unauthorized: User not found.")
    text = "".join(traceback.format_exception_only(type(error), error))
    assert text.startswith("openrouter_core.UnauthorizedResponseError: HTTP 401")


def test_errors_pickle_through_their_public_module() -> None:
    error = openrouter_core.SDKValidationError("request.model", "is required")
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert type(copy) is openrouter_core.SDKValidationError
    assert (copy.field, copy.reason, str(copy)) == ("request.model", "is required", "request.model: is required")
