"""Binary bodies (audio, video, files), handed over unread so they are never held whole in memory.

``BinaryResponse`` (sync) and ``AsyncBinaryResponse``: ``iter_bytes()`` / ``aiter_bytes()`` yield
the body a piece at a time and end early with ``.error`` set when it fails; ``read()`` /
``aread()`` and ``write_to(path)`` / ``awrite_to(path)`` return a ``Result``. The client object's
``Raising...`` variants raise instead. The connection closes at the end, on ``close()``, in a
``with`` block, and when the object is garbage collected.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

from openrouter_core._closing import AsyncClosing, Closing
from openrouter_core._drivers import araw_chunks, raw_chunks
from openrouter_core._result import Err, HTTPExchange, Ok

if TYPE_CHECKING:
    import httpx

    from openrouter_core._errors import OpenRouterSDKError
    from openrouter_core._prepare import Plan
    from openrouter_core._redact import Secrets
    from openrouter_core._result import Result

__all__ = ["AsyncBinaryResponse", "AsyncRaisingBinaryResponse", "BinaryResponse", "RaisingBinaryResponse"]

PathLike = str | os.PathLike[str]


class _Body:
    """The shared state: the response, its decoder, and the failure, if any."""

    def __init__(self, response: httpx.Response, plan: Plan, secrets: Secrets) -> None:
        from openrouter_core._decoding import body_decoder

        self.response = response
        self.plan = plan
        self.secrets = secrets
        # Streamed to the caller a bounded piece at a time, so no total size limit applies here.
        self.decoder = body_decoder(response, sys.maxsize)
        self.error: OpenRouterSDKError | None = None
        self.done = False

    def fail(self, exc: BaseException) -> None:
        from openrouter_core._actions import SendFailure
        from openrouter_core._decoding import UndecodableBody
        from openrouter_core._response import failure_error

        kind = "undecodable" if isinstance(exc, UndecodableBody) else "other"
        timeout = self.plan.timeout_s if isinstance(self.plan.timeout_s, float) else None
        self.error = failure_error(
            SendFailure(exc, kind),
            self.response.request,
            self.response,
            timeout,
            self.secrets,
            self.plan.limit,
            closed=False,
        )

    def result(self, value: Any) -> Result[Any, OpenRouterSDKError]:
        exchange = HTTPExchange(self.response.request, self.response, 1)
        return Err(self.error, exchange) if self.error is not None else Ok(value, exchange)


class _Info:
    _body: _Body

    @property
    def response(self) -> httpx.Response:
        """The HTTP response (its body unread until you read it)."""
        return self._body.response

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self._body.response.headers

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header (``audio/mpeg``, ``video/mp4``, ...)."""
        return str(self._body.response.headers.get("content-type", ""))

    @property
    def error(self) -> OpenRouterSDKError | None:
        """Why reading the body failed, once it has; ``None`` otherwise."""
        return self._body.error


class BinaryResponse(_Info, Closing):
    """A binary body to read as it arrives (sync)."""

    def __init__(self, body: _Body) -> None:
        self._body = body

    def iter_bytes(self) -> Iterator[bytes]:
        """The body, a piece at a time; ends early (with ``.error`` set) if it fails."""
        body = self._body
        if body.done:
            return
        body.done = True
        try:
            for raw in raw_chunks(body.response):
                yield from body.decoder.iter_pieces(raw)
            if tail := body.decoder.flush():
                yield tail
        except Exception as exc:
            body.fail(exc)
        finally:
            body.response.close()

    def read(self) -> Result[bytes, OpenRouterSDKError]:
        """The whole body, in memory."""
        data = b"".join(self.iter_bytes())
        return self._body.result(data)

    def write_to(self, path: PathLike) -> Result[int, OpenRouterSDKError]:
        """Stream the body into the file at ``path``; ``Ok(bytes written)``."""
        written = 0
        with open(path, "wb") as handle:
            for piece in self.iter_bytes():
                written += handle.write(piece)
        return self._body.result(written)

    def close(self) -> None:
        """Stop reading and close the connection."""
        self._body.done = True
        self._body.response.close()

    def __del__(self) -> None:
        body = self.__dict__.get("_body")
        if body is not None and not body.response.is_closed:
            body.response.close()

    def raising(self) -> RaisingBinaryResponse:
        """The same body, raising its error instead (what the facade returns)."""
        return RaisingBinaryResponse(self)


