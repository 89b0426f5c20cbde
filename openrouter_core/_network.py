"""The httpx clients a core creates: whole-attempt deadlines, and sockets a closing core can cut.

httpx's timeouts apply to each network operation, so a server that trickles its status line one
byte at a time, or sends ``100 Continue`` forever, keeps an attempt alive indefinitely. The
clients created here use an httpcore network backend that clamps every connect, read and write
to what is left of the current attempt's deadline (a context variable the drivers set), so an
attempt ends within its timeout whatever the server does.

The backend also keeps the live sockets, so ``OpenRouterCore.close()`` can shut them down and end
calls blocked in another thread at once (closing a socket does not wake a blocked ``recv``;
``shutdown`` does).
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import threading
import time
import weakref
from collections.abc import Iterator
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any, TypeVar

import httpx

__all__ = ["StreamRegistry", "deadline_scope", "make_async_client", "make_sync_client"]

_monotonic = time.monotonic
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("openrouter_attempt_deadline", default=None)

# What the SDK asks servers for: exactly the encodings the drivers decode themselves (with a
# size bound at every layer), whatever optional packages httpx could use.
ACCEPT_ENCODING = "gzip, deflate"


class deadline_scope:  # noqa: N801 - used like the function it replaces: ``with deadline_scope(s):``
    """Within the block, network I/O of owned clients ends ``seconds`` from now at the latest."""

    __slots__ = ("_seconds", "_token")

    def __init__(self, seconds: float | None) -> None:
        self._seconds = seconds

    def __enter__(self) -> None:
        seconds = self._seconds
        self._token = _DEADLINE.set(None if seconds is None else _monotonic() + seconds)

    def __exit__(self, *exc_info: object) -> None:
        _DEADLINE.reset(self._token)


# The wrappers implement httpcore's network backend and stream interfaces by their methods; they
# do not subclass them, so that importing the SDK does not import httpcore (httpx loads it lazily).


def _clamp(timeout: float | None, expired: str) -> float | None:
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    remaining = deadline - _monotonic()
    if remaining <= 0:
        import httpcore  # loaded by then: httpx imports it with its first transport

        raise getattr(httpcore, expired)("the attempt used up its timeout")
    return remaining if timeout is None or timeout > remaining else timeout


class RemainingTimeouts(dict[str, float | None]):
    """httpx's per-request timeouts, each read as "at most what is left of the attempt".

    httpcore reads a request's timeouts with ``.get()`` as each phase starts (waiting for a pooled
    connection, connecting, sending, receiving), so a pool wait is charged against the rest of the
    attempt even with a client the SDK did not create. Indexing still shows the configured values.
    """

    def __init__(self, timeouts: dict[str, float | None], deadline: float) -> None:
        super().__init__(timeouts)
        self._deadline = deadline

    def get(self, key: str, default: float | None = None) -> float | None:  # type: ignore[override]
        value = dict.get(self, key, default)
        remaining = self._deadline - _monotonic()
        remaining = max(remaining, 0.001)
        return remaining if value is None or value > remaining else value


def bound_timeouts(request: httpx.Request, deadline: float) -> None:
    """Make ``request``'s httpx timeouts shrink to what is left before ``deadline``."""
    timeouts = request.extensions.get("timeout")
    if isinstance(timeouts, dict) and not isinstance(timeouts, RemainingTimeouts):
        request.extensions["timeout"] = RemainingTimeouts(timeouts, deadline)


def unbound_timeouts(request: httpx.Request) -> None:
    """Back to plain per-read timeouts, for a body handed to the caller (a stream or a download).

    It may take as long as it needs, as long as no gap between bytes is longer than the timeout.
    """
    timeouts = request.extensions.get("timeout")
    if isinstance(timeouts, RemainingTimeouts):
        request.extensions["timeout"] = dict(timeouts)


class StreamRegistry:
    """The open network streams of one core's clients, so a closing core can shut them down."""

    __slots__ = ("_lock", "_streams")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: weakref.WeakSet[Any] = weakref.WeakSet()

    def add(self, stream: Any) -> None:
        with self._lock:
            self._streams.add(stream)

    def discard(self, stream: Any) -> None:
        with self._lock:
            self._streams.discard(stream)

    def shutdown_all(self) -> None:
        """Shut down every live socket: blocked reads return at once, in any thread or loop."""
        with self._lock:
            streams = list(self._streams)
        for stream in streams:
            sock = stream.get_extra_info("socket")
            if isinstance(sock, socket.socket):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


