"""The two drivers of the flow: the only code that differs between sync and async.

A driver performs the actions the flow yields (resolve the key, run a hook, send, read, close,
sleep) and sends their results back in. Sends never raise into the flow: they return a ``Sent``
holding the response or the failure. Every response a driver opens is closed on every way out,
unless the flow hands it to the caller inside an ``Ok`` (a stream or a download).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import AsyncIterator, Generator, Iterator
from typing import TYPE_CHECKING, Any

import httpx

from openrouter_core._actions import (
    AsyncCallableInSyncCall,
    AttemptDeadlineExceeded,
    ReadBody,
    ResolveKey,
    Send,
    SendFailure,
    Sent,
    Sleep,
    TransportCancelled,
)
from openrouter_core._decoding import BodyTooLarge, UndecodableBody, body_decoder
from openrouter_core._errors import classify
from openrouter_core._network import bound_timeouts, deadline_scope, unbound_timeouts

if TYPE_CHECKING:
    from openrouter_core._core import Clock
    from openrouter_core._result import Err, Ok

__all__ = ["run_async", "run_sync"]

Flow = Generator[Any, Any, "Ok[Any] | Err[Any]"]


class BodyReader:
    """Collects a body from raw chunks: decoded with a bound at every layer, within the attempt's deadline."""

    __slots__ = ("_deadline", "_decoder", "_limit", "_parts", "_raw", "_response")

    def __init__(self, response: httpx.Response, limit: int, deadline: float | None) -> None:
        self._response = response
        self._decoder = body_decoder(response, limit)
        self._limit = limit
        self._deadline = deadline
        self._parts: list[bytes] = []
        self._raw = 0

    def feed(self, chunk: bytes) -> None:
        self._raw += len(chunk)
        if self._raw > self._limit:
            raise BodyTooLarge
        self._parts.append(self._decoder.feed(chunk))
        if self._deadline is not None and time.monotonic() > self._deadline and self._still_arriving():
            raise AttemptDeadlineExceeded("the response body was still arriving at the timeout")

    def _still_arriving(self) -> bool:
        # Late but complete is kept: only a body that is still arriving is cut off.
        length = self._response.headers.get("content-length", "")
        return not (length.isdigit() and len(length) < 19 and self._raw >= int(length))

    def finish(self) -> bytes:
        self._parts.append(self._decoder.flush())
        body = b"".join(self._parts)
        self._response._content = body  # what httpx's own read() stores: .content and .json() work
        return body


def _failure(exc: Exception) -> SendFailure:
    if isinstance(exc, BodyTooLarge):
        return SendFailure(exc, "too_large")
    if isinstance(exc, UndecodableBody):
        return SendFailure(exc, "undecodable")
    if isinstance(exc, AttemptDeadlineExceeded):
        return SendFailure(exc, "maybe_acted")
    return SendFailure(exc, classify(exc)[1])


def raw_chunks(response: httpx.Response) -> Iterator[bytes]:
    """The body as it arrives, undecoded; or, when httpx has read it already, its decoded content."""
    if hasattr(response, "_content"):  # already read (a hook's replacement, a mock's bytes): decoded
        response.headers.pop("content-encoding", None)
        yield response.content
        return
    yield from response.iter_raw()


async def araw_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    """The async twin of ``raw_chunks``."""
    if hasattr(response, "_content"):
        response.headers.pop("content-encoding", None)
        yield response.content
        return
    async for chunk in response.aiter_raw():
        yield chunk


def _deadline(timeout_s: float | None) -> float | None:
    return None if timeout_s is None else time.monotonic() + timeout_s


# --- sync ----------------------------------------------------------------------------------------


def _send_sync(client: httpx.Client, send: Send) -> Sent:
    deadline = _deadline(send.timeout_s)
    response: httpx.Response | None = None
    handed_over = False
    if deadline is not None:
        bound_timeouts(send.request, deadline)
    try:
        with deadline_scope(send.timeout_s):
            response = client.send(send.request, stream=True, follow_redirects=False)
            for _ in range(send.max_redirects):
                if response.next_request is None:
                    break
                response.close()
                response = client.send(response.next_request, stream=True, follow_redirects=False)
            if response.status_code in send.open_statuses:
                handed_over = True
                unbound_timeouts(response.request)
                return Sent(response, None, None)
            reader = BodyReader(response, send.limit, deadline)
            for chunk in raw_chunks(response):
                reader.feed(chunk)
            return Sent(response, reader.finish(), None)
    except Exception as exc:
        return Sent(response, None, _failure(exc))
    finally:
        if response is not None and not handed_over:
            response.close()


def _read_sync(read: ReadBody) -> Sent:
    response = read.response
    try:
        reader = BodyReader(response, read.limit, _deadline(read.timeout_s))
        for chunk in raw_chunks(response):
            reader.feed(chunk)
        return Sent(response, reader.finish(), None)
    except Exception as exc:
        return Sent(response, None, _failure(exc))
    finally:
        response.close()


def _replacement(value: Any, args: tuple[Any, ...]) -> bool:
    """A response a hook returned instead of the one it was given (whose body the SDK reads whole)."""
    given = args[1] if len(args) > 1 else None
    return isinstance(value, httpx.Response) and value is not given and not hasattr(value, "_content")


def _call_sync(fn: Any, args: tuple[Any, ...]) -> Any:
    value = fn(*args)
    if inspect.isawaitable(value):
        if inspect.iscoroutine(value):
            value.close()  # never awaited on purpose; closing avoids a RuntimeWarning
        raise AsyncCallableInSyncCall(f"{getattr(fn, '__qualname__', fn)!s} is async; call the _async function instead")
    if _replacement(value, args):
        value.read()
    return value


