"""A scriptable fake of the whole OpenRouter API for your tests: in process (an httpx transport) or on 127.0.0.1.

In process, nothing touches the network::

    from openrouter.testing import FakeOpenRouter, FakeResponse

    def test_retries_after_a_429():
        fake = FakeOpenRouter()
        fake.queue("GET /credits", FakeResponse.rate_limited(retry_after=0))
        with fake.client() as client:  # an OpenRouter client wired to the fake
            assert client.credits.get_credits().data.total_usage == 25.75
        assert len(fake.requests) == 2
        assert fake.requests[0].headers()["authorization"] == "[REDACTED]"

Over a real socket (standard library server, HTTP/1.1 with keep-alive)::

    with FakeOpenRouter.serve() as fake:
        client = OpenRouter(api_key="sk-test", server_url=fake.url)

Unscripted, the fake answers all 97 operations of the API document with schema-valid bodies and
the documented status, streams when asked (``"stream": true``), checks every request against the
document (``400`` naming the field), and keeps what you create (keys, workspaces, guardrails, ...).

``queue()`` scripts answers per operation (id or function name), route or path:

- ``FakeResponse``: status, headers, a JSON or raw body, a delay, or a ``Fault`` (dropped
  connection, dropped mid-body, reset, hang);
- ``FakeStream``: server-sent events: text deltas, JSON events, ``Comment``, ``Pause``,
  ``StreamError`` (in-band), ``Malformed``, ``Raw``; ``done=False`` ends without ``[DONE]``;
- ``FakeDownload``: a binary body of any size, generated as it is sent.

Recorded requests hide the ``Authorization`` header unless asked: ``request.headers(reveal=True)``,
``request.api_key(reveal=True)``. With pytest, the plugin's fixtures give a fresh fake per test
(``openrouter_fake``, ``openrouter_fake_server``) and a core or client wired to it
(``openrouter_fake_core``, ``openrouter_fake_client``).
"""

from typing import TYPE_CHECKING, Any

from openrouter.testing._fake import Responder
from openrouter.testing._openrouter import FAKE_API_KEY, IN_PROCESS_URL, FakeOpenRouter
from openrouter.testing._requests import REDACTED, RecordedRequest
from openrouter.testing._responses import DOCUMENTED_ERROR_MESSAGES, FakeDownload, FakeResponse
from openrouter.testing._streams import Comment, Event, FakeStream, Malformed, Pause, Raw, StreamError
from openrouter.testing._wire import Fault

if TYPE_CHECKING:
    from collections.abc import Mapping

    from openrouter.testing._inprocess import AsyncFakeTransport, FakeTransport

    OPERATIONS: Mapping[str, str]

# Loaded on first access (PEP 562): the transports and the route table are not needed to import.
_LAZY = {
    "AsyncFakeTransport": "openrouter.testing._inprocess",
    "FakeTransport": "openrouter.testing._inprocess",
    "OPERATIONS": "openrouter.testing._router",
}

__all__ = [
    "DOCUMENTED_ERROR_MESSAGES",
    "FAKE_API_KEY",
    "IN_PROCESS_URL",
    "OPERATIONS",
    "REDACTED",
    "AsyncFakeTransport",
    "Comment",
    "Event",
    "FakeDownload",
    "FakeOpenRouter",
    "FakeResponse",
    "FakeStream",
    "FakeTransport",
    "Fault",
    "Malformed",
    "Pause",
    "Raw",
    "RecordedRequest",
    "Responder",
    "StreamError",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
