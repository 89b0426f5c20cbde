"""The socket server: HTTP/1.1 keep-alive, limits, start/stop, and releasing hung requests at shutdown."""

from __future__ import annotations

import gc
import socket
import threading
import time
from collections.abc import Callable

import httpx
import pytest

from openrouter.testing import FakeOpenRouter, FakeResponse

AUTH = b"Authorization: Bearer sk-raw\r\n"


def _port(url: str) -> int:
    port = httpx.URL(url).port
    assert port is not None
    return port


def _raw_exchange(url: str, payload: bytes, expected_responses: int) -> bytes:
    """Send raw bytes on one connection and read until the expected number of responses arrived."""
    with socket.create_connection(("127.0.0.1", _port(url)), timeout=5) as sock:
        sock.sendall(payload)
        received = b""
        for _ in range(100):  # bounded: each recv returns data or EOF within the timeout
            if received.count(b"HTTP/1.1 ") >= expected_responses and received.endswith(b"}"):
                break
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
        return received


def _wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline, "condition not met within 5 s"
        time.sleep(0.005)


def test_binds_only_to_127_0_0_1() -> None:
    with FakeOpenRouter.serve() as fake:
        assert fake.url.startswith("http://127.0.0.1:")
        assert fake.url.endswith("/api/v1")


def test_keep_alive_serves_several_requests_on_one_connection() -> None:
    with FakeOpenRouter.serve() as fake:
        request = b"GET /api/v1/credits HTTP/1.1\r\nHost: x\r\n" + AUTH + b"\r\n"
        received = _raw_exchange(fake.url, request * 2, expected_responses=2)
    assert received.count(b"HTTP/1.1 200 OK\r\n") == 2
    assert received.count(b"Content-Length: 52\r\n") == 2
    assert b"Connection: close" not in received
    assert len(fake.requests) == 2


def test_connection_close_is_honoured() -> None:
    with FakeOpenRouter.serve() as fake:
        request = b"GET /credits HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + AUTH + b"\r\n"
        received = _raw_exchange(fake.url, request, expected_responses=1)
    assert received.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"Connection: close\r\n" in received


def test_body_limits() -> None:
    with FakeOpenRouter.serve() as fake:
        head = b"POST /credits/coinbase HTTP/1.1\r\nHost: x\r\n" + AUTH
        too_big = _raw_exchange(fake.url, head + b"Content-Length: 134217729\r\n\r\n", expected_responses=1)
        chunks = b"Transfer-Encoding: chunked\r\n\r\n8000001\r\n"
        too_big_chunked = _raw_exchange(fake.url, head + chunks, expected_responses=1)
        bad_chunks = _raw_exchange(fake.url, head + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", expected_responses=1)
    assert too_big.startswith(b"HTTP/1.1 413 Request Entity Too Large\r\n")
    assert b'"message":"Request payload too large"' in too_big
    assert too_big_chunked.startswith(b"HTTP/1.1 413 ")
    assert bad_chunks.startswith(b"HTTP/1.1 400 ")


def test_a_chunked_request_body_is_read() -> None:
    charge = b'{"amount": 5, "sender": "0x' + b"ab" * 20 + b'", "chain_id": 1}'
    with FakeOpenRouter.serve() as fake, httpx.Client(trust_env=False) as client:
        pieces = iter([charge[:10], charge[10:]])
        response = client.post(fake.url + "/credits/coinbase", content=pieces, headers={"Authorization": "Bearer k"})
    assert response.status_code == 200, response.text
    assert fake.last_request.json()["amount"] == 5


def test_on_request_reports_each_answer() -> None:
    lines: list[str] = []
    with FakeOpenRouter.serve(on_request=lines.append) as fake, httpx.Client(trust_env=False) as client:
        fake.queue("GET /credits", FakeResponse.drop())
        client.get(fake.url + "/nope")
        with pytest.raises(httpx.RemoteProtocolError):
            client.get(fake.url + "/credits")
    assert lines == ["GET /api/v1/nope -> 404", "GET /api/v1/credits -> dropped"]


def test_start_stop_restart() -> None:
    fake = FakeOpenRouter()
    with pytest.raises(RuntimeError, match="not serving"):
        _ = fake.url
    first = fake.start().url
    with pytest.raises(RuntimeError, match="already serving"):
        fake.start()
    fake.close()
    fake.close()  # idempotent
    with pytest.raises(ConnectionRefusedError):  # nothing listens there any more
        socket.create_connection(("127.0.0.1", _port(first)), timeout=1).close()
    with httpx.Client(trust_env=False) as client:
        second = fake.start().url
        assert client.get(second + "/credits", headers={"Authorization": "Bearer k"}).status_code == 200
    fake.close()


def test_an_idle_keep_alive_connection_does_not_block_shutdown() -> None:
    client = httpx.Client(trust_env=False)
    with FakeOpenRouter.serve() as fake:
        assert client.get(fake.url + "/credits", headers={"Authorization": "Bearer k"}).status_code == 200
    client.close()  # after the server stopped: its thread did not wait for this


def test_stop_releases_a_hanging_request_over_the_socket() -> None:
    errors: list[BaseException] = []
    fake = FakeOpenRouter(hang_limit=60).start()
    fake.queue("GET /credits", FakeResponse.hang())

    def call() -> None:
        with httpx.Client(trust_env=False, timeout=None) as client:  # noqa: S113 (the server must end the hang)
            try:
                client.get(fake.url + "/credits", headers={"Authorization": "Bearer k"})
            except httpx.HTTPError as exc:
                errors.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    _wait_until(lambda: len(fake.requests) == 1)
    fake.close()
    thread.join(5)
    assert not thread.is_alive()
    assert [type(e) for e in errors] == [httpx.RemoteProtocolError]


def test_close_releases_a_hanging_request_in_process() -> None:
    errors: list[BaseException] = []
    fake = FakeOpenRouter(hang_limit=60)
    fake.queue("GET /credits", FakeResponse.hang())

    def call() -> None:
        with httpx.Client(transport=fake.transport(), timeout=None) as client:  # noqa: S113 (close() ends it)
            try:
                client.get("http://openrouter.test/api/v1/credits")
            except httpx.HTTPError as exc:
                errors.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    _wait_until(lambda: len(fake.requests) == 1)
    fake.close()
    thread.join(5)
    assert not thread.is_alive()
    assert [type(e) for e in errors] == [httpx.RemoteProtocolError]


@pytest.mark.anyio
async def test_socket_cores_leak_nothing_even_unclosed() -> None:
    with FakeOpenRouter.serve() as fake:
        core = fake.core()
        from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async

        assert credits_get_credits(core).ok
        assert (await credits_get_credits_async(core)).ok
        del core
    gc.collect()  # an unclosed socket would raise ResourceWarning here (filterwarnings = error)