class _SyncStream:
    def __init__(self, inner: Any, registry: StreamRegistry) -> None:
        self._inner = inner
        self._registry = registry
        registry.add(self)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = self._inner.read(max_bytes, _clamp(timeout, "ReadTimeout"))
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, "WriteTimeout"))

    def close(self) -> None:
        self._registry.discard(self)
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        self._registry.discard(self)
        upgraded = self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout, "ConnectTimeout"))
        return _SyncStream(upgraded, self._registry)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _SyncBackend:
    def __init__(self, inner: Any, registry: StreamRegistry) -> None:
        self._inner = inner
        self._registry = registry

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> Any:
        clamped = _clamp(timeout, "ConnectTimeout")
        stream = self._inner.connect_tcp(host, port, clamped, local_address, socket_options)
        return _SyncStream(stream, self._registry)

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
        stream = self._inner.connect_unix_socket(path, _clamp(timeout, "ConnectTimeout"), socket_options)
        return _SyncStream(stream, self._registry)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _AsyncStream:
    def __init__(self, inner: Any, registry: StreamRegistry) -> None:
        self._inner = inner
        self._registry = registry
        registry.add(self)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = await self._inner.read(max_bytes, _clamp(timeout, "ReadTimeout"))
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, _clamp(timeout, "WriteTimeout"))

    async def aclose(self) -> None:
        self._registry.discard(self)
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> Any:
        self._registry.discard(self)
        clamped = _clamp(timeout, "ConnectTimeout")
        upgraded = await self._inner.start_tls(ssl_context, server_hostname, clamped)
        return _AsyncStream(upgraded, self._registry)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _AsyncBackend:
    def __init__(self, inner: Any, registry: StreamRegistry) -> None:
        self._inner = inner
        self._registry = registry

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> Any:
        clamped = _clamp(timeout, "ConnectTimeout")
        stream = await self._inner.connect_tcp(host, port, clamped, local_address, socket_options)
        return _AsyncStream(stream, self._registry)

    async def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
        clamped = _clamp(timeout, "ConnectTimeout")
        stream = await self._inner.connect_unix_socket(path, clamped, socket_options)
        return _AsyncStream(stream, self._registry)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


_Client = TypeVar("_Client", httpx.Client, httpx.AsyncClient)


class _NoCookies(httpx.Cookies):
    """Cookies never taken from a response nor sent: the API is stateless; DESIGN forbids Cookie.

    Skipping httpx's per-response Set-Cookie parsing saves about 15 µs a call.
    """

    def __init__(self) -> None:
        # A jar that refuses every domain, for cookies someone sets on the client by hand.
        super().__init__(CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])))

    def extract_cookies(self, response: httpx.Response) -> None:
        return None

    def set_cookie_header(self, request: httpx.Request) -> None:
        return None


def _cookieless(client: _Client) -> _Client:
    # httpx wraps whatever the public `cookies` argument gets in a plain Cookies, so the
    # cookie-less one goes in its place; tests/unit/test_network_backends.py checks it takes effect.
    client._cookies = _NoCookies()
    return client


def _pools(client: httpx.Client | httpx.AsyncClient) -> Iterator[Any]:
    # httpx builds its httpcore pools itself and offers no network-backend option, so the
    # backend is swapped on the pools it built (the default transport and any proxy mounts).
    # tests/unit/test_network_backends.py checks that this still takes effect with the installed httpx.
    transports = [client._transport, *client._mounts.values()]
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        if pool is not None and hasattr(pool, "_network_backend"):
            yield pool


def make_sync_client(registry: StreamRegistry) -> httpx.Client:
    """An ``httpx.Client`` whose I/O honours attempt deadlines and can be shut down from any thread."""
    # No client-wide timeout: every request the SDK builds carries its own (an attempt's).
    client = _cookieless(httpx.Client(follow_redirects=False, timeout=None))  # noqa: S113
    for pool in _pools(client):
        pool._network_backend = _SyncBackend(pool._network_backend, registry)
    return client


def make_async_client(registry: StreamRegistry) -> httpx.AsyncClient:
    """The async twin of ``make_sync_client``."""
    client = _cookieless(httpx.AsyncClient(follow_redirects=False, timeout=None))  # noqa: S113
    for pool in _pools(client):
        pool._network_backend = _AsyncBackend(pool._network_backend, registry)
    return client


def deadlines_installed(client: httpx.Client | httpx.AsyncClient) -> bool:
    """Whether ``client``'s default transport uses the deadline backend (for tests and diagnostics)."""
    pool = getattr(client._transport, "_pool", None)
    return isinstance(getattr(pool, "_network_backend", None), (_SyncBackend, _AsyncBackend))
