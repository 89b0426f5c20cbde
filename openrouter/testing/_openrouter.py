"""``FakeOpenRouter``: the fake with its connections, in process or behind a real socket on 127.0.0.1."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from openrouter.testing._fake import FakeAPI
from openrouter.testing._wire import API_PREFIX

if TYPE_CHECKING:
    from types import TracebackType

    from openrouter import OpenRouter
    from openrouter.testing._server import FakeServer
    from openrouter_core import OpenRouterCore

__all__ = ["FAKE_API_KEY", "IN_PROCESS_URL", "FakeOpenRouter"]

FAKE_API_KEY = "sk-or-v1-fake-key-for-tests"
"""The key ``core()`` and ``client()`` send unless told otherwise; any key is accepted by default."""

IN_PROCESS_URL = "http://openrouter.test" + API_PREFIX
"""The base URL of in-process cores (``.test`` is reserved: nothing can resolve it by accident)."""

CoreT = TypeVar("CoreT", bound="OpenRouterCore")


class FakeOpenRouter(FakeAPI):
    """A scriptable fake of the whole OpenRouter API, for tests: in process, or as a real HTTP server.

    Unscripted, it answers every operation of the API document like the API: the documented success
    status and a schema-valid body (server-sent events when the request asks for ``"stream": true``,
    bytes for downloads); ``401`` without a bearer key; ``400`` naming the field of a request the
    document does not allow (``messages[0].role is required``); ``404``/``405`` for unknown paths and
    methods. Keys, workspaces, guardrails (and the other things the API creates) are kept: created,
    fetched, listed with ``offset``/``limit``, updated and deleted. ``queue()`` scripts answers
    (``FakeResponse``, ``FakeStream``, ``FakeDownload``), served before the defaults; ``requests``
    records everything received, the key hidden. Paths work with and without ``/api/v1``.

    Use it in process with ``core()`` / ``client()`` (or ``transport()`` / ``async_transport()`` in
    your own httpx clients), or over a socket with ``FakeOpenRouter.serve()`` / ``start()``.
    Thread-safe.

    Args:
        total_credits: ``total_credits`` answered by ``GET /credits``.
        total_usage: ``total_usage`` answered by ``GET /credits``.
        api_keys: the keys accepted; ``None`` accepts any non-empty bearer key. Others get
            ``401 "User not found."``, as the real API answers.
        management_keys: the keys that may call management operations (``None``: any accepted key);
            other keys get ``403`` there. They are accepted everywhere else too.
        coinbase_gone: answer the Coinbase charge with ``410 Gone``, as today's API does.
        check_requests: check parameters and bodies against the document (``400`` when wrong).
        hang_limit: the longest any delay, pause or hang lasts, in seconds; after it the fake closes
            the connection. It bounds every wait, so a forgotten hang cannot stall a test run.

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
        management_keys: Iterable[str] | None = None,
        coinbase_gone: bool = False,
        check_requests: bool = True,
        hang_limit: float = 30.0,
    ) -> None:
        super().__init__(
            total_credits=total_credits,
            total_usage=total_usage,
            api_keys=api_keys,
            management_keys=management_keys,
            coinbase_gone=coinbase_gone,
            check_requests=check_requests,
            hang_limit=hang_limit,
        )
        self._server: FakeServer | None = None
        self._clients: list[httpx.Client] = []

    def __repr__(self) -> str:
        where = self._server.url if self._server is not None else "in process"
        return f"<FakeOpenRouter {where}: {len(self.requests)} requests, {self.pending} queued>"

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
            server, self._server = self._server, None
            clients, self._clients = self._clients, []
        self.release()
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
