"""The network backend of the clients a core creates: every I/O clamped to the attempt's deadline.

The wrappers sit between httpcore and its real backend; here the real backend is a recording stub,
and the clock is pinned, so each clamp is checked exactly (no real time is measured).
"""

from __future__ import annotations

import socket
from typing import Any

import httpcore
import httpx
import pytest

from openrouter_core import _network
from openrouter_core._network import (
    RemainingTimeouts,
    StreamRegistry,
    bound_timeouts,
    deadline_scope,
    deadlines_installed,
    make_async_client,
    make_sync_client,
    unbound_timeouts,
)

NOW = 1000.0
SOCKET_PATH = "openrouter.sock"  # never opened: the recorder stands in for the real backend


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_network, "_monotonic", lambda: NOW)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Recorder:
    """A fake httpcore stream and backend: records each call with the timeout it was given."""

    def __init__(self, sock: socket.socket | None = None) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.sock = sock

    # the backend
    def connect_tcp(self, host: str, port: int, timeout: float | None, local: Any, options: Any) -> Recorder:
        self.calls.append(("connect_tcp", timeout))
        return Recorder(self.sock)

    def connect_unix_socket(self, path: str, timeout: float | None, options: Any) -> Recorder:
        self.calls.append(("connect_unix_socket", timeout))
        return Recorder(self.sock)

    def sleep(self, seconds: float) -> None:
        self.calls.append(("sleep", seconds))

    # the stream
    def read(self, max_bytes: int, timeout: float | None) -> bytes:
        self.calls.append(("read", timeout))
        return b"x" * max_bytes

    def write(self, buffer: bytes, timeout: float | None) -> None:
        self.calls.append(("write", timeout))

    def close(self) -> None:
        self.calls.append(("close", None))

    def start_tls(self, context: Any, server_hostname: str | None, timeout: float | None) -> Recorder:
        self.calls.append(("start_tls", timeout))
        return Recorder(self.sock)

    def get_extra_info(self, info: str) -> Any:
        return self.sock if info == "socket" else None


class AsyncRecorder(Recorder):
    async def connect_tcp(self, host: str, port: int, timeout: float | None, local: Any, options: Any) -> Recorder:  # type: ignore[override]
        self.calls.append(("connect_tcp", timeout))
        return AsyncRecorder(self.sock)

    async def connect_unix_socket(self, path: str, timeout: float | None, options: Any) -> Recorder:  # type: ignore[override]
        self.calls.append(("connect_unix_socket", timeout))
        return AsyncRecorder(self.sock)

    async def sleep(self, seconds: float) -> None:  # type: ignore[override]
        self.calls.append(("sleep", seconds))

    async def read(self, max_bytes: int, timeout: float | None) -> bytes:  # type: ignore[override]
        self.calls.append(("read", timeout))
        return b"y" * max_bytes

    async def write(self, buffer: bytes, timeout: float | None) -> None:  # type: ignore[override]
        self.calls.append(("write", timeout))

    async def aclose(self) -> None:
        self.calls.append(("aclose", None))

    async def start_tls(self, context: Any, server_hostname: str | None, timeout: float | None) -> Recorder:  # type: ignore[override]
        self.calls.append(("start_tls", timeout))
        return AsyncRecorder(self.sock)


def backends(inner: Recorder, registry: StreamRegistry) -> Any:
    client = make_async_client(registry) if isinstance(inner, AsyncRecorder) else make_sync_client(registry)
    pool = client._transport._pool  # type: ignore[attr-defined]
    pool._network_backend._inner = inner  # the real backend replaced by the recorder
    return pool._network_backend


def test_the_clients_a_core_makes_have_the_deadline_backend() -> None:
    registry = StreamRegistry()
    with make_sync_client(registry) as client:
        assert deadlines_installed(client)
    with httpx.Client() as plain:
        assert not deadlines_installed(plain)


def test_without_a_deadline_every_timeout_passes_through() -> None:
    inner = Recorder()
    backend = backends(inner, StreamRegistry())
    stream = backend.connect_tcp("127.0.0.1", 80, timeout=7.0)
    assert stream.read(3, timeout=None) == b"xxx"
    stream.write(b"hi", timeout=2.0)
    backend.sleep(0.5)
    assert inner.calls == [("connect_tcp", 7.0), ("sleep", 0.5)]
    assert stream._inner.calls == [("read", None), ("write", 2.0)]


def test_within_a_deadline_each_timeout_is_at_most_what_is_left() -> None:
    inner = Recorder()
    backend = backends(inner, StreamRegistry())
    with deadline_scope(5.0):
        stream = backend.connect_tcp("127.0.0.1", 80, timeout=None)
        stream.read(1, timeout=10.0)  # longer than what is left: clamped
        stream.write(b"x", timeout=2.0)  # shorter: kept
        unix = backend.connect_unix_socket(SOCKET_PATH, timeout=9.0)
        upgraded = stream.start_tls(None, "example.test", timeout=None)
    assert inner.calls == [("connect_tcp", 5.0), ("connect_unix_socket", 5.0)]
    assert stream._inner.calls == [("read", 5.0), ("write", 2.0), ("start_tls", 5.0)]
    assert unix._inner.calls == []
    assert upgraded is not stream


