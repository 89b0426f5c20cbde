"""What an operation hands over open: server-sent event streams and binary downloads.

Iterating a stream never raises: when it fails (an in-band ``error`` event, a malformed event,
a dropped connection, an end without ``[DONE]``, a silence longer than the timeout), iteration
ends and ``stream.error`` holds the typed error; it is ``None`` after a clean end. The events
before the failure have been delivered. The facade's ``RaisingStream`` raises that error from the
loop instead. The connection is closed on every way out: the end, ``break``, an exception in the
caller's loop, ``close()``, the ``with`` block, and garbage collection.

Downloads follow the same rule: ``BinaryResponse.iter_bytes()`` ends early with ``.error`` set,
``read()`` and ``write_to()`` return Results; the facade's ``RaisingBinaryResponse`` raises.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from openrouter_core import _errors as errors
from openrouter_core._closing import AsyncClosing, Closing
from openrouter_core._drivers import araw_chunks, raw_chunks
from openrouter_core._result import Err, Ok
from openrouter_core._serde import DecodeFailure, decode_json, decoder_for

if TYPE_CHECKING:
    from openrouter_core._prepare import Plan
    from openrouter_core._redact import Secrets
    from openrouter_core._result import Result

__all__ = ["AsyncRaisingStream", "AsyncStream", "RaisingStream", "Stream", "open_value"]

T = TypeVar("T")
F = TypeVar("F")


# --- the sans-I/O part: bytes in, events (or the failure) out ------------------------------------


def _status_from(code: object) -> int | None:
    if isinstance(code, int) and not isinstance(code, bool):
        return code
    if isinstance(code, str):
        return int(code) if code.isdigit() else errors.ERROR_TYPE_STATUS.get(code)
    return None


def _inband(data: object) -> tuple[int | None, str, Any] | None:
    """``(status, message, the error object)`` when an event reports a failure, else ``None``.

    OpenRouter's chat chunks carry a top-level ``error`` (``code``, ``message``, ``metadata``);
    Responses has ``error`` and ``response.failed`` events; Messages and Images an ``error`` event.
    """
    if not isinstance(data, dict):
        return None
    kind = data.get("type")
    error = data.get("error")
    if kind == "response.failed":
        response = data.get("response")
        error = response.get("error") if isinstance(response, dict) else None
        error = error if isinstance(error, dict) else {"message": "the response failed"}
    elif kind == "error" and not isinstance(error, dict):
        error = data  # Responses: code and message at the top level
    if not isinstance(error, dict) or (kind not in ("error", "response.failed") and "message" not in error):
        return None
    status = None
    for key in ("code", "type", "error_type"):
        status = status or _status_from(error.get(key))
    message = error.get("message")
    return status, message if isinstance(message, str) else json.dumps(error)[:300], error


def _name(model: Any) -> str:
    return str(getattr(model, "__name__", None) or getattr(model, "name", model))


class _Events:
    """A stream's state: raw bytes in; event models, the end, or the typed failure out."""

    def __init__(
        self, response: httpx.Response, model: Any, sentinel: str | None, plan: Plan, secrets: Secrets
    ) -> None:
        from openrouter_core._decoding import body_decoder
        from openrouter_core._sse import SSEDecoder

        self.response = response
        self.model = model
        self.sentinel = sentinel
        self.plan = plan
        self.secrets = secrets
        self.sse = SSEDecoder(max_event_bytes=plan.limit)
        self.body = body_decoder(response, sys.maxsize)
        self.encoded = not self.body.identity
        self._decode_one = decoder_for(model)
        # The data of each event delivered, kept (as text: strings cost the garbage collector
        # nothing) only when the stream can be assembled into a result; collect() decodes again
        # those a loop took before it.
        self.texts: list[str] | None = None
        self.index = 0
        self.finished = False  # the end marker, a failure, or the caller closed it
        self.error: errors.OpenRouterSDKError | None = None

    def feed(self, raw: bytes) -> list[Any]:
        out: list[Any] = []
        sentinel = self.sentinel
        decode_one = self._decode_one
        try:
            for text in self.sse.feed_data(b"".join(self.body.iter_pieces(raw)) if self.encoded else raw):
                if text == sentinel:
                    self.finished = True
                    break
                self.index += 1
                try:
                    data = decode_json(text)
                    if data.__class__ is dict and ("error" in data or "type" in data):
                        found = _inband(data)
                        if found is not None:
                            self._inband_error(*found)
                            break
                    out.append(decode_one(data))
                    if self.texts is not None:
                        self.texts.append(text)
                except DecodeFailure as failure:
                    self._invalid(failure, self.index - 1, text)
                    break
        except Exception as exc:
            self.fail(exc)
        return out

    def _invalid(self, failure: DecodeFailure, index: int, text: str) -> None:
        path = f"$[{index}]{failure.path[1:]}"
        reason = self.secrets.redact(failure.reason)
        self._set_error(
            errors.ResponseValidationError(
                f"stream event {index} does not match {_name(self.model)} at {path}: {reason}",
                response=self.response,
                body=self.secrets.redact(text[:1000]),
                path=path,
                reason=reason,
                request=self.response.request,
            )
        )

    def _inband_error(self, status: int | None, message: str, payload: Any) -> None:
        text = errors.one_line(self.secrets.redact(message))
        status_class = errors.status_error_class(status) if status is not None else None
        body = self.secrets.redact(json.dumps(payload)[:1000])
        error: errors.OpenRouterError
        if status_class is None:
            shown = f" (error {status})" if status is not None else ""
            error = errors.OpenRouterDefaultError(
                f"stream error{shown}: {text}", response=self.response, body=body, request=self.response.request
            )
        else:
            error = status_class(
                f"stream error {status} {status_class.reason}: {text}",
                response=self.response,
                body=body,
                request=self.response.request,
                payload=payload,
                status_code=status,
            )
        self._set_error(error)

    def _set_error(self, error: errors.OpenRouterSDKError) -> None:
        if self.error is None:
            self.error = error
        self.finished = True

    def end(self) -> None:
        """The body ended: clean after the end marker (or for streams that have none), else truncated."""
        if self.finished:
            return
        self.finished = True
        if self.sentinel is not None:
            where = f"{self.response.request.method} {self.secrets.redact(str(self.response.request.url))}"
            self.error = errors.IncompleteStreamError(
                f"the stream ended before {self.sentinel} after {self.index} events: {where}",
                request=self.response.request,
            )

    def fail(self, exc: BaseException) -> None:
        """The body failed while arriving: the typed error for what happened."""
        if self.finished and self.error is not None:
            return
        from openrouter_core._actions import SendFailure
        from openrouter_core._decoding import UndecodableBody
        from openrouter_core._response import failure_error
        from openrouter_core._sse import EventTooLargeError

        kind = "too_large" if isinstance(exc, EventTooLargeError) else "other"
        kind = "undecodable" if isinstance(exc, UndecodableBody) else kind
        timeout = self.plan.timeout_s if isinstance(self.plan.timeout_s, float) else None
        request = self.response.request
        error = failure_error(
            SendFailure(exc, kind), request, self.response, timeout, self.secrets, self.plan.limit, closed=False
        )
        self._set_error(error)


