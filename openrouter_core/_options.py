"""Per-call options and the NOT_GIVEN sentinel."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from openrouter_core import _config as config
from openrouter_core._redact import REDACTED, SENSITIVE_HEADERS

if TYPE_CHECKING:
    from openrouter_core._retries import RetryConfig

__all__ = ["NOT_GIVEN", "NotGiven", "RequestOptions"]


class NotGiven(enum.Enum):
    """The type of ``NOT_GIVEN``: "use the core's setting", where ``None`` means "none"."""

    NOT_GIVEN = "NOT_GIVEN"

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> Literal[False]:
        return False


NOT_GIVEN: Final = NotGiven.NOT_GIVEN


def _redacted_headers_repr(headers: object) -> str:
    if not isinstance(headers, Mapping):
        return repr(headers)
    return repr(
        {name: REDACTED if str(name).lower() in SENSITIVE_HEADERS else value for name, value in headers.items()}
    )


def _retries(value: object) -> object:
    from openrouter_core._retries import RetryConfig

    return config.instance_of(RetryConfig, "a RetryConfig, or None to disable retries")(value)


# The one table of per-call checks; OpenRouterCore checks its own options with the same functions.
_CHECKS: tuple[tuple[str, Callable[[object], Any]], ...] = (
    ("retries", _retries),
    ("retry_codes", config.retry_codes),
    ("timeout_ms", config.timeout_ms),
    ("server_url", config.server_url),
    ("headers", config.headers),
    ("max_response_bytes", config.positive_int),
    ("follow_redirects", config.boolean),
    ("extensions", config.mapping),
    ("extra_body", config.mapping),
)


@attrs.frozen(kw_only=True)
class RequestOptions:
    """Options for one call; each left ``NOT_GIVEN`` falls back to the core's setting.

    Every value is checked here, when the options are built: a wrong one raises a one-line
    ``TypeError`` or ``ValueError`` naming the option.

    Args:
        retries: the retry policy for this call; ``None`` disables retries.
        retry_codes: statuses to retry, exact (``429``) or by family (``"5XX"``).
        timeout_ms: per-attempt timeout in milliseconds; ``None``: the SDK adds none (an injected
            client's own timeout still applies).
        server_url: the base URL for this call.
        headers: extra headers, applied over the operation's own. ``User-Agent`` and ``Cookie``
            cannot be set here; an ``Authorization`` replaces the key for this call.
        max_response_bytes: the largest body read before giving up with ``ResponseTooLargeError``.
        follow_redirects: follow redirects for this call (an operation with side effects follows
            at most one, so it is never re-sent in a loop).
        extensions: httpx request extensions (``sni_hostname``, ``trace``, ...).
        extra_body: raw fields merged into the JSON body, for API features newer than the SDK;
            they are sent as given, without validation, and win over the request's own fields.
    """

    retries: RetryConfig | NotGiven | None = NOT_GIVEN
    retry_codes: Sequence[int | str] | NotGiven = NOT_GIVEN
    timeout_ms: float | NotGiven | None = NOT_GIVEN
    server_url: str | NotGiven = NOT_GIVEN
    headers: Mapping[str, str] | NotGiven = attrs.field(default=NOT_GIVEN, repr=_redacted_headers_repr)
    max_response_bytes: int | NotGiven = NOT_GIVEN
    follow_redirects: bool | NotGiven = NOT_GIVEN
    extensions: Mapping[str, object] | NotGiven = NOT_GIVEN
    extra_body: Mapping[str, object] | NotGiven = NOT_GIVEN

    def __attrs_post_init__(self) -> None:
        for name, checker in _CHECKS:
            value = getattr(self, name)
            if value is not NOT_GIVEN:
                object.__setattr__(self, name, config.check(name, checker, value))


NO_OPTIONS = RequestOptions()
