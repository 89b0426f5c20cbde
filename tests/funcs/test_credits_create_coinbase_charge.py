"""credits_create_coinbase_charge and its async twin, through httpx.MockTransport."""

from __future__ import annotations

import json
import math

import httpx
import pytest

import openrouter_core as orc
from openrouter_core import Err, RequestOptions, RetryConfig
from openrouter_funcs.credits_create_coinbase_charge import (
    credits_create_coinbase_charge,
    credits_create_coinbase_charge_async,
)
from openrouter_funcs.models import (
    ChainId,
    CreateChargeRequest,
    CreateCoinbaseChargeRequest,
    CreateCoinbaseChargeResponse,
    CreateCoinbaseChargeSecurity,
)
from tests.helpers import API_KEY, CHARGE_BODY, SENDER, Runner, Wire, json_response, make_core

pytestmark = pytest.mark.filterwarnings("ignore:credits_create_coinbase_charge is deprecated:DeprecationWarning")

CHARGE = CreateChargeRequest(amount=100, sender=SENDER, chain_id=ChainId.ETHEREUM)
GONE = {
    "error": {
        "code": 410,
        "message": "The Coinbase APIs used by this endpoint have been deprecated, so the Coinbase Commerce "
        "credits API has been removed. Use the web credits purchase flow instead.",
    }
}

Charged = orc.Result[CreateCoinbaseChargeResponse, orc.OpenRouterSDKError]


def charge(run: Runner, core: orc.OpenRouterCore, security: object, request: object, options: object = None) -> Charged:
    result: Charged = run(
        credits_create_coinbase_charge, credits_create_coinbase_charge_async, core, security, request, options
    )
    return result


def test_success_decodes_the_full_payload(run: Runner) -> None:
    wire = Wire(json_response(200, CHARGE_BODY))
    result = charge(run, make_core(wire), None, CHARGE)
    assert result.ok
    data = result.value.data
    assert data.id == "charge_123"
    intent = data.web3_data.transfer_intent
    assert intent.call_data.recipient_amount == "99000000"
    assert intent.call_data.refund_destination == SENDER
    assert intent.metadata.chain_id is ChainId.BASE
    assert intent.metadata.sender == SENDER


def test_exact_wire_request(run: Runner) -> None:
    wire = Wire(json_response(200, CHARGE_BODY))
    charge(run, make_core(wire, app_title="App"), CreateCoinbaseChargeSecurity(bearer="sk-bearer"), CHARGE)
    (request,) = wire.requests
    assert request.method == "POST"
    assert str(request.url) == "https://openrouter.ai/api/v1/credits/coinbase"
    assert request.content == b'{"amount":100,"sender":"%s","chain_id":1}' % SENDER.encode()
    headers = {k.lower(): v for k, v in request.headers.items()}
    headers.pop("user-agent")
    assert headers == {
        "host": "openrouter.ai",
        "accept": "application/json",
        "content-type": "application/json",
        "content-length": str(len(request.content)),
        "x-openrouter-title": "App",
        "authorization": "Bearer sk-bearer",
        "accept-encoding": "gzip, deflate",
        "connection": "keep-alive",
    }


@pytest.mark.parametrize(
    ("request_arg", "body"),
    [
        ({"amount": 10.5, "sender": SENDER, "chain_id": 137}, b'{"amount":10.5,"sender":"%s","chain_id":137}'),
        ({"amount": 1, "sender": SENDER, "chain_id": 999}, b'{"amount":1,"sender":"%s","chain_id":999}'),
        (
            CreateChargeRequest(amount=0.01, sender=SENDER, chain_id=8453),
            b'{"amount":0.01,"sender":"%s","chain_id":8453}',
        ),
        (
            CreateCoinbaseChargeRequest(amount=5, sender=SENDER, chain_id=1, app_title="App"),
            b'{"amount":5,"sender":"%s","chain_id":1}',
        ),
    ],
)
def test_models_and_dicts_encode_the_same_way(run: Runner, request_arg: object, body: bytes) -> None:
    wire = Wire(json_response(200, CHARGE_BODY))
    assert charge(run, make_core(wire), None, request_arg).ok
    assert wire.requests[0].content == body % SENDER.encode()


