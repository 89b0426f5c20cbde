"""httpx transports that answer from the fake without a socket.

Faults turn into the exceptions httpx raises against a real server doing the same thing
(checked against the socket server in the tests), and waits honour the request's read timeout:

- a delay or a stream's pause longer than the read timeout, or a hang: ``httpx.ReadTimeout`` once
  the read timeout has passed (with no timeout, the fake's ``hang_limit`` ends it as a dropped
  connection);
- ``Fault.DROP``: ``httpx.RemoteProtocolError`` ("Server disconnected without sending a response.");
- an incomplete body (``Fault.DROP_MID_BODY``, ``FakeStream(drop_after=...)``): the response, whose
  body raises ``httpx.RemoteProtocolError`` where it stops;
- ``Fault.RESET``: ``httpx.ReadError`` ("Connection reset by peer").
"""

from __future__ import annotations

import asyncio
import enum
import math
from collections.abc import AsyncIterator, Iterator
from typing import NamedTuple

import httpx

from openrouter.testing._fake import FakeAPI
from openrouter.testing._requests import RecordedRequest
from openrouter.testing._wire import Fault, Reply, reason_phrase

__all__ = ["AsyncFakeTransport", "FakeTransport"]


class _Then(enum.Enum):
    GO_ON = "go_on"
    CLOSE = "close"  # the server gave up (hang_limit) or stopped: the connection closes
    TIME_OUT = "time_out"


class _Wait(NamedTuple):
    seconds: float
    then: _Then


def _plan(seconds: float, request: httpx.Request, hang_limit: float) -> _Wait:
    """How long the client waits, and what happens then: whichever of server and client acts first."""
    server_at, server_then = (hang_limit, _Then.CLOSE) if seconds > hang_limit else (seconds, _Then.GO_ON)
    timeouts = request.extensions.get("timeout") or {}
    read_timeout = timeouts.get("read")
    if read_timeout is not None and read_timeout < server_at:
        return _Wait(float(read_timeout), _Then.TIME_OUT)
    return _Wait(server_at, server_then)


def _record(request: httpx.Request, body: bytes) -> RecordedRequest:
    raw_path, _, query = request.url.raw_path.decode("ascii", "replace").partition("?")
    return RecordedRequest(
        method=request.method,
        path=raw_path,
        query=query,
        body=body,
        raw_headers=tuple(request.headers.multi_items()),
    )


def _incomplete(reply: Reply, sent: int, request: httpx.Request) -> httpx.RemoteProtocolError:
    length = reply.length
    detail = "incomplete chunked read" if length is None else f"received {sent} bytes, expected {length}"
    return httpx.RemoteProtocolError(
        f"peer closed connection without sending complete message body ({detail})", request=request
    )


def _body_steps(reply: Reply, request: httpx.Request, hang_limit: float) -> Iterator[bytes | _Wait]:
    """The body's bytes and the waits between them, ending with the error of an incomplete body."""
    sent = 0
    pieces = reply.pieces() if reply.pieces is not None else iter([reply.body])
    for piece in pieces:
        if isinstance(piece, float):
            wait = _plan(piece, request, hang_limit)
            yield wait
            if wait.then is _Then.TIME_OUT:
                raise httpx.ReadTimeout("timed out", request=request)
            if wait.then is _Then.CLOSE:
                raise _incomplete(reply, sent, request)
        elif piece:
            sent += len(piece)
            yield piece
    if reply.cut:
        raise _incomplete(reply, sent, request)


class _Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body sent piece by piece, with the fake's pauses and cuts."""

    def __init__(self, fake: FakeAPI, reply: Reply, request: httpx.Request) -> None:
        self._fake = fake
        self._reply = reply
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        for step in _body_steps(self._reply, self._request, self._fake.hang_limit):
            if isinstance(step, _Wait):
                if self._fake._wait_released(step.seconds) and step.then is _Then.GO_ON:
                    raise _incomplete(self._reply, 0, self._request)  # the fake was closed meanwhile
            else:
                yield step

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for step in _body_steps(self._reply, self._request, self._fake.hang_limit):
            if isinstance(step, _Wait):
                await asyncio.sleep(step.seconds)
            else:
                yield step


def _answer(fake: FakeAPI, reply: Reply, then: _Then, request: httpx.Request) -> httpx.Response:
    """The response, or the exception httpx would raise, once the wait before it is over."""
    if then is _Then.TIME_OUT:
        raise httpx.ReadTimeout("timed out", request=request)
    if then is _Then.CLOSE or reply.fault is Fault.DROP:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
    if reply.fault is Fault.RESET:
        raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)
    extensions = {"http_version": b"HTTP/1.1", "reason_phrase": reason_phrase(reply.status).encode()}
    headers = list(reply.headers)
    if request.method == "HEAD":  # the length, never the body
        return httpx.Response(reply.status, headers=headers, content=b"", request=request, extensions=extensions)
    if reply.pieces is None and not reply.cut:
        return httpx.Response(reply.status, headers=headers, content=reply.body, request=request, extensions=extensions)
    stream = _Body(fake, reply, request)
    return httpx.Response(reply.status, headers=headers, stream=stream, request=request, extensions=extensions)


def _first_wait(reply: Reply, request: httpx.Request, hang_limit: float) -> _Wait:
    return _plan(math.inf if reply.fault is Fault.HANG else reply.delay, request, hang_limit)


class FakeTransport(httpx.BaseTransport):
    """A sync httpx transport answering from the fake; see the module docstring for faults."""

    def __init__(self, fake: FakeAPI) -> None:
        self._fake = fake

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Record the request and return the fake's answer (or raise its fault)."""
        reply = self._fake.handle(_record(request, request.read()))
        wait = _first_wait(reply, request, self._fake.hang_limit)
        then = wait.then
        if wait.seconds > 0 and self._fake._wait_released(wait.seconds) and then is _Then.GO_ON:
            then = _Then.CLOSE  # the fake was closed while the answer was delayed
        return _answer(self._fake, reply, then, request)


class AsyncFakeTransport(httpx.AsyncBaseTransport):
    """The async twin of ``FakeTransport`` (asyncio)."""

    def __init__(self, fake: FakeAPI) -> None:
        self._fake = fake

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Record the request and return the fake's answer (or raise its fault)."""
        reply = self._fake.handle(_record(request, await request.aread()))
        wait = _first_wait(reply, request, self._fake.hang_limit)
        if wait.seconds > 0:
            await asyncio.sleep(wait.seconds)
        return _answer(self._fake, reply, wait.then, request)
