"""``OpenRouterCore``: resolved configuration plus the lazily created httpx clients."""

from __future__ import annotations

import contextlib
import logging
import os
import random as _random
import sys
import threading
import time as _time
import weakref
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import TYPE_CHECKING, TypeVar

import attrs
import httpx

from openrouter_core._options import NOT_GIVEN, NotGiven
from openrouter_core._version import __version__

if TYPE_CHECKING:
    import asyncio
    from types import TracebackType

    from typing_extensions import Self

    from openrouter_core._hooks import Hooks
    from openrouter_core._retries import RetryConfig

__all__ = ["Clock", "OpenRouterCore"]

T = TypeVar("T")
ClientT = TypeVar("ClientT", httpx.Client, httpx.AsyncClient)

DEFAULT_SERVER_URL = "https://openrouter.ai/api/v1"
DEFAULT_TIMEOUT_MS = 60_000
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
DEFAULT_USER_AGENT = (
    f"openrouter-python/{__version__} python/{sys.version_info[0]}.{sys.version_info[1]} httpx/{httpx.__version__}"
)

APIKey = str | Callable[[], str | None] | Callable[[], Awaitable[str | None]]
"""A key, or a callable (sync, or async for async calls) returning one, called once per call."""

_TRUTHY = frozenset({"1", "true", "yes", "on"})
_FALSY = frozenset({"", "0", "false", "no", "off"})


def env_flag(name: str) -> bool:
    """Parse a boolean environment variable (``1/true/yes/on``; ``0/false/no/off`` or unset is off)."""
    raw = os.environ.get(name, "").strip().lower()
    if raw in _TRUTHY:
        return True
    if raw in _FALSY:
        return False
    raise ValueError(f"{name}={raw!r} is not a boolean; use 1/true/yes/on or 0/false/no/off")


def header_problem(value: str) -> str | None:
    """Why ``value`` cannot be sent as an HTTP header value, or ``None`` when it can."""
    if not value.isascii():
        return "contains non-ASCII characters"
    if any(ch in value for ch in "\r\n\0"):
        return "contains a line break or NUL"
    return None


def normalize_server_url(url: object) -> str:
    """Validate a base URL and collapse its trailing slashes; ``ValueError`` says what is wrong."""
    if not isinstance(url, str):
        raise ValueError(f"expected a string URL, got {type(url).__name__}")
    try:
        parsed = httpx.URL(url.strip())
    except httpx.InvalidURL as exc:
        raise ValueError(f"{url!r} is not a valid URL ({exc})") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"{url!r} is not an absolute http:// or https:// URL")
    if parsed.query or parsed.fragment:
        raise ValueError(f"{url!r} has a query string or fragment; give the base URL only")
    if parsed.userinfo:
        raise ValueError("the URL embeds credentials; pass api_key instead")
    return str(parsed).rstrip("/")


def check_timeout_ms(value: object) -> float | None:
    """Validate a timeout in milliseconds (``None`` disables it)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < float("inf"):
        raise ValueError("must be a positive number of milliseconds, or None to disable the timeout")
    return float(value)


def check_max_response_bytes(value: object) -> int:
    """Validate a body-size limit in bytes."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError("must be a positive integer number of bytes")
    return value


def _checked(name: str, check: Callable[[object], T], value: object) -> T:
    try:
        return check(value)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


def join_categories(value: str | Sequence[str] | None) -> str | None:
    """``app_categories`` as sent: a comma-separated string."""
    if value is None or isinstance(value, str):
        return value
    return ",".join(value)


@attrs.frozen(kw_only=True)
class Clock:
    """Time as the pipeline sees it. Tests pass their own to make retries instant and exact.

    Attributes:
        monotonic: seconds for measuring elapsed time.
        time: wall-clock epoch seconds, for ``Retry-After`` dates.
        sleep: blocking sleep used between sync retries.
        async_sleep: sleep used between async retries (``asyncio.sleep`` when ``None``).
        random: jitter source returning floats in [0, 1).
    """

    monotonic: Callable[[], float] = _time.monotonic
    time: Callable[[], float] = _time.time
    sleep: Callable[[float], None] = _time.sleep
    async_sleep: Callable[[float], Awaitable[None]] | None = None
    random: Callable[[], float] = _random.random


SYSTEM_CLOCK = Clock()


def _cookieless_jar() -> CookieJar:
    # Responses never set cookies for later calls: the API is stateless and DESIGN forbids Cookie.
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