def test_wrapper_app_headers_win_over_the_core(run: Runner) -> None:
    wire = Wire(json_response(200, CHARGE_BODY))
    request = CreateCoinbaseChargeRequest(
        amount=100, sender=SENDER, chain_id=ChainId.ETHEREUM, app_title="Per Call", http_referer="https://r.test"
    )
    charge(run, make_core(wire, app_title="Core"), None, request)
    assert wire.requests[0].headers["x-openrouter-title"] == "Per Call"
    assert wire.requests[0].headers["http-referer"] == "https://r.test"


@pytest.mark.parametrize(
    ("security", "expected"),
    [
        (CreateCoinbaseChargeSecurity(bearer="sk-bearer"), "Bearer sk-bearer"),
        ({"bearer": "Bearer sk-bearer"}, "Bearer sk-bearer"),
        (CreateCoinbaseChargeSecurity(), f"Bearer {API_KEY}"),
        (None, f"Bearer {API_KEY}"),
    ],
)
def test_security_bearer_wins_and_the_core_key_is_the_fallback(run: Runner, security: object, expected: str) -> None:
    wire = Wire(json_response(200, CHARGE_BODY))
    charge(run, make_core(wire), security, CHARGE)
    assert wire.requests[0].headers["authorization"] == expected


def test_no_bearer_and_no_key_is_an_err_naming_every_way(run: Runner) -> None:
    wire = Wire(json_response(200, CHARGE_BODY))
    result = charge(run, make_core(wire, api_key=None), None, CHARGE)
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.MissingCredentialsError)
    for hint in ("bearer", "api_key", "OPENROUTER_API_KEY"):
        assert hint in str(result.error)
    assert wire.requests == []


INVALID = [
    ({"amount": 0, "sender": SENDER, "chain_id": 1}, "request.amount"),
    ({"amount": -5, "sender": SENDER, "chain_id": 1}, "request.amount"),
    ({"amount": math.nan, "sender": SENDER, "chain_id": 1}, "request.amount"),
    ({"amount": math.inf, "sender": SENDER, "chain_id": 1}, "request.amount"),
    ({"amount": True, "sender": SENDER, "chain_id": 1}, "request.amount"),
    ({"amount": "100", "sender": SENDER, "chain_id": 1}, "request.amount"),
    ({"amount": 10**400, "sender": SENDER, "chain_id": 1}, "request.amount"),
    ({"amount": 1, "sender": "0x123", "chain_id": 1}, "request.sender"),
    ({"amount": 1, "sender": SENDER[:-1] + "g", "chain_id": 1}, "request.sender"),
    ({"amount": 1, "sender": "0x" + "\u0661" * 40, "chain_id": 1}, "request.sender"),  # Arabic-Indic digits
    ({"amount": 1, "sender": SENDER + "\n", "chain_id": 1}, "request.sender"),
    ({"amount": 1, "sender": 12, "chain_id": 1}, "request.sender"),
    ({"amount": 1, "sender": SENDER, "chain_id": 1.5}, "request.chain_id"),
    ({"amount": 1, "sender": SENDER, "chain_id": "1"}, "request.chain_id"),
    ({"amount": 1, "sender": SENDER, "chain_id": False}, "request.chain_id"),
    ({"amount": 1, "sender": SENDER}, "request.chain_id"),
    ({"amount": 1, "sender": SENDER, "chain_id": 1, "chainId": 1}, "request.chainId"),
    (CreateChargeRequest(amount=1, sender="nope", chain_id=1), "request.sender"),
    (CreateCoinbaseChargeRequest(amount=-1, sender=SENDER, chain_id=1), "request.amount"),
    ({"amount": 1, "sender": SENDER, "chain_id": 1, "app_title": 5}, "request.app_title"),
    ("amount=1", "request"),
]


@pytest.mark.parametrize(("request_arg", "field"), INVALID)
def test_invalid_input_is_an_err_and_nothing_is_sent(run: Runner, request_arg: object, field: str) -> None:
    wire = Wire(json_response(200, CHARGE_BODY))
    result = charge(run, make_core(wire), None, request_arg)
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.SDKValidationError)
    assert result.error.field == field
    assert str(result.error).startswith(f"{field}: ")
    assert wire.requests == []
    assert result.exchange.attempts == 0


@pytest.mark.parametrize("security", [{"bearer": 5}, {"token": "x"}, "sk-plain-string"])
def test_invalid_security_is_an_err(run: Runner, security: object) -> None:
    wire = Wire(json_response(200, CHARGE_BODY))
    result = charge(run, make_core(wire), security, CHARGE)
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.SDKValidationError)
    assert result.error.field.startswith("security")
    assert "sk-plain-string" not in str(result.error)
    assert wire.requests == []