# --- streams -------------------------------------------------------------------------------------


class _StreamBase(Generic[T, F]):
    """What sync and async streams share: the state, the headers, and assembling a final result."""

    def __init__(self, events: _Events, assemble: Callable[[list[T]], F] | None) -> None:
        self._events = events
        self._assemble = assemble
        if assemble is not None:
            events.texts = []

    @property
    def response(self) -> httpx.Response:
        """The HTTP response whose body is the stream."""
        return self._events.response

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (OpenRouter sends ``X-Generation-Id``)."""
        return self._events.response.headers

    @property
    def generation_id(self) -> str | None:
        """The ``X-Generation-Id`` header, when the server sent one."""
        value: str | None = self._events.response.headers.get("x-generation-id")
        return value

    @property
    def error(self) -> errors.OpenRouterSDKError | None:
        """Why the stream failed, once it has; ``None`` while it runs and after a clean end."""
        return self._events.error

    def _result(self, rest: list[T]) -> Result[F, errors.OpenRouterSDKError]:
        """The assembled result, from ``rest`` (the events collect() read) and those delivered before."""
        from openrouter_core._result import HTTPExchange

        exchange = HTTPExchange(self._events.response.request, self._events.response, 1)
        if self._events.error is not None:
            return Err(self._events.error, exchange)
        texts = self._events.texts
        if self._assemble is None or texts is None:
            raise TypeError("this stream has no final result to assemble; iterate it instead")
        try:
            decode_one = self._events._decode_one
            delivered = [decode_one(decode_json(text)) for text in texts[: len(texts) - len(rest)]]
            return Ok(self._assemble([*delivered, *rest]), exchange)
        except (ValueError, TypeError, AttributeError) as exc:  # events that do not add up to a result
            response = self._events.response
            error = errors.ResponseValidationError(
                f"the stream's events do not assemble into a result: {exc}",
                response=response,
                body="",
                path="$",
                reason=str(exc),
                request=response.request,
            )
            return Err(error, exchange)


def _run(events: _Events) -> Generator[Any, None, None]:
    response = events.response
    try:
        # iter_raw straight, one generator less per chunk, unless the body was read already.
        for raw in raw_chunks(response) if hasattr(response, "_content") else response.iter_raw():
            items = events.feed(raw)
            yield from items
            if events.finished:
                return
        events.end()
    except Exception as exc:
        events.fail(exc)
    finally:
        events.response.close()


async def _arun(events: _Events) -> AsyncGenerator[Any, None]:
    response = events.response
    try:
        async for raw in araw_chunks(response) if hasattr(response, "_content") else response.aiter_raw():
            items = events.feed(raw)
            for item in items:
                yield item
            if events.finished:
                return
        events.end()
    except Exception as exc:
        events.fail(exc)
    finally:
        await events.response.aclose()


class Stream(_StreamBase[T, F], Closing):
    """The events of a server-sent event stream, decoded, one at a time (sync).

    Use it in a ``with`` block, or iterate it to the end; ``close()`` ends it early.
    """

    def __init__(self, events: _Events, assemble: Callable[[list[T]], F] | None = None) -> None:
        super().__init__(events, assemble)
        # The generator holds the state, not the stream: dropping the stream closes the connection.
        self._iterator: Generator[T, None, None] = _run(events)

    def __iter__(self) -> Iterator[T]:
        # A fresh generator per loop: when the loop ends early (break, an exception), it is closed
        # at once, and closing it closes the stream.
        yield from self._iterator

    def __next__(self) -> T:
        return next(self._iterator)

    def collect(self) -> Result[F, errors.OpenRouterSDKError]:
        """Read the rest and assemble what the non-streaming call would have returned, or the stream's ``Err``."""
        return self._result(list(self._iterator))

    def close(self) -> None:
        """Stop reading and close the connection (safe to call twice)."""
        self._iterator.close()
        self._events.response.close()

    def __del__(self) -> None:
        response = self.__dict__.get("_events")
        if response is not None and not response.response.is_closed:
            response.response.close()

    def raising(self) -> RaisingStream[T, F]:
        """The same stream, raising its error from the loop (what the facade returns)."""
        return RaisingStream(self)


