"""The OpenRouter client object: lazy namespaces, unwrapping, closing."""

from __future__ import annotations

import asyncio

import pytest

import openrouter_core as orc
from openrouter import OpenRouter
from openrouter_funcs.credits_create_coinbase_charge import credits_create_coinbase_charge
from openrouter_funcs.credits_get_credits import credits_get_credits
from openrouter_funcs.models import CreateChargeRequest
from tests.helpers import API_KEY, CHARGE_BODY, CREDITS_BODY, SENDER, Wire, json_response

CHARGE = CreateChargeRequest(amount=1, sender=SENDER, chain_id=1)


def client_for(wire: Wire) -> OpenRouter:
    import httpx

    return OpenRouter(
        api_key=API_KEY,
        client=httpx.Client(transport=httpx.MockTransport(wire)),
        async_client=httpx.AsyncClient(transport=httpx.MockTransport(wire)),
    )


def test_namespace_is_created_lazily_once() -> None:
    client = OpenRouter(api_key=API_KEY)
    assert client._credits is None
    credits = client.credits
    assert client.credits is credits


def test_methods_return_the_value() -> None:
    client = client_for(Wire(json_response(200, CREDITS_BODY)))
    assert client.credits.get_credits().data.total_usage == 25.75
    assert asyncio.run(client.credits.get_credits_async()).data.total_credits == 100.5


def test_methods_raise_the_very_error_object_of_the_result() -> None:
    wire = Wire(json_response(403, {"error": {"code": 403, "message": "Only management keys"}}))
    client = client_for(wire)
    result = credits_get_credits(client)
    assert isinstance(result, orc.Err)
    captured: list[orc.OpenRouterSDKError] = []

    def spy(core: orc.OpenRouterCore, *args: object) -> object:
        captured.append(result.error)
        return result

    import openrouter._resources.credits as module

    original = module.credits_get_credits
    module.credits_get_credits = spy  # type: ignore[assignment]
    try:
        with pytest.raises(orc.ForbiddenResponseError) as raised:
            client.credits.get_credits()
    finally:
        module.credits_get_credits = original
    assert raised.value is captured[0]


def test_async_methods_raise_the_error() -> None:
    client = client_for(Wire(json_response(401, {"error": {"code": 401, "message": "Missing Authentication header"}})))
    with pytest.raises(orc.UnauthorizedResponseError, match="Missing Authentication header"):
        asyncio.run(client.credits.get_credits_async())


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_charge_methods_raise_gone() -> None:
    client = client_for(Wire(json_response(410, {"error": {"code": 410, "message": "gone"}})))
    with pytest.raises(orc.GoneResponseError):
        client.credits.create_coinbase_charge(None, CHARGE)
    with pytest.raises(orc.GoneResponseError):
        asyncio.run(client.credits.create_coinbase_charge_async({"bearer": "sk-x"}, CHARGE))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_charge_methods_return_the_value() -> None:
    client = client_for(Wire(json_response(200, CHARGE_BODY)))
    assert client.credits.create_coinbase_charge(None, CHARGE).data.id == "charge_123"


def test_facade_warning_points_at_the_callers_line() -> None:
    client = client_for(Wire(json_response(410, {"error": {"code": 410, "message": "gone"}})))
    with pytest.warns(DeprecationWarning, match="deprecated") as caught, pytest.raises(orc.GoneResponseError):
        client.credits.create_coinbase_charge(None, CHARGE)
    assert caught[0].filename == __file__

    async def users_code() -> None:
        await client.credits.create_coinbase_charge_async(None, CHARGE)

    with pytest.warns(DeprecationWarning, match="deprecated") as caught, pytest.raises(orc.GoneResponseError):
        asyncio.run(users_code())
    assert caught[0].filename == __file__


def test_the_client_is_a_core_for_standalone_functions() -> None:
    wire = Wire(json_response(410, {"error": {"code": 410, "message": "gone"}}))
    client = client_for(wire)
    with pytest.warns(DeprecationWarning, match="deprecated"):
        result = credits_create_coinbase_charge(client, None, CHARGE)
    assert isinstance(result, orc.Err)


def test_with_closes_the_transport() -> None:
    with OpenRouter(api_key=API_KEY) as client:
        transport = client._sync().client
    assert transport.is_closed
