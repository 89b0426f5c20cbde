"""The fake driving the real SDK: functions, client object, retries, faults as SDK errors, fixtures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import pytest

from openrouter import OpenRouter
from openrouter.testing import FAKE_API_KEY, IN_PROCESS_URL, FakeOpenRouter, FakeResponse
from openrouter_core import (
    BadRequestResponseError,
    Clock,
    ConnectionFailedError,
    GoneResponseError,
    OpenRouterCore,
    OpenRouterSDKError,
    RequestOptions,
    RequestTimeoutError,
    Result,
    ServiceUnavailableResponseError,
    UnauthorizedResponseError,
)
from openrouter_funcs.credits_create_coinbase_charge import (
    credits_create_coinbase_charge,
    credits_create_coinbase_charge_async,
)
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from openrouter_funcs.models import ChainId

if TYPE_CHECKING:
    from openrouter_funcs.models.ops.credits_create_coinbase_charge import CreateCoinbaseChargeRequestDict

SENDER = "0x" + "cd" * 20
NO_RETRIES = RequestOptions(retries=None)


def _error(result: Result[Any, OpenRouterSDKError]) -> OpenRouterSDKError:
    assert not result.ok, result
    return result.error


def test_core_and_client_are_wired_in_process() -> None:
    with FakeOpenRouter() as fake:
        core = fake.core()
        assert type(core) is OpenRouterCore
        assert core.server_url == IN_PROCESS_URL
        client = fake.client(timeout_ms=1000)
        assert isinstance(client, OpenRouter)
        assert client.timeout_ms == 1000
        assert client.credits.get_credits().data.total_usage == 25.75
        assert fake.last_request.api_key(reveal=True) == FAKE_API_KEY


def test_functions_sync(openrouter_fake: FakeOpenRouter) -> None:
    result = credits_get_credits(openrouter_fake.core())
    assert result.ok
    assert result.value.data.total_credits == 100.5
    assert result.exchange.attempts == 1
    with pytest.warns(DeprecationWarning, match="deprecated"):
        charge = credits_create_coinbase_charge(
            openrouter_fake.core(), None, {"amount": 5, "sender": SENDER, "chain_id": 137}
        )
    metadata = charge.unwrap().data.web3_data.transfer_intent.metadata
    assert (metadata.chain_id, metadata.sender) == (ChainId.POLYGON, SENDER)
    assert openrouter_fake.last_request.json() == {"amount": 5, "sender": SENDER, "chain_id": 137}


@pytest.mark.anyio
async def test_functions_async(openrouter_fake: FakeOpenRouter) -> None:
    core = openrouter_fake.core()
    assert (await credits_get_credits_async(core)).unwrap().data.total_usage == 25.75
    with pytest.warns(DeprecationWarning, match="deprecated"):
        charge = await credits_create_coinbase_charge_async(
            core, {"bearer": "sk-charge"}, {"amount": 1, "sender": SENDER, "chain_id": 1}
        )
    assert charge.ok
    assert openrouter_fake.last_request.api_key(reveal=True) == "sk-charge"


def test_429_then_success_honours_retry_after_without_sleeping() -> None:
    slept: list[float] = []
    with FakeOpenRouter() as fake:
        fake.queue("GET /credits", FakeResponse.rate_limited(retry_after=1))
        result = credits_get_credits(fake.core(clock=Clock(sleep=slept.append)))
    assert result.ok
    assert result.exchange.attempts == 2
    assert slept == [1.0]


@pytest.mark.anyio
async def test_async_retry_on_503_then_success() -> None:
    slept: list[float] = []

    async def no_sleep(seconds: float) -> None:
        slept.append(seconds)

    with FakeOpenRouter() as fake:
        fake.queue("getCredits", FakeResponse.error(503, headers={"retry-after-ms": "20"}))
        result = await credits_get_credits_async(fake.core(clock=Clock(async_sleep=no_sleep)))
    assert result.exchange.attempts == 2
    assert slept == [0.5]  # the server's 20 ms, raised to the backoff's initial interval


def test_error_statuses_become_typed_errors(openrouter_fake: FakeOpenRouter) -> None:
    openrouter_fake.queue("GET /credits", FakeResponse.error(503))
    error = _error(credits_get_credits(openrouter_fake.core(), options=NO_RETRIES))
    assert isinstance(error, ServiceUnavailableResponseError)
    assert error.error is not None
    assert error.error.message == "Service temporarily unavailable"

    openrouter_fake.api_keys = frozenset({"sk-good"})
    unauthorized = _error(credits_get_credits(openrouter_fake.core("sk-bad")))
    assert isinstance(unauthorized, UnauthorizedResponseError)
    assert str(unauthorized) == "HTTP 401 Unauthorized: User not found."


def test_charge_errors(openrouter_fake: FakeOpenRouter) -> None:
    core = openrouter_fake.core()
    # The SDK lets unknown chain ids through (an open enum); the API refuses them.
    unknown_chain = cast("CreateCoinbaseChargeRequestDict", {"amount": 5, "sender": SENDER, "chain_id": 5})
    with pytest.warns(DeprecationWarning, match="deprecated"):
        bad = _error(credits_create_coinbase_charge(core, None, unknown_chain))
    assert isinstance(bad, BadRequestResponseError)
    assert "chain_id must be one of" in str(bad)
    openrouter_fake.coinbase_gone = True
    fake_client = openrouter_fake.client()
    with pytest.warns(DeprecationWarning, match="deprecated"), pytest.raises(GoneResponseError, match="HTTP 410 Gone"):
        fake_client.credits.create_coinbase_charge(None, {"amount": 5, "sender": SENDER, "chain_id": 1})


@pytest.mark.parametrize(
    ("answer", "error_type", "cause"),
    [
        (FakeResponse.drop(), ConnectionFailedError, "RemoteProtocolError"),
        (FakeResponse.drop(mid_body=True), ConnectionFailedError, "RemoteProtocolError"),
        (FakeResponse.reset(), ConnectionFailedError, "ReadError"),
        (FakeResponse.hang(), RequestTimeoutError, "ReadTimeout"),
    ],
)
@pytest.mark.parametrize("mode", ["in_process", "socket"])
def test_faults_become_transport_errors(
    answer: FakeResponse, error_type: type[Exception], cause: str, mode: str
) -> None:
    with FakeOpenRouter() as fake:
        if mode == "socket":
            fake.start()
        fake.queue("GET /credits", answer)
        result = credits_get_credits(fake.core(), options=RequestOptions(retries=None, timeout_ms=50))
    error = _error(result)
    assert isinstance(error, error_type)
    assert type(error.__cause__).__name__ == cause


def test_the_default_retries_recover_from_a_dropped_connection(openrouter_fake: FakeOpenRouter) -> None:
    openrouter_fake.queue("GET /credits", FakeResponse.drop())
    result = credits_get_credits(openrouter_fake.core(clock=Clock(sleep=lambda _: None)))
    assert result.ok
    assert result.exchange.attempts == 2


def test_server_fixture_with_the_client(openrouter_fake_server: FakeOpenRouter) -> None:
    assert openrouter_fake_server.url.startswith("http://127.0.0.1:")
    with OpenRouter(api_key="sk-direct", server_url=openrouter_fake_server.url) as client:
        assert client.credits.get_credits().data.total_usage == 25.75
    with openrouter_fake_server.client() as client:
        assert client.server_url == openrouter_fake_server.url
        assert client.credits.get_credits().data.total_credits == 100.5
    assert [r.api_key(reveal=True) for r in openrouter_fake_server.requests] == ["sk-direct", FAKE_API_KEY]


@pytest.mark.anyio
async def test_server_fixture_async(openrouter_fake_server: FakeOpenRouter) -> None:
    async with openrouter_fake_server.client() as client:
        data = (await client.credits.get_credits_async()).data
        again = (await client.credits.get_credits_async()).data
    assert data == again
