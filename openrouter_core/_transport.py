"""The two drivers of ``call_flow``: the only code that differs between sync and async."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from openrouter_core._errors import OpenRouterSDKError
from openrouter_core._pipeline import (
    AsyncCallableInSyncCall,
    AttemptDeadlineExceeded,
    BodyFailed,
    Call,
    ResolveKey,
    Send,
    Sleep,
    TransportCancelled,
    call_flow,
)
from openrouter_core._result import Err, Ok

if TYPE_CHECKING:
    from openrouter_core._core import OpenRouterCore
    from openrouter_core._pipeline import Action, Flow

T = TypeVar("T")

__all__ = ["run_async", "run_sync"]


def _collect(response: httpx.Response, chunk: bytes, chunks: list[bytes], size: int, send: Send, now: float) -> int:
    size += len(chunk)
    if size > send.limit:
        raise BodyFailed(response, None)
    chunks.append(chunk)
    if send.deadline is not None and now > send.deadline:
        raise AttemptDeadlineExceeded("the response body was still arriving at the timeout")
    return size


def _finish(response: httpx.Response, chunks: list[bytes]) -> tuple[httpx.Response, bytes]:
    body = b"".join(chunks)
    # What httpx's own Response.read() stores, so response.content/.json() work for callers.
    response._content = body
    return response, body


def _send_sync(client: httpx.Client, send: Send, monotonic: Any) -> tuple[httpx.Response, bytes]:
    response = client.send(send.request, stream=True, follow_redirects=send.follow_redirects)
    try:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size = _collect(response, chunk, chunks, size, send, monotonic())
        return _finish(response, chunks)
    except httpx.DecodingError as exc:
        raise BodyFailed(response, exc) from exc
    finally:
        response.close()


async def _send_async(client: httpx.AsyncClient, send: Send, monotonic: Any) -> tuple[httpx.Response, bytes]:
    response = await client.send(send.request, stream=True, follow_redirects=send.follow_redirects)
    try:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size = _collect(response, chunk, chunks, size, send, monotonic())
        return _finish(response, chunks)
    except httpx.DecodingError as exc:
        raise BodyFailed(response, exc) from exc
    finally:
        await response.aclose()


def _settled(value: Any) -> Any:
    """A hook's replacement response, read so the flow can use its body."""
    if isinstance(value, httpx.Response) and not hasattr(value, "_content"):
        value.read()
    return value


def _perform_sync(action: Action, client: httpx.Client, core: OpenRouterCore) -> Any:
    if isinstance(action, Send):
        return _send_sync(client, action, core.clock.monotonic)
    if isinstance(action, Sleep):
        core.clock.sleep(action.seconds)
        return None
    fn, args = (action.source, ()) if isinstance(action, ResolveKey) else (action.hook, action.args)
    value = fn(*args)
    if inspect.isawaitable(value):
        if inspect.iscoroutine(value):
            value.close()  # never awaited on purpose; closing avoids a RuntimeWarning
        raise AsyncCallableInSyncCall(f"{getattr(fn, '__qualname__', fn)!s} is async; call the _async function instead")
    return _settled(value)


async def _perform_async(action: Action, client: httpx.AsyncClient, core: OpenRouterCore) -> Any:
    if isinstance(action, Send):
        return await _send_async(client, action, core.clock.monotonic)
    if isinstance(action, Sleep):
        sleep = core.clock.async_sleep
        if sleep is None:
            import asyncio

            sleep = asyncio.sleep
        await sleep(action.seconds)
        return None
    fn, args = (action.source, ()) if isinstance(action, ResolveKey) else (action.hook, action.args)
    value = fn(*args)
    if inspect.isawaitable(value):
        value = await value
    if isinstance(value, httpx.Response) and not hasattr(value, "_content"):
        await value.aread()
    return value


def _drive_sync(flow: Flow, client: httpx.Client, core: OpenRouterCore) -> Any:
    try:
        action = next(flow)
        while True:
            try:
                value = _perform_sync(action, client, core)
            except Exception as exc:
                action = flow.throw(exc)
            else:
                action = flow.send(value)
    except StopIteration as stop:
        return stop.value
    finally:
        flow.close()


async def _drive_async(flow: Flow, client: httpx.AsyncClient, core: OpenRouterCore) -> Any:
    import asyncio

    try:
        action = next(flow)
        while True:
            try:
                value = await _perform_async(action, client, core)
            except asyncio.CancelledError as exc:
                task = asyncio.current_task()
                cancelling = getattr(task, "cancelling", None)
                if cancelling is None or cancelling():
                    raise  # the caller cancelled us: let it propagate, as Python code must
                # Cancelled from inside (a transport or hook), while the caller was not.
                action = flow.throw(TransportCancelled(str(exc) or "cancelled"))
            except Exception as exc:
                action = flow.throw(exc)
            else:
                action = flow.send(value)
    except StopIteration as stop:
        return stop.value
    finally:
        flow.close()


def run_sync(core: OpenRouterCore, call: Call[T] | Err[OpenRouterSDKError]) -> Ok[T] | Err[OpenRouterSDKError]:
    """Run a prepared call with blocking I/O."""
    if isinstance(call, Err):
        return call
    client = core.sync_client()
    result: Ok[T] | Err[OpenRouterSDKError] = _drive_sync(call_flow(core, call, client), client, core)
    return result


async def run_async(core: OpenRouterCore, call: Call[T] | Err[OpenRouterSDKError]) -> Ok[T] | Err[OpenRouterSDKError]:
    """Run a prepared call on the running event loop."""
    if isinstance(call, Err):
        return call
    client = core.async_client()
    result: Ok[T] | Err[OpenRouterSDKError] = await _drive_async(call_flow(core, call, client), client, core)
    return result