class OpenRouterCore:
    """Configuration and transport shared by every operation. Thread-safe; one per application is typical.

    Args:
        api_key: the key, or a callable returning it (called once per call; async callables work
            with the ``_async`` functions). When it gives nothing, ``OPENROUTER_API_KEY`` is read at
            call time.
        server_url: base URL; default ``OPENROUTER_BASE_URL``, else ``https://openrouter.ai/api/v1``.
        http_referer: sent as ``HTTP-Referer``; default ``OPENROUTER_HTTP_REFERER``.
        app_title: sent as ``X-OpenRouter-Title``; default ``OPENROUTER_APP_TITLE``.
        app_categories: sent as ``X-OpenRouter-Categories`` (a comma-separated string or a list);
            default ``OPENROUTER_APP_CATEGORIES``.
        retry_config: retry policy for every call; ``NOT_GIVEN`` uses each operation's default
            (GET retries, the Coinbase charge does not), ``None`` disables retries.
        timeout_ms: per-attempt timeout; ``None`` disables it.
        client: your own ``httpx.Client`` (proxies, certificates, transports); never closed here.
        async_client: your own ``httpx.AsyncClient``; never closed here.
        hooks: ``Hooks`` run around every attempt.
        debug: log headers and bodies (redacted) on the ``openrouter`` logger; default
            ``OPENROUTER_DEBUG``.
        user_agent: replaces the ``User-Agent`` header.
        max_response_bytes: larger bodies end in ``ResponseTooLargeError`` without being read.
        clock: time, sleep and jitter sources (for tests).

    Raises:
        ValueError: an option is invalid (a malformed URL, a negative timeout, ...).
    """

    def __init__(
        self,
        api_key: APIKey | None = None,
        *,
        server_url: str | None = None,
        http_referer: str | None = None,
        app_title: str | None = None,
        app_categories: str | Sequence[str] | None = None,
        retry_config: RetryConfig | NotGiven | None = NOT_GIVEN,
        timeout_ms: float | None = DEFAULT_TIMEOUT_MS,
        client: httpx.Client | None = None,
        async_client: httpx.AsyncClient | None = None,
        hooks: Hooks | None = None,
        debug: bool | None = None,
        user_agent: str | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        clock: Clock | None = None,
    ) -> None:
        if api_key is not None and not isinstance(api_key, str) and not callable(api_key):
            raise TypeError("api_key must be a string or a callable returning one")
        if client is not None and not isinstance(client, httpx.Client):
            raise TypeError("client must be an httpx.Client (use async_client for an httpx.AsyncClient)")
        if async_client is not None and not isinstance(async_client, httpx.AsyncClient):
            raise TypeError("async_client must be an httpx.AsyncClient")
        from openrouter_core._hooks import NO_HOOKS, Hooks
        from openrouter_core._retries import RetryConfig

        if retry_config is not NOT_GIVEN and retry_config is not None and not isinstance(retry_config, RetryConfig):
            raise TypeError("retry_config must be a RetryConfig, or None to disable retries")
        if hooks is not None and not isinstance(hooks, Hooks):
            raise TypeError("hooks must be a Hooks object: Hooks(before_request=[...], ...)")
        self._api_key = api_key
        if server_url is not None:
            self.server_url = _checked("server_url", normalize_server_url, server_url)
        elif os.environ.get("OPENROUTER_BASE_URL"):
            self.server_url = _checked("OPENROUTER_BASE_URL", normalize_server_url, os.environ["OPENROUTER_BASE_URL"])
        else:
            self.server_url = DEFAULT_SERVER_URL
        self.timeout_ms = _checked("timeout_ms", check_timeout_ms, timeout_ms)
        self.max_response_bytes = _checked("max_response_bytes", check_max_response_bytes, max_response_bytes)
        self.retry_config = retry_config
        self.debug = env_flag("OPENROUTER_DEBUG") if debug is None else bool(debug)
        self.clock = clock or SYSTEM_CLOCK
        self.hooks = hooks if hooks is not None else NO_HOOKS
        self.user_agent = user_agent if user_agent is not None else DEFAULT_USER_AGENT
        app = {
            "http-referer": http_referer if http_referer is not None else os.environ.get("OPENROUTER_HTTP_REFERER"),
            "x-openrouter-title": app_title if app_title is not None else os.environ.get("OPENROUTER_APP_TITLE"),
            "x-openrouter-categories": join_categories(app_categories)
            if app_categories is not None
            else os.environ.get("OPENROUTER_APP_CATEGORIES"),
        }
        self.app_headers = {name: value for name, value in app.items() if value}
        for name, value in [("user-agent", self.user_agent), *self.app_headers.items()]:
            problem = header_problem(value)
            if problem:
                raise ValueError(f"the {name} header value {problem}")
        self._client = client
        self._async_client = async_client
        self._owns_client = client is None
        self._owns_async_client = async_client is None
        self._async_loop: weakref.ReferenceType[asyncio.AbstractEventLoop] | None = None
        self._async_closer: AsyncGenerator[None, None] | None = None
        self._owned_defaults: dict[str, str] | None = None
        self._lock = threading.Lock()
        if self.debug:
            _enable_debug_logging()

    @property
    def api_key_source(self) -> APIKey | None:
        """The configured key or key callable (``None`` means ``OPENROUTER_API_KEY`` at call time)."""
        return self._api_key

    def __repr__(self) -> str:
        key = "unset" if self._api_key is None else "callable" if callable(self._api_key) else "set"
        return f"{type(self).__name__}(server_url={self.server_url!r}, api_key=<{key}>)"

    def sync_client(self) -> httpx.Client:
        """The sync httpx client, created on first use."""
        client = self._client
        if client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._owned(httpx.Client(cookies=_cookieless_jar(), follow_redirects=False))
                client = self._client
        return client

    def owned_client_headers(self, client: httpx.Client | httpx.AsyncClient) -> dict[str, str] | None:
        """The default headers of ``client`` when this core created it, else ``None``."""
        if (client is self._client and self._owns_client) or (client is self._async_client and self._owns_async_client):
            return self._owned_defaults
        return None

    def _owned(self, client: ClientT) -> ClientT:
        if self._owned_defaults is None:
            self._owned_defaults = {name.lower(): value for name, value in client.headers.items()}
        return client

    def async_client(self) -> httpx.AsyncClient:
        """The async httpx client for the running event loop, created on first use there.

        An httpx.AsyncClient's connections belong to the loop that opened them, so a core that
        owns its async client makes one per loop, and closes it when that loop shuts down (a
        second ``asyncio.run()`` with the same core just works). An injected client is returned
        as it is: its loop is the caller's business.
        """
        client = self._async_client
        if client is not None and not self._owns_async_client:
            return client
        import asyncio

        loop = asyncio.get_running_loop()
        if client is not None and self._async_loop is not None and self._async_loop() is loop and not client.is_closed:
            return client
        with self._lock:
            client = self._async_client
            current = self._async_loop() if self._async_loop is not None else None
            if client is None or current is not loop or client.is_closed:
                client = self._owned(httpx.AsyncClient(cookies=_cookieless_jar(), follow_redirects=False))
                self._async_closer = _close_when_loop_shuts_down(client)
                self._async_client, self._async_loop = client, weakref.ref(loop)
        return client

    def close(self) -> None:
        """Close the clients this core created.

        The sync client closes now. An async client can only be closed on its event loop: it is
        closed when that loop shuts down (``asyncio.run`` does this), or at once with ``aclose()``.
        """
        with self._lock:
            client, self._client = (self._client, None) if self._owns_client else (None, self._client)
        if client is not None:
            client.close()

    async def aclose(self) -> None:
        """Close the clients this core created, sync and async."""
        self.close()
        if not self._owns_async_client:
            return
        with self._lock:
            client, closer = self._async_client, self._async_closer
            self._async_client = self._async_closer = self._async_loop = None
        if closer is not None:
            await closer.aclose()  # runs its cleanup, which closes the client
        elif client is not None:
            await client.aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


async def _closer(client: httpx.AsyncClient) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        await client.aclose()


def _close_when_loop_shuts_down(client: httpx.AsyncClient) -> AsyncGenerator[None, None]:
    # asyncio finalizes the async generators started on a loop when the loop shuts down
    # (asyncio.run and asyncio.Runner call loop.shutdown_asyncgens()). Starting one whose
    # cleanup closes the client ties the client's life to its loop, with no task left behind.
    # Its first step runs no await, so it can be started here without awaiting. The loop only
    # holds it weakly: the core keeps it alive as long as the client.
    closer = _closer(client)
    with contextlib.suppress(StopIteration):
        closer.asend(None).send(None)
    return closer


def _enable_debug_logging() -> None:
    # debug=True should show something even when the caller has not configured logging, but a
    # library must not touch the root logger: lower only the "openrouter" logger's level, and give
    # it a stderr handler only when no handler anywhere up the tree would receive its records.
    logger = logging.getLogger("openrouter")
    if logger.level == logging.NOTSET or logger.level > logging.DEBUG:
        logger.setLevel(logging.DEBUG)
    if not logger.hasHandlers():
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
