"""``FakeOpenRouter``: the scriptable fake, in process or behind a real socket on 127.0.0.1."""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from openrouter.testing._api import API_PREFIX, api_path, default_answer, parse_route_key
from openrouter.testing._requests import RecordedRequest
from openrouter.testing._responses import FakeResponse

if TYPE_CHECKING:
    from types import TracebackType

    from openrouter import OpenRouter
    from openrouter.testing._server import FakeServer
    from openrouter_core import OpenRouterCore

__all__ = ["FAKE_API_KEY", "IN_PROCESS_URL", "FakeOpenRouter", "Responder"]

FAKE_API_KEY = "sk-or-v1-fake-key-for-tests"
"""The key ``core()`` and ``client()`` send unless told otherwise; any key is accepted by default."""

IN_PROCESS_URL = "http://openrouter.test" + API_PREFIX
"""The base URL of in-process cores (``.test`` is reserved: nothing can resolve it by accident)."""

Responder = FakeResponse | Callable[[RecordedRequest], FakeResponse]
"""A queued answer: a ``FakeResponse``, or a function of the request returning one."""

CoreT = TypeVar("CoreT", bound="OpenRouterCore")


class _Matcher:
    __slots__ = ("method", "path")

    def __init__(self, key: str) -> None:
        self.method, self.path = parse_route_key(key)

    def matches(self, request: RecordedRequest) -> bool:
        return (self.method is None or self.method == request.method) and (
            self.path is None or self.path == api_path(request.path)
        )