def _perform_sync(action: Any, client: httpx.Client, clock: Clock) -> Any:
    if isinstance(action, Send):
        return _send_sync(client, action)
    if isinstance(action, ReadBody):
        return _read_sync(action)
    if isinstance(action, Sleep):
        clock.sleep(action.seconds)
        return None
    if isinstance(action, ResolveKey):
        return _call_sync(action.source, ())
    return _call_sync(action.hook, action.args)


def _opened(value: Any) -> httpx.Response | None:
    if isinstance(value, Sent) and value.body is None and value.failure is None:
        return value.response
    return None


def _kept(result: Any) -> httpx.Response | None:
    # A response inside an Ok belongs to the caller now (a stream or a download).
    return result.exchange.response if result is not None and result.ok else None


def run_sync(flow: Flow, client: httpx.Client, clock: Clock) -> Ok[Any] | Err[Any]:
    """Drive ``flow`` with blocking I/O."""
    opened: list[httpx.Response] = []
    result: Ok[Any] | Err[Any] | None = None
    try:
        action = next(flow)
        while True:
            try:
                value = _perform_sync(action, client, clock)
            except Exception as exc:
                action = flow.throw(exc)
            else:
                if (response := _opened(value)) is not None:
                    opened.append(response)
                action = flow.send(value)
    except StopIteration as stop:
        result = stop.value
        return stop.value  # type: ignore[no-any-return]
    finally:
        flow.close()
        keep = _kept(result)
        for response in opened:
            if response is not keep:
                response.close()


# --- async ---------------------------------------------------------------------------------------


async def _send_async_now(client: httpx.AsyncClient, send: Send, deadline: float | None) -> Sent:
    response: httpx.Response | None = None
    handed_over = False
    if deadline is not None:
        bound_timeouts(send.request, deadline)
    try:
        with deadline_scope(send.timeout_s):
            response = await client.send(send.request, stream=True, follow_redirects=False)
            for _ in range(send.max_redirects):
                if response.next_request is None:
                    break
                await response.aclose()
                response = await client.send(response.next_request, stream=True, follow_redirects=False)
            if response.status_code in send.open_statuses:
                handed_over = True
                unbound_timeouts(response.request)
                return Sent(response, None, None)
            reader = BodyReader(response, send.limit, deadline)
            async for chunk in araw_chunks(response):
                reader.feed(chunk)
            return Sent(response, reader.finish(), None)
    except Exception as exc:
        return Sent(response, None, _failure(exc))
    finally:
        if response is not None and not handed_over:
            await response.aclose()


async def _send_async(client: httpx.AsyncClient, send: Send) -> Sent:
    deadline = _deadline(send.timeout_s)
    if send.owned or send.timeout_s is None:
        return await _send_async_now(client, send, deadline)
    # A caller's own client does not clamp its I/O to the attempt's deadline: cancel at it.
    import asyncio

    try:
        return await asyncio.wait_for(_send_async_now(client, send, deadline), send.timeout_s)
    except asyncio.TimeoutError:
        return Sent(None, None, SendFailure(AttemptDeadlineExceeded("the attempt used up its timeout"), "maybe_acted"))


async def _read_async(read: ReadBody) -> Sent:
    response = read.response
    try:
        reader = BodyReader(response, read.limit, _deadline(read.timeout_s))
        async for chunk in araw_chunks(response):
            reader.feed(chunk)
        return Sent(response, reader.finish(), None)
    except Exception as exc:
        return Sent(response, None, _failure(exc))
    finally:
        await response.aclose()


async def _call_async(fn: Any, args: tuple[Any, ...]) -> Any:
    value = fn(*args)
    if inspect.isawaitable(value):
        value = await value
    if _replacement(value, args):
        await value.aread()
    return value


async def _perform_async(action: Any, client: httpx.AsyncClient, clock: Clock) -> Any:
    if isinstance(action, Send):
        return await _send_async(client, action)
    if isinstance(action, ReadBody):
        return await _read_async(action)
    if isinstance(action, Sleep):
        if clock.async_sleep is None:
            import asyncio

            await asyncio.sleep(action.seconds)
        else:
            await clock.async_sleep(action.seconds)
        return None
    if isinstance(action, ResolveKey):
        return await _call_async(action.source, ())
    return await _call_async(action.hook, action.args)


def _cancelled_by_caller() -> bool:
    import asyncio

    task = asyncio.current_task()
    cancelling = getattr(task, "cancelling", None)
    return cancelling is None or bool(cancelling())


async def run_async(flow: Flow, client: httpx.AsyncClient, clock: Clock) -> Ok[Any] | Err[Any]:
    """Drive ``flow`` on the running event loop."""
    import asyncio

    opened: list[httpx.Response] = []
    result: Ok[Any] | Err[Any] | None = None
    try:
        action = next(flow)
        while True:
            try:
                value = await _perform_async(action, client, clock)
            except asyncio.CancelledError as exc:
                if _cancelled_by_caller():
                    raise  # the caller cancelled us: let it propagate, as Python code must
                cancelled = TransportCancelled(str(exc) or "cancelled")
                if isinstance(action, (Send, ReadBody)):  # sends report their failures; they never raise
                    response = action.response if isinstance(action, ReadBody) else None
                    action = flow.send(Sent(response, None, SendFailure(cancelled, "other")))
                else:
                    action = flow.throw(cancelled)
            except Exception as exc:
                action = flow.throw(exc)
            else:
                if (response := _opened(value)) is not None:
                    opened.append(response)
                action = flow.send(value)
    except StopIteration as stop:
        result = stop.value
        return stop.value  # type: ignore[no-any-return]
    finally:
        flow.close()
        keep = _kept(result)
        for response in opened:
            if response is not keep:
                await response.aclose()
