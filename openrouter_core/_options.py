"""Per-call options and the NOT_GIVEN sentinel."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final, Literal

import attrs

if TYPE_CHECKING:
    from openrouter_core._retries import RetryConfig

__all__ = ["NOT_GIVEN", "NotGiven", "RequestOptions"]


class NotGiven(enum.Enum):
    """The type of ``NOT_GIVEN``: "use the core's setting", where ``None`` means "disable"."""

    NOT_GIVEN = "NOT_GIVEN"

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> Literal[False]:
        return False


NOT_GIVEN: Final = NotGiven.NOT_GIVEN


SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})


def redacted_headers_repr(headers: object) -> str:
    """A repr of a header mapping with credential values replaced."""
    if not isinstance(headers, Mapping):
        return repr(headers)
    shown = {name: "[REDACTED]" if str(name).lower() in SENSITIVE_HEADERS else value for name, value in headers.items()}
    return repr(shown)


@attrs.frozen(kw_only=True)
class RequestOptions:
    """Options for one call; each left ``NOT_GIVEN`` falls back to the core's setting.

    Args:
        retries: the retry policy for this call; ``None`` disables retries.
        retry_codes: statuses to retry, exact (``429``) or by family (``"5XX"``).
        timeout_ms: per-attempt timeout in milliseconds; ``None`` disables it.
        server_url: the base URL for this call.
        headers: extra headers, applied over the operation's own. ``User-Agent`` and ``Cookie``
            cannot be set here.
        max_response_bytes: the largest body read before giving up with ``ResponseTooLargeError``.
        follow_redirects: let httpx follow redirects for this call.
        extensions: httpx request extensions (``sni_hostname``, ``trace``, ...).
    """

    retries: RetryConfig | NotGiven | None = NOT_GIVEN
    retry_codes: Sequence[int | str] | NotGiven = NOT_GIVEN
    timeout_ms: float | NotGiven | None = NOT_GIVEN
    server_url: str | NotGiven = NOT_GIVEN
    headers: Mapping[str, str] | NotGiven = attrs.field(default=NOT_GIVEN, repr=redacted_headers_repr)
    max_response_bytes: int | NotGiven = NOT_GIVEN
    follow_redirects: bool | NotGiven = NOT_GIVEN
    extensions: Mapping[str, object] | NotGiven = NOT_GIVEN