class RaisingStream(Generic[T, F], Closing):
    """A ``Stream`` whose loop raises the stream's error when it fails (the client object's streams)."""

    def __init__(self, stream: Stream[T, F]) -> None:
        self.stream = stream

    def __iter__(self) -> Iterator[T]:
        yield from self.stream
        if self.stream.error is not None:
            raise self.stream.error

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.stream.headers

    @property
    def generation_id(self) -> str | None:
        """The ``X-Generation-Id`` header, when the server sent one."""
        return self.stream.generation_id

    def collect(self) -> F:
        """Read the rest and return the assembled result; raises the stream's error."""
        return self.stream.collect().unwrap()

    def close(self) -> None:
        """Stop reading and close the connection."""
        self.stream.close()


def _close_later(response: httpx.Response) -> None:
    import asyncio

    task = asyncio.ensure_future(response.aclose())
    _BACKGROUND.add(task)
    task.add_done_callback(_BACKGROUND.discard)


_BACKGROUND: set[Any] = set()


class AsyncStream(_StreamBase[T, F], AsyncClosing):
    """The events of a server-sent event stream, decoded, one at a time (async).

    Use it in an ``async with`` block, or iterate it to the end; ``aclose()`` ends it early.
    """

    def __init__(self, events: _Events, assemble: Callable[[list[T]], F] | None = None) -> None:
        super().__init__(events, assemble)
        import asyncio

        self._loop = asyncio.get_running_loop()
        self._iterator: AsyncGenerator[T, None] = _arun(events)

    async def __aiter__(self) -> AsyncIterator[T]:
        # A fresh async generator per loop: after a `break`, asyncio finalizes it on the loop, which
        # closes the stream; `aclose()` or `async with` close it at once.
        async for item in self._iterator:
            yield item

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def collect(self) -> Result[F, errors.OpenRouterSDKError]:
        """Read the rest and assemble what the non-streaming call would have returned, or the stream's ``Err``."""
        return self._result([event async for event in self._iterator])

    async def aclose(self) -> None:
        """Stop reading and close the connection (safe to call twice)."""
        await self._iterator.aclose()
        await self._events.response.aclose()

    def __del__(self) -> None:
        # Dropped unclosed: close it on its loop, if that loop still runs.
        events, loop = self.__dict__.get("_events"), self.__dict__.get("_loop")
        if events is not None and loop is not None and not events.response.is_closed and not loop.is_closed():
            loop.call_soon_threadsafe(_close_later, events.response)

    def raising(self) -> AsyncRaisingStream[T, F]:
        """The same stream, raising its error from the loop (what the facade returns)."""
        return AsyncRaisingStream(self)


