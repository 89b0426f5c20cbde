"""Hooks: caller code that runs around every attempt."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

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
"""Receives the request about to be sent; must return it, or a replacement ``httpx.Request``."""

AfterSuccessHook = Callable[[HookContext, httpx.Response], httpx.Response | Awaitable[httpx.Response]]
"""Receives a response whose status is below 400; must return it, or a replacement ``httpx.Response``."""

AfterErrorHook = Callable[
    [HookContext, httpx.Response | None, BaseException | None],
    httpx.Response | Awaitable[httpx.Response | None] | None,
]
"""Receives a 4xx/5xx response, or the transport exception when no response arrived.

Return ``None`` to keep the outcome, or a response to use instead.
"""


def _callables(instance: Any, attribute: Any, value: Any) -> None:
    name = attribute.name
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise TypeError(f"{name}: expected a list of callables, got {type(value).__name__}")
    for index, hook in enumerate(value):
        if not callable(hook):
            raise TypeError(f"{name}[{index}]: expected a callable hook, got {type(hook).__name__}")


@attrs.frozen(kw_only=True)
class Hooks:
    """The hooks of a core, each list run in order, each hook receiving the previous one's output.

    Async calls accept both plain and ``async def`` hooks; sync calls need plain ones.
    A hook that raises, or returns something other than what its kind must return, ends the call
    with ``Err(UnexpectedClientError)`` naming the hook.
    """

    before_request: Sequence[BeforeRequestHook] = attrs.field(default=(), validator=_callables)
    after_success: Sequence[AfterSuccessHook] = attrs.field(default=(), validator=_callables)
    after_error: Sequence[AfterErrorHook] = attrs.field(default=(), validator=_callables)

    def __attrs_post_init__(self) -> None:
        for name in ("before_request", "after_success", "after_error"):
            object.__setattr__(self, name, tuple(getattr(self, name)))  # frozen: later edits to a list do nothing

    def __bool__(self) -> bool:
        return bool(self.before_request or self.after_success or self.after_error)


NO_HOOKS = Hooks()
