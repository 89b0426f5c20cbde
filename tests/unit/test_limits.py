"""Body-size limits end in an Err without reading the rest; nesting never becomes a RecursionError."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

import openrouter_core as orc
from openrouter_core import Err, OpenRouterCore, RequestOptions
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from tests.helpers import Runner, Wire, make_core


class CountingStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """An endless body that counts how much of it was read."""

    def __init__(self, chunk: int = 64 * 1024) -> None:
        self.chunk = chunk
        self.read = 0

    def _next(self) -> bytes:
        self.read += self.chunk
        if self.read > 512 * 1024 * 1024:
            raise AssertionError("read far past the limit")
        return b" " * self.chunk

    def __iter__(self) -> Iterator[bytes]:
        while True:
            yield self._next()

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        while True:
            yield self._next()


def test_default_limit_is_generous() -> None:
    assert OpenRouterCore().max_response_bytes >= 32 * 1024 * 1024


@pytest.mark.parametrize("where", ["core", "options"])
def test_a_body_over_the_limit_is_an_err_and_reading_stops(run: Runner, where: str) -> None:
    stream = CountingStream()
    wire = Wire(lambda request: httpx.Response(200, headers={"content-type": "application/json"}, stream=stream))
    limit = 1024 * 1024
    core = make_core(wire, max_response_bytes=limit) if where == "core" else make_core(wire)
    options = RequestOptions(max_response_bytes=limit) if where == "options" else None
    result = run(credits_get_credits, credits_get_credits_async, core, None, options)
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.ResponseTooLargeError)
    assert result.error.limit == limit
    assert result.error.status_code == 200
    assert stream.read <= limit + stream.chunk
    assert "max_response_bytes" in str(result.error)


def test_an_error_status_over_the_limit_is_still_too_large(run: Runner) -> None:
    stream = CountingStream()
    wire = Wire(lambda request: httpx.Response(502, headers={"content-type": "text/html"}, stream=stream))
    result = run(
        credits_get_credits,
        credits_get_credits_async,
        make_core(wire, max_response_bytes=100_000),
        None,
        RequestOptions(retries=None),
    )
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.ResponseTooLargeError)
    assert result.error.status_code == 502


def test_a_gzip_bomb_is_limited_after_decompression(run: Runner) -> None:
    import gzip

    bomb = gzip.compress(b"0" * (20 * 1024 * 1024))
    wire = Wire(
        httpx.Response(
            200, headers={"content-type": "application/json", "content-encoding": "gzip"}, stream=httpx.ByteStream(bomb)
        )
    )
    result = run(credits_get_credits, credits_get_credits_async, make_core(wire, max_response_bytes=1024 * 1024))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.ResponseTooLargeError)


def test_a_body_that_is_not_gzip_is_a_validation_error(run: Runner) -> None:
    wire = Wire(
        httpx.Response(
            200,
            headers={"content-type": "application/json", "content-encoding": "gzip"},
            stream=httpx.ByteStream(b"plain"),
        )
    )
    result = run(credits_get_credits, credits_get_credits_async, make_core(wire))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.ResponseValidationError)
    assert "could not be decoded" in str(result.error)


@pytest.mark.parametrize("depth", [1_000, 100_000, 1_000_000])
def test_pathological_nesting_is_an_err(run: Runner, depth: int) -> None:
    body = b'{"data":' * depth + b"1" + b"}" * depth
    wire = Wire(httpx.Response(200, headers={"content-type": "application/json"}, content=body))
    result = run(credits_get_credits, credits_get_credits_async, make_core(wire))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.ResponseValidationError)
