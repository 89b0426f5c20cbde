"""A scriptable fake OpenRouter for your tests: in process (an httpx transport) or on 127.0.0.1.

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

With pytest, the ``openrouter_fake`` (in process) and ``openrouter_fake_server`` (socket)
fixtures give you a fresh fake per test, closed afterwards. From a shell:
``openrouter fake-server --port 8080``.

``FakeResponse`` scripts an answer: status, headers, a JSON or raw body, a delay, or a ``Fault``
(dropped connection, dropped mid-body, reset, hang). Recorded requests hide the
``Authorization`` header unless asked: ``request.headers(reveal=True)``, ``request.api_key(reveal=True)``.
"""

from openrouter.testing._api import OPERATIONS
from openrouter.testing._fake import FAKE_API_KEY, IN_PROCESS_URL, FakeOpenRouter, Responder
from openrouter.testing._inprocess import AsyncFakeTransport, FakeTransport
from openrouter.testing._requests import REDACTED, RecordedRequest
from openrouter.testing._responses import DOCUMENTED_ERROR_MESSAGES, FakeResponse, Fault

__all__ = [
    "DOCUMENTED_ERROR_MESSAGES",
    "FAKE_API_KEY",
    "IN_PROCESS_URL",
    "OPERATIONS",
    "REDACTED",
    "AsyncFakeTransport",
    "FakeOpenRouter",
    "FakeResponse",
    "FakeTransport",
    "Fault",
    "RecordedRequest",
    "Responder",
]
