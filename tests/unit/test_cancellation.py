"""Cancelling an async call cancels its request cleanly: no leaked connection, no warning."""

from __future__ import annotations

import asyncio
import gc
import socket
import threading
from collections.abc import Iterator

import pytest

from openrouter_core import OpenRouterCore, RequestOptions
from openrouter_funcs.credits_get_credits import credits_get_credits_async


@pytest.fixture
def silent_server() -> Iterator[tuple[str, list[socket.socket]]]:
    """A server on 127.0.0.1 that accepts connections and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            accepted.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/api/v1", accepted
    stop.set()
    thread.join(timeout=5)
    listener.close()
    for conn in accepted:
        conn.close()


def test_cancelling_the_task_closes_the_connection(silent_server: tuple[str, list[socket.socket]]) -> None:
    url, accepted = silent_server

    async def main() -> None:
        async with OpenRouterCore(api_key="sk-test", server_url=url) as core:
            task = asyncio.ensure_future(credits_get_credits_async(core, options=RequestOptions(timeout_ms=10_000)))
            for _ in range(200):  # bounded: wait until the request is on the wire
                if accepted:
                    break
                await asyncio.sleep(0.01)
            assert accepted
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            pool = core._async().client._transport._pool  # type: ignore[attr-defined]
            assert pool.connections == []

    asyncio.run(main())
    gc.collect()  # any unclosed transport would warn here, and warnings are errors


def test_wait_for_timeout_propagates_as_timeout(silent_server: tuple[str, list[socket.socket]]) -> None:
    url, _ = silent_server

    async def main() -> None:
        async with OpenRouterCore(api_key="sk-test", server_url=url) as core:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(credits_get_credits_async(core), timeout=0.2)

    asyncio.run(main())
    gc.collect()


def test_a_silent_server_gives_a_timeout_err(silent_server: tuple[str, list[socket.socket]]) -> None:
    import openrouter_core as orc

    url, _ = silent_server

    async def main() -> orc.Result[object, orc.OpenRouterSDKError]:
        async with OpenRouterCore(api_key="sk-test", server_url=url, timeout_ms=300, retry_config=None) as core:
            return await credits_get_credits_async(core)

    result = asyncio.run(main())
    assert isinstance(result, orc.Err)
    assert isinstance(result.error, orc.RequestTimeoutError)
    assert "after 300 ms" in str(result.error)
