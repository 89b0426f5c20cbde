"""What the flow asks its driver to do, and what a send reports back.

Plain slotted classes, not attrs: they are internal, built on every call, and each attrs class
costs import time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

__all__ = ["ReadBody", "ResolveKey", "RunHook", "Send", "SendFailure", "Sent", "Sleep"]


class ResolveKey:
    """Call the ``api_key`` callable (awaiting it under async)."""

    __slots__ = ("source",)

    def __init__(self, source: Callable[[], Any]) -> None:
        self.source = source


class RunHook:
    """Run one hook (awaiting it under async when it returns an awaitable)."""

    __slots__ = ("args", "hook", "kind")

    def __init__(self, kind: str, hook: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.kind = kind
        self.hook = hook
        self.args = args


class Send:
    """Send a request and read its body whole, or leave it open when its status streams.

    Attributes:
        request: what to send.
        timeout_s: the attempt's wall-clock bound, or ``None``.
        limit: the most decoded body bytes to read.
        max_redirects: redirects to follow (0: none; 1 for requests with side effects).
        open_statuses: statuses whose body is handed over unread (SSE, downloads).
        owned: the client is one the core created (its I/O honours the deadline by itself).
    """

    __slots__ = ("limit", "max_redirects", "open_statuses", "owned", "request", "timeout_s")

    def __init__(
        self,
        request: httpx.Request,
        *,
        timeout_s: float | None,
        limit: int,
        max_redirects: int,
        open_statuses: frozenset[int],
        owned: bool,
    ) -> None:
        self.request = request
        self.timeout_s = timeout_s
        self.limit = limit
        self.max_redirects = max_redirects
        self.open_statuses = open_statuses
        self.owned = owned


class Sleep:
    """Wait before the next attempt."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


class SendFailure:
    """Why a send produced no usable response.

    Attributes:
        exception: what was raised (an httpx exception, or one of the drivers' own).
        kind: how far the exchange got: ``"not_sent"``, ``"maybe_acted"`` or ``"other"``, plus the
            drivers' own ``"too_large"`` and ``"undecodable"`` (a response arrived; its body is bad).
    """

    __slots__ = ("exception", "kind")

    def __init__(self, exception: BaseException, kind: str) -> None:
        self.exception = exception
        self.kind = kind


class Sent:
    """The outcome of a ``Send``: a response (its body read, or open), a failure, or both."""

    __slots__ = ("body", "failure", "response")

    def __init__(self, response: httpx.Response | None, body: bytes | None, failure: SendFailure | None) -> None:
        self.response = response
        self.body = body  # None: the response was handed over unread (or none arrived)
        self.failure = failure


class AttemptDeadlineExceeded(Exception):
    """Raised by a driver when an attempt's body is still arriving at its deadline."""


class TransportCancelled(Exception):
    """The request was cancelled (by a transport or the core closing), but the calling task was not."""


class AsyncCallableInSyncCall(TypeError):
    """Raised by the sync driver when a hook or key callable returns an awaitable."""


class ReadBody:
    """Read an open response's body whole (bounded), then close it."""

    __slots__ = ("limit", "response", "timeout_s")

    def __init__(self, response: httpx.Response, limit: int, timeout_s: float | None) -> None:
        self.response = response
        self.limit = limit
        self.timeout_s = timeout_s


Action = ResolveKey | RunHook | Send | ReadBody | Sleep