class FakeOpenRouter:
    """A scriptable fake of the OpenRouter API, for tests: in process, or as a real HTTP server.

    Without scripting it answers like the API: ``GET /credits`` with the account's credits,
    ``POST /credits/coinbase`` with a full charge (or ``400`` for a bad body), ``401`` without a
    bearer key, ``404`` for unknown paths. Paths work with and without the ``/api/v1`` prefix.
    ``queue()`` scripts answers (errors, delays, dropped connections, hangs), served before the
    defaults, and ``requests`` records everything received.

    Use it in process with ``core()`` / ``client()`` (or ``transport()`` / ``async_transport()`` in
    your own httpx clients), or over a socket with ``FakeOpenRouter.serve()`` / ``start()``.
    Thread-safe.

    Args:
        total_credits: ``total_credits`` answered by ``GET /credits``.
        total_usage: ``total_usage`` answered by ``GET /credits``.
        api_keys: the keys accepted; ``None`` accepts any non-empty bearer key. Others get
            ``401 "User not found."``, as the real API answers.
        coinbase_gone: answer the Coinbase charge with ``410 Gone``, as today's API does.
        hang_limit: the longest any delay or hang lasts, in seconds; after it the fake closes the
            connection. It bounds every wait, so a forgotten hang cannot stall a test run.

    Example:
        >>> fake = FakeOpenRouter()
        >>> fake.queue("GET /credits", FakeResponse.rate_limited(retry_after=0))
        >>> with fake.client() as client:
        ...     client.credits.get_credits().data.total_credits
        100.5
        >>> [r.route for r in fake.requests]
        ['GET /credits', 'GET /credits']
    """

    def __init__(
        self,
        *,
        total_credits: float = 100.5,
        total_usage: float = 25.75,
        api_keys: Iterable[str] | None = None,
        coinbase_gone: bool = False,
        hang_limit: float = 30.0,
    ) -> None:
        if not 0 < hang_limit < math.inf:
            raise ValueError("hang_limit must be a positive, finite number of seconds")
        self.total_credits = total_credits
        self.total_usage = total_usage
        self.api_keys = None if api_keys is None else frozenset(api_keys)
        self.coinbase_gone = coinbase_gone
        self.hang_limit = float(hang_limit)
        self._lock = threading.Lock()
        self._queue: list[tuple[_Matcher, Responder]] = []
        self._requests: list[RecordedRequest] = []
        self._released = threading.Event()
        self._server: FakeServer | None = None
        self._clients: list[httpx.Client] = []

    def __repr__(self) -> str:
        where = self._server.url if self._server is not None else "in process"
        return f"<FakeOpenRouter {where}: {len(self._requests)} requests, {len(self._queue)} queued>"

    # --- scripting and inspection ------------------------------------------------------------

    def queue(self, key: str, *responses: Responder) -> None:
        """Queue answers for matching requests, served once each, in order, before the defaults.

        Args:
            key: which requests: ``"GET /credits"`` (method and path), ``"/credits"`` (any method),
                an operation id (``"getCredits"``, ``"createCoinbaseCharge"``) or ``"*"`` (any).
                Paths may include the ``/api/v1`` prefix or not.
            *responses: ``FakeResponse`` objects, or functions of the ``RecordedRequest`` that
                return one (called outside the fake's lock, so they may call the fake).

        Raises:
            ValueError: the key is malformed.
        """
        matcher = _Matcher(key)
        with self._lock:
            self._queue.extend((matcher, response) for response in responses)

    @property
    def pending(self) -> int:
        """How many queued answers have not been served yet."""
        with self._lock:
            return len(self._queue)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def last_request(self) -> RecordedRequest:
        """The most recent request.

        Raises:
            LookupError: no request was received yet.
        """
        with self._lock:
            if not self._requests:
                raise LookupError("the fake has not received any request")
            return self._requests[-1]

    def reset(self) -> None:
        """Forget the recorded requests and drop the queued answers."""
        with self._lock:
            self._queue.clear()
            self._requests.clear()

    def handle(self, request: RecordedRequest) -> FakeResponse:
        """Record ``request`` and choose its answer: the first matching queued one, else the default.

        The transports and the server call this; tests rarely need to.
        """
        with self._lock:
            serial = len(self._requests)
            self._requests.append(request)
            index = next((i for i, (matcher, _) in enumerate(self._queue) if matcher.matches(request)), None)
            queued = None if index is None else self._queue.pop(index)[1]
        if queued is None:
            return default_answer(self, request, serial)
        return queued if isinstance(queued, FakeResponse) else queued(request)

    def _wait_released(self, seconds: float) -> bool:
        """Block up to ``seconds`` (a delay or hang in process); ``True`` when ``close()`` cut it short."""
        return self._released.wait(seconds)

    # --- connecting ----------------------------------------------------------------------------

    def transport(self) -> httpx.BaseTransport:
        """An httpx transport answering from this fake: ``httpx.Client(transport=fake.transport())``."""
        from openrouter.testing._inprocess import FakeTransport

        return FakeTransport(self)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """An async httpx transport answering from this fake (asyncio)."""
        from openrouter.testing._inprocess import AsyncFakeTransport

        return AsyncFakeTransport(self)

    def core(self, api_key: str = FAKE_API_KEY, **options: Any) -> OpenRouterCore:
        """An ``OpenRouterCore`` connected to this fake: over its socket when serving, else in process.

        Args:
            api_key: the key to send (``FAKE_API_KEY`` by default).
            **options: any other ``OpenRouterCore`` option (``retry_config``, ``timeout_ms``, ...),
                except ``server_url``, ``client`` and ``async_client``, which the fake sets.

        Returns:
            The core. Its httpx clients ignore proxy environment variables, and ``close()``
            closes them, so tests leak no sockets.
        """
        from openrouter_core import OpenRouterCore

        return self._connect(OpenRouterCore, api_key, options)

    def client(self, api_key: str = FAKE_API_KEY, **options: Any) -> OpenRouter:
        """An ``OpenRouter`` client connected to this fake; see ``core()``."""
        from openrouter import OpenRouter

        return self._connect(OpenRouter, api_key, options)

    def _connect(self, cls: type[CoreT], api_key: str, options: dict[str, Any]) -> CoreT:
        # trust_env=False: an HTTP(S)_PROXY in the environment must not route test traffic elsewhere.
        if self._server is not None:
            url = self._server.url
            client = httpx.Client(trust_env=False)
            # No keep-alive: the core never closes injected clients, and an async client cannot be
            # closed from close(); without idle connections, an unclosed one holds no socket.
            async_client = httpx.AsyncClient(trust_env=False, limits=httpx.Limits(max_keepalive_connections=0))
        else:
            url = IN_PROCESS_URL
            client = httpx.Client(transport=self.transport(), trust_env=False)
            async_client = httpx.AsyncClient(transport=self.async_transport(), trust_env=False)
        with self._lock:
            self._clients.append(client)
        return cls(api_key, server_url=url, client=client, async_client=async_client, **options)

    # --- the real server -----------------------------------------------------------------------

    def start(self, port: int = 0, *, on_request: Callable[[str], None] | None = None) -> FakeOpenRouter:
        """Serve this fake over HTTP/1.1 on 127.0.0.1 (only), in background threads.

        Args:
            port: the TCP port; 0 picks a free one (see ``url``).
            on_request: called with one line per request answered (``"GET /api/v1/credits -> 200"``).

        Returns:
            The fake itself, so ``fake = FakeOpenRouter().start()`` works.

        Raises:
            RuntimeError: already serving.
            OSError: the port cannot be bound.
        """
        from openrouter.testing._server import FakeServer

        with self._lock:
            if self._server is not None:
                raise RuntimeError(f"already serving at {self._server.url}")
            self._server = FakeServer(self, port, on_request)
        self._server.start()
        return self

    @property
    def url(self) -> str:
        """The base URL to give the SDK, ``http://127.0.0.1:<port>/api/v1``.

        Raises:
            RuntimeError: the fake is not serving (use ``core()`` or ``transport()`` in process).
        """
        server = self._server
        if server is None:
            raise RuntimeError("the fake is not serving; call start() or use FakeOpenRouter.serve()")
        return server.url

    def close(self) -> None:
        """Stop serving, release every delayed or hanging answer, and close the clients ``core()`` made.

        Idempotent. The fake stays usable in process, and ``start()`` may serve it again.
        """
        with self._lock:
            # Wake the waits in progress; later ones wait on a fresh event.
            released, self._released = self._released, threading.Event()
            server, self._server = self._server, None
            clients, self._clients = self._clients, []
        released.set()
        if server is not None:
            server.stop()
        for client in clients:
            client.close()

    def __enter__(self) -> FakeOpenRouter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @classmethod
    @contextlib.contextmanager
    def serve(
        cls, port: int = 0, *, on_request: Callable[[str], None] | None = None, **settings: Any
    ) -> Iterator[FakeOpenRouter]:
        """Run a fake server on 127.0.0.1 for the ``with`` block: ``with FakeOpenRouter.serve() as fake:``.

        Args:
            port: the TCP port; 0 picks a free one.
            on_request: see ``start()``.
            **settings: ``FakeOpenRouter`` arguments (``total_credits``, ``api_keys``, ...).

        Yields:
            The serving fake; ``fake.url`` is its base URL. It is closed when the block ends.
        """
        fake = cls(**settings)
        try:
            yield fake.start(port, on_request=on_request)
        finally:
            fake.close()