@pytest.mark.parametrize(
    ("operation", "expired"),
    [
        (lambda backend, stream: stream.read(1, timeout=1.0), httpcore.ReadTimeout),
        (lambda backend, stream: stream.write(b"x", timeout=1.0), httpcore.WriteTimeout),
        (lambda backend, stream: backend.connect_tcp("127.0.0.1", 80, timeout=1.0), httpcore.ConnectTimeout),
        (lambda backend, stream: backend.connect_unix_socket(SOCKET_PATH, timeout=None), httpcore.ConnectTimeout),
    ],
    ids=["read", "write", "connect", "connect-unix"],
)
def test_past_the_deadline_io_times_out_without_reaching_the_network(operation: Any, expired: type) -> None:
    inner = Recorder()
    backend = backends(inner, StreamRegistry())
    stream = backend.connect_tcp("127.0.0.1", 80, timeout=None)
    with deadline_scope(0.0), pytest.raises(expired, match="used up its timeout"):
        operation(backend, stream)
    assert inner.calls == [("connect_tcp", None)]
    assert stream._inner.calls == []


def test_a_deadline_scope_is_undone_after_the_block() -> None:
    inner = Recorder()
    backend = backends(inner, StreamRegistry())
    with deadline_scope(1.0):
        with deadline_scope(None):  # an inner scope without a deadline
            backend.connect_tcp("127.0.0.1", 80, timeout=30.0)
        backend.connect_tcp("127.0.0.1", 80, timeout=30.0)
    backend.connect_tcp("127.0.0.1", 80, timeout=30.0)
    assert [timeout for _, timeout in inner.calls] == [30.0, 1.0, 30.0]


def test_the_registry_keeps_live_streams_and_shuts_their_sockets_down() -> None:
    registry = StreamRegistry()
    ours, theirs = socket.socketpair()
    with ours, theirs:
        backend = backends(Recorder(ours), registry)
        stream = backend.connect_tcp("127.0.0.1", 80, timeout=None)
        tls = stream.start_tls(None, None, timeout=None)  # the plain stream leaves the registry
        assert stream.get_extra_info("socket") is ours
        no_socket = backends(Recorder(None), registry).connect_tcp("127.0.0.1", 80, timeout=None)
        assert set(registry._streams) == {tls, no_socket}
        registry.shutdown_all()
        theirs.settimeout(5)
        assert theirs.recv(1) == b""  # the other end sees the shutdown at once
        registry.shutdown_all()  # again: the OSError of a socket already shut down is ignored
        tls.close()
        assert set(registry._streams) == {no_socket}


@pytest.mark.anyio
async def test_the_async_backend_clamps_and_registers_the_same_way() -> None:
    registry = StreamRegistry()
    inner = AsyncRecorder()
    backend = backends(inner, registry)
    with deadline_scope(4.0):
        stream = await backend.connect_tcp("127.0.0.1", 80, timeout=60.0)
        assert await stream.read(2, timeout=None) == b"yy"
        await stream.write(b"x", timeout=1.0)
        unix = await backend.connect_unix_socket(SOCKET_PATH, timeout=None)
        upgraded = await stream.start_tls(None, "example.test", timeout=8.0)
        await backend.sleep(0.25)
    assert inner.calls == [("connect_tcp", 4.0), ("connect_unix_socket", 4.0), ("sleep", 0.25)]
    assert stream._inner.calls == [("read", 4.0), ("write", 1.0), ("start_tls", 4.0)]
    assert stream.get_extra_info("socket") is None
    assert set(registry._streams) == {unix, upgraded}
    await upgraded.aclose()
    assert set(registry._streams) == {unix}
    with deadline_scope(0.0), pytest.raises(httpcore.ReadTimeout):
        await unix.read(1, timeout=None)


def test_remaining_timeouts_shrink_to_the_deadline_but_show_the_configured_values() -> None:
    timeouts = RemainingTimeouts({"connect": 10.0, "read": 1.0, "pool": None}, deadline=NOW + 3.0)
    assert timeouts.get("connect") == 3.0
    assert timeouts.get("read") == 1.0
    assert timeouts.get("pool") == 3.0
    assert timeouts["connect"] == 10.0
    late = RemainingTimeouts({"read": 5.0}, deadline=NOW - 1.0)
    assert late.get("read") == 0.001  # never zero or negative: httpcore would wait forever on 0


def test_bound_and_unbound_timeouts_swap_the_requests_timeout_extension() -> None:
    request = httpx.Request("GET", "https://example.test/", extensions={"timeout": {"read": 9.0}})
    bound_timeouts(request, NOW + 2.0)
    bound = request.extensions["timeout"]
    assert isinstance(bound, RemainingTimeouts)
    assert bound.get("read") == 2.0
    bound_timeouts(request, NOW + 50.0)  # bound already: unchanged
    assert request.extensions["timeout"] is bound
    unbound_timeouts(request)
    assert type(request.extensions["timeout"]) is dict
    assert request.extensions["timeout"] == {"read": 9.0}
    unbound_timeouts(request)  # not bound: nothing to do
    assert request.extensions["timeout"] == {"read": 9.0}


def test_the_clients_a_core_makes_keep_no_cookies() -> None:
    # The cookie-less jar goes in through a private attribute; this fails if httpx stops using it.
    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"set-cookie": "session=abc; Path=/"}, json={"cookie": request.headers.get("cookie")}
        )

    with make_sync_client(StreamRegistry()) as client:
        assert isinstance(client.cookies, _network._NoCookies)
        client._transport = httpx.MockTransport(server)
        for _ in range(2):
            response = client.get("https://x.test/")
            assert response.json() == {"cookie": None}
        assert "session" not in client.cookies


@pytest.mark.anyio
async def test_the_async_clients_a_core_makes_keep_no_cookies() -> None:
    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"set-cookie": "session=abc; Path=/"}, json={"cookie": request.headers.get("cookie")}
        )

    async with make_async_client(StreamRegistry()) as client:
        assert isinstance(client.cookies, _network._NoCookies)
        client._transport = httpx.MockTransport(server)
        for _ in range(2):
            response = await client.get("https://x.test/")
            assert response.json() == {"cookie": None}
        assert "session" not in client.cookies