TYPED = {
    400: orc.BadRequestResponseError,
    401: orc.UnauthorizedResponseError,
    429: orc.TooManyRequestsResponseError,
    500: orc.InternalServerResponseError,
    402: orc.PaymentRequiredResponseError,
    404: orc.NotFoundResponseError,
    410: orc.GoneResponseError,
    503: orc.ServiceUnavailableResponseError,
}


@pytest.mark.parametrize(("status", "error_class"), sorted(TYPED.items()))
def test_error_statuses_are_typed(run: Runner, status: int, error_class: type[orc.OpenRouterStatusError]) -> None:
    wire = Wire(json_response(status, {"error": {"code": status, "message": "m"}, "openrouter_metadata": {"a": 1}}))
    result = charge(run, make_core(wire), None, CHARGE)
    assert isinstance(result, Err)
    assert type(result.error) is error_class
    assert result.error.openrouter_metadata == {"a": 1}
    assert len(wire.requests) == 1  # a charge is never retried by default


def test_410_is_gone_with_the_servers_message(run: Runner) -> None:
    result = charge(run, make_core(Wire(json_response(410, GONE))), None, CHARGE)
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.GoneResponseError)
    assert "web credits purchase flow" in str(result.error)


def test_418_is_the_default_error(run: Runner) -> None:
    result = charge(run, make_core(Wire(httpx.Response(418, text="teapot"))), None, CHARGE)
    assert isinstance(result, Err)
    assert type(result.error) is orc.OpenRouterDefaultError


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["data"].pop("expires_at"), "$.data.expires_at"),
        (
            lambda d: d["data"]["web3_data"]["transfer_intent"]["call_data"].pop("signature"),
            "$.data.web3_data.transfer_intent.call_data.signature",
        ),
        (
            lambda d: d["data"]["web3_data"]["transfer_intent"]["metadata"].update(chain_id="8453"),
            "$.data.web3_data.transfer_intent.metadata.chain_id",
        ),
        (
            lambda d: d["data"]["web3_data"]["transfer_intent"]["metadata"].update(chain_id=1.5),
            "$.data.web3_data.transfer_intent.metadata.chain_id",
        ),
    ],
)
def test_200_missing_or_mistyped_fields_name_the_path(run: Runner, mutate: object, path: str) -> None:
    body = json.loads(json.dumps(CHARGE_BODY))
    mutate(body)  # type: ignore[operator]
    result = charge(run, make_core(Wire(json_response(200, body))), None, CHARGE)
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.ResponseValidationError)
    assert result.error.path == path


def test_200_with_an_unknown_chain_id_and_extra_fields_is_ok(run: Runner) -> None:
    body = json.loads(json.dumps(CHARGE_BODY))
    body["data"]["web3_data"]["transfer_intent"]["metadata"]["chain_id"] = 424242
    body["data"]["web3_data"]["transfer_intent"]["metadata"]["new"] = True
    body["data"]["pricing"] = {"usd": "1"}
    result = charge(run, make_core(Wire(json_response(200, body))), None, CHARGE)
    assert result.ok
    chain = result.value.data.web3_data.transfer_intent.metadata.chain_id
    assert chain == 424242
    assert not isinstance(chain, ChainId)


def test_every_call_warns_deprecation(run: Runner) -> None:
    wire = Wire(json_response(410, GONE))
    with pytest.warns(DeprecationWarning, match="410 Gone"):
        charge(run, make_core(wire), None, CHARGE)
    with pytest.warns(DeprecationWarning, match="deprecated"):
        charge(run, make_core(wire), None, CHARGE)


def test_the_warning_points_at_the_callers_line() -> None:
    wire = Wire(json_response(410, GONE))
    with pytest.warns(DeprecationWarning, match="deprecated") as caught:
        credits_create_coinbase_charge(make_core(wire), None, CHARGE)
    assert caught[0].filename == __file__


def test_retries_enabled_still_never_resend_after_a_500(run: Runner) -> None:
    wire = Wire(json_response(500, {"error": {"code": 500, "message": "boom"}}))
    result = charge(run, make_core(wire), None, CHARGE, RequestOptions(retries=RetryConfig()))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.InternalServerResponseError)
    assert len(wire.requests) == 1
