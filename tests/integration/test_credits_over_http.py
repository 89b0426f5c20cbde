"""Both operations, sync and async, against the fake OpenRouter serving on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

import openrouter_core as orc
from openrouter import OpenRouter
from openrouter.testing import FakeOpenRouter, FakeResponse
from openrouter_core import OpenRouterCore, RequestOptions, RetryConfig
from openrouter_funcs.credits_create_coinbase_charge import (
    credits_create_coinbase_charge,
    credits_create_coinbase_charge_async,
)
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from openrouter_funcs.models import ChainId, CreateChargeRequest
from tests.helpers import SENDER

KEY = "sk-or-v1-integration"
CHARGE = CreateChargeRequest(amount=25, sender=SENDER, chain_id=ChainId.BASE)


@pytest.fixture
def fake() -> Iterator[FakeOpenRouter]:
    with FakeOpenRouter.serve() as server:
        yield server


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def get_credits(mode: str, url: str, options: RequestOptions | None = None, **core: Any) -> orc.Result[Any, Any]:
    settings: dict[str, Any] = {"api_key": KEY, "server_url": url, **core}
    if mode == "sync":
        with OpenRouterCore(**settings) as sync_core:
            return credits_get_credits(sync_core, None, options)

    async def main() -> orc.Result[Any, Any]:
        async with OpenRouterCore(**settings) as async_core:
            return await credits_get_credits_async(async_core, None, options)

    return asyncio.run(main())


def charge(mode: str, url: str, options: RequestOptions | None = None) -> orc.Result[Any, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if mode == "sync":
            with OpenRouterCore(api_key=KEY, server_url=url) as sync_core:
                return credits_create_coinbase_charge(sync_core, None, CHARGE, options)

        async def main() -> orc.Result[Any, Any]:
            async with OpenRouterCore(api_key=KEY, server_url=url) as async_core:
                return await credits_create_coinbase_charge_async(async_core, None, CHARGE, options)

        return asyncio.run(main())


def test_get_credits(fake: FakeOpenRouter, mode: str) -> None:
    result = get_credits(mode, fake.url)
    assert result.ok
    assert result.value.data.total_credits == 100.5
    (request,) = fake.requests
    assert (request.method, request.path) == ("GET", "/api/v1/credits")
    assert request.headers(reveal=True)["authorization"] == f"Bearer {KEY}"
    assert request.headers()["authorization"] == "[REDACTED]"


def test_create_coinbase_charge(fake: FakeOpenRouter, mode: str) -> None:
    result = charge(mode, fake.url)
    assert result.ok
    assert result.value.data.web3_data.transfer_intent.metadata.sender == SENDER
    (request,) = fake.requests
    assert (request.method, request.path) == ("POST", "/api/v1/credits/coinbase")
    assert request.json() == {"amount": 25, "sender": SENDER, "chain_id": 8453}


def test_charge_today_is_gone(mode: str) -> None:
    with FakeOpenRouter.serve(coinbase_gone=True) as fake:
        result = charge(mode, fake.url)
    assert isinstance(result, orc.Err)
    assert isinstance(result.error, orc.GoneResponseError)


def test_facade_over_http(fake: FakeOpenRouter) -> None:
    with OpenRouter(api_key=KEY, server_url=fake.url) as client:
        assert client.credits.get_credits().data.total_usage == pytest.approx(25.75)
    fake.queue("GET /credits", FakeResponse.error(401))
    with OpenRouter(api_key=KEY, server_url=fake.url) as client, pytest.raises(orc.UnauthorizedResponseError):
        client.credits.get_credits()


# --- resilience scenarios (timings are printed for the record, never asserted from above) --------


def test_429_with_retry_after_then_200(fake: FakeOpenRouter, mode: str, capsys: pytest.CaptureFixture[str]) -> None:
    fake.queue("GET /credits", FakeResponse.rate_limited(retry_after=1))
    started = time.monotonic()
    result = get_credits(mode, fake.url)
    elapsed = time.monotonic() - started
    assert result.ok
    assert result.exchange.attempts == 2
    assert len(fake.requests) == 2
    assert elapsed >= 0.95  # the server's Retry-After was honoured
    with capsys.disabled():
        print(f"\n[timing] {mode} 429 Retry-After: 1 then 200: {elapsed:.3f} s, 2 requests")


def test_503_503_200(fake: FakeOpenRouter, mode: str, capsys: pytest.CaptureFixture[str]) -> None:
    fake.queue("GET /credits", FakeResponse.error(503), FakeResponse.error(503))
    started = time.monotonic()
    result = get_credits(mode, fake.url)
    elapsed = time.monotonic() - started
    assert result.ok
    assert result.exchange.attempts == 3
    assert len(fake.requests) == 3
    with capsys.disabled():
        print(f"\n[timing] {mode} 503, 503, 200: {elapsed:.3f} s, 3 requests")


def test_hanging_server_gives_a_timeout_err(
    fake: FakeOpenRouter, mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.queue("GET /credits", FakeResponse.hang())
    started = time.monotonic()
    result = get_credits(mode, fake.url, timeout_ms=500, retry_config=None)
    elapsed = time.monotonic() - started
    assert isinstance(result, orc.Err)
    assert isinstance(result.error, orc.RequestTimeoutError)
    assert elapsed < 5  # bounds a hang; not a performance figure
    with capsys.disabled():
        print(f"\n[timing] {mode} hanging server, timeout_ms=500: {elapsed:.3f} s")


@pytest.mark.parametrize("mid_body", [False, True])
def test_dropped_connection_on_the_charge_is_sent_once(fake: FakeOpenRouter, mode: str, mid_body: bool) -> None:
    fake.queue("POST /credits/coinbase", FakeResponse.drop(mid_body=mid_body))
    result = charge(mode, fake.url, RequestOptions(retries=RetryConfig()))
    assert isinstance(result, orc.Err)
    assert isinstance(result.error, orc.ConnectionFailedError)
    assert len(fake.requests) == 1
