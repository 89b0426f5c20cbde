"""httpx transports that answer from a ``FakeOpenRouter`` without a socket.

Faults turn into the exceptions httpx raises against a real server doing the same thing
(checked against the socket server in the tests), and waits honour the request's read timeout:

- a delay longer than the read timeout, or a hang: ``httpx.ReadTimeout`` once the read timeout
  has passed (a hang with no timeout ends after the fake's ``hang_limit`` as a dropped connection);
- ``Fault.DROP``: ``httpx.RemoteProtocolError`` ("Server disconnected without sending a response.");
- ``Fault.DROP_MID_BODY``: the response, whose body raises ``httpx.RemoteProtocolError`` halfway;
- ``Fault.RESET``: ``httpx.ReadError`` ("Connection reset by peer").
"""

from __future__ import annotations

import asyncio
import enum
import math
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import httpx

from openrouter.testing._requests import RecordedRequest
from openrouter.testing._responses import FakeResponse, Fault, reason_phrase

if TYPE_CHECKING:
    from openrouter.testing._fake import FakeOpenRouter

__all__ = ["AsyncFakeTransport", "FakeTransport"]


class _Then(enum.Enum):
    ANSWER = "answer"
    CLOSE = "close"  # the server gave up (hang_limit): the connection closes unanswered
    TIME_OUT = "time_out"


def _plan(answer: FakeResponse, request: httpx.Request, hang_limit: float) -> tuple[float, _Then]:
    """How long the client waits, and what happens then: whichever of server and client acts first."""
    delay = math.inf if answer.fault is Fault.HANG else answer.delay
    server_at, server_then = (hang_limit, _Then.CLOSE) if delay > hang_limit else (delay, _Then.ANSWER)
    timeouts = request.extensions.get("timeout") or {}
    read_timeout = timeouts.get("read")
    if read_timeout is not None and read_timeout < server_at:
        return float(read_timeout), _Then.TIME_OUT
    return server_at, server_then


def _record(request: httpx.Request, body: bytes) -> RecordedRequest:
    path = request.url.path
    return RecordedRequest(
        method=request.method,
        path=path,
        query=request.url.query.decode("ascii", "replace"),
        body=body,
        raw_headers=tuple(request.headers.multi_items()),
    )


class _CutBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that stops halfway, the way a connection closed mid-response does."""

    def __init__(self, content: bytes, request: httpx.Request) -> None:
        self._part = content[: len(content) // 2]
        self._expected = len(content)
        self._request = request

    def _error(self) -> httpx.RemoteProtocolError:
        return httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body "
            f"(received {len(self._part)} bytes, expected {self._expected})",
            request=self._request,
        )

    def __iter__(self) -> Iterator[bytes]:
        if self._part:
            yield self._part
        raise self._error()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._part:
            yield self._part
        raise self._error()


def _outcome(answer: FakeResponse, then: _Then, request: httpx.Request) -> httpx.Response:
    """The response, or the exception httpx would raise, once the wait is over."""
    if then is _Then.TIME_OUT:
        raise httpx.ReadTimeout("timed out", request=request)
    if then is _Then.CLOSE or answer.fault is Fault.DROP:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
    if answer.fault is Fault.RESET:
        raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)
    extensions = {"http_version": b"HTTP/1.1", "reason_phrase": reason_phrase(answer.status).encode()}
    headers = answer.wire_headers()
    if answer.fault is Fault.DROP_MID_BODY:
        stream = _CutBody(answer.content(), request)
        return httpx.Response(answer.status, headers=headers, stream=stream, request=request, extensions=extensions)
    content = b"" if request.method == "HEAD" else answer.content()  # HEAD: the length, never the body
    return httpx.Response(answer.status, headers=headers, content=content, request=request, extensions=extensions)


class FakeTransport(httpx.BaseTransport):
    """A sync httpx transport answering from a ``FakeOpenRouter``; see the module docstring for faults."""

    def __init__(self, fake: FakeOpenRouter) -> None:
        self._fake = fake

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Record the request and return the fake's answer (or raise its fault)."""
        answer = self._fake.handle(_record(request, request.read()))
        wait, then = _plan(answer, request, self._fake.hang_limit)
        if wait > 0:
            self._fake._wait_released(wait)
        return _outcome(answer, then, request)


class AsyncFakeTransport(httpx.AsyncBaseTransport):
    """The async twin of ``FakeTransport`` (asyncio)."""

    def __init__(self, fake: FakeOpenRouter) -> None:
        self._fake = fake

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Record the request and return the fake's answer (or raise its fault)."""
        answer = self._fake.handle(_record(request, await request.aread()))
        wait, then = _plan(answer, request, self._fake.hang_limit)
        if wait > 0:
            await asyncio.sleep(wait)
        return _outcome(answer, then, request)
