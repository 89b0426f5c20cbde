"""The fake on the wire, in process and over a real socket: the same tests must pass in both modes."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

import attrs
import httpx
import pytest

from openrouter.testing import IN_PROCESS_URL, REDACTED, FakeOpenRouter, FakeResponse, Fault

KEY = "sk-or-v1-wire-test-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
SENDER = "0x" + "ab" * 20
CHARGE = {"amount": 100, "sender": SENDER, "chain_id": 1}
CREDITS = {"data": {"total_credits": 100.5, "total_usage": 25.75}}


@attrs.frozen
class Wire:
    fake: FakeOpenRouter
    client: httpx.Client


@attrs.frozen
class AsyncWire:
    fake: FakeOpenRouter
    client: httpx.AsyncClient


def _base_url(fake: FakeOpenRouter, mode: str) -> str:
    return fake.start().url if mode == "socket" else IN_PROCESS_URL


@pytest.fixture(params=["in_process", "socket"])
def wire(request: pytest.FixtureRequest) -> Iterator[Wire]:
    with FakeOpenRouter(hang_limit=5) as fake:
        base_url = _base_url(fake, request.param)
        transport = fake.transport() if request.param == "in_process" else None
        with httpx.Client(transport=transport, base_url=base_url, trust_env=False, timeout=5) as client:
            yield Wire(fake, client)


@pytest.fixture(params=["in_process", "socket"])
async def async_wire(request: pytest.FixtureRequest) -> AsyncIterator[AsyncWire]:
    with FakeOpenRouter(hang_limit=5) as fake:
        base_url = _base_url(fake, request.param)
        transport = fake.async_transport() if request.param == "in_process" else None
        async with httpx.AsyncClient(transport=transport, base_url=base_url, trust_env=False, timeout=5) as client:
            yield AsyncWire(fake, client)


# --- defaults -------------------------------------------------------------------------------------


def test_credits(wire: Wire) -> None:
    response = wire.client.get("/credits", headers=AUTH)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == CREDITS


def test_credits_from_settings(wire: Wire) -> None:
    wire.fake.total_credits, wire.fake.total_usage = 5, 1.25
    assert wire.client.get("/credits", headers=AUTH).json() == {"data": {"total_credits": 5, "total_usage": 1.25}}


def test_paths_without_the_api_prefix_work_too(wire: Wire) -> None:
    url = wire.client.base_url.copy_with(path="/credits")
    assert wire.client.get(url, headers=AUTH).json() == CREDITS


def test_missing_key_is_the_documented_401(wire: Wire) -> None:
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Basic abc"}):
        response = wire.client.get("/credits", headers=headers)
        assert response.status_code == 401
        assert response.json() == {"error": {"code": 401, "message": "Missing Authentication header"}}


def test_unknown_key_is_refused_when_keys_are_configured(wire: Wire) -> None:
    wire.fake.api_keys = frozenset({KEY})
    assert wire.client.get("/credits", headers=AUTH).status_code == 200
    response = wire.client.get("/credits", headers={"Authorization": "Bearer sk-other"})
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "User not found."


def test_unknown_path_is_a_json_404(wire: Wire) -> None:
    response = wire.client.get("/nope", headers=AUTH)
    assert response.status_code == 404
    assert response.json() == {"error": {"code": 404, "message": "Resource not found"}}


def test_wrong_method_is_a_405(wire: Wire) -> None:
    response = wire.client.delete("/credits", headers=AUTH)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json()["error"]["code"] == 405
    head = wire.client.head("/credits", headers=AUTH)
    assert (head.status_code, head.content) == (405, b"")
    assert wire.client.get("/credits", headers=AUTH).status_code == 200  # the connection is still in sync


def test_coinbase_charge_answers_the_full_payload(wire: Wire) -> None:
    response = wire.client.post("/credits/coinbase", headers=AUTH, json=CHARGE)
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"id", "created_at", "expires_at", "web3_data"}
    intent = data["web3_data"]["transfer_intent"]
    assert set(intent["call_data"]) == {
        "deadline",
        "fee_amount",
        "id",
        "operator",
        "prefix",
        "recipient",
        "recipient_amount",
        "recipient_currency",
        "refund_destination",
        "signature",
    }
    assert all(isinstance(value, str) for value in intent["call_data"].values())
    assert intent["metadata"]["chain_id"] == 1
    assert intent["metadata"]["sender"] == SENDER
    assert int(intent["call_data"]["recipient_amount"]) + int(intent["call_data"]["fee_amount"]) == 100_000_000


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"{not json", "not valid JSON"),
        (b"NaN", "not valid JSON"),
        (b"[]", "the body must be an object"),
        (json.dumps({"sender": SENDER, "chain_id": 1}).encode(), "amount is required"),
        (json.dumps({**CHARGE, "amount": 0}).encode(), "amount must be"),
        (json.dumps({**CHARGE, "amount": True}).encode(), "amount must be"),
        (json.dumps({**CHARGE, "amount": "5"}).encode(), "amount must be"),
        (json.dumps({**CHARGE, "sender": "0x12"}).encode(), "sender must match"),
        (json.dumps({**CHARGE, "chain_id": 5}).encode(), "chain_id must be one of 1, 137, 8453"),
    ],
)
def test_coinbase_charge_validates_the_body_like_the_api(wire: Wire, body: bytes, problem: str) -> None:
    response = wire.client.post("/credits/coinbase", headers=AUTH, content=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == 400
    assert error["message"].startswith("Invalid request parameters: ")
    assert problem in error["message"]


def test_coinbase_gone_answers_410_even_without_a_key(wire: Wire) -> None:
    wire.fake.coinbase_gone = True
    response = wire.client.post("/credits/coinbase", json=CHARGE)
    assert response.status_code == 410
    assert "Coinbase APIs" in response.json()["error"]["message"]


# --- queued answers -------------------------------------------------------------------------------


def test_queued_answers_come_first_in_order_then_defaults(wire: Wire) -> None:
    wire.fake.queue("GET /credits", FakeResponse.rate_limited(1), FakeResponse.error(500))
    wire.fake.queue("/credits/coinbase", FakeResponse(status=503))
    assert wire.fake.pending == 3
    first = wire.client.get("/credits", headers=AUTH)
    assert (first.status_code, first.headers["retry-after"]) == (429, "1")
    assert first.json() == {"error": {"code": 429, "message": "Rate limit exceeded"}}
    assert wire.client.get("/credits", headers=AUTH).status_code == 500
    assert wire.client.get("/credits", headers=AUTH).status_code == 200
    assert wire.fake.pending == 1  # the coinbase answer waits for a coinbase request
    assert wire.client.post("/credits/coinbase", headers=AUTH, json=CHARGE).status_code == 503
    assert wire.fake.pending == 0


def test_queued_answers_ignore_authentication(wire: Wire) -> None:
    wire.fake.queue("*", FakeResponse(json={"anything": True}))
    assert wire.client.get("/whatever").json() == {"anything": True}


def test_queue_by_operation_id_and_with_a_function(wire: Wire) -> None:
    wire.fake.queue("getCredits", lambda request: FakeResponse(json={"seen": request.route, "q": request.query}))
    assert wire.client.get("/credits?x=1").json() == {"seen": "GET /credits", "q": "x=1"}


def test_raw_body_and_headers(wire: Wire) -> None:
    html = b"<html>502 Bad Gateway</html>"
    wire.fake.queue("GET /credits", FakeResponse(status=502, headers={"Content-Type": "text/html"}, body=html))
    response = wire.client.get("/credits", headers=AUTH)
    assert (response.status_code, response.headers["content-type"], response.content) == (502, "text/html", html)


# --- faults ---------------------------------------------------------------------------------------


def test_short_delay_still_answers(wire: Wire) -> None:
    wire.fake.queue("GET /credits", FakeResponse(json={"late": True}, delay=0.01))
    assert wire.client.get("/credits", headers=AUTH).json() == {"late": True}


def test_delay_past_the_read_timeout_times_out(wire: Wire) -> None:
    wire.fake.queue("GET /credits", FakeResponse(delay=2))
    with pytest.raises(httpx.ReadTimeout):
        wire.client.get("/credits", headers=AUTH, timeout=0.05)


def test_hang_times_out_at_the_read_timeout(wire: Wire) -> None:
    wire.fake.queue("GET /credits", FakeResponse.hang())
    with pytest.raises(httpx.ReadTimeout):
        wire.client.get("/credits", headers=AUTH, timeout=0.05)
    assert wire.client.get("/credits", headers=AUTH).status_code == 200  # the fake is still serving


def test_hang_without_timeout_ends_at_hang_limit(wire: Wire) -> None:
    wire.fake.hang_limit = 0.05
    wire.fake.queue("GET /credits", FakeResponse.hang())
    with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending a response"):
        wire.client.get("/credits", headers=AUTH, timeout=None)


def test_drop_before_answering(wire: Wire) -> None:
    wire.fake.queue("GET /credits", FakeResponse.drop())
    with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending a response"):
        wire.client.get("/credits", headers=AUTH)
    assert wire.client.get("/credits", headers=AUTH).json() == CREDITS


def test_drop_mid_body(wire: Wire) -> None:
    wire.fake.queue("GET /credits", FakeResponse(json=CREDITS, fault=Fault.DROP_MID_BODY))
    full = len(json.dumps(CREDITS, separators=(",", ":")))
    expected = rf"received {full // 2} bytes, expected {full}"
    with pytest.raises(httpx.RemoteProtocolError, match=expected):
        wire.client.get("/credits", headers=AUTH)
    with wire.client.stream("GET", "/credits", headers=AUTH) as response:  # the default again
        assert response.status_code == 200


def test_reset(wire: Wire) -> None:
    wire.fake.queue("GET /credits", FakeResponse.reset())
    with pytest.raises(httpx.ReadError, match="Connection reset by peer"):
        wire.client.get("/credits", headers=AUTH)
    assert wire.client.get("/credits", headers=AUTH).status_code == 200


@pytest.mark.anyio
async def test_async_defaults_and_faults(async_wire: AsyncWire) -> None:
    fake, client = async_wire.fake, async_wire.client
    assert (await client.get("/credits", headers=AUTH)).json() == CREDITS
    fake.queue("GET /credits", FakeResponse.drop(), FakeResponse.drop(mid_body=True), FakeResponse.reset())
    fake.queue("GET /credits", FakeResponse.hang(), FakeResponse(json={"late": True}, delay=0.01))
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        await client.get("/credits", headers=AUTH)
    with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
        await client.get("/credits", headers=AUTH)
    with pytest.raises(httpx.ReadError):
        await client.get("/credits", headers=AUTH)
    with pytest.raises(httpx.ReadTimeout):
        await client.get("/credits", headers=AUTH, timeout=0.05)
    assert (await client.get("/credits", headers=AUTH)).json() == {"late": True}
    response = await client.post("/credits/coinbase", headers=AUTH, json=CHARGE)
    assert response.json()["data"]["web3_data"]["transfer_intent"]["metadata"]["sender"] == SENDER


# --- inspection -----------------------------------------------------------------------------------


def test_every_request_is_recorded_with_credentials_hidden(wire: Wire) -> None:
    wire.client.get("/credits?page=2", headers={**AUTH, "X-Title": "tests"})
    wire.client.post("/credits/coinbase", headers=AUTH, json=CHARGE)
    first, second = wire.fake.requests
    assert (first.method, first.path, first.route, first.query, first.body) == (
        "GET",
        "/api/v1/credits",
        "GET /credits",
        "page=2",
        b"",
    )
    assert first.headers()["x-title"] == "tests"
    assert first.headers()["authorization"] == REDACTED
    assert first.headers(reveal=True)["authorization"] == f"Bearer {KEY}"
    assert first.api_key() == REDACTED
    assert first.api_key(reveal=True) == KEY
    assert KEY not in repr(wire.fake.requests)
    assert second.route == "POST /credits/coinbase"
    assert second.json() == CHARGE
    assert second.headers()["content-type"] == "application/json"
    assert wire.fake.last_request == second
    wire.fake.reset()
    assert wire.fake.requests == []
    with pytest.raises(LookupError):
        _ = wire.fake.last_request
