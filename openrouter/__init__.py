"""The OpenRouter client object. ``from openrouter import OpenRouter``.

Errors, options and results come from ``openrouter_core`` and are re-exported here for convenience.
"""

from openrouter._client import OpenRouter
from openrouter_core import (
    NOT_GIVEN,
    BackoffStrategy,
    Err,
    Hooks,
    Ok,
    OpenRouterCore,
    OpenRouterDefaultError,
    OpenRouterError,
    OpenRouterSDKError,
    RequestOptions,
    Result,
    RetryConfig,
    __version__,
)

__all__ = [
    "NOT_GIVEN",
    "BackoffStrategy",
    "Err",
    "Hooks",
    "Ok",
    "OpenRouter",
    "OpenRouterCore",
    "OpenRouterDefaultError",
    "OpenRouterError",
    "OpenRouterSDKError",
    "RequestOptions",
    "Result",
    "RetryConfig",
    "__version__",
]