class RaisingBinaryResponse(_Info, Closing):
    """A ``BinaryResponse`` that raises the typed error when reading fails (the client object's downloads)."""

    def __init__(self, inner: BinaryResponse) -> None:
        self._inner = inner
        self._body = inner._body

    def iter_bytes(self) -> Iterator[bytes]:
        """The body, a piece at a time; raises if it fails."""
        yield from self._inner.iter_bytes()
        if self._body.error is not None:
            raise self._body.error

    def read(self) -> bytes:
        """The whole body, in memory."""
        return self._inner.read().unwrap()

    def write_to(self, path: PathLike) -> int:
        """Stream the body into the file at ``path``; the number of bytes written."""
        return self._inner.write_to(path).unwrap()

    def close(self) -> None:
        """Stop reading and close the connection."""
        self._inner.close()


class AsyncBinaryResponse(_Info, AsyncClosing):
    """A binary body to read as it arrives (async)."""

    def __init__(self, body: _Body) -> None:
        import asyncio

        self._body = body
        self._loop = asyncio.get_running_loop()

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The body, a piece at a time; ends early (with ``.error`` set) if it fails."""
        body = self._body
        if body.done:
            return
        body.done = True
        try:
            async for raw in araw_chunks(body.response):
                for piece in body.decoder.iter_pieces(raw):
                    yield piece
            if tail := body.decoder.flush():
                yield tail
        except Exception as exc:
            body.fail(exc)
        finally:
            await body.response.aclose()

    async def aread(self) -> Result[bytes, OpenRouterSDKError]:
        """The whole body, in memory."""
        pieces = [piece async for piece in self.aiter_bytes()]
        return self._body.result(b"".join(pieces))

    async def awrite_to(self, path: PathLike) -> Result[int, OpenRouterSDKError]:
        """Stream the body into the file at ``path``; ``Ok(bytes written)`` (piece-sized writes, on the loop)."""
        written = 0
        with open(path, "wb") as handle:
            async for piece in self.aiter_bytes():
                written += handle.write(piece)
        return self._body.result(written)

    async def aclose(self) -> None:
        """Stop reading and close the connection."""
        self._body.done = True
        await self._body.response.aclose()

    def __del__(self) -> None:
        body, loop = self.__dict__.get("_body"), self.__dict__.get("_loop")
        if body is not None and loop is not None and not body.response.is_closed and not loop.is_closed():
            from openrouter_core._streams import _close_later

            loop.call_soon_threadsafe(_close_later, body.response)

    def raising(self) -> AsyncRaisingBinaryResponse:
        """The same body, raising its error instead (what the facade returns)."""
        return AsyncRaisingBinaryResponse(self)


class AsyncRaisingBinaryResponse(_Info, AsyncClosing):
    """An ``AsyncBinaryResponse`` that raises the typed error when reading fails."""

    def __init__(self, inner: AsyncBinaryResponse) -> None:
        self._inner = inner
        self._body = inner._body

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The body, a piece at a time; raises if it fails."""
        async for piece in self._inner.aiter_bytes():
            yield piece
        if self._body.error is not None:
            raise self._body.error

    async def aread(self) -> bytes:
        """The whole body, in memory."""
        return (await self._inner.aread()).unwrap()

    async def awrite_to(self, path: PathLike) -> int:
        """Stream the body into the file at ``path``; the number of bytes written."""
        return (await self._inner.awrite_to(path)).unwrap()

    async def aclose(self) -> None:
        """Stop reading and close the connection."""
        await self._inner.aclose()
