"""Hooks: caller code that runs around every attempt."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

import attrs
import httpx

if TYPE_CHECKING:
    from openrouter_core._retries import RetryConfig

__all__ = ["AfterErrorHook", "AfterSuccessHook", "BeforeRequestHook", "HookContext", "Hooks"]


@attrs.frozen
class HookContext:
    """What a hook knows about the attempt it runs in.

    Attributes:
        operation_id: the API operation, e.g. ``"getCredits"``.
        base_url: the server URL in force for this call.
        attempt: 1 for the first attempt, 2 for the first retry, and so on.
        retry_config: the retry policy in force for this call.
    """

    operation_id: str
    base_url: str
    attempt: int
    retry_config: RetryConfig


BeforeRequestHook = Callable[[HookContext, httpx.Request], httpx.Request | Awaitable[httpx.Request]]
"""Receives the request about to be sent; returns it, or a replacement."""

AfterSuccessHook = Callable[[HookContext, httpx.Response], httpx.Response | Awaitable[httpx.Response]]
"""Receives a response whose status is below 400; returns it, or a replacement."""

AfterErrorHook = Callable[
    [HookContext, httpx.Response | None, BaseException | None],
    httpx.Response | Awaitable[httpx.Response | None] | None,
]
"""Receives a 4xx/5xx response, or the transport exception when no response arrived.

Return ``None`` to keep the outcome, or a response to use instead (one with its body read).
"""


def _as_tuple(hooks: Sequence[object]) -> tuple[object, ...]:
    return tuple(hooks)


@attrs.frozen(kw_only=True)
class Hooks:
    """The hooks of a core, each list run in order, each hook receiving the previous one's output.

    Async calls accept both plain and ``async def`` hooks; sync calls need plain ones.
    A hook that raises ends the call with ``Err(UnexpectedClientError)`` naming the hook.
    """

    before_request: Sequence[BeforeRequestHook] = attrs.field(default=(), converter=_as_tuple)
    after_success: Sequence[AfterSuccessHook] = attrs.field(default=(), converter=_as_tuple)
    after_error: Sequence[AfterErrorHook] = attrs.field(default=(), converter=_as_tuple)


NO_HOOKS = Hooks()