class AsyncRaisingStream(Generic[T, F], AsyncClosing):
    """An ``AsyncStream`` whose loop raises the stream's error when it fails."""

    def __init__(self, stream: AsyncStream[T, F]) -> None:
        self.stream = stream

    async def __aiter__(self) -> AsyncIterator[T]:
        async for item in self.stream:
            yield item
        if self.stream.error is not None:
            raise self.stream.error

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.stream.headers

    @property
    def generation_id(self) -> str | None:
        """The ``X-Generation-Id`` header, when the server sent one."""
        return self.stream.generation_id

    async def collect(self) -> F:
        """Read the rest and return the assembled result; raises the stream's error."""
        return (await self.stream.collect()).unwrap()

    async def aclose(self) -> None:
        """Stop reading and close the connection."""
        await self.stream.aclose()


def open_value(encoding: str, spec: Any, response: httpx.Response, plan: Plan, secrets: Secrets) -> Any:
    """The value an ``Ok`` hands over open: a stream (``encoding`` ``"sse"``) or a download (``"binary"``)."""
    from openrouter_core._prepare import model_class

    if encoding == "binary":
        from openrouter_core._downloads import AsyncBinaryResponse, BinaryResponse, _Body

        body = _Body(response, plan, secrets)
        return AsyncBinaryResponse(body) if plan.asynchronous else BinaryResponse(body)
    events = _Events(response, model_class(spec.event_model), spec.sentinel, plan, secrets)
    assemble = model_class(spec.assemble) if spec.assemble else None
    return AsyncStream(events, assemble) if plan.asynchronous else Stream(events, assemble)
